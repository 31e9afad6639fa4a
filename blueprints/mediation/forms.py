"""Forms of the mediation pages (Chinese labels; the model checks the business rules)."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, DateTimeLocalField, DecimalField, FieldList, Form, FormField,
                     IntegerField, SelectField, StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from blueprints.forms import MultiCheckboxField, choices, required, text_limit, id_or_none
from models.mediation_codes import (CATEGORIES, FAIL_REASONS, FILE_PARTS, FOLLOW_UP_WAYS, GENDERS,
                                    JUDICIAL_RESULTS, PARTY_KINDS, PERFORMANCE, RECORD_KINDS, RETENTION, ROUTES,
                                    SIDES, SOURCES)

PLEASE = ("", "请选择")
DATE = {"type": "date"}


def _select(label, table, required_=True):
    validators = [DataRequired(message=f"请选择{label}")] if required_ else [Optional()]
    return SelectField(label, choices=choices([PLEASE] + list(table.items())), validators=validators)


class PartyForm(Form):
    """One party; a row with no name is ignored (several rows per side are offered)."""

    side = SelectField("身份", choices=choices(list(SIDES.items())))
    kind = SelectField("类型", choices=choices(list(PARTY_KINDS.items())))
    name = StringField("姓名或名称", validators=[Optional(), text_limit(200)])
    id_number = StringField("身份证号或统一社会信用代码", validators=[Optional(), Length(max=18, message="证件号码过长")])
    gender = SelectField("性别", choices=choices([("", "—")] + list(GENDERS.items())), validators=[Optional()])
    ethnicity = StringField("民族", validators=[Optional(), text_limit(40)])
    birth_date = DateField("出生日期", validators=[Optional()], render_kw=DATE)
    occupation = StringField("职业", validators=[Optional(), text_limit(200)])
    address = StringField("住所或工作单位", validators=[Optional(), text_limit(500)])
    phone = StringField("联系电话", validators=[Optional(), Length(max=40, message="电话号码过长")])
    agent = StringField("代理人", validators=[Optional(), text_limit(200)])
    contact_ok = BooleanField("同意日后接受满意度回访")


class IntakeForm(FlaskForm):
    source = _select("案件来源", SOURCES)
    source_body = StringField("移送或委托单位", validators=[Optional(), text_limit(500)])
    source_ref = StringField("移送单位文号", validators=[Optional(), Length(max=200, message="文号过长")])
    category = _select("纠纷类型", CATEGORIES)
    area_unit_id = SelectField("纠纷发生地（旗县区）", coerce=id_or_none, validators=[DataRequired(message="请选择纠纷发生地")])
    township = StringField("乡镇（街道）", validators=[Optional(), text_limit(100)])
    contract_id = SelectField("服务合同", coerce=int, validators=[Optional()])
    amount = DecimalField("争议金额（元）", places=2, validators=[Optional(), NumberRange(min=0, message="争议金额不能为负数")])
    received_on = DateField("受理日期", validators=[DataRequired(message="请填写受理日期")], render_kw=DATE)
    facts = TextAreaField("纠纷简要情况", validators=[required("纠纷简要情况"), text_limit()])
    requests = TextAreaField("当事人请求事项", validators=[Optional(), text_limit()])
    parties = FieldList(FormField(PartyForm), min_entries=4, max_entries=20)

    def party_rows(self):
        """The typed rows as the model's intake takes them (rows without a name are left out)."""
        parties = []
        for entry in self.parties:
            p = entry.form
            if not (p.name.data or "").strip():
                continue
            parties.append({"side": p.side.data, "kind": p.kind.data, "name": p.name.data.strip(),
                            "id_number": (p.id_number.data or "").strip().upper() or None,
                            "gender": p.gender.data or None, "ethnicity": p.ethnicity.data or None,
                            "birth_date": p.birth_date.data, "occupation": p.occupation.data or None,
                            "address": p.address.data or None, "phone": p.phone.data or None,
                            "agent": p.agent.data or None, "contact_ok": bool(p.contact_ok.data)})
        return parties


class AssignForm(FlaskForm):
    staff_ids = MultiCheckboxField("调解员", coerce=int, validators=[DataRequired(message="请至少选择一名调解员")])


class NoticeForm(FlaskForm):
    given_on = DateField("告知日期", validators=[DataRequired(message="请填写告知日期")], render_kw=DATE)


class LateReason:
    """A record dated in a quarter the unit closed needs a reason (DESIGN.md §3, "Quarter close")."""
    late_reason = TextAreaField("补录理由（日期所在季度已关闭时必填）", validators=[Optional(), text_limit()])


class RecordForm(LateReason, FlaskForm):
    kind = _select("记录类型", RECORD_KINDS)
    held_at = DateTimeLocalField("时间", format="%Y-%m-%dT%H:%M",
                                 validators=[DataRequired(message="请填写时间")], render_kw={"type": "datetime-local"})
    place = StringField("地点", validators=[Optional(), text_limit(500)])
    staff = StringField("调查人或调解员", validators=[Optional(), text_limit(500)])
    recorder = StringField("记录人", validators=[Optional(), text_limit(200)])
    persons = StringField("被调查人或到场当事人", validators=[Optional(), text_limit(1000)])
    helpers = StringField("邀请协助调解人员", validators=[Optional(), text_limit(1000)])
    content = TextAreaField("记录内容（问答或各方陈述）", validators=[required("记录内容"), text_limit(20000)])
    facts_verified = TextAreaField("查明的事实", validators=[Optional(), text_limit()])
    risks_explained = TextAreaField("风险提示", validators=[Optional(), text_limit()])
    result = TextAreaField("调解结果（协议内容或不成原因及其他途径）", validators=[Optional(), text_limit()])
    evidence = FileField("证据材料（可选）")


class Confirm:
    """A dangerous action (it ends the case for good) asks for a ticked confirmation, checked on the server
    so that it holds without JavaScript."""
    confirm = BooleanField("我已核实，确认办理（案件将因此结案，不能撤销）",
                           validators=[DataRequired(message="请勾选确认后再提交")])


class ReasonForm(Confirm, LateReason, FlaskForm):
    note = TextAreaField("情况说明", validators=[required("情况说明"), text_limit()])


class SucceedForm(LateReason, FlaskForm):
    agreement_kind = SelectField("协议形式", choices=choices([PLEASE, ("written", "书面调解协议"), ("oral", "口头协议")]),
                                 validators=[DataRequired(message="请选择协议形式")])
    matters = TextAreaField("主要事实、争议事项", validators=[required("纠纷事项"), text_limit()])
    responsibility = TextAreaField("各方责任", validators=[Optional(), text_limit()])
    terms = TextAreaField("达成协议的内容", validators=[required("协议内容"), text_limit()])
    performance = TextAreaField("履行方式和期限", validators=[Optional(), text_limit()])
    performance_due = DateField("履行期限", validators=[Optional()], render_kw=DATE)
    effective_on = DateField("协议生效日期", validators=[DataRequired(message="请填写协议生效日期")], render_kw=DATE)


class FailForm(Confirm, LateReason, FlaskForm):
    fail_reason = _select("调解不成的原因", FAIL_REASONS)
    routes = MultiCheckboxField("已告知的其他途径", choices=choices(list(ROUTES.items())),
                                validators=[DataRequired(message="请选择已告知当事人的其他解决途径")])
    note = TextAreaField("说明", validators=[Optional(), text_limit()])
    concluded_on = DateField("终止日期", validators=[DataRequired(message="请填写终止日期")], render_kw=DATE)


class ExtendForm(FlaskForm):
    until = DateField("延长至", validators=[DataRequired(message="请填写延长后的期限")], render_kw=DATE)
    consent = TextAreaField("当事人同意情况", validators=[required("当事人同意情况"), text_limit()])


class PoliceForm(FlaskForm):
    reported_to = StringField("报告对象（公安机关）", validators=[required("报告的公安机关"), text_limit(500)])
    reported_at = DateTimeLocalField("报告时间", format="%Y-%m-%dT%H:%M",
                                     validators=[DataRequired(message="请填写报告时间")],
                                     render_kw={"type": "datetime-local"})
    report_content = TextAreaField("报告内容", validators=[required("报告内容"), text_limit()])


class FollowUpForm(LateReason, FlaskForm):
    visited_on = DateField("回访日期", validators=[DataRequired(message="请填写回访日期")], render_kw=DATE)
    way = _select("回访方式", FOLLOW_UP_WAYS)
    visited_person = StringField("回访对象", validators=[required("回访对象"), text_limit(500)])
    visitor = StringField("回访人", validators=[Optional(), text_limit(200)])
    performed = _select("协议履行情况", PERFORMANCE)
    notes = TextAreaField("回访情况", validators=[Optional(), text_limit()])


class ConfirmationForm(FlaskForm):
    applied_on = DateField("申请日期", validators=[DataRequired(message="请填写申请日期")], render_kw=DATE)
    court = StringField("受理法院", validators=[required("受理法院"), text_limit(500)])
    court_number = StringField("法院案号", validators=[Optional(), text_limit(200)])
    decision = _select("确认结果", JUDICIAL_RESULTS)
    decided_on = DateField("裁定日期", validators=[Optional()], render_kw=DATE)


class FileItemForm(FlaskForm):
    part = SelectField("卷宗材料", coerce=int, choices=choices([(n, f"{n}. {t}") for n, t in FILE_PARTS]),
                       validators=[DataRequired(message="请选择卷宗材料")])
    scan = FileField("扫描件")
    signed_on = DateField("签字原件归档日期", validators=[Optional()], render_kw=DATE)
    remark = StringField("备注", validators=[Optional(), text_limit(500)])


class ArchiveForm(FlaskForm):
    retention = _select("保管期限", RETENTION)


class ConsultationForm(FlaskForm):
    given_on = DateField("日期", validators=[DataRequired(message="请填写日期")], render_kw=DATE)
    asker = StringField("咨询人", validators=[required("咨询人"), text_limit(200)])
    topic = TextAreaField("咨询事项", validators=[required("咨询事项"), text_limit()])
    answer = TextAreaField("解答情况", validators=[required("解答情况"), text_limit()])
    referred_to = StringField("引导至", validators=[Optional(), text_limit(500)])
    contract_id = SelectField("服务合同", coerce=int, validators=[Optional()])


class ScreeningForm(FlaskForm):
    period_start = DateField("排查期间自", validators=[DataRequired(message="请填写排查期间")], render_kw=DATE)
    period_end = DateField("至", validators=[DataRequired(message="请填写排查期间")], render_kw=DATE)
    area_unit_id = SelectField("地区", coerce=id_or_none, validators=[DataRequired(message="请选择地区")])
    township = StringField("乡镇（街道）", validators=[Optional(), text_limit(100)])
    disputes_found = IntegerField("排查出的纠纷（件）", validators=[InputRequired(message="请填写排查出的纠纷数"),
                                                              NumberRange(min=0, message="不能为负数")])
    contract_id = SelectField("服务合同", coerce=int, validators=[Optional()])
    analysis = TextAreaField("分析", validators=[required("分析"), text_limit()])
    suggestions = TextAreaField("处置建议", validators=[required("处置建议"), text_limit()])


class MeasureForm(FlaskForm):
    case_id = IntegerField("案件", validators=[DataRequired(message="请选择案件")])
    cause = TextAreaField("原因分析", validators=[required("原因分析"), text_limit()])
    measure = TextAreaField("整改措施", validators=[required("整改措施"), text_limit()])
    owner = StringField("责任人", validators=[required("责任人"), text_limit(200)])
    due_on = DateField("完成期限", validators=[DataRequired(message="请填写完成期限")], render_kw=DATE)


class CloseQuarterForm(FlaskForm):
    contract_id = IntegerField("合同", validators=[DataRequired(message="请选择合同")])
    review_note = TextAreaField("审查意见", validators=[Optional(), text_limit()])



class MeasureDoneForm(FlaskForm):
    done_note = TextAreaField("落实情况", validators=[required("落实情况"), text_limit()])


class CodeForm(FlaskForm):
    kind = SelectField("代码表", choices=choices([PLEASE, ("category", "纠纷类型"), ("fail_reason", "调解不成的原因")]),
                       validators=[DataRequired(message="请选择代码表")])
    label = StringField("新增名称", validators=[required("名称"), text_limit(100)])
