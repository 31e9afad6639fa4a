"""The statistical reports of DOMAIN.md §9 as data: mediation statistics (monthly, yearly) and assistance
statistics (half-year, yearly), per unit or for the whole city. Pages, the Word documents and the Excel
workbooks are all made from the `Report` built here, so the three always show the same cells.

The figures themselves come from models.mediation_figures.report and services.rehabilitation_figures.report.
"""
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from models.mediation_codes import SOURCES
from models.rehabilitation import END_REASONS, RESETTLEMENT
from models import mediation_figures
from services import cells, rehabilitation_figures
from services.mediation_exports import show, write_table

CITY = "全市"

# Short labels of the sources for the narrow columns of the printed table; the page shows the full ones.
SHORT_SOURCES = {
    "application_written": "书面申请", "application_oral": "口头申请", "initiative": "主动调解",
    "police": "公安移送", "court": "法院委托移送", "arbitration": "仲裁移送", "petition": "信访移送",
    "department": "部门交办", "other": "其他来源",
}
MEDIATION_COLUMNS = [
    ("received", "受理"), ("concluded", "调结"), ("succeeded", "调解成功"), ("written", "其中书面协议"),
    ("oral", "其中口头协议"), ("failed", "调解不成"), ("withdrawn", "撤回"), ("refused", "拒绝调解"),
    ("success_rate", "调解成功率"), ("amount", "涉及金额（元）"), ("parties", "涉及当事人（人）"),
    ("police", "报告公安机关（件）"),
]

ASSISTANCE_PERIODS = {"h1": "上半年", "year": "全年"}


def _rate_text(r):
    return "—" if r["percent"] is None else f"{r['percent']}%（{r['n']}/{r['d']}）"


def _rate(r):
    """A rate for the page, the document (its text: 60.0%（3/5）) and the workbook (the fraction 0.6 as 0.0 %)."""
    return cells.percent(r["percent"], _rate_text(r))


class Report:
    """One statistical report: its kind, whose it is, its period, and its figures."""

    def __init__(self, kind, unit, year, part, start, end, figures, due=None):
        self.kind, self.unit, self.year, self.part = kind, unit, year, part
        self.start, self.end, self.figures, self.due = start, end, figures, due

    @property
    def unit_label(self):
        return self.unit.name if self.unit is not None else CITY

    @property
    def period_label(self):
        if self.kind == "mediation":
            return f"{self.year}年{self.part}月" if self.part else f"{self.year}年度"
        return f"{self.year}年{ASSISTANCE_PERIODS[self.part]}"

    @property
    def title(self):
        what = "人民调解工作统计表" if self.kind == "mediation" else "安置帮教工作统计表"
        return f"{self.unit_label}{self.period_label}{what}"

    @property
    def file_stem(self):
        return self.title

    # ---- mediation
    @property
    def mediation_header(self):
        return [label for _, label in MEDIATION_COLUMNS] + [SHORT_SOURCES[k] for k in SOURCES]

    def mediation_rows(self):
        """[(row label, [cell values])] for every category and the total; numbers stay numbers."""
        rows = self.figures["rows"] + [("合计", self.figures["total"])]
        return [(label, [f[key] for key, _ in MEDIATION_COLUMNS] + [f["by_source"].get(k, 0) for k in SOURCES])
                for label, f in rows]

    def mediation_text_rows(self):
        """The same rows as display strings: rates with %, amounts with two places and thousands."""
        out = []
        for label, values in self.mediation_rows():
            texts = []
            for (key, _), v in zip(MEDIATION_COLUMNS + [(k, "") for k in SOURCES], values):
                texts.append(show(v, "%") if key == "success_rate" else f"{v:,.2f}" if key == "amount" else str(v))
            out.append((label, texts))
        return out

    # ---- assistance
    def assistance_lines(self):
        """[(section, item, value text)] in the order of DOMAIN.md §9."""
        f = self.figures
        r = f["rates"]
        lines = [
            ("在册", "期初在册人数", f["register_at_start"]),
            ("衔接", "本期刑满释放人数", f["released"]),
            ("衔接", "其中重点帮教对象", f["key_released"]),
            ("衔接", "按时衔接人数", f["handed_over"]),
            ("衔接", "其中重点帮教对象按时衔接", f["key_handed_over"]),
            ("衔接", "本期接收报到人数", f["received"]),
            ("帮教", "本期帮教中人数", f["under_assistance"]),
        ]
        lines += [("安置", f"安置：{RESETTLEMENT[way]}", n) for way, n in f["resettled_by_way"].items()]
        lines += [
            ("安置", "安置合计", f["resettled"]),
            ("帮扶", "落实社会救助人数", f["relief_helped"]),
            ("帮扶", "帮助就业或参加培训人数", f["work_helped"]),
            ("帮教", "重新犯罪人数", f["reoffended"]),
            ("帮教", "脱管人数", f["lost_contact"]),
        ]
        lines += [("解除", f"解除帮教：{END_REASONS[reason]}", n) for reason, n in f["ended_by_reason"].items()]
        lines += [
            ("解除", "解除帮教合计", f["ended"]),
            ("在册", "期末在册人数", f["register_at_end"]),
            ("比率", "衔接率（刑满释放人员）", _rate(r["handover"])),
            ("比率", "其中重点帮教对象衔接率", _rate(r["key_handover"])),
            ("比率", "帮教率", _rate(r["assistance"])),
            ("比率", "安置率", _rate(r["resettlement"])),
            ("比率", "重新犯罪率", _rate(r["reoffending"])),
        ]
        return lines


def mediation_report(unit, year, month):
    start, end = mediation_figures.month_bounds(year, month)
    figures = mediation_figures.report(unit.id if unit else None, start, end)
    return Report("mediation", unit, year, month, start, end, figures)


def assistance_bounds(year, part):
    """(first day, last day, due date): the half-year is due by 2 July, the year by 2 February after it."""
    if part == "h1":
        return date(year, 1, 1), date(year, 6, 30), date(year, 7, 2)
    return date(year, 1, 1), date(year, 12, 31), date(year + 1, 2, 2)


def assistance_report(unit, year, part):
    start, end, due = assistance_bounds(year, part)
    figures = rehabilitation_figures.report(unit.id if unit else None, start, end)
    return Report("assistance", unit, year, part, start, end, figures, due=due)


# ---------------------------------------------------------------- Excel


def _title(ws, report, note):
    cells.append(ws, [report.title])
    ws["A1"].font = Font(bold=True, size=14)
    cells.append(ws, [note])


def _period(ws, report):
    """Below the table: the period's first and last day (and the due date) as date cells."""
    ws.append([])
    cells.append(ws, ["统计起日", report.start])
    cells.append(ws, ["统计止日", report.end])
    if report.due:
        cells.append(ws, ["报送期限", report.due])


def cells_of(key, value):
    """A mediation figure as a cell: the success rate a percentage, the amount yuan, counts integers."""
    if key == "success_rate":
        return cells.percent(value)
    return cells.Typed(value, cells.MONEY, f"{value:,.2f}") if key == "amount" else value


def mediation_workbook(report):
    wb = Workbook()
    ws = wb.active
    ws.title = "人民调解统计"
    _title(ws, report, f"统计期间：{report.start:%Y-%m-%d}至{report.end:%Y-%m-%d}。受理、金额、当事人和来源按受理日期，"
                       "结案各项按结案日期，报告公安机关按报告日期统计。")
    header = ["纠纷类型"] + [label for _, label in MEDIATION_COLUMNS] + [SOURCES[k] for k in SOURCES]
    rows = []
    for label, values in report.mediation_rows():
        row = [label]
        for (key, _), v in zip(MEDIATION_COLUMNS, values):
            row.append(cells_of(key, v))
        rows.append(row + values[len(MEDIATION_COLUMNS):])
    write_table(ws, header, rows)
    _period(ws, report)
    for cell in ws[3]:
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = "B4"
    return _save(wb)


def assistance_workbook(report):
    wb = Workbook()
    ws = wb.active
    ws.title = "安置帮教统计"
    _title(ws, report, f"统计期间：{report.start:%Y-%m-%d}至{report.end:%Y-%m-%d}；报送期限：{report.due:%Y-%m-%d}。")
    write_table(ws, ["类别", "项目", "数值"], [list(line) for line in report.assistance_lines()])
    _period(ws, report)
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 20
    return _save(wb)


def _save(wb):
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
