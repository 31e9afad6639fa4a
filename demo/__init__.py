"""Demo data for `flask demo seed` (demo.seed.seed), one module a feature, sharing demo.helpers.

Demo data is not a service: nothing in models/, services/ or blueprints/ imports it."""
