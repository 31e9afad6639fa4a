"""The committed assistance templates are what `python -m docgen.build` writes, and use the official fonts."""
import io
import os

import pytest
from docx import Document

from docgen import TEMPLATES
from docgen.build import build_bytes
from docgen.rehabilitation import TEMPLATES as MINE


@pytest.mark.parametrize("name", sorted(MINE))
def test_committed_template_matches_the_build_script(name):
    builder, options = MINE[name]
    built = Document(io.BytesIO(build_bytes(builder, options)))
    with open(os.path.join(TEMPLATES, name), "rb") as fh:
        committed = Document(fh)
    assert [p.text for p in built.paragraphs] == [p.text for p in committed.paragraphs]
    assert [[c.text for c in r.cells] for t in built.tables for r in t.rows] == \
        [[c.text for c in r.cells] for t in committed.tables for r in t.rows]


@pytest.mark.parametrize("name", sorted(MINE))
def test_a4_margins_and_east_asian_body_font(name):
    from docx.oxml.ns import qn

    with open(os.path.join(TEMPLATES, name), "rb") as fh:
        doc = Document(fh)
    section = doc.sections[0]
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
             section.left_margin, section.right_margin)
    assert [round(x.mm) for x in sizes] == [210, 297, 37, 35, 28, 26]
    fonts = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
