from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from blueprints.forms import PHONE, MultiCheckboxField, choices, required, text_limit, VersionedForm
from models.rehabilitation import (CONSENT_SCOPES, END_REASONS, EXIT_TYPES, GROUP_KINDS, KEY_FLAGS,
                                   MEASURE_AREAS, MEMBER_SIDES, NEED_AREAS, OFFENCE_TYPES, RECEIVED_HOW,
                                   RESETTLEMENT, SERVICE_KINDS)
from models.risk import FACTORS

DATE = {"type": "date"}


def _select(label, pairs, required_=True, coerce=str):
    validators = [DataRequired(message=f"请选择{label}")] if required_ else [Optional()]
    return SelectField(label, choices=choices([("", "请选择")] + list(pairs)), validators=validators, coerce=coerce)


def _int_or_none(value):
    return int(value) if value not in (None, "", "None") else None


class EmptyForm(FlaskForm):
    pass


class SubjectForm(FlaskForm):
    name = StringField("姓名", validators=[required("姓名"), Length(max=100, message="姓名过长")])
    id_number = StringField("居民身份证号", validators=[required("居民身份证号"), Length(max=40)])
    ethnicity = StringField("民族", default="汉族", validators=[Optional(), Length(max=20)])
    household_address = TextAreaField("户籍地址", validators=[required("户籍地址"), text_limit(500)])
    current_address = TextAreaField("现居住地址", validators=[Optional(), text_limit(500)])
    township = StringField("所属司法所（乡镇、街道）", validators=[required("所属司法所"), Length(max=60)])
    phone = StringField("联系电话", validators=[Optional(), PHONE])
    contact_ok = BooleanField("同意接受第三方评价机构回访（满意度调查）")
    family_situation = TextAreaField("家庭情况", validators=[Optional(), text_limit()])
    education = StringField("文化程度", validators=[Optional(), Length(max=40)])
    skills = TextAreaField("劳动技能", validators=[Optional(), text_limit()])
    offence = TextAreaField("罪名", validators=[required("罪名"), text_limit()])
    offence_type = _select("犯罪类型", OFFENCE_TYPES.items())
    sentence = StringField("刑期（刑种）", validators=[Optional(), Length(max=100)])
    custody_place = StringField("服刑（矫正）场所", validators=[Optional(), Length(max=200)])
    exit_type = _select("解除类型", EXIT_TYPES.items())
    release_date = DateField("释放或解除日期", validators=[DataRequired(message="请填写释放或解除日期")], render_kw=DATE)
    key_flags = MultiCheckboxField("重点帮教标记", choices=choices(KEY_FLAGS.items()), validators=[Optional()])
    key_reasons = TextAreaField("列为重点的理由", validators=[Optional(), text_limit()])
    no_home = BooleanField("无家可归")
    no_job = BooleanField("无业可就")
    no_relatives = BooleanField("无亲可投")
    resettlement = SelectField("安置情况", choices=choices(RESETTLEMENT.items()), default="none")
    contract_id = SelectField("服务合同", coerce=_int_or_none, validators=[Optional()])
    # the handover (衔接)
    notice_date = DateField("监狱通知日期", validators=[Optional()], render_kw=DATE)
    institution = StringField("通知监狱", validators=[Optional(), Length(max=200)])
    conduct = TextAreaField("服刑期间表现", validators=[Optional(), text_limit()])
    family = TextAreaField("家庭情况（监狱通报）", validators=[Optional(), text_limit()])
    needs = TextAreaField("需求", validators=[Optional(), text_limit()])
    sessions = TextAreaField("释放前心理和行为矫治工作", validators=[Optional(), text_limit()])
    report_date = DateField("报到日期（社区矫正解除人员）", validators=[Optional()], render_kw=DATE)


class ReportForm(FlaskForm):
    report_date = DateField("报到日期", validators=[DataRequired(message="请填写报到日期")], render_kw=DATE)
    received_how = _select("接收方式", RECEIVED_HOW.items())
    receiving_office = StringField("接收司法所", validators=[required("接收司法所"), Length(max=200)])
    officer = StringField("经办人", validators=[required("经办人"), Length(max=100)])


class ContractForm(FlaskForm):
    contract_id = SelectField("服务合同", coerce=_int_or_none, validators=[DataRequired(message="请选择服务合同")])


class CooperationForm(FlaskForm):
    residence_unit_id = SelectField("居住地司法局", coerce=_int_or_none,
                                    validators=[DataRequired(message="请选择居住地司法局")])


class GroupForm(FlaskForm):
    kind = _select("帮教形式", GROUP_KINDS.items())
    leader = SelectField("组长", coerce=_int_or_none, validators=[DataRequired(message="请指定帮教小组组长")])
    members = MultiCheckboxField("其他帮教人员（本机构）", coerce=int, validators=[Optional()])
    other_side = _select("其他成员所属方面", MEMBER_SIDES.items(), required_=False)
    other_name = StringField("其他成员姓名", validators=[Optional(), Length(max=100)])
    other_role = StringField("其他成员角色", validators=[Optional(), Length(max=40)])
    other_contact = StringField("其他成员联系方式", validators=[Optional(), PHONE])


class PlanForm(FlaskForm):
    goals = TextAreaField("帮教目标", validators=[required("帮教目标"), text_limit()])
    responsible = TextAreaField("责任人", validators=[required("责任人"), text_limit(2000)])
    contact_frequency = StringField("联系频次", default="每季度至少走访一次",
                                    validators=[required("联系频次"), Length(max=100)])
    starts_on = DateField("执行期限自", validators=[DataRequired(message="请填写执行期限")], render_kw=DATE)
    ends_on = DateField("执行期限至", validators=[DataRequired(message="请填写执行期限")], render_kw=DATE)
    review_on = DateField("复核日期", validators=[DataRequired(message="请填写复核日期")], render_kw=DATE)
    consent = BooleanField("对象已签署隐私保护同意书")


for _area, _label in NEED_AREAS.items():
    setattr(PlanForm, f"need_{_area}", TextAreaField(f"需求评估：{_label}", validators=[Optional(), text_limit()]))
for _area, _label in MEASURE_AREAS.items():
    setattr(PlanForm, f"measure_{_area}", TextAreaField(f"帮教措施：{_label}", validators=[Optional(), text_limit()]))


class RecordForm(FlaskForm):
    kind = _select("服务类别", SERVICE_KINDS.items())
    on = DateField("服务日期", validators=[DataRequired(message="请填写服务日期")], render_kw=DATE)
    content = TextAreaField("服务内容", validators=[required("服务内容"), text_limit()])
    outcome = TextAreaField("服务结果", validators=[Optional(), text_limit()])
    application_status = StringField("救助申请状态", validators=[Optional(), Length(max=40)])
    result = StringField("就业帮扶结果", validators=[Optional(), Length(max=40)])
    base_id = SelectField("过渡性安置基地", coerce=_int_or_none, validators=[Optional()])
    shares_data = BooleanField("本次转介需向第三方提供对象信息")
    late_reason = TextAreaField("补录理由（服务日期所在季度已关闭时必填）", validators=[Optional(), text_limit()])
    attachment = FileField("附件", validators=[Optional()])


class ConsentForm(FlaskForm):
    scope = _select("同意事项", CONSENT_SCOPES.items())
    given_on = DateField("签署日期", validators=[DataRequired(message="请填写签署日期")], render_kw=DATE)
    note = TextAreaField("说明", validators=[Optional(), text_limit()])


class ProfileForm(FlaskForm):
    on = DateField("日期", validators=[DataRequired(message="请填写日期")], render_kw=DATE)
    content = TextAreaField("心理档案内容", validators=[required("心理档案内容"), text_limit()])


class RiskForm(FlaskForm):
    assessed_on = DateField("评估日期", validators=[DataRequired(message="请填写评估日期")], render_kw=DATE)
    event = StringField("触发事件（如有）", validators=[Optional(), Length(max=100)])
    note = TextAreaField("评估说明", validators=[Optional(), text_limit()])


for _factor, (_label, _options) in FACTORS.items():
    setattr(RiskForm, _factor, SelectField(
        _label, choices=choices([("", "请选择")] + [(k, f"{v[0]}（{v[1]}分）") for k, v in _options.items()]),
        validators=[DataRequired(message=f"请选择「{_label}」")]))


class WarningForm(FlaskForm):
    authority = StringField("报告的机关", validators=[required("报告的机关"), Length(max=200)])
    reported_on = DateField("报告日期", validators=[DataRequired(message="请填写报告日期")], render_kw=DATE)
    content = TextAreaField("预警信号和报告内容", validators=[required("报告内容"), text_limit()])
    receipt = TextAreaField("回执或答复", validators=[Optional(), text_limit()])


class AcknowledgeForm(FlaskForm):
    action_taken = TextAreaField("采取的措施", validators=[required("采取的措施"), text_limit()])


class LostContactForm(FlaskForm):
    steps = TextAreaField("已采取的查找措施", validators=[required("已采取的查找措施"), text_limit()])


class EndForm(FlaskForm):
    reason = _select("解除原因", END_REASONS.items())
    ended_on = DateField("解除日期", validators=[DataRequired(message="请填写解除日期")], render_kw=DATE)
    transfer_unit_id = SelectField("迁入地司法局", coerce=_int_or_none, validators=[Optional()])
    confirm = BooleanField("确认解除帮教（记录将转为只读，不能撤销）", validators=[DataRequired(message="请勾选确认后再提交")])


class DowngradeForm(FlaskForm):
    reason = TextAreaField("调整理由", validators=[required("调整理由"), text_limit()])


class SetAsideForm(FlaskForm):
    subject_id = IntegerField("对象", validators=[DataRequired(message="缺少对象")])
    kind = StringField("事项", validators=[required("事项"), Length(max=30)])
    reason = TextAreaField("暂缓理由", validators=[required("暂缓理由"), text_limit()])


class BaseForm(FlaskForm):
    name = StringField("基地名称", validators=[required("基地名称"), Length(max=200)])
    operator = StringField("运营单位", validators=[required("运营单位"), Length(max=200)])
    address = StringField("地址", validators=[Optional(), text_limit(500)])
    capacity = IntegerField("床位（容量）", validators=[DataRequired(message="请填写容量"),
                                                   NumberRange(min=1, max=10000, message="容量须为 1-10000")])
    occupancy = IntegerField("在住人数", default=0, validators=[Optional(), NumberRange(min=0, max=10000)])


class SituationForm(VersionedForm, FlaskForm):
    resettlement = SelectField("安置情况", choices=choices(RESETTLEMENT.items()))
    no_home = BooleanField("无家可归")
    no_job = BooleanField("无业可就")
    no_relatives = BooleanField("无亲可投")
    current_address = TextAreaField("现居住地址", validators=[Optional(), text_limit(500)])
    phone = StringField("新的联系电话（不变则留空）", validators=[Optional(), PHONE])
    contact_ok = BooleanField("同意接受第三方评价机构回访（满意度调查）")
    key_flags = MultiCheckboxField("重点帮教标记", choices=choices(KEY_FLAGS.items()), validators=[Optional()])
    key_reasons = TextAreaField("列为重点的理由", validators=[Optional(), text_limit()])


class BasicForm(VersionedForm, FlaskForm):
    """The owning unit's correction of a subject's basic data."""

    name = SubjectForm.name
    id_number = SubjectForm.id_number
    ethnicity = SubjectForm.ethnicity
    household_address = SubjectForm.household_address
    family_situation = SubjectForm.family_situation
    education = SubjectForm.education
    skills = SubjectForm.skills
    offence = SubjectForm.offence
    offence_type = SubjectForm.offence_type
    sentence = SubjectForm.sentence
    custody_place = SubjectForm.custody_place
