from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField

from blueprints.forms import required, text_limit
from models.feedback import MAX_TEXT


class AnswerForm(FlaskForm):
    answer = TextAreaField("答复（核查情况和处理结果）", validators=[required("答复内容"), text_limit(MAX_TEXT)],
                           render_kw={"rows": 5})


class InspectionForm(FlaskForm):
    contract_id = SelectField("检查的合同", coerce=int, validators=[required("检查的合同")], validate_choice=False)
    text = TextAreaField("检查决定（检查什么、怎么查）", validators=[required("检查决定"), text_limit()],
                         render_kw={"rows": 4})
