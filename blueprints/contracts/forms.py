from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, DecimalField, FieldList, Form, FormField, IntegerField, SelectField,
                     StringField, TextAreaField, TimeField)
from wtforms.validators import DataRequired, NumberRange, Optional

from blueprints.forms import MultiCheckboxField, choices, required, text_limit, VersionedForm, id_or_none
from blueprints.plans.forms import PublicationFields
from models.purchasing_codes import (AMENDMENT_REASONS, CONTRACT_TERMINATION_REASONS, DELIVERABLE_KINDS,
                                     MILESTONE_KINDS, MILESTONE_STATUSES)

DATE = {"render_kw": {"type": "date"}}


class MilestoneRow(Form):
    title = StringField("节点", validators=[Optional(), text_limit(200)])
    kind = SelectField("类型", choices=choices(MILESTONE_KINDS.items()), validators=[Optional()])
    due_on = DateField("日期", validators=[Optional()], **DATE)
    amount = DecimalField("本期付款（元）", places=2, validators=[Optional(), NumberRange(min=0, message="金额不能为负")])
    final = BooleanField("终验节点（尾款）")


class ContractForm(FlaskForm):
    title = StringField("合同名称", validators=[required("合同名称"), text_limit(500)])
    subject = TextAreaField("服务标的", validators=[required("服务标的"), text_limit()])
    scope = TextAreaField("服务范围", validators=[required("服务范围"), text_limit()])
    quantities = TextAreaField("服务数量", validators=[required("服务数量"), text_limit()])
    quality_requirements = TextAreaField("质量要求", validators=[required("质量要求"), text_limit()])
    place_and_manner = TextAreaField("服务地点和方式", validators=[required("服务地点和方式"), text_limit()])
    acceptance_requirements = TextAreaField("验收要求", validators=[required("验收要求"), text_limit()])
    rights_obligations = TextAreaField("双方的权利和义务", validators=[required("权利和义务"), text_limit()])
    breach_liability = TextAreaField("违约责任", validators=[required("违约责任"), text_limit()])
    dispute_resolution = TextAreaField("争议解决", validators=[required("争议解决方式"), text_limit()])
    period_start = DateField("服务期限自", validators=[DataRequired(message="请填写服务期限起始日")], **DATE)
    period_end = DateField("服务期限至", validators=[DataRequired(message="请填写服务期限截止日")], **DATE)
    long_period_reason = TextAreaField("期限超过一年的理由", validators=[Optional(), text_limit()])
    signed_on = DateField("签订日期", validators=[DataRequired(message="请填写签订日期")], **DATE)
    milestones = FieldList(FormField(MilestoneRow), min_entries=4, max_entries=12)


class MilestoneStatusForm(VersionedForm, FlaskForm):
    status = SelectField("完成情况", choices=choices([(k, v) for k, v in MILESTONE_STATUSES.items() if k != "scheduled"]),
                         validators=[DataRequired(message="请选择完成情况")])
    status_on = DateField("日期", validators=[DataRequired(message="请填写日期")], **DATE)
    note = TextAreaField("说明", validators=[Optional(), text_limit()])


class PaymentForm(FlaskForm):
    instalment_id = SelectField("分期", coerce=id_or_none, validators=[DataRequired(message="请选择分期")])
    paid_on = DateField("支付日期", validators=[DataRequired(message="请填写支付日期")], **DATE)
    amount = DecimalField("金额（元）", places=2, validators=[DataRequired(message="请填写金额"),
                                                          NumberRange(min=0.01, max=999999999999, message="金额不正确")])
    voucher = StringField("凭证号", validators=[required("凭证号"), text_limit(100)])


class AmendmentForm(VersionedForm, FlaskForm):
    reason_code = SelectField("变更原因", choices=choices([("", "请选择")] + list(AMENDMENT_REASONS.items())),
                              validators=[required("变更原因")])
    amount = DecimalField("变更后的合同金额（元）", places=2, validators=[Optional(), NumberRange(min=0, message="金额不正确")])
    period_end = DateField("变更后的服务期限截止日", validators=[Optional()], **DATE)
    scope = TextAreaField("变更后的服务范围", validators=[Optional(), text_limit()])
    quantities = TextAreaField("变更后的服务数量", validators=[Optional(), text_limit()])
    quality_requirements = TextAreaField("变更后的质量要求", validators=[Optional(), text_limit()])
    note = TextAreaField("说明", validators=[Optional(), text_limit()])


class ConsentForm(FlaskForm):
    part = TextAreaField("分包的部分", validators=[required("分包的部分"), text_limit()])
    subcontractor = StringField("分包单位", validators=[required("分包单位"), text_limit(500)])


class TerminationForm(FlaskForm):
    reason_code = SelectField("终止原因", choices=choices([("", "请选择")] + list(CONTRACT_TERMINATION_REASONS.items())),
                              validators=[required("终止原因")])
    reason_text = TextAreaField("说明", validators=[Optional(), text_limit()])
    confirm = BooleanField("确认提前终止本合同（不能撤销）", validators=[DataRequired(message="请勾选确认后再提交")])


class ContractPublishForm(PublicationFields, FlaskForm):
    pass


class FilingForm(FlaskForm):
    filed_on = DateField("备案日期", validators=[DataRequired(message="请填写备案日期")], **DATE)


class DeliverableForm(FlaskForm):
    kind = SelectField("类别", choices=choices([("", "请选择")] + list(DELIVERABLE_KINDS.items())),
                       validators=[required("类别")])
    held_on = DateField("日期", validators=[DataRequired(message="请填写日期")], **DATE)
    place = StringField("地点", validators=[required("地点"), text_limit(500)])
    participants = IntegerField("参加人数", validators=[DataRequired(message="请填写参加人数"),
                                                      NumberRange(min=1, max=1000000, message="人数不正确")])
    content = TextAreaField("内容", validators=[required("内容"), text_limit()])
    attachment = FileField("附件（签到表、照片、报告）")


class ShiftForm(FlaskForm):
    day = DateField("日期", validators=[DataRequired(message="请填写日期")], **DATE)
    start = TimeField("开始", validators=[DataRequired(message="请填写开始时间")])
    end = TimeField("结束", validators=[DataRequired(message="请填写结束时间")])
    staff = MultiCheckboxField("值班人员", coerce=int)
