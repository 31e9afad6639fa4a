"""Dashboards: the page with every panel, each panel as its own htmx fragment, and each panel's tables
as an Excel file. Unit staff and finance see their unit; the city every unit (figures only)."""
import io

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from services import dashboard
from services.access import roles_required
from services.web import render, wants_fragment

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
bp.add_app_template_global(dashboard.hbar, "dashboard_hbar")
bp.add_app_template_global(dashboard.columns, "dashboard_columns")
bp.add_app_template_global(dashboard.table_html, "dashboard_table")
bp.add_app_template_global(dashboard.shortened, "dashboard_shortened")


def _filters():
    try:
        return dashboard.parse_filters(current_user, request.args), None
    except dashboard.BadFilter as e:
        return None, e.args[0]


def _invalid(message, name=None):
    """A period that cannot be read: the filter form again with the message, 422."""
    filters = dashboard.parse_filters(current_user, MultiDict())
    if name and wants_fragment(f"panel-{name}"):
        return render_template("dashboard/_error.html", name=name, message=message), 422
    return render_template("dashboard/index.html", filters=filters, panels=[], error=message,
                           args=request.args), 422


@bp.get("/")
@roles_required(*dashboard.ROLES)
def index():
    filters, error = _filters()
    if error:
        return _invalid(error)
    panels = [dashboard.panel(name, filters) for name in dashboard.PANELS]
    return render_template("dashboard/index.html", filters=filters, panels=panels, error=None,
                           args=filters.args(), overview=True)


@bp.get("/<name>")
@roles_required(*dashboard.ROLES)
def panel(name):
    if name not in dashboard.PANELS:
        abort(404)
    filters, error = _filters()
    if error:
        return _invalid(error, name)
    data = dashboard.panel(name, filters)
    # A panel of the page with every panel refreshes itself as it was: shortened (the full tables are here)
    overview = request.args.get("view") == "overview" and wants_fragment(f"panel-{name}")
    return render("dashboard/panel.html", "dashboard/_panel.html", f"panel-{name}", panel=data, filters=filters,
                  args=filters.args(), overview=overview)


@bp.get("/<name>.xlsx")
@roles_required(*dashboard.ROLES)
def export(name):
    if name not in dashboard.PANELS:
        abort(404)
    filters, error = _filters()
    if error:
        abort(422)
    data = dashboard.panel(name, filters)
    return send_file(io.BytesIO(dashboard.workbook(data, filters)), as_attachment=True,
                     download_name=f"{data['title']}-{filters.start:%Y%m}-{filters.end:%Y%m}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
