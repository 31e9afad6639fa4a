"""The statistical reports of DOMAIN.md §9 as landscape official-style tables: the mediation statistics
(categories × outcomes, amounts, people, police reports and sources) and the assistance statistics."""
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Mm, Pt

from docgen.registry import register
from docgen.formats import cn_date
from docgen.styles import BODY_FONT, para, set_font

N_FIGURES, N_SOURCES = 12, 9  # services.statistics.MEDIATION_COLUMNS and models.mediation_codes.SOURCES


def _small_style(doc):
    from docx.enum.style import WD_STYLE_TYPE

    style = doc.styles.add_style("FQ Stat Text", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    set_font(style, BODY_FONT, 8)
    style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    style.paragraph_format.line_spacing = Pt(10.5)
    style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    style.paragraph_format.first_line_indent = Pt(0)
    return style


def _cell(cell, text, bold=False):
    p = cell.paragraphs[0]
    p.style = cell.part.document.styles["FQ Stat Text"]
    run = p.add_run(text)
    if bold:
        run.bold = True


def _narrow_margins(t):
    """Half-millimetre cell margins, so a figure like 100.0% fits a 10 mm column on one line."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "28")
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    t._tbl.tblPr.append(margins)


def _widths(t, widths_mm):
    """Fixed column widths, in the grid (which LibreOffice reads) and in every cell (which Word reads)."""
    t.autofit = False
    for col, w in zip(t._tbl.tblGrid.gridCol_lst, widths_mm):
        col.w = Mm(w)
    for row in t.rows:
        for cell, w in zip(row.cells, widths_mm):
            cell.width = Mm(w)


def _heading(doc):
    para(doc, "{{ title }}", style="FQ Title", indent=False)
    para(doc, "统计期间：{{ start }}至{{ end }}{{ due }}", style="FQ Centre", indent=False)


def _signatures(doc):
    para(doc, "填报单位（印）：{{ unit }}　　填报人：＿＿＿＿　　审核人：＿＿＿＿　　填报日期：{{ today }}",
         style="FQ Table Text", indent=False)


def build_mediation(doc):
    _small_style(doc)
    _heading(doc)
    cols = 1 + N_FIGURES + N_SOURCES
    t = doc.add_table(rows=5, cols=cols)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    top, sub = t.rows[0].cells, t.rows[1].cells
    _cell(top[0].merge(sub[0]), "纠纷类型", bold=True)
    _cell(top[1].merge(top[N_FIGURES]), "办理情况", bold=True)
    _cell(top[N_FIGURES + 1].merge(top[cols - 1]), "案件来源（受理数）", bold=True)
    for i in range(1, cols):
        _cell(sub[i], "{{ header[%d] }}" % (i - 1), bold=True)
    _cell(t.rows[2].cells[0], "{%tr for r in rows %}")
    body = t.rows[3].cells
    _cell(body[0], "{{ r.label }}")
    for i in range(1, cols):
        _cell(body[i], "{{ r.c[%d] }}" % (i - 1))
    _cell(t.rows[4].cells[0], "{%tr endfor %}")
    _narrow_margins(t)
    # 243 mm between the margins: category, eight counts, the rate, amount, people, police, nine sources
    _widths(t, [28] + [9.6] * 8 + [12, 20] + [9.6] * 2 + [9.6] * N_SOURCES)
    para(doc, "说明：受理数、涉及金额、涉及当事人和案件来源按受理日期统计；调结、成功、不成、撤回和拒绝调解按结案日期统计；"
              "调结＝调解成功＋调解不成；调解成功率＝调解成功÷调结；报告公安机关按报告日期统计。", style="FQ Stat Text",
         indent=False).alignment = WD_ALIGN_PARAGRAPH.LEFT
    _signatures(doc)


def build_assistance(doc):
    """The lines of the report in two bands side by side (the first half down the left), one page."""
    _small_style(doc)
    _heading(doc)
    t = doc.add_table(rows=4, cols=6)
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(t.rows[0].cells, ("类别", "项目", "数值") * 2):
        _cell(cell, text, bold=True)
    _cell(t.rows[1].cells[0], "{%tr for r in pairs %}")
    cells = ("{{ r.a.section }}", "{{ r.a.item }}", "{{ r.a.value }}", "{{ r.b.section }}", "{{ r.b.item }}",
             "{{ r.b.value }}")
    for cell, text in zip(t.rows[2].cells, cells):
        _cell(cell, text)
    _cell(t.rows[3].cells[0], "{%tr endfor %}")
    _narrow_margins(t)
    _widths(t, [16, 66, 38.5] * 2)
    para(doc, "说明：衔接率＝本期刑满释放并按期报到人数÷本期刑满释放人数（社区矫正期满人员不计）；帮教率＝本期有帮教记录的帮教对象"
              "÷本期帮教中人数；安置率＝已安置的帮教对象÷本期帮教中人数；重新犯罪率＝本期重新犯罪人数÷期初在册人数。脱管人数为当前"
              "标记脱管、本期未解除帮教的人数。", style="FQ Stat Text", indent=False).alignment = WD_ALIGN_PARAGRAPH.LEFT
    _signatures(doc)


TEMPLATES = {
    "statistics_mediation.docx": (build_mediation, {"landscape": True}),
    "statistics_assistance.docx": (build_assistance, {"landscape": True}),
}


def _common(report):
    from models import clock

    return {"title": report.title, "unit": report.unit_label, "start": cn_date(report.start),
            "end": cn_date(report.end), "today": cn_date(clock.today()),
            "due": f"　报送期限：{cn_date(report.due)}" if report.due else ""}


@register("statistics_mediation", "statistics_mediation.docx", lambda r: f"{r.file_stem}.docx")
def mediation_context(report):
    return {**_common(report), "header": report.mediation_header,
            "rows": [{"label": label, "c": cells} for label, cells in report.mediation_text_rows()]}


@register("statistics_assistance", "statistics_assistance.docx", lambda r: f"{r.file_stem}.docx")
def assistance_context(report):
    lines = [{"section": s, "item": i, "value": str(v)} for s, i, v in report.assistance_lines()]
    half = (len(lines) + 1) // 2
    blank = {"section": "", "item": "", "value": ""}
    right = lines[half:] + [blank] * (2 * half - len(lines))
    return {**_common(report), "pairs": [{"a": a, "b": b} for a, b in zip(lines[:half], right)]}
