"""The one clock every rule asks. Tests and the demo can set it; production follows real time."""
from datetime import date, datetime, timedelta

_fixed = None  # datetime or None
_offset = timedelta(0)


def now() -> datetime:
    if _fixed is not None:
        return _fixed
    return datetime.now().replace(microsecond=0) + _offset


def today() -> date:
    return now().date()


def set_now(value):
    """Fix the clock at a date or datetime (or an ISO string); None returns to real time."""
    global _fixed
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day, 9, 0)
    _fixed = value


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
