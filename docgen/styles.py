"""The official document style of DOMAIN.md §7, applied with python-docx when templates are built."""
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY_FONT, TITLE_FONT, H1_FONT, H2_FONT, PAGE_FONT = "仿宋", "方正小标宋简体", "黑体", "楷体", "宋体"


def set_font(target, name, size=None, bold=None):
    """Name the font for Latin and East-Asian text alike (w:eastAsia), so Chinese never falls back."""
    font = target.font
    font.name = name
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _paragraph_style(doc, name, font, size, bold=False, align=None, exact=None):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    set_font(style, font, size, bold)
    if align is not None:
        style.paragraph_format.alignment = align
    if exact:
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        style.paragraph_format.line_spacing = Pt(exact)
    return style


def new_document(landscape=False, body_size=16):
    """A4, margins 37/35/28/26 mm, 仿宋 三号 at fixed 28.5 pt lines, title 方正小标宋简体 二号, page numbers — 1 —."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    set_font(normal, BODY_FONT, body_size)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28.5 if body_size >= 16 else body_size * 1.6)
    normal.paragraph_format.space_after = Pt(0)
    _paragraph_style(doc, "FQ Title", TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, exact=40)
    _paragraph_style(doc, "FQ Heading 1", H1_FONT, 16)
    _paragraph_style(doc, "FQ Heading 2", H2_FONT, 16)
    _paragraph_style(doc, "FQ Centre", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(doc, "FQ Right", BODY_FONT, 16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    table_text = _paragraph_style(doc, "FQ Table Text", BODY_FONT, 12, exact=20)
    table_text.paragraph_format.first_line_indent = Pt(0)
    _page_number_footer(section)
    return doc


def _page_number_footer(section):
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("— ", None), (None, "PAGE"), (" —", None)):
        run = p.add_run()
        set_font(run, PAGE_FONT, 14)
        if field:
            for kind, instr in (("begin", None), (None, field), ("end", None)):
                if kind:
                    el = OxmlElement("w:fldChar")
                    el.set(qn("w:fldCharType"), kind)
                else:
                    el = OxmlElement("w:instrText")
                    el.set(qn("xml:space"), "preserve")
                    el.text = instr
                run._r.append(el)
        else:
            run.text = text


def para(doc, text, style=None, indent=True):
    """A paragraph holding `text` in one run, so docxtpl tags are never split across runs."""
    p = doc.add_paragraph(style=style)
    p.add_run(text)
    if indent and style is None:
        p.paragraph_format.first_line_indent = Pt(32)  # two characters
    return p


def table(doc, headers, row_cells, widths_mm=None, loop=None):
    """A bordered table: a header row, then one template row repeated by docxtpl (`loop` is `x in xs`)."""
    rows = 2 + (2 if loop else 0)
    t = doc.add_table(rows=rows, cols=len(headers))
    t.style = doc.styles["Table Grid"]
    cells = [t.rows[0].cells]
    for cell, text in zip(t.rows[0].cells, headers):
        cell.paragraphs[0].style = doc.styles["FQ Table Text"]
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    body = t.rows[1] if not loop else t.rows[2]
    if loop:
        _only(t.rows[1].cells[0], "{%tr for " + loop + " %}")
        _only(t.rows[3].cells[0], "{%tr endfor %}")
    for cell, text in zip(body.cells, row_cells):
        cell.paragraphs[0].style = doc.styles["FQ Table Text"]
        cell.paragraphs[0].add_run(text)
    if widths_mm:
        for row in t.rows:
            for cell, w in zip(row.cells, widths_mm):
                cell.width = Mm(w)
    del cells
    return t


def _only(cell, text):
    cell.paragraphs[0].style = cell.part.document.styles["FQ Table Text"]
    cell.paragraphs[0].add_run(text)


def add_row(t, cells):
    row = t.add_row()
    for cell, text in zip(row.cells, cells):
        cell.paragraphs[0].style = cell.part.document.styles["FQ Table Text"]
        cell.paragraphs[0].add_run(text)
    return row
