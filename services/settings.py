"""Every (setting) of DOMAIN.md with its default; a stored row overrides it (edited by admin or city)."""
import json

from extensions import db

# key: (default, label, help)
DEFAULTS = {
    "qualification.reminder_days": (30, "资格材料到期提醒天数", "到期前多少天提醒承接主体和住所地司法局"),
    "login.max_failures_per_account": (5, "同一账号登录失败上限", "在统计时段内达到该次数后暂停登录"),
    "login.max_failures_per_address": (20, "同一地址登录失败上限", "在统计时段内达到该次数后暂停登录"),
    "login.window_minutes": (15, "登录失败统计时段（分钟）", ""),
    "upload.max_file_mb": (10, "单个上传文件大小上限（MB）", "须小于整个请求的上限"),
    "mediation.time_limit_days": (30, "调解期限（天）", "延长须经当事人同意"),
    "payment.overdue_days": (30, "分期款逾期天数", "应付之日起超过该天数未付即标为逾期"),
    "ocid.prefix": ("ocds-fq0000", "OCDS 编号前缀", "ocid 前缀，后接单位代码、年度和序号"),
}


def get(key):
    from models.setting import Setting

    row = db.session.get(Setting, key)
    return json.loads(row.value) if row is not None else DEFAULTS[key][0]


def put(key, value):
    from models.setting import Setting

    default = DEFAULTS[key][0]
    if isinstance(default, int) and not isinstance(value, int):
        value = int(value)
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=json.dumps(value, ensure_ascii=False))
        db.session.add(row)
    else:
        row.value = json.dumps(value, ensure_ascii=False)
    return row
