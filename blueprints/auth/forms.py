from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from models.passwords import RULES_TEXT, StrongPassword


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired(message="请填写用户名"), Length(max=80)])
    password = PasswordField("密码", validators=[DataRequired(message="请填写密码"), Length(max=200)])


class PasswordForm(FlaskForm):
    current = PasswordField("当前密码", validators=[DataRequired(message="请填写当前密码")])
    new = PasswordField("新密码", validators=[DataRequired(message="请填写新密码"), StrongPassword()],
                        description=RULES_TEXT)
    confirm = PasswordField("再次输入新密码", validators=[EqualTo("new", message="两次输入的新密码不一致")])
