"""The cells of every export (Excel workbooks and CSV files), written through this one module.

Text is stored as text. Text a spreadsheet would read as a formula — beginning with =, +, -, @, a tab or a
carriage return — is neutralised with a leading apostrophe (OWASP, "CSV Injection"), so a name or a measure
typed as `=HYPERLINK(...)` or `=1+1` is shown as typed and never computed, in Excel, WPS or LibreOffice.
"""
from openpyxl.styles import Font

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text(value):
    """A text cell's content: as typed, with an apostrophe before a formula's first character."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_START) else value


def xlsx(value):
    """A value as openpyxl should store it: text neutralised, numbers and dates as they are."""
    return text(value) if isinstance(value, str) else value


def append(ws, values, bold=False):
    """One row at the bottom of the sheet, every cell through xlsx(); `bold` for a header row."""
    ws.append([xlsx(v) for v in values])
    if bold:
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)


def csv_row(values):
    """One CSV row: every text neutralised, None empty, numbers and dates as text."""
    return ["" if v is None else text(v) if isinstance(v, str) else str(v) for v in values]
