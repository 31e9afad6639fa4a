from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, DecimalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from blueprints.forms import MultiCheckboxField, required, text_limit, VersionedForm, id_or_none

MONEY = dict(places=2, validators=[DataRequired(message="请填写金额"),
                                   NumberRange(min=0, max=999999999999, message="金额应在 0 至 9999 亿元之间")])


class PlanForm(VersionedForm, FlaskForm):
    year = IntegerField("年度", validators=[DataRequired(message="请填写年度"),
                                          NumberRange(min=2000, max=2100, message="年度不正确")])
    budget_amount = DecimalField("批复的购买服务预算（元）", **MONEY)
    department_budget = DecimalField("部门预算总额（元）", places=2, validators=[
        Optional(), NumberRange(min=0, max=999999999999, message="金额不正确")])
    last_year_cases = IntegerField("上年度调解案件数", validators=[Optional(), NumberRange(min=0, message="不能为负数")])
    last_year_subjects = IntegerField("上年度帮教对象数", validators=[Optional(), NumberRange(min=0, message="不能为负数")])
    needs_assessment = TextAreaField("需求评估", validators=[Optional(), text_limit()])
    affordability_notes = TextAreaField("财政承受能力评估", validators=[Optional(), text_limit()])


class ItemForm(FlaskForm):
    service_item_id = SelectField("服务项目", coerce=id_or_none, validators=[DataRequired(message="请选择服务项目")])
    content = TextAreaField("服务内容", validators=[required("服务内容"), text_limit()])
    service_standard = TextAreaField("服务标准", validators=[required("服务标准"), text_limit()])
    quantity = DecimalField("数量", places=2, validators=[DataRequired(message="请填写数量"),
                                                       NumberRange(min=0.01, max=9999999, message="数量不正确")])
    unit_label = StringField("计量单位", validators=[required("计量单位"), text_limit(20)])
    budget = DecimalField("预算（元）", **MONEY)
    target_requirements = TextAreaField("绩效目标", validators=[required("绩效目标"), text_limit()])


class ReasonForm(FlaskForm):
    reason = TextAreaField("退回理由", validators=[required("退回理由"), text_limit()])


class PublicationFields:
    medium = StringField("发布媒体", validators=[required("发布媒体"), text_limit(500)],
                         default="中国政府采购网内蒙古分网")
    url = StringField("网址", validators=[Optional(), text_limit(1000)])
    published_on = DateField("发布日期", validators=[DataRequired(message="请填写发布日期")], render_kw={"type": "date"})


class PublishForm(PublicationFields, FlaskForm):
    pass


class IntentionForm(PublicationFields, FlaskForm):
    items = MultiCheckboxField("计划项目", coerce=int)
    title = StringField("采购项目名称", validators=[required("采购项目名称"), text_limit(500)])
    summary = TextAreaField("采购需求概况", validators=[required("采购需求概况"), text_limit()])
    expected_month = IntegerField("预计采购月份", validators=[DataRequired(message="请填写预计采购月份"),
                                                         NumberRange(min=1, max=12, message="月份应为 1-12")])


class AttachmentForm(FlaskForm):
    file = FileField("附件")
