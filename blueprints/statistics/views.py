"""The statistical reports of DOMAIN.md §9 (mediation monthly and yearly, assistance half-year and yearly):
each as a page, a Word table and an Excel workbook. Unit staff and finance see their own unit's; the city
any unit's or the whole city's. Only counts leave here, never a case or a subject."""
import io

from flask import Blueprint, abort, request, send_file
from flask_login import current_user
from sqlalchemy import select

import docgen
from extensions import db
from models import Unit
from models import clock
from services import audit, statistics
from services.access import roles_required
from services.web import render

bp = Blueprint("statistics", __name__, url_prefix="/statistics")

READERS = ("city", "district", "finance")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WHOLE_CITY = "city"


def _units():
    """The units the user may choose: the city any unit, everyone else their own."""
    query = select(Unit).order_by(Unit.code)
    if current_user.role != "city":
        query = query.where(Unit.id == current_user.unit_id)
    return db.session.scalars(query).all()


def _unit():
    """The unit asked for by its code (None: the whole city); another unit's report, for a unit, does not
    exist (404)."""
    asked = request.args.get("unit", "")
    if not asked:
        return None if current_user.role == "city" else current_user.unit
    if asked == WHOLE_CITY:
        if current_user.role != "city":
            abort(404)
        return None
    unit = next((u for u in _units() if u.code == asked), None)
    if unit is None:
        abort(404)
    return unit


def _year():
    year = request.args.get("year", type=int) or clock.today().year
    if not 2000 <= year <= 2100:
        abort(404)
    return year


def _mediation_report():
    month = request.args.get("month", type=int)
    if month is None:
        month = clock.today().month
    if not 0 <= month <= 12:
        abort(404)
    return statistics.mediation_report(_unit(), _year(), month)


def _assistance_report():
    part = request.args.get("part") or "h1"
    if part not in statistics.ASSISTANCE_PERIODS:
        abort(404)
    return statistics.assistance_report(_unit(), _year(), part)


def _page(kind, report):
    unit_value = report.unit.code if report.unit is not None else WHOLE_CITY
    return render(f"statistics/{kind}.html", fragment=f"statistics/_{kind}_table.html", target="statistics-table",
                  report=report, units=_units(), unit_value=unit_value, whole_city=current_user.role == "city",
                  sources=statistics.SOURCES, columns=statistics.MEDIATION_COLUMNS,
                  periods=statistics.ASSISTANCE_PERIODS)


def _send(data, name, mimetype, detail):
    audit.log_read("download", record_type="statistics", detail=detail)
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name, mimetype=mimetype)


@bp.get("/mediation")
@roles_required(*READERS)
def mediation():
    return _page("mediation", _mediation_report())


@bp.get("/mediation/document")
@roles_required(*READERS)
def mediation_document():
    report = _mediation_report()
    return _send(docgen.render("statistics_mediation", report), docgen.filename("statistics_mediation", report),
                 DOCX, report.title)


@bp.get("/mediation/workbook")
@roles_required(*READERS)
def mediation_workbook():
    report = _mediation_report()
    return _send(statistics.mediation_workbook(report), f"{report.file_stem}.xlsx", XLSX, report.title + " xlsx")


@bp.get("/assistance")
@roles_required(*READERS)
def assistance():
    return _page("assistance", _assistance_report())


@bp.get("/assistance/document")
@roles_required(*READERS)
def assistance_document():
    report = _assistance_report()
    return _send(docgen.render("statistics_assistance", report), docgen.filename("statistics_assistance", report),
                 DOCX, report.title)


@bp.get("/assistance/workbook")
@roles_required(*READERS)
def assistance_workbook():
    report = _assistance_report()
    return _send(statistics.assistance_workbook(report), f"{report.file_stem}.xlsx", XLSX, report.title + " xlsx")
