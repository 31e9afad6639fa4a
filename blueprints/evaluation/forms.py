from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, DecimalField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from blueprints.forms import choices, required, text_limit, id_or_none
from models.evaluation import KINDS, SATISFACTION

DATE = {"render_kw": {"type": "date"}}
SHARE = {"places": 2, "validators": [InputRequired(message="请填写权重比例"),
                                     NumberRange(min=0, max=100, message="须在 0 至 100 之间")]}


class OpenForm(FlaskForm):
    period_start = DateField("评价期间自", validators=[DataRequired(message="请填写评价期间")], **DATE)
    period_end = DateField("评价期间至", validators=[DataRequired(message="请填写评价期间")], **DATE)


class SharesForm(FlaskForm):
    share_third = DecimalField("第三方评价机构（%）", **SHARE)
    share_unit = DecimalField("购买主体（%）", **SHARE)
    share_self = DecimalField("承接主体自评（%）", **SHARE)


class AssignForm(FlaskForm):
    body_id = SelectField("第三方评价机构", coerce=id_or_none, validators=[DataRequired(message="请选择评价机构")])
    window_start = DateField("评价时间窗口自", validators=[DataRequired(message="请填写时间窗口")], **DATE)
    window_end = DateField("评价时间窗口至", validators=[DataRequired(message="请填写时间窗口")], **DATE)


class VetoForm(FlaskForm):
    veto_subcontract = BooleanField("认定：未经同意转包或分包")
    veto_privacy = BooleanField("认定：经查实的泄露个人信息")
    veto_note = TextAreaField("事实和依据", validators=[Optional(), text_limit()])


class CompleteForm(FlaskForm):
    conclusion = TextAreaField("评价结论意见", validators=[required("评价结论意见"), text_limit()])


class IndicatorForm(FlaskForm):
    name = StringField("指标名称", validators=[required("指标名称"), text_limit(200)])
    weight = DecimalField("权重（分）", places=2, validators=[
        Optional(), NumberRange(min=0, max=100, message="须在 0 至 100 之间")])
    kind = SelectField("计分方式", choices=choices(KINDS.items()), validators=[DataRequired(message="请选择计分方式")])
    measure = SelectField("计量指标（系统数据）", validators=[Optional()])
    target = DecimalField("默认目标值（合同另有约定的从其约定）", places=2, validators=[
        Optional(), NumberRange(min=0, message="目标值不能为负")])
    direction = SelectField("方向", choices=choices([("higher", "越高越好"), ("lower", "越低越好")]))


class SurveyForm(FlaskForm):
    surveyed_on = DateField("回访日期", validators=[DataRequired(message="请填写回访日期")], **DATE)
    reached = RadioField("是否联系上", choices=choices([("yes", "已联系上"), ("no", "未联系上")]),
                         validators=[DataRequired(message="请选择是否联系上")])
    satisfaction = SelectField("满意程度", choices=choices([("", "（未联系上不填）")] + list(SATISFACTION.items())),
                               validators=[Optional()])
    answers = TextAreaField("回访记录（不得记录姓名、身份证号、电话、住址）", validators=[Optional(), text_limit(2000)])


def scores_form(evaluation, side, data=None):
    """One field per judged indicator, 0..weight; prefilled with the side's saved points."""

    class ScoresForm(FlaskForm):
        pass

    for item in evaluation.judged_items():
        setattr(ScoresForm, f"item_{item.id}", DecimalField(
            f"{item.level1} · {item.name}（0-{item.weight:g} 分）", places=2,
            default=evaluation.score_of(item, side),
            validators=[Optional(), NumberRange(min=0, max=float(item.weight),
                                                message=f"得分须在 0 至 {item.weight:g} 之间")]))
    return ScoresForm()
