"""The public feedback form (the only form of the portal that writes) and the lookup of its answer."""
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from blueprints.forms import PHONE, required, text_limit
from models.feedback import MAX_TEXT


class FeedbackForm(FlaskForm):
    # choices are checked by the model, with a Chinese message beside the field
    contract_id = SelectField("所涉合同", coerce=int, validators=[Optional()], validate_choice=False)
    contractor_id = SelectField("所涉承接主体", coerce=int, validators=[Optional()], validate_choice=False)
    happened_on = DateField("发生日期（可不填）", validators=[Optional()], render_kw={"type": "date"})
    text = TextAreaField("发生了什么", validators=[required("发生了什么"), text_limit(MAX_TEXT)],
                         render_kw={"rows": 6})
    contact_name = StringField("您的称呼（可不填）", validators=[Optional(), text_limit(100)])
    contact_phone = StringField("联系电话（可不填）", validators=[Optional(), PHONE])


class FeedbackLookupForm(FlaskForm):
    number = StringField("受理编号", validators=[required("受理编号"), Length(max=30, message="受理编号过长")],
                         render_kw={"autocomplete": "off", "placeholder": "GZ2026-00001"})
    code = StringField("查询码", validators=[required("查询码"), Length(max=20, message="查询码过长")],
                       render_kw={"autocomplete": "off"}, description="提交意见时页面显示的 8 位查询码")
