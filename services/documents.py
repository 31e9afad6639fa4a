"""Sending a generated Word document: rendered, audited, always a download."""
import io

from flask import send_file

from extensions import db
from services import audit

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def send_document(kind, obj):
    import docgen

    data = docgen.render(kind, obj)
    audit.log_read("document", record=obj, detail=kind)
    return send_file(io.BytesIO(data), mimetype=DOCX, as_attachment=True, download_name=docgen.filename(kind, obj))
