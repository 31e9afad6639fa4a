from flask_wtf import FlaskForm
from wtforms import DateField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from blueprints.forms import PHONE, choices, required, text_limit, VersionedForm
from models.user import ROLES
from models.passwords import RULES_TEXT, StrongPassword

USERNAME = Regexp(r"^[A-Za-z0-9_.@-]{3,80}$", message="用户名为 3-80 位字母、数字或 _ . @ -")
EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="请填写有效的电子邮箱地址")


def email_field(label="电子邮箱（接收通知，可不填）"):
    return StringField(label, validators=[Optional(), Length(max=200, message="电子邮箱过长"), EMAIL])


class UserForm(FlaskForm):
    username = StringField("用户名", validators=[required("用户名"), USERNAME])
    display_name = StringField("姓名", validators=[required("姓名"), Length(max=100, message="姓名过长")])
    role = SelectField("角色", choices=choices(ROLES.items()), validators=[DataRequired(message="请选择角色")])
    unit_id = SelectField("所属单位", coerce=int, validators=[Optional()])
    contractor_id = SelectField("所属承接主体", coerce=int, validators=[Optional()])
    evaluation_body_id = SelectField("所属评价机构", coerce=int, validators=[Optional()])
    email = email_field()
    password = PasswordField("初始密码", validators=[required("初始密码"), StrongPassword()],
                             description=RULES_TEXT)


class EmailForm(FlaskForm):
    email = email_field()


class ResetPasswordForm(FlaskForm):
    password = PasswordField("新的临时密码", validators=[required("新的临时密码"), StrongPassword()],
                             description=RULES_TEXT)


class EvaluationBodyForm(FlaskForm):
    name = StringField("机构名称", validators=[required("机构名称"), text_limit(500)])
    uscc = StringField("统一社会信用代码", validators=[required("统一社会信用代码")])
    contact_name = StringField("联系人", validators=[required("联系人"), text_limit(100)])
    contact_phone = StringField("联系电话", validators=[required("联系电话"), PHONE])


class UnitForm(FlaskForm):
    uscc = StringField("统一社会信用代码", validators=[Optional()])


class EmptyForm(FlaskForm):
    """CSRF only, for buttons that post."""


class ServiceItemForm(FlaskForm):
    code = StringField("编号", validators=[required("编号"), Regexp(r"^[A-Z][0-9A-Z]{0,9}$", message="编号为大写字母开头的 1-10 位字母或数字")])
    category = SelectField("类别", choices=choices([("mediation", "人民调解"), ("assistance", "安置帮教")]),
                           validators=[DataRequired(message="请选择类别")])
    name = StringField("名称", validators=[required("名称"), text_limit(500)])
    default_standard = TextAreaField("默认服务标准", validators=[required("默认服务标准"), text_limit()])


class WorkingDayForm(FlaskForm):
    day = DateField("日期", validators=[DataRequired(message="请填写日期")], render_kw={"type": "date"})
    is_working = SelectField("调整为", choices=choices([("1", "工作日"), ("0", "休息日")]),
                             validators=[DataRequired(message="请选择")])
    note = StringField("说明", validators=[Optional(), Length(max=200, message="说明过长")])


class SettingsForm(VersionedForm, FlaskForm):
    """The settings page: its values are read from the request by key; the version is their sum."""
