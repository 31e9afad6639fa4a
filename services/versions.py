"""Optimistic versions: an edit form carries the version it was based on; an old one is refused (409).

The records edited through forms after creation carry `row_version` (`models.base.VersionedMixin`).
Edit forms add `VersionedForm` (blueprints/forms.py) and render it with the `version_field` macro; the
views pass the record to `services.web.act(..., record=...)` (or call `check` themselves), which
refuses an old version before anything is changed. The refusal says what changed since, from the
audit log: who, when, which fields, and the fields' current values.
"""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from extensions import db
from models.base import TransitionError

# Never echoed in a refusal: shown only by a logged reveal, or secret.
HIDDEN_VALUES = {"id_number", "phone", "password", "password_hash"}
SHOWN = 20  # at most this many of the latest changes are listed


class StaleVersion(TransitionError):
    """The form was based on an older version of the record (409); nothing was written."""


def based_on(form):
    """The version the form was based on, or None when missing or not a number."""
    field = getattr(form, "record_version", None)
    raw = (field.data if field is not None else None) or ""
    try:
        return int(str(raw).strip())
    except ValueError:
        return None


def check(form, record):
    """Raise StaleVersion unless the form was based on the record's current version."""
    check_version(form, record.row_version, record.__tablename__, [record.id],
                  lambda name: getattr(record, name, None))


def check_version(form, current, record_type, record_ids, current_value, count_creates=False):
    """The general case: `current` may be an aggregate (settings: the sum of their versions)."""
    based = based_on(form)
    if based is None:
        raise StaleVersion("页面缺少版本信息（可能是很早以前打开的页面）。您的保存未执行，没有覆盖任何内容。"
                           "请重新打开页面，在最新内容上修改后再保存。")
    if based == current:
        return
    raise StaleVersion(message(form, based, current, record_type, record_ids, current_value, count_creates))


def message(form, based, current, record_type, record_ids, current_value, count_creates=False):
    from models.audit import AuditLog
    from models.formats import cn_datetime

    head = (f"保存未执行：您打开页面时这条记录是第 {based} 版，此后已被他人修改，现在是第 {current} 版。"
            "您的修改没有覆盖任何内容。")
    if based > current:
        return head + "请重新打开页面，在最新内容上修改后再保存。"
    actions = ("create", "update", "transition") if count_creates else ("update", "transition")
    entries = db.session.scalars(
        select(AuditLog).where(AuditLog.record_type == record_type, AuditLog.record_id.in_(record_ids),
                               AuditLog.action.in_(actions))
        .order_by(AuditLog.id.desc()).limit(min(current - based, SHOWN))).all()
    lines, changed = [], []
    for e in reversed(entries):
        names = [n for n in (e.fields or []) if n != "row_version"]
        labels = [_label(form, n) for n in names] or ["（记录）"]
        lines.append(f"{cn_datetime(e.at)} {e.username or '系统'} 修改了：{'、'.join(dict.fromkeys(labels))}")
        changed += [n for n in names if n not in changed]
    shown = [f"{_label(form, n)}：{_value(form, n, current_value)}" for n in changed if n in form]
    text = head + ("修改记录：" + "；".join(lines) + "。" if lines else "")
    if shown:
        text += "这些字段现在的内容：" + "；".join(shown) + "。"
    return text + "请重新打开页面，在最新内容上修改后再保存。"


# Columns a form does not show but another action may change.
OTHER_LABELS = {"status": "状态", "version": "合同版本", "risk_level": "风险等级", "verdict": "审核结论",
                "evidence_id": "证明材料", "method_approval": "财政部门审批", "active": "在岗状态"}


def _label(form, name):
    if name in form:
        return str(form[name].label.text)
    return OTHER_LABELS.get(name, "其他信息")


def _value(form, name, current_value):
    if name in HIDDEN_VALUES:
        return "（已修改，内容不在此显示）"
    value = current_value(name)
    labels = dict((str(v), str(lab)) for v, lab, *_ in _choices(form[name]))
    if isinstance(value, (list, tuple, set)):
        return "、".join(labels.get(str(v), str(v)) for v in value) or "（空）"
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        from models.formats import cn_datetime

        return cn_datetime(value)
    if isinstance(value, date):
        from models.formats import cn_date

        return cn_date(value)
    if isinstance(value, Decimal):  # amounts (two places) as on the pages; weights and scores plainly
        return f"{value:,.2f}" if value.as_tuple().exponent == -2 else f"{value.normalize():f}"
    text = labels.get(str(value), str(value))
    return text if len(text) <= 60 else text[:60] + "…"


def _choices(field):
    try:
        return list(field.iter_choices()) if getattr(field, "choices", None) else []
    except (TypeError, ValueError):
        return []


def settings_version():
    """The settings page's version: the sum of the stored settings' versions (a new row adds 1)."""
    from sqlalchemy import func

    from models.setting import Setting

    return db.session.scalar(select(func.coalesce(func.sum(Setting.row_version), 0)))


def check_settings(form, labels, current_value):
    """The settings page is one form over many rows: refuse it when any setting changed since."""
    from models.audit import AuditLog
    from models.formats import cn_datetime

    based, current = based_on(form), settings_version()
    if based is None:
        check_version(form, current, "setting", [], current_value)
    if based == current:
        return
    head = (f"保存未执行：您打开设置页面后，参数已被他人修改（版本 {based} → {current}）。"
            "您的修改没有覆盖任何内容。")
    entries = [] if based > current else db.session.scalars(
        select(AuditLog).where(AuditLog.record_type == "setting", AuditLog.action.in_(("create", "update")))
        .order_by(AuditLog.id.desc()).limit(min(current - based, SHOWN))).all()
    lines, keys = [], []
    for e in reversed(entries):
        lines.append(f"{cn_datetime(e.at)} {e.username or '系统'} 修改了：{labels.get(e.detail, e.detail or '参数')}")
        if e.detail in labels and e.detail not in keys:
            keys.append(e.detail)
    text = head + ("修改记录：" + "；".join(lines) + "。" if lines else "")
    if keys:
        text += "这些参数现在的值：" + "；".join(f"{labels[k]}：{_short(current_value(k))}" for k in keys) + "。"
    raise StaleVersion(text + "请重新打开设置页面，在最新内容上修改后再保存。")


def _short(value):
    import json

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:60] + "…"
