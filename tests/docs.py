"""Reading generated Word documents back, and converting them to PDF with headless LibreOffice."""
import io
import os
import shutil
import subprocess
import tempfile

import pytest
from docx import Document


def docx_text(data: bytes) -> str:
    """All text of a .docx: body paragraphs, then every table cell, in document order per part."""
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def soffice():
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is required under CI=true")
        pytest.skip("LibreOffice not installed")
    return path


def to_pdf(data: bytes) -> bytes:
    """Convert with headless LibreOffice (own profile dir, so parallel runs do not collide)."""
    exe = soffice()
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "doc.docx")
        with open(src, "wb") as f:
            f.write(data)
        result = subprocess.run(
            [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
             "--outdir", tmp, src], capture_output=True, timeout=180)
        pdf = os.path.join(tmp, "doc.pdf")
        assert result.returncode == 0 and os.path.exists(pdf), result.stderr.decode(errors="replace")
        with open(pdf, "rb") as f:
            out = f.read()
    assert out.startswith(b"%PDF-")
    return out


def xlsx_to_csv(data: bytes) -> dict:
    """Every sheet of a workbook as LibreOffice computes it, {file name: CSV text} (headless, own profile)."""
    exe = soffice()
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "book.xlsx")
        with open(src, "wb") as f:
            f.write(data)
        # CSV filter options: comma, double quote, UTF-8, first line 1, ..., last token -1: every sheet to its own file
        result = subprocess.run(
            [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
             "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir",
             os.path.join(tmp, "out"), src], capture_output=True, timeout=180)
        if b"could not be loaded" in result.stderr and os.environ.get("CI") != "true":
            pytest.skip("LibreOffice Calc (libreoffice-calc-nogui) not installed")
        assert result.returncode == 0 and os.path.isdir(os.path.join(tmp, "out")), result.stderr.decode(errors="replace")
        out = {}
        for name in sorted(os.listdir(os.path.join(tmp, "out"))):
            with open(os.path.join(tmp, "out", name), encoding="utf-8-sig") as f:
                out[name] = f.read()
    assert out, "LibreOffice wrote no CSV"
    return out
