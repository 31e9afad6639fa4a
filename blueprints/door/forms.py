"""Forms of the parties' door: the public application, the follow-up, signing, and the staff's steps."""
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from blueprints.forms import PHONE, id_or_none, required, text_limit
from models.door import MAX_TEXT

PLEASE = ("", "请选择")


class ApplyForm(FlaskForm):
    # area: "<unit id>|<township>" from optgroups per unit; checked by the model
    area = SelectField("纠纷发生地", validators=[DataRequired(message="请选择纠纷发生地")], validate_choice=False)
    category = SelectField("纠纷类型", validators=[DataRequired(message="请选择纠纷类型")], validate_choice=False)
    description = TextAreaField("纠纷简要情况", validators=[required("纠纷简要情况"), text_limit(MAX_TEXT)],
                                render_kw={"rows": 6})
    requests = TextAreaField("您的请求（可不填）", validators=[Optional(), text_limit(MAX_TEXT)], render_kw={"rows": 3})
    applicant_name = StringField("您的姓名", validators=[required("您的姓名"), text_limit(200)],
                                 render_kw={"autocomplete": "name"})
    applicant_phone = StringField("联系电话", validators=[required("联系电话"), PHONE],
                                  render_kw={"autocomplete": "tel", "inputmode": "tel"})
    applicant_email = StringField("电子邮箱（可不填，填写的将收到受理编号和查询码）",
                                  validators=[Optional(), Length(max=200, message="电子邮箱过长")],
                                  render_kw={"autocomplete": "email", "inputmode": "email"})
    applicant_address = StringField("您的住址（可不填）", validators=[Optional(), text_limit(500)])
    other_name = StringField("对方当事人姓名或名称（知道的填写）", validators=[Optional(), text_limit(200)])
    other_phone = StringField("对方联系电话（知道的填写）", validators=[Optional(), PHONE])
    other_address = StringField("对方住址或单位（知道的填写）", validators=[Optional(), text_limit(500)])
    consent = BooleanField("我同意按上述目的和期限处理我填写的信息",
                           validators=[DataRequired(message="须同意按所述目的和期限处理您填写的信息，才能提交申请")])
    challenge_token = HiddenField()
    challenge_answer = StringField("请计算", validators=[Optional(), Length(max=5, message="请填写数字")],
                                   render_kw={"inputmode": "numeric", "autocomplete": "off"})


class FollowForm(FlaskForm):
    number = StringField("受理编号", validators=[required("受理编号"), Length(max=30, message="受理编号有误")],
                         render_kw={"autocomplete": "off", "placeholder": "SQ2026-00001"})
    code = StringField("查询码", validators=[required("查询码"), Length(max=20, message="查询码有误")],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters"})


class SignForm(FlaskForm):
    signature = HiddenField("签名")  # the canvas's PNG as a data URL, filled by static/js/signature.js
    text_sha256 = HiddenField()
    confirm = BooleanField("我已阅读上述协议全文，同意并签名",
                           validators=[DataRequired(message="请先阅读协议全文并勾选确认")])


class DispatchForm(FlaskForm):
    contractor_id = SelectField("调解组织", coerce=id_or_none, validators=[DataRequired(message="请选择调解组织")],
                                validate_choice=False)


class ReasonForm(FlaskForm):
    reason = TextAreaField("理由", validators=[required("理由"), text_limit(MAX_TEXT)], render_kw={"rows": 3})


class SigningForm(FlaskForm):
    matters = TextAreaField("纠纷主要事实、争议事项", validators=[required("纠纷事项"), text_limit()], render_kw={"rows": 4})
    responsibility = TextAreaField("各方当事人的责任", validators=[Optional(), text_limit()], render_kw={"rows": 3})
    terms = TextAreaField("协议内容", validators=[required("协议内容"), text_limit()], render_kw={"rows": 5})
    performance = TextAreaField("履行方式、时限", validators=[Optional(), text_limit()], render_kw={"rows": 2})
    performance_due = DateField("履行期限（可不填）", validators=[Optional()], render_kw={"type": "date"})


class ButtonForm(FlaskForm):
    """A bare button: only the CSRF token."""
