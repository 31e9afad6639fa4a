"""Browse and filter the audit log (admin and city)."""
from datetime import datetime, timedelta

from flask import Blueprint, request, url_for
from sqlalchemy import select

from extensions import db
from models import AuditLog
from services.access import roles_required
from services.web import render

bp = Blueprint("audit", __name__, url_prefix="/audit")

ACTIONS = {"login": "登录", "login_failed": "登录失败", "logout": "退出", "create": "新建", "update": "修改",
           "transition": "状态变更", "delete": "删除", "download": "下载"}
PAGE = 50


def _date(value):
    try:
        return datetime.strptime(value, "%Y-%m-%d") if value else None
    except ValueError:
        return None


@bp.get("/")
@roles_required("admin", "city")
def index():
    args = request.args
    query = select(AuditLog).order_by(AuditLog.id.desc())
    if args.get("username"):
        query = query.where(AuditLog.username == args["username"].strip())
    if args.get("action") in ACTIONS:
        query = query.where(AuditLog.action == args["action"])
    if args.get("record_type"):
        query = query.where(AuditLog.record_type == args["record_type"].strip())
    if _date(args.get("since")):
        query = query.where(AuditLog.at >= _date(args["since"]))
    if _date(args.get("until")):
        query = query.where(AuditLog.at < _date(args["until"]) + timedelta(days=1))
    before = args.get("before", type=int)
    if before:
        query = query.where(AuditLog.id < before)  # keyset paging: cost does not grow with depth
    rows = db.session.scalars(query.limit(PAGE + 1)).all()
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    next_url = None
    if more:
        keep = {k: v for k, v in args.items() if k != "before" and v}
        next_url = url_for("audit.index", before=rows[-1].id, **keep)
    return render("audit/index.html", "audit/_table.html", "audit-table", rows=rows, next_url=next_url,
                  actions=ACTIONS, args=args)
