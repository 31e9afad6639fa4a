from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateTimeLocalField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from blueprints.forms import MultiCheckboxField, choices, required, text_limit, VersionedForm, id_or_none
from blueprints.plans.forms import PublicationFields
from models.purchasing_codes import METHODS


class PrepareForm(VersionedForm, FlaskForm):
    method = SelectField("采购方式", choices=choices([("", "请选择")] + list(METHODS.items())),
                         validators=[required("采购方式")])
    method_reason = TextAreaField("采用该方式的理由", validators=[Optional(), text_limit()],
                                  description="公开招标以外的方式须说明理由，并经财政部门批准")
    bid_deadline = DateTimeLocalField("响应截止时间", format="%Y-%m-%dT%H:%M",
                                      validators=[DataRequired(message="请填写响应截止时间")])
    price_weight = DecimalField("价格分值（10-30）", places=2, validators=[Optional()], default=20)
    criteria = TextAreaField("其他评审因素（每行一项：名称 分值）", validators=[Optional(), text_limit()],
                             default="服务方案 40\n人员配备 25\n类似项目经验 15")
    invitees = MultiCheckboxField("邀请的供应商（邀请招标）", coerce=int)
    supplier = SelectField("单一来源供应商", coerce=int, validators=[Optional()])


class DecisionForm(FlaskForm):
    decision = SelectField("审核结论", choices=choices([("approve", "同意"), ("reject", "不同意")]),
                           validators=[DataRequired(message="请选择审核结论")])
    note = TextAreaField("审核意见", validators=[required("审核意见"), text_limit()])


class NoticeForm(PublicationFields, FlaskForm):
    pass


class BidForm(FlaskForm):
    price = DecimalField("报价（元）", places=2, validators=[DataRequired(message="请填写报价"),
                                                          NumberRange(min=0.01, max=999999999999, message="报价不正确")])
    service_plan = FileField("服务方案（PDF 或 DOCX）")
    staff = MultiCheckboxField("承诺投入的工作人员", coerce=int)


class RejectBidForm(FlaskForm):
    reason = TextAreaField("无效理由", validators=[required("无效理由"), text_limit()])


class AwardForm(PublicationFields, FlaskForm):
    bid_id = SelectField("成交供应商", coerce=id_or_none, validators=[DataRequired(message="请选择成交供应商")])


class FailForm(FlaskForm):
    reason = TextAreaField("失败或取消的原因", validators=[required("原因"), text_limit()])


class FollowUpForm(PublicationFields, FlaskForm):
    title = StringField("新采购项目名称", validators=[required("项目名称"), text_limit(500)])
    summary = TextAreaField("采购需求概况", validators=[required("采购需求概况"), text_limit()])
    expected_month = IntegerField("预计采购月份", validators=[DataRequired(message="请填写月份"),
                                                         NumberRange(min=1, max=12, message="月份应为 1-12")])
