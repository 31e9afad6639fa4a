"""The inbox's parts: an item, a rule, and the two ways a rule is built (one select, or a short list).

Each kind of item is one `Rule`: a title that says why it is here, the roles it concerns, and two
functions over the same definition — its items (the most urgent first, at most `limit`) and its count
(capped). The list pages that show the same items call the same functions (one definition per rule).
"""
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from flask import g
from sqlalchemy import func, select

from extensions import db
from models import clock

CAP = 99  # a count is shown as "99+" beyond this: counting further would read every matching row
LIMIT = 20  # items per rule on the inbox page (the rule's own page shows the rest)


@dataclass(frozen=True)
class Item:
    label: str  # what: a case number, a subject, a contract
    url: str  # the exact place to act (with the section's fragment)
    due: date | None = None
    note: str = ""
    working_days: bool = False  # the due date counts working days (the law says so)

    def overdue(self, today=None):
        return self.due is not None and self.due < (today or clock.today())


@dataclass(frozen=True)
class Rule:
    key: str
    title: str  # why the items are here
    roles: tuple
    items: Callable  # (user, limit) -> [Item]
    count: Callable  # (user, cap) -> int (cap + 1 means "more than cap")
    page: Callable | None = None  # (user) -> url of the full list, where one exists
    applies: Callable = field(default=lambda user: True)


def capped_count(query, cap=CAP):
    """The number of rows a select returns, reading at most cap + 1 of them."""
    inner = query.with_only_columns(query.selected_columns[0]).order_by(None).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(inner))


def sql_rule(key, title, roles, query, to_item, page=None, applies=None):
    """A rule whose items are the rows of one ordered select (query(user) -> Select, narrow columns)."""

    def items(user, limit=LIMIT):
        return [to_item(row) for row in db.session.execute(query(user).limit(limit)).all()]

    def count(user, cap=CAP):
        return capped_count(query(user), cap)

    return Rule(key, title, roles, items, count, page, applies or (lambda user: True))


def list_rule(key, title, roles, rows, page=None, applies=None):
    """A rule over a short list computed in Python (a unit's few contracts): its count is its length."""

    def cached(user):  # count and items in one request read the list once
        memo = g.setdefault("inbox_lists", {})
        if (key, user.id) not in memo:
            memo[key, user.id] = rows(user)
        return memo[key, user.id]

    def items(user, limit=LIMIT):
        return cached(user)[:limit]

    def count(user, cap=CAP):
        return min(len(cached(user)), cap + 1)

    return Rule(key, title, roles, items, count, page, applies or (lambda user: True))
