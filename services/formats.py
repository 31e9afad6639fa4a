"""Chinese formats for dates and times (DOMAIN.md §7: 2026年11月26日, no padding)."""


def cn_date(d):
    if d is None:
        return ""
    return f"{d.year}年{d.month}月{d.day}日"


def cn_datetime(dt):
    if dt is None:
        return ""
    return f"{dt.year}年{dt.month}月{dt.day}日 {dt:%H:%M}"
