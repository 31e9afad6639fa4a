"""Rows of the historical-case workbook (marshmallow): Chinese column names in, model fields out.

The workbook template (services/mediation_import.py writes it) has a sheet 案件 with one row per case
and a sheet 当事人 with one row per party, joined by the original case number (several parties per
side allowed). Code-list columns take the Chinese label shown in the app (or the stored key).
"""
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validates_schema

from models.mediation import code_table
from models.mediation_codes import GENDERS, PARTY_KINDS, SIDES, SOURCES

NUMBER = re.compile(r"^（(\d{4})）\S*?第(\d+)号$")
OUTCOMES = {"调解成功（书面协议）": "written", "调解成功（口头协议）": "oral", "调解不成": "failed", "撤回": "withdrawn",
            "拒绝调解": "refused"}

CASE_COLUMNS = ["案号", "受理日期", "案件来源", "移送单位", "纠纷类型", "发生地", "乡镇（街道）", "争议金额", "纠纷简要情况",
                "请求事项", "结果", "结案日期", "协议内容"]
PARTY_COLUMNS = ["案号", "身份", "类型", "姓名或名称", "证件号码", "性别", "民族", "出生日期", "职业", "住所", "电话",
                 "同意回访"]


class Code(fields.Field):
    """A code-list value given by its label or key."""

    def __init__(self, table, **kwargs):
        super().__init__(**kwargs)
        self.table = table

    def _deserialize(self, value, attr, data, **kwargs):
        text = str(value).strip()
        table = self.table() if callable(self.table) else self.table
        if text in table:
            return text
        for key, label in table.items():
            if label == text:
                return key
        raise ValidationError(f"「{text}」不在代码表中")


class Day(fields.Field):
    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip().replace("/", "-"))
        except ValueError:
            raise ValidationError(f"「{value}」不是日期（应为 2026-03-01）") from None


class Money(fields.Field):
    def _deserialize(self, value, attr, data, **kwargs):
        try:
            amount = Decimal(str(value).strip().replace(",", "")).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValidationError(f"「{value}」不是金额") from None
        if amount < 0:
            raise ValidationError("争议金额不能为负数")
        return amount


class Text(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        return str(value).strip()


def _required(label):
    return {"required": True, "error_messages": {"required": f"缺少{label}", "null": f"缺少{label}"}}


class CaseRow(Schema):
    class Meta:
        unknown = EXCLUDE

    number = Text(data_key="案号", **_required("案号"))
    received_on = Day(data_key="受理日期", **_required("受理日期"))
    source = Code(SOURCES, data_key="案件来源", **_required("案件来源"))
    source_body = Text(data_key="移送单位", load_default=None, allow_none=True)
    category = Code(lambda: code_table("category"), data_key="纠纷类型", **_required("纠纷类型"))
    area = Text(data_key="发生地", **_required("发生地"))
    township = Text(data_key="乡镇（街道）", load_default="", allow_none=True)
    amount = Money(data_key="争议金额", load_default=None, allow_none=True)
    facts = Text(data_key="纠纷简要情况", **_required("纠纷简要情况"))
    requests = Text(data_key="请求事项", load_default="", allow_none=True)
    outcome = Code({v: k for k, v in OUTCOMES.items()}, data_key="结果", load_default=None, allow_none=True)
    concluded_on = Day(data_key="结案日期", load_default=None, allow_none=True)
    terms = Text(data_key="协议内容", load_default="", allow_none=True)

    @validates_schema
    def _rules(self, data, **kwargs):
        match = NUMBER.match(data["number"])
        if not match:
            raise ValidationError("案号格式应为（2025）昆调字第15号", "number")
        if int(match.group(1)) != data["received_on"].year:
            raise ValidationError("案号年度与受理日期年度不一致", "number")
        if data.get("outcome") and data.get("concluded_on") is None:
            raise ValidationError("有结果的案件须填写结案日期", "concluded_on")
        if data.get("concluded_on") and data["concluded_on"] < data["received_on"]:
            raise ValidationError("结案日期不能早于受理日期", "concluded_on")
        if data.get("concluded_on") and not data.get("outcome"):
            raise ValidationError("填写了结案日期的案件须填写结果", "outcome")


class PartyRow(Schema):
    class Meta:
        unknown = EXCLUDE

    number = Text(data_key="案号", **_required("案号"))
    side = Code(SIDES, data_key="身份", **_required("身份"))
    kind = Code(PARTY_KINDS, data_key="类型", load_default="person", allow_none=True)
    name = Text(data_key="姓名或名称", **_required("姓名或名称"))
    id_number = Text(data_key="证件号码", load_default=None, allow_none=True)
    gender = Code(GENDERS, data_key="性别", load_default=None, allow_none=True)
    ethnicity = Text(data_key="民族", load_default=None, allow_none=True)
    birth_date = Day(data_key="出生日期", load_default=None, allow_none=True)
    occupation = Text(data_key="职业", load_default=None, allow_none=True)
    address = Text(data_key="住所", load_default=None, allow_none=True)
    phone = Text(data_key="电话", load_default=None, allow_none=True)
    contact_ok = Text(data_key="同意回访", load_default="", allow_none=True)

    @validates_schema
    def _rules(self, data, **kwargs):
        from models.identifiers import id_number_error, uscc_error

        if data.get("id_number"):
            error = (id_number_error if (data.get("kind") or "person") == "person" else uscc_error)(data["id_number"])
            if error:
                raise ValidationError(error, "id_number")


def messages(error):
    """A ValidationError's messages as one Chinese line."""
    parts = []
    for value in error.normalized_messages().values():
        parts.extend(value if isinstance(value, list) else [str(value)])
    return "；".join(str(p) for p in parts)
