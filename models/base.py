"""The domain's error types, shared column mixins and small helpers of the models."""
from datetime import datetime

from flask import g, has_request_context
from sqlalchemy import bindparam, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from models import clock


class DomainError(Exception):
    """A rule of the domain refused an action. `status` is the HTTP answer (DESIGN.md §5)."""

    status = 409

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class TransitionError(DomainError):
    """The record's state does not allow this step (409)."""

    status = 409


class RuleError(DomainError):
    """Input breaks a business rule (422)."""

    status = 422


class NotAllowed(DomainError):
    """The user's role may not take this action on a record in scope (403)."""

    status = 403


class StateRulesMixin:
    """A record whose actions each need a state: STATE_RULES = {action: (allowed(record), message)}.
    `state_check(action)` is the action's own first check, which the views also run before reading
    the form, so that a wrong state answers 409 before invalid input answers 422."""

    STATE_RULES = {}

    def state_check(self, action):
        allowed, message = self.STATE_RULES[action]
        if not allowed(self):
            raise TransitionError(message)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=lambda: clock.now())


class VersionedMixin:
    """A record edited through forms after creation carries a version (DESIGN.md §5: 409 old version).

    SQLAlchemy's version counter: every UPDATE is `... WHERE row_version = <loaded>` and bumps it, so
    two writers can never both succeed from the same version (StaleDataError, answered with 409). The
    edit forms carry the version they were based on; `services.versions.check` refuses an old one.
    """

    row_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.row_version}


def starts_with(column, prefix):
    """`column` begins with `prefix`, in a form each database answers from the column's index: LIKE on
    PostgreSQL (C collation here); on SQLite, whose LIKE ignores indexes, LIKE plus the same prefix as a
    range in binary order."""
    from extensions import db

    match = column.startswith(prefix, autoescape=True)
    if db.session.get_bind().dialect.name == "sqlite":
        match = match & (column >= prefix) & (column < prefix + "\U0010ffff")
    return match


def one_of(column, *values):
    """`column` holds one of these fixed values, written into the SQL, in the form a partial index on them
    answers (neither database matches a bound parameter to an index's WHERE; SQLite also wants "= 'x'" for
    an index made with "= 'x'", not "IN ('x')")."""
    name = f"{column.key}_is_" + "_".join(values)
    if len(values) == 1:
        return column == bindparam(name, values[0], literal_execute=True)
    return column.in_(bindparam(name, values, expanding=True, literal_execute=True))


def once_per_request(name, read):
    """read()'s value, read once per request and kept in `g` under `name` (outside a request, every time);
    the request's own change forgets it with `forget_in_request(name)` (a revision token renewed here)."""
    if not has_request_context():
        return read()
    if name not in g:
        setattr(g, name, read())
    return g.get(name)


def forget_in_request(name):
    if has_request_context():
        g.pop(name, None)
