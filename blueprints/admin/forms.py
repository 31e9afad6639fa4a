from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from blueprints.forms import PHONE, choices, required, text_limit
from models.user import ROLES

USERNAME = Regexp(r"^[A-Za-z0-9_.@-]{3,80}$", message="用户名为 3-80 位字母、数字或 _ . @ -")


class UserForm(FlaskForm):
    username = StringField("用户名", validators=[required("用户名"), USERNAME])
    display_name = StringField("姓名", validators=[required("姓名"), Length(max=100, message="姓名过长")])
    role = SelectField("角色", choices=choices(ROLES.items()), validators=[DataRequired(message="请选择角色")])
    unit_id = SelectField("所属单位", coerce=int, validators=[Optional()])
    contractor_id = SelectField("所属承接主体", coerce=int, validators=[Optional()])
    evaluation_body_id = SelectField("所属评价机构", coerce=int, validators=[Optional()])
    password = PasswordField("初始密码", validators=[required("初始密码"),
                                                 Length(min=8, max=200, message="密码至少 8 位")])


class ResetPasswordForm(FlaskForm):
    password = PasswordField("新的临时密码", validators=[required("新的临时密码"),
                                                   Length(min=8, max=200, message="密码至少 8 位")])


class EvaluationBodyForm(FlaskForm):
    name = StringField("机构名称", validators=[required("机构名称"), text_limit(500)])
    uscc = StringField("统一社会信用代码", validators=[required("统一社会信用代码")])
    contact_name = StringField("联系人", validators=[required("联系人"), text_limit(100)])
    contact_phone = StringField("联系电话", validators=[required("联系电话"), PHONE])


class EmptyForm(FlaskForm):
    """CSRF only, for buttons that post."""
