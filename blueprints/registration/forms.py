from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, DateField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import EqualTo, Length, Optional

from blueprints.admin.forms import USERNAME
from blueprints.forms import PHONE, MultiCheckboxField, choices, required, text_limit, VersionedForm, id_or_none
from models.codes import CONDITIONS, ORG_TYPES
from models.passwords import RULES_TEXT, StrongPassword


class ConditionFields:
    """Mixin helpers to reach the per-condition fields by number."""

    def statement(self, n):
        return self[f"statement_{n}"]

    def evidence(self, n):
        return self[f"evidence_{n}"]

    def expires_on(self, n):
        return self[f"expires_{n}"] if CONDITIONS[n][2] else None


class RegistrationForm(ConditionFields, FlaskForm):
    name = StringField("机构名称", validators=[required("机构名称"), text_limit()])
    org_type = SelectField("机构类型", choices=choices([("", "请选择")] + list(ORG_TYPES.items())),
                           validators=[required("机构类型")])
    uscc = StringField("统一社会信用代码", validators=[required("统一社会信用代码"), Length(max=40)])
    seat_unit_id = SelectField("住所地（审核单位）", coerce=id_or_none, validators=[required("住所地")])
    legal_representative = StringField("法定代表人", validators=[required("法定代表人"), text_limit()])
    address = StringField("住所（地址）", validators=[required("住所（地址）"), text_limit()])
    contact_name = StringField("联系人", validators=[required("联系人"), text_limit()])
    contact_phone = StringField("联系电话", validators=[required("联系电话"), PHONE])
    serves_mediation = BooleanField("人民调解")
    serves_assistance = BooleanField("安置帮教")
    target_units = MultiCheckboxField("拟服务的购买主体", coerce=int)
    admin_name = StringField("管理员姓名", validators=[required("管理员姓名"), Length(max=100, message="姓名过长")])
    username = StringField("管理员用户名", validators=[required("管理员用户名"), USERNAME])
    password = PasswordField("登录密码", validators=[required("登录密码"), StrongPassword()], description=RULES_TEXT)
    password2 = PasswordField("再次输入密码", validators=[EqualTo("password", message="两次输入的密码不一致")])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not (self.serves_mediation.data or self.serves_assistance.data):
            self.serves_mediation.errors = list(self.serves_mediation.errors) + ["请至少选择一个服务类别"]
            ok = False
        if not self.target_units.data:
            self.target_units.errors = list(self.target_units.errors) + ["请至少选择一个拟服务的购买主体"]
            ok = False
        return ok


for _n, (_title, _evidence, _expires) in CONDITIONS.items():
    setattr(RegistrationForm, f"statement_{_n}",
            TextAreaField(f"条件{_n}：情况说明", validators=[required("情况说明"), text_limit()]))
    setattr(RegistrationForm, f"evidence_{_n}", MultipleFileField(f"条件{_n}：证明材料（{_evidence}）"))
    if _expires:
        setattr(RegistrationForm, f"expires_{_n}",
                DateField("材料有效期至", validators=[required("材料有效期")],
                          render_kw={"type": "date"}))


class ConditionForm(VersionedForm, FlaskForm):
    """The contractor fixes or renews one condition."""

    statement = TextAreaField("情况说明", validators=[required("情况说明"), text_limit()])
    evidence = MultipleFileField("新增证明材料（可多选）")
    remove = MultiCheckboxField("删除原有材料", coerce=int)
    expires_on = DateField("材料有效期至", validators=[Optional()], render_kw={"type": "date"})
