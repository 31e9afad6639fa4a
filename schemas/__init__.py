"""Filled by later modules."""
