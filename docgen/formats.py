"""Chinese forms of dates and amounts for documents (DOMAIN.md §7)."""
from decimal import ROUND_HALF_UP, Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
GROUP_UNITS = ["", "万", "亿", "万亿"]


def cn_date(d):
    """2026年11月26日: Arabic digits, no padding."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def yuan(amount):
    """¥ before figures, thousands separated, two decimals: ¥1,234.50."""
    return f"¥{Decimal(amount).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"


def _group(g):
    """A group of up to four digits (1..9999) in capitals, inner runs of zeros read as one 零."""
    out, zero = "", False
    for pos, unit in ((1000, "仟"), (100, "佰"), (10, "拾"), (1, "")):
        d = g // pos % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += DIGITS[d] + unit
    return out


def _integer(n):
    groups = []
    while n:
        groups.append(n % 10000)
        n //= 10000
    out, gap = "", False
    for i in reversed(range(len(groups))):
        g = groups[i]
        if g == 0:
            gap = bool(out)
            continue
        if out and (gap or g < 1000):
            out += "零"
        out += _group(g) + GROUP_UNITS[i]
        gap = False
    return out


def amount_in_words(amount):
    """人民币 + the amount in capitals, from a Decimal rounded to the fen (never a float)."""
    if isinstance(amount, float):
        raise TypeError("amounts are Decimal, never float")
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError("negative amount")
    fen_total = int(value * 100)
    whole, jiao, fen = fen_total // 100, fen_total // 10 % 10, fen_total % 10
    if fen_total == 0:
        return "人民币零元整"
    out = "人民币"
    if whole:
        out += _integer(whole) + "元"
    if jiao == 0 and fen == 0:
        return out + "整"
    if whole and (whole % 10 == 0 or jiao == 0):
        out += "零"
    if jiao:
        out += DIGITS[jiao] + "角"
    if fen:
        out += DIGITS[fen] + "分"
    else:
        out += "整"
    return out
