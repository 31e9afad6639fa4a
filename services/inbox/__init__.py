"""The work inbox (issue 14): the rules of every area, and what one user's inbox holds.

A rule's items and count come from one definition (services/inbox/base.py); the list pages that show the
same items call the same functions.

Kept per process (issue 16): the navigation asks for the counts after every page, so a user's counts and
sections are kept under the work revision's token (models/work_revision.py: renewed by every transaction
that changes a record) and the hour (the rules are worked out for today, and an item set aside for 30 days
comes back within the hour). A transaction that has changed a record reads its own work afresh.
"""
from flask import g

from models import clock, work_revision
from services.inbox import door, mediation, organisation, purchasing, rehabilitation
from services.inbox.base import CAP, LIMIT, Item, Rule  # noqa: F401  (the package's interface)
from services.memo import Memo

RULES = [*organisation.RULES, *door.RULES, *mediation.RULES, *rehabilitation.RULES, *purchasing.RULES]


def rules_for(user):
    if not user.is_authenticated:
        return []
    return [r for r in RULES if user.role in r.roles and r.applies(user)]


def rule(key):
    return next(r for r in RULES if r.key == key)


kept = Memo(2048, work_revision.token)


def _kept(kind, user, build):
    if work_revision.changed_here():
        return build()
    now = clock.now()
    return kept.get((kind, user.id, now.date(), now.hour), build)


def counts(user):
    """{rule key: capped count} of the user's rules: one count statement per rule, once while nothing changed."""
    memo = g.setdefault("inbox_counts", {})
    if user.id not in memo:
        memo[user.id] = _kept("counts", user, lambda: {r.key: r.count(user) for r in rules_for(user)})
    return memo[user.id]


def sections(user, limit=LIMIT):
    """[(rule, items, count)] of the rules that have items for this user, in the registry's order."""
    def build():
        found = counts(user)
        return [(r, r.items(user, limit), found[r.key]) for r in rules_for(user) if found[r.key]]

    return _kept(("sections", limit), user, build)


def total(user):
    """The navigation's badge: the sum of the rules' capped counts."""
    return sum(counts(user).values())
