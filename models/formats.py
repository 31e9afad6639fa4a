"""Chinese formats for dates and times (DOMAIN.md §7: 2026年11月26日, no padding), times in Beijing time."""
from models import clock


def cn_date(d):
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_datetime(dt):
    if dt is None:
        return ""
    dt = clock.beijing(dt)
    return f"{dt.year}年{dt.month}月{dt.day}日 {dt:%H:%M}"


def money(value):
    """1234567.5 -> 1,234,567.50 (Decimal in, text out)."""
    if value is None:
        return ""
    return f"{value:,.2f}"


def quantity(value):
    """12.00 -> 12, 2.50 -> 2.5."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
