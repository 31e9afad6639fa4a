"""The one clock every rule asks: Beijing time, whatever the server's TZ. Tests and the demo can set it.

Every time the application keeps or shows is Beijing wall time (Asia/Shanghai, UTC+8, no daylight
saving since 1991): a constant of the deployment, not a setting. The database columns hold it as
naive date-times (SQLite has no time zones; PostgreSQL's are `timestamp without time zone`), and
every one of them means Beijing time: the audit log, case and record times, deadlines typed into
forms, documents and exports alike. Nothing reads the server's local time: `now()` asks for the
time in Asia/Shanghai, so a server set to UTC or to New York shows and stores the same times.
Where a time leaves the application with its zone (the OCDS feed), `aware()` puts +08:00 on it.
"""
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")

_fixed = None  # naive Beijing datetime or None
_offset = timedelta(0)


def now() -> datetime:
    """Beijing wall time, naive, to the second."""
    if _fixed is not None:
        return _fixed
    return datetime.now(BEIJING).replace(tzinfo=None, microsecond=0) + _offset


def today() -> date:
    return now().date()


def beijing(value: datetime) -> datetime:
    """A date-time as naive Beijing wall time: an aware one is converted, a naive one is Beijing already."""
    if value.tzinfo is None:
        return value
    return value.astimezone(BEIJING).replace(tzinfo=None)


def aware(value: datetime) -> datetime:
    """A naive Beijing date-time (as stored) with its zone attached: for output that carries the offset."""
    if value.tzinfo is not None:
        return value.astimezone(BEIJING)
    return value.replace(tzinfo=BEIJING)


def set_now(value):
    """Fix the clock at a date or datetime (or an ISO string) in Beijing time; None returns to real time."""
    global _fixed
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, 9, 0)
    _fixed = beijing(value) if value is not None else None


def advance(**kwargs):
    """Move the clock forward (fixed or real) by a timedelta's keyword arguments."""
    global _fixed, _offset
    if _fixed is not None:
        _fixed = _fixed + timedelta(**kwargs)
    else:
        _offset += timedelta(**kwargs)


def reset():
    global _fixed, _offset
    _fixed = None
    _offset = timedelta(0)
