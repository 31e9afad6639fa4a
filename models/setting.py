"""Settings (DOMAIN.md "(setting)"): every setting with its default; a stored row overrides it (edited by
the administrator or the city bureau). The domain reads them here, through `Setting.get`.

Speed (issue 16): a request reads every stored row at once, the first time it asks for any setting, and
a process keeps those rows under the settings' revision token (`SettingRevision`, one row, renewed by a
flush hook in the transaction of any change, like the open-data feed's token). The signed-in user's
statement carries the token as a column (`revision_column()`, see blueprints/auth/views.py), so the user,
the unit and the settings cost one round trip while no setting changes; another instance's change shows
at the next request, because every request reads the token from the database."""
import copy
import json
import secrets
from itertools import chain

from flask import g, has_request_context
from sqlalchemy import String, Text, event, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from extensions import db
from models.base import VersionedMixin
from models.risk_factors import DEFAULT_POINTS

# key: (default, label, help)
DEFAULTS = {
    "qualification.reminder_days": (30, "资格材料到期提醒天数", "到期前多少天提醒承接主体和住所地司法局"),
    "login.max_failures_per_account": (5, "同一账号登录失败上限", "在统计时段内达到该次数后暂停登录"),
    "login.max_failures_per_address": (20, "同一地址登录失败上限", "在统计时段内达到该次数后暂停登录"),
    "login.window_minutes": (15, "登录失败统计时段（分钟）", ""),
    "feedback.max_per_address": (5, "同一地址提交公众意见上限", "在统计时段内达到该次数后暂停接收该地址的意见"),
    "feedback.window_minutes": (60, "公众意见提交统计时段（分钟）", ""),
    "feedback.answer_working_days": (15, "答复公众意见期限（工作日）", "收到公众意见后多少个工作日内答复（工作清单据此提示）"),
    "login.lockout_minutes": (15, "账号锁定时长（分钟）", "同一账号连续登录失败达到上限后锁定的时长；管理员可提前解锁"),
    "session.idle_minutes": (30, "无操作自动退出（分钟）", "超过该时长没有任何操作，须重新登录"),
    "upload.max_file_mb": (10, "单个上传文件大小上限（MB）", "须小于整个请求的上限"),
    "door.max_per_address": (5, "同一地址提交调解申请上限", "在统计时段内达到该次数后暂停接收该地址的申请"),
    "door.challenge_after": (2, "调解申请：需回答算术题的提交次数", "同一地址在统计时段内已提交该次数后，再提交须回答一道算术题"),
    "door.window_minutes": (60, "调解申请提交统计时段（分钟）", ""),
    "door.dispatch_days": (3, "调解申请分派期限（天）", "司法局自收到申请（或调解组织不予受理）起多少天内分派给调解组织"),
    "door.accept_days": (3, "调解申请受理期限（天）", "调解组织自分派起多少天内受理或说明不予受理的理由"),
    "door.auto_dispatch": ("no", "调解申请按服务合同自动分派", "yes 或 no；yes：申请自动分派给该旗县区在履行的人民调解服务合同的承接组织（按乡镇和纠纷类型确定，无法确定的仍由司法局分派）"),
    "door.retention_days": (180, "未受理调解申请的保存天数", "不予受理的申请自办结起保存该天数后删除；已受理的随案卷保管"),
    "door.max_code_failures": (5, "查询码错误次数上限", "同一受理编号查询码错误达到该次数后锁定"),
    "door.lock_minutes": (60, "查询码错误锁定时长（分钟）", ""),
    "mediation.time_limit_days": (30, "调解期限（天）", "延长须经当事人同意"),
    "mediation.number_pattern": ("（{year}）{short}调字第{seq}号", "调解案件编号格式",
                                 "{year} 年度、{short} 调解组织的案件编号代字（默认为住所地简称，同一住所地的第二个组织为“昆2”等，"
                                 "由住所地司法局或系统管理员在机构页面修改）、{seq} 序号；三者缺一不可，否则编号会重复"),
    "mediation.follow_up_days": (30, "调解回访期限（天）", "协议履行期限届满（无履行期限的自协议生效）后多少天内回访"),
    "mediation.retention": ("10", "调解卷宗默认保管期限", "10、30 或 permanent（永久）"),
    "payment.overdue_days": (30, "分期款逾期天数", "应付之日起超过该天数未付即标为逾期"),
    "integrity.shared_window_days": (90, "完整性检查：当事人共用身份证号或电话的统计天数", ""),
    "integrity.shared_min_cases": (3, "完整性检查：共用身份证号或电话的案件数下限", ""),
    "integrity.same_day_cases": (10, "完整性检查：同一调解员同日登记并结案的案件数下限", ""),
    "integrity.follow_ups_per_day": (10, "完整性检查：同一人同日回访次数下限", ""),
    "integrity.follow_up_overdue_days": (60, "完整性检查：协议未回访的天数", ""),
    "ocid.prefix": ("ocds-fq0000", "OCDS 编号前缀", "ocid 前缀，后接单位代码、年度和序号；正式发布前须向开放合同伙伴关系"
                    "（Open Contracting Partnership）申请登记本机构的前缀（ocds- 加六位字符）并在此填写"),
    "ocds.license": ("https://creativecommons.org/licenses/by/4.0/", "开放数据许可协议网址",
                     "发布包的 license：数据按该许可协议开放，默认知识共享署名 4.0（CC BY 4.0）"),
    "ocds.publication_policy": ("/portal/ocds/#policy", "开放数据发布政策网址",
                                "发布包的 publicationPolicy：说明发布什么、何时发布、不予公开什么；以 / 开头的是本系统的页面"
                                "（默认为开放数据说明页的发布政策一节），也可填写完整网址"),
    "rehab.report_days": (7, "刑满释放人员报到期限（天）", "释放后多少天内须到司法所报到"),
    "rehab.report_escalate_days": (20, "未报到升级处理（天）", "释放后超过该天数仍未报到即升级处理"),
    "rehab.period_prison_years": (5, "刑满释放人员帮教期（年）", "自释放之日起计算"),
    "rehab.period_parole_years": (5, "假释、暂予监外执行、附加剥夺政治权利期满人员帮教期（年）", "自期满之日起计算"),
    "rehab.period_probation_years": (3, "缓刑、管制期满人员帮教期（年）", "自期满之日起计算"),
    "rehab.no_contact_days": (30, "未联系提醒天数", "工作清单列出超过该天数没有服务记录的帮教对象"),
    "rehab.anonymise_years": (5, "解除帮教后匿名化年限", "解除帮教满该年数后，个人信息予以匿名化"),
    "rehab.reassess_months": (6, "风险再评估间隔（月）", "至少每隔该月数重新评估一次"),
    "risk.medium_from": (8, "重新犯罪风险“中”等级起点分", "0-25 分，低于此分为低风险"),
    "risk.points": (DEFAULT_POINTS, "重新犯罪风险评估各因素分值",
                    "JSON：因素 → 选项 → 分值（0-10）；默认值见 DOMAIN.md §8"),
    "risk.high_from": (15, "重新犯罪风险“高”等级起点分", "达到此分为高风险，并向户籍地司法局发出预警"),
}


_UNKNOWN = object()
_process = (None, {})  # (revision token, {key: stored value}): the rows last read by this process
_kept = {}  # {name: (revision token, value)}: other small tables under the same token (kept(), cover())
_covered = ()  # the models whose changes renew the token besides Setting


class SettingRevision(db.Model):
    """A token that changes whenever a stored setting does (random, so that rows cached from one
    database are never served for another that reached the same state)."""
    __tablename__ = "setting_revision"

    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    token: Mapped[str] = mapped_column(String(32))


def revision_column():
    """The token as a scalar subquery, to be selected beside another statement's columns."""
    return select(SettingRevision.token).where(SettingRevision.id == 1).scalar_subquery()


def use_revision(token):
    """The request's statement that loaded the user also read the settings' token (None: no token row)."""
    if has_request_context():
        g._settings_token = token


def _stored():
    """The request's {key: stored value} (deep-copied by the caller): from the process's copy while the
    token is unchanged, else all rows in one statement; None outside a request (no caching)."""
    if not has_request_context():
        return None
    rows = g.get("_settings")
    if rows is not None:
        return rows
    global _process
    token = g.get("_settings_token", _UNKNOWN)
    if token is _UNKNOWN:
        token = db.session.scalar(select(SettingRevision.token).where(SettingRevision.id == 1))
    cached_token, cached = _process
    if token is not None and token == cached_token:
        rows = cached
    else:
        rows = {key: json.loads(value) for key, value in db.session.execute(select(Setting.key, Setting.value))}
        if token is not None and not g.get("_settings_changed"):
            _process = (token, rows)
    g._settings = dict(rows)  # the request's own: put() changes it, never the process's copy
    return g._settings


def kept(name, load):
    """load()'s value (immutable: callers share it), kept by the process while the settings' token is unchanged;
    loaded afresh outside a request, where the user's statement read no token, and once this transaction
    has changed what the token covers. For small tables that change with the settings (the code lists)."""
    token = g.get("_settings_token") if has_request_context() else None
    if token is None or g.get("_settings_changed"):
        return load()
    cached = _kept.get(name)
    if cached is not None and cached[0] == token:
        return cached[1]
    value = load()
    _kept[name] = (token, value)
    return value


def cover(model):
    """Changes to this model's rows renew the settings' token too (what kept() holds is read from them)."""
    global _covered
    _covered = (*_covered, model)


def changed(session):
    """Give the settings a new revision token, in the session's transaction."""
    conn = session.connection()
    table = SettingRevision.__table__
    token = secrets.token_hex(16)
    if conn.execute(update(table).where(table.c.id == 1).values(token=token)).rowcount == 0:
        conn.execute(insert(table).values(id=1, token=token))


class Setting(VersionedMixin, db.Model):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON

    @property
    def audit_detail(self):
        """Audit entries name the setting changed (its key is not a number, so not a record_id)."""
        return self.key

    @staticmethod
    def get(key):
        """The setting's value: the stored one, else its default (a copy: callers may change what they get)."""
        stored = _stored()
        if stored is None:
            row = db.session.get(Setting, key)
            return json.loads(row.value) if row is not None else Setting.default(key)
        return copy.deepcopy(stored[key]) if key in stored else Setting.default(key)

    @staticmethod
    def default(key):
        return copy.deepcopy(DEFAULTS[key][0])

    @staticmethod
    def put(key, value):
        """Store a value (the caller commits); an integer setting takes its value as an integer."""
        if isinstance(Setting.default(key), int) and not isinstance(value, int):
            value = int(value)
        row = db.session.get(Setting, key)
        if row is None:
            row = Setting(key=key, value=json.dumps(value, ensure_ascii=False))
            db.session.add(row)
        else:
            row.value = json.dumps(value, ensure_ascii=False)
        if has_request_context():
            g._settings = None  # read again (with the session's changes, or without them after a rollback)
        return row


@event.listens_for(Session, "after_flush")
def _settings_changed(session, flush_context):
    if any(isinstance(obj, (Setting, *_covered)) for obj in chain(session.new, session.dirty, session.deleted)):
        changed(session)
        if has_request_context():
            g._settings_changed = True  # rows read after this are not yet committed: not kept for the process
