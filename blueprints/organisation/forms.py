from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from blueprints.admin.forms import USERNAME
from blueprints.forms import PHONE, choices, required, text_limit, VersionedForm
from models.codes import PROFESSIONS
from models.passwords import RULES_TEXT, StrongPassword


class StaffForm(VersionedForm, FlaskForm):
    name = StringField("姓名", validators=[required("姓名"), text_limit(200)])
    id_number = StringField("居民身份证号", validators=[required("居民身份证号"), Length(max=40)])
    profession = SelectField("职业", choices=choices([("", "请选择")] + list(PROFESSIONS.items())),
                             validators=[required("职业")])
    phone = StringField("联系电话", validators=[required("联系电话"), PHONE])
    cert_number = StringField("调解员证书编号", validators=[Optional(), Length(max=100, message="证书编号过长")])
    cert_issuer = StringField("发证机关", validators=[Optional(), text_limit(200)])
    cert_valid_from = DateField("证书有效期自", validators=[Optional()], render_kw={"type": "date"})
    cert_valid_until = DateField("证书有效期至", validators=[Optional()], render_kw={"type": "date"})


class WorkerLoginForm(FlaskForm):
    username = StringField("用户名", validators=[required("用户名"), USERNAME])
    password = StringField("初始密码", validators=[required("初始密码"), StrongPassword()], description=RULES_TEXT)
