"""Import of historical cases from an Excel workbook: check the whole file, then import by chunks."""
import io
import json

from flask import abort, current_app, flash, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select

from blueprints.mediation.views import bp
from extensions import db
from models.mediation import CaseImport
from services import mediation_import
from services.access import get_in_scope, roles_required
from services.uploads import safe_filename
from services.web import done, render, wants_fragment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportForm(FlaskForm):
    workbook = FileField("Excel 工作簿（.xlsx）")


class ChunkForm(FlaskForm):
    pass


def _job(import_id):
    return get_in_scope(select(CaseImport).where(CaseImport.id == import_id,
                                                 CaseImport.contractor_id == current_user.contractor_id))


@bp.get("/imports/new")
@roles_required("contractor")
def new_import(form=None, status=200):
    return render("mediation/import_new.html", form=form or ImportForm(), status=status)


@bp.get("/imports/template")
@roles_required("contractor")
def import_template():
    return send_file(io.BytesIO(mediation_import.template_workbook()), as_attachment=True,
                     download_name="调解案件导入模板.xlsx", mimetype=XLSX)


@bp.post("/imports")
@roles_required("contractor")
def create_import():
    form = ImportForm()
    if form.validate_on_submit():
        storage = form.workbook.data
        limit = current_app.config.get("MAX_FILE_SIZE", 10 * 1024 * 1024)
        data = storage.read(limit + 1) if storage and getattr(storage, "filename", "") else b""
        if not data:
            form.workbook.errors = ["请选择要导入的 Excel 工作簿"]
        elif len(data) > limit:
            form.workbook.errors = ["文件超过大小限制"]
        else:
            try:
                job = mediation_import.start(current_user, safe_filename(storage.filename, "import.xlsx"), data)
            except mediation_import.Unreadable as e:
                db.session.rollback()
                form.workbook.errors = [str(e)]
            else:
                db.session.commit()
                return done(url_for("mediation.show_import", import_id=job.id))
    return new_import(form=form, status=422)


def _context(job):
    return {"job": job, "rejected": json.loads(job.rejected), "form": ChunkForm()}


@bp.get("/imports/<int:import_id>")
@roles_required("contractor")
def show_import(import_id):
    return render("mediation/import_show.html", **_context(_job(import_id)), running=False)


@bp.post("/imports/<int:import_id>/chunk")
@roles_required("contractor")
def import_chunk(import_id):
    """One chunk, one transaction; htmx asks for the next chunk until the import is finished."""
    job = _job(import_id)
    if not ChunkForm().validate_on_submit():
        abort(400)
    if job.status == "finished":
        abort(409)
    db.session.commit()  # the chunk's first statement then takes the write lock (see take_number)
    job = _job(import_id)
    mediation_import.import_chunk(job, current_user)
    db.session.commit()
    if wants_fragment("import-progress"):
        return render("mediation/_import_progress.html", **_context(job), running=True)
    if job.status == "finished":
        flash(f"已导入 {job.done} 件案件。", "success")
    return done(url_for("mediation.show_import", import_id=job.id))
