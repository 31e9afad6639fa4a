from flask_wtf import FlaskForm
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from blueprints.forms import choices, text_limit
from models.codes import BAR_REASONS, REJECT_REASONS, SUSPEND_REASONS, TERMINATE_REASONS


class ReviewForm(FlaskForm):
    """One verdict per condition under review; fields are named c<n>, c<n>_code, c<n>_text."""


def review_form(conditions):
    class _Form(ReviewForm):
        pass

    for n in conditions:
        setattr(_Form, f"c{n}", RadioField(f"条件{n}认定", choices=choices([("accepted", "符合"), ("rejected", "不符合")]),
                                           validators=[DataRequired(message="请作出认定")]))
        setattr(_Form, f"c{n}_code", SelectField("不符合原因", choices=choices([("", "请选择")] + list(REJECT_REASONS.items())),
                                                 validators=[Optional()]))
        setattr(_Form, f"c{n}_text", TextAreaField("说明", validators=[Optional(), text_limit()]))
    return _Form()


def _reason_form(reasons, label, key):
    """The forms share one page, so their fields get ids of their own (key-…) for the labels."""

    class _Form(FlaskForm):
        reason_code = SelectField(label, choices=choices([("", "请选择")] + list(reasons.items())),
                                  validators=[DataRequired(message=f"请选择{label}")], id=f"{key}-reason_code")
        reason_text = TextAreaField("说明", validators=[Optional(), text_limit()], id=f"{key}-reason_text")

    return _Form


SuspendForm = _reason_form(SUSPEND_REASONS, "暂停原因", "suspend")
TerminateForm = _reason_form(TERMINATE_REASONS, "退出原因", "terminate")


class LiftForm(FlaskForm):
    reason_text = TextAreaField("恢复理由", validators=[DataRequired(message="请填写恢复理由"), text_limit()],
                                id="lift-reason_text")


class BarForm(_reason_form(BAR_REASONS, "禁止原因", "bar")):
    until = DateField("禁止至（含当日）", validators=[DataRequired(message="请填写禁止截止日期")],
                      render_kw={"type": "date"})


class CaseCodeForm(FlaskForm):
    case_code = StringField("案件编号代字", validators=[DataRequired(message="请填写案件编号代字")],
                            description="调解案件编号中代表本组织的字，如（2026）昆调字第15号中的“昆”，也可以是“昆2”“鹿城”；须全市唯一")
