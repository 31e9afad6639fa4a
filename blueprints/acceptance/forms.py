from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, DecimalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from blueprints.forms import MultiCheckboxField, choices, required, text_limit
from models.acceptance import KINDS, METHODS, VERDICTS
from models.inspection import REASONS

DATE = {"render_kw": {"type": "date"}}


class OpenForm(FlaskForm):
    kind = SelectField("验收类型", choices=choices(KINDS.items()), validators=[DataRequired(message="请选择验收类型")])
    milestone_id = SelectField("阶段验收的节点", coerce=int, validators=[Optional()])
    period_start = DateField("验收期间自", validators=[DataRequired(message="请填写验收期间")], **DATE)
    period_end = DateField("验收期间至", validators=[DataRequired(message="请填写验收期间")], **DATE)
    place = StringField("验收地点", validators=[required("验收地点"), text_limit(500)])
    methods = MultiCheckboxField("验收方式", choices=choices(METHODS.items()))
    basis = TextAreaField("验收依据", validators=[Optional(), text_limit()])


class TargetForm(FlaskForm):
    measure = SelectField("指标", validators=[DataRequired(message="请选择指标")])
    target = DecimalField("合同约定的目标值", places=2, validators=[DataRequired(message="请填写目标值"),
                                                                 NumberRange(min=0, message="目标值不能为负")])


class MemberForm(FlaskForm):
    name = StringField("姓名", validators=[required("姓名"), text_limit(100)])
    unit_name = StringField("单位", validators=[required("单位"), text_limit(200)])
    role = StringField("职责", validators=[Optional(), text_limit(40)], default="成员")


class FindingForm(FlaskForm):
    finding = TextAreaField("验收意见", validators=[Optional(), text_limit()])
    evidence = StringField("依据", validators=[Optional(), text_limit(500)])


class ProblemForm(FlaskForm):
    description = TextAreaField("问题", validators=[required("问题"), text_limit()])
    required_fix = TextAreaField("整改要求", validators=[required("整改要求"), text_limit()])
    deadline = DateField("整改期限", validators=[DataRequired(message="请填写整改期限")], **DATE)


class ConcludeForm(FlaskForm):
    verdict = SelectField("验收结论", choices=choices([("", "请选择")] + list(VERDICTS.items())),
                          validators=[required("验收结论")])
    conclusion = TextAreaField("结论意见", validators=[required("结论意见"), text_limit()])
    opinions = TextAreaField("服务对象意见（满意度调查结果）", validators=[Optional(), text_limit()])
    conditions = TextAreaField("合格条件（有条件合格时填写）", validators=[Optional(), text_limit()])
    payment_recommendation = TextAreaField("付款建议", validators=[Optional(), text_limit()])


class ConditionsMetForm(FlaskForm):
    on = DateField("条件满足日期", validators=[DataRequired(message="请填写日期")], **DATE)
    note = TextAreaField("说明", validators=[Optional(), text_limit()])


class FindingDecisionForm(FlaskForm):
    decision = SelectField("认定", choices=choices([("explained", "已说明"), ("unexplained", "未能说明")]),
                           validators=[DataRequired(message="请选择认定")])
    explanation = TextAreaField("理由", validators=[Optional(), text_limit()])


class InspectionForm(FlaskForm):
    reason_code = SelectField("检查原因", choices=choices([("", "请选择")] + list(REASONS.items())),
                              validators=[required("检查原因")])
    text = TextAreaField("检查决定", validators=[required("检查决定"), text_limit()])
    document = FileField("检查通知等文件（可选）")


class StepForm(FlaskForm):
    text = TextAreaField("内容", validators=[required("内容"), text_limit()])
    document = FileField("文件（可选）")


class ReclaimForm(FlaskForm):
    amount = DecimalField("追回金额（元）", places=2, validators=[DataRequired(message="请填写追回金额"),
                                                              NumberRange(min=0.01, message="金额不正确")])
    reason = TextAreaField("追回理由", validators=[required("追回理由"), text_limit()])


class RepaidForm(FlaskForm):
    on = DateField("退回日期", validators=[DataRequired(message="请填写退回日期")], **DATE)


class CloseForm(FlaskForm):
    final_value = DecimalField("合同最终金额（元）", places=2, validators=[DataRequired(message="请填写最终金额"),
                                                                   NumberRange(min=0, message="金额不正确")])
    end_date = DateField("结束日期", validators=[DataRequired(message="请填写结束日期")], **DATE)
    explanation = TextAreaField("与签订金额不同的原因", validators=[Optional(), text_limit()])


class QuarterForm(FlaskForm):
    year = SelectField("年度", coerce=int, validators=[DataRequired(message="请选择年度")])
    quarter = SelectField("季度", coerce=int, choices=choices([(1, "第一季度"), (2, "第二季度"), (3, "第三季度"),
                                                              (4, "第四季度")]),
                          validators=[DataRequired(message="请选择季度")])
    note = TextAreaField("审查意见", validators=[Optional(), text_limit()])
