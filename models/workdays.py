"""Working days: the official calendar (chinese-calendar) with the admin's overrides (DOMAIN.md §8)."""
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from flask import g, has_request_context
from sqlalchemy import String, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from extensions import db


class WorkingDayOverride(db.Model):
    """The admin's correction of the official calendar for one day."""

    __tablename__ = "working_day_override"

    day: Mapped[date] = mapped_column(primary_key=True)
    is_working: Mapped[bool]
    note: Mapped[str | None] = mapped_column(String(200))


def _overrides(start, end):
    """{day: is_working} of the admin's overrides in [start, end]. In a request the whole table (a few dozen
    days) is read once: a page that works out many due dates asks once, not once per date (issue 16)."""
    if not has_request_context():
        return dict(db.session.execute(select(WorkingDayOverride.day, WorkingDayOverride.is_working)
                                       .where(WorkingDayOverride.day.between(start, end))).all())
    if "working_day_overrides" not in g:
        g.working_day_overrides = dict(db.session.execute(
            select(WorkingDayOverride.day, WorkingDayOverride.is_working)).all())
    return {day: working for day, working in g.working_day_overrides.items() if start <= day <= end}


@event.listens_for(Session, "after_flush")
def _forget_overrides(session, flush_context):
    """An override changed in this request: the next date is worked out from the table again."""
    if has_request_context() and any(isinstance(o, WorkingDayOverride)
                                     for o in (*session.new, *session.dirty, *session.deleted)):
        g.pop("working_day_overrides", None)


@lru_cache(maxsize=8192)  # the official calendar of a day never changes within a process
def _official(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the package does not know yet: weekdays work
        return day.weekday() < 5


def is_working_day(day: date) -> bool:
    override = _overrides(day, day).get(day)
    return override if override is not None else _official(day)


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start` (start itself not counted)."""
    overrides = _overrides(start, start + timedelta(days=n * 3 + 30))
    day, left = start, n
    while left > 0:
        day += timedelta(days=1)
        working = overrides.get(day)
        if working is None:
            working = _official(day)
        if working:
            left -= 1
    return day


def working_days_between(start: date, end: date):
    """Working days in [start, end]."""
    overrides = _overrides(start, end)
    days, day = [], start
    while day <= end:
        working = overrides.get(day)
        if working if working is not None else _official(day):
            days.append(day)
        day += timedelta(days=1)
    return days
