"""The cells of every export (Excel workbooks and CSV files), written through this one module.

Numbers are numbers and dates are dates, each with its number format (a rate is a fraction shown as 0.0 %,
money as #,##0.00 yuan, a date as 2026年11月26日), so a reader can compute with them. Text is stored as
text. Text a spreadsheet would read as a formula — beginning with =, +, -, @, a tab or a
carriage return — is neutralised with a leading apostrophe (OWASP, "CSV Injection"), so a name or a measure
typed as `=HYPERLINK(...)` or `=1+1` is shown as typed and never computed, in Excel, WPS or LibreOffice.
"""
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from openpyxl.styles import Font

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PERCENT = "0.0%"
FIXED = "0.00"
MONEY = "#,##0.00"
DATE = 'yyyy"年"m"月"d"日"'
DATETIME = 'yyyy"年"m"月"d"日" hh:mm'
BEIJING = ZoneInfo("Asia/Shanghai")


class Typed:
    """A number with its Excel format and the text pages and documents show for it (str())."""

    __slots__ = ("value", "number_format", "shown")

    def __init__(self, value, number_format, shown):
        self.value, self.number_format, self.shown = value, number_format, shown

    def __str__(self):
        return self.shown

    def __eq__(self, other):
        return isinstance(other, Typed) and (self.value, self.number_format) == (other.value, other.number_format)

    __hash__ = None


def percent(points, shown=None):
    """A rate given in percentage points (Decimal 66.7) as the fraction 0.667 shown 66.7 %; None stays "—"."""
    if points is None:
        return shown or "—"
    return Typed(Decimal(points) / 100, PERCENT, shown or f"{points}%")


def fixed(value):
    """A measured quantity (an average of days) with two places; None stays "—"."""
    return "—" if value is None else Typed(value, FIXED, f"{value}")


def text(value):
    """A text cell's content: as typed, with an apostrophe before a formula's first character."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def xlsx(value):
    """(value as openpyxl should store it, its number format or None): text neutralised, Decimal money."""
    if isinstance(value, str):
        return text(value), None
    if isinstance(value, Typed):
        return value.value, value.number_format
    if isinstance(value, datetime):  # Excel has no time zones: Beijing time, as every page shows it
        return (value.astimezone(BEIJING).replace(tzinfo=None) if value.tzinfo else value), DATETIME
    if isinstance(value, date):
        return value, DATE
    if isinstance(value, Decimal):
        return value, MONEY
    return value, None


def append(ws, values, bold=False):
    """One row at the bottom of the sheet, every cell through xlsx(); `bold` for a header row."""
    typed = [xlsx(v) for v in values]
    ws.append([v for v, _ in typed])
    for cell, (_, number_format) in zip(ws[ws.max_row], typed):
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = Font(bold=True)


def csv_row(values):
    """One CSV row: every text neutralised, None empty, numbers and dates as text."""
    return ["" if v is None else text(v) if isinstance(v, str) else str(v) for v in values]
