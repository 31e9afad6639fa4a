"""The work inbox (issue 14): the rules of every area, and what one user's inbox holds.

A rule's items and count come from one definition (services/inbox/base.py); the list pages that show the
same items call the same functions.
"""
from flask import g

from services.inbox import door, mediation, organisation, purchasing, rehabilitation
from services.inbox.base import CAP, LIMIT, Item, Rule  # noqa: F401  (the package's interface)

RULES = [*organisation.RULES, *door.RULES, *mediation.RULES, *rehabilitation.RULES, *purchasing.RULES]


def rules_for(user):
    if not user.is_authenticated:
        return []
    return [r for r in RULES if user.role in r.roles and r.applies(user)]


def rule(key):
    return next(r for r in RULES if r.key == key)


def counts(user):
    """{rule key: capped count} of the user's rules: one count statement per rule, once per request."""
    memo = g.setdefault("inbox_counts", {})
    if user.id not in memo:
        memo[user.id] = {r.key: r.count(user) for r in rules_for(user)}
    return memo[user.id]


def sections(user, limit=LIMIT):
    """[(rule, items, count)] of the rules that have items for this user, in the registry's order."""
    found = counts(user)
    return [(r, r.items(user, limit), found[r.key]) for r in rules_for(user) if found[r.key]]


def total(user):
    """The navigation's badge: the sum of the rules' capped counts."""
    return sum(counts(user).values())
