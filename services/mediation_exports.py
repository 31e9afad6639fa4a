"""The quarterly evaluation as an Excel workbook (openpyxl): figures, breakdowns, failures and measures."""
import io

from openpyxl import Workbook

from services import cells

FIGURE_ROWS = [
    ("received", "受理", ""), ("ended", "结案（含撤回、拒绝）", ""), ("concluded", "调结（成功 + 不成）", ""),
    ("succeeded", "调解成功", ""), ("written", "其中书面协议", ""), ("oral", "其中口头协议", ""),
    ("failed", "调解不成", ""), ("withdrawn", "撤回", ""), ("refused", "拒绝调解", ""),
    ("success_rate", "调解成功率", "%"), ("average_days", "平均办结天数", ""),
    ("follow_up_rate", "回访率", "%"), ("fulfilment_rate", "履行率", "%"), ("partly_rate", "部分履行", "%"),
    ("in_time_rate", "按期办结率", "%"), ("complete_file_rate", "卷宗完整率", "%"),
]


def show(value, suffix=""):
    return "—" if value is None else f"{value}{suffix}"


def typed(key, value):
    """A figure as a cell: counts stay integers, rates become percentages, averages have two places."""
    if key.endswith("_rate"):
        return cells.percent(value)
    if key == "average_days":
        return cells.fixed(value)
    return "—" if value is None else value


def reason(case):
    """Why a case is listed: the reason it failed, or how far its agreement was performed."""
    if case.outcome == "failed":
        return case.fail_reason_label
    latest = case.latest_follow_up
    return f"回访：{latest.performance_label}" if latest else ""


def write_table(ws, title_row, rows):
    """A bold header row, then the rows (every cell through services.cells)."""
    cells.append(ws, title_row, bold=True)
    for row in rows:
        cells.append(ws, row)


def evaluation_workbook(report):
    wb = Workbook()
    ws = wb.active
    ws.title = "总体"
    cells.append(ws, [f"{report.user_label} {report.period_label} 人民调解评估"])
    total = report.figures["total"]
    write_table(ws, ["指标", "数值"], [[label, typed(key, total[key])] for key, label, _ in FIGURE_ROWS])
    for name, key in (("按纠纷类型", "by_category"), ("按来源", "by_source"), ("按调解员", "by_mediator")):
        sheet = wb.create_sheet(name)
        write_table(sheet, ["分组"] + [label for _, label, _ in FIGURE_ROWS],
                    [[group] + [typed(k, f[k]) for k, _, _ in FIGURE_ROWS] for group, f in report.figures[key]])
    sheet = wb.create_sheet("不成和未履行")
    rows = []
    for case in total["failed_cases"] + total["unfulfilled_cases"]:
        measures = [m for m in report.measures if m.case_id == case.id] or [None]
        for m in measures:
            rows.append([case.number, case.outcome_label, reason(case)] + (
                [m.cause, m.measure, m.owner, m.due_on, m.done_note or ""] if m else [""] * 5))
    write_table(sheet, ["案号", "结果", "原因", "原因分析", "整改措施", "责任人", "完成期限", "落实情况"], rows)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
