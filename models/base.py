"""The domain's error types and shared column mixins."""
from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column


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


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=lambda: _now())


def _now():
    from services import clock

    return clock.now()
