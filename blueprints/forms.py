"""Pieces shared by the blueprints' forms."""
from wtforms import HiddenField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

PHONE = Regexp(r"^[0-9+\-() ]{7,20}$", message="请填写有效的电话号码（7-20 位数字，可含 - 和空格）")


def required(label):
    return DataRequired(message=f"请填写{label}")


def text_limit(max_len=10000):
    return Length(max=max_len, message=f"内容过长（最多 {max_len} 字）")


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def id_or_none(value):
    """`coerce` of a required select of ids whose first option is 请选择 with the empty value (so that the
    browser's `required` works): "" is no choice (None, which DataRequired refuses), else an int."""
    if value is None or value == "":
        return None
    return int(value)


def choices(pairs):
    """WTForms choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class VersionedForm:
    """Mixin for a form that edits an existing record: it carries the version it was based on.

    Templates render it with `version_field(form, record)` from _macros.html; the view passes the
    record to `services.web.act(..., record=record)` which refuses an old version (409).
    """

    record_version = HiddenField()

    def populate_obj(self, obj):
        for name, field in self._fields.items():
            if name != "record_version":
                field.populate_obj(obj, name)


# WTForms' own messages (a date it cannot read, a choice that was not offered, a number that is not one)
# in Chinese: its zh catalogue, with the few it lacks and clearer wording for the common ones. Without
# this a clerk who types 2026-02-30 would read "Not a valid date value." beside the field.
MESSAGES = {
    "This field is required.": "此项必填",
    "Not a valid date value.": "请填写有效的日期（如 2026-11-27）",
    "Not a valid datetime value.": "请填写有效的日期和时间",
    "Not a valid time value.": "请填写有效的时间（如 09:30）",
    "Not a valid week value.": "请填写有效的周",
    "Not a valid integer value.": "请填写整数",
    "Not a valid decimal value.": "请填写数字（如 1000.00）",
    "Not a valid float value.": "请填写数字",
    "Not a valid choice.": "请从列表中选择",
    "Invalid Choice: could not coerce.": "请从列表中选择",
    "Invalid choice(s): one or more data inputs could not be coerced.": "请从列表中选择",
    "'%(value)s' is not a valid choice for this field.": "请从列表中选择（“%(value)s”不在其中）",
    "'%(value)s' are not valid choices for this field.": "请从列表中选择（“%(value)s”不在其中）",
    "Date must be at least %(min)s.": "日期不能早于 %(min)s",
    "Date must be at most %(max)s.": "日期不能晚于 %(max)s",
    "Date must be between %(min)s and %(max)s.": "日期应在 %(min)s 和 %(max)s 之间",
    "This field cannot be edited.": "此项不能修改",
    "This field is disabled and cannot have a value.": "此项不可填写",
}


class ChineseMessages:
    """The gettext object WTForms asks for its built-in messages."""

    def __init__(self):
        from wtforms.i18n import get_translations

        self._zh = get_translations(["zh"])

    def gettext(self, string):
        return MESSAGES.get(string) or self._zh.gettext(string)

    def ngettext(self, singular, plural, n):
        return MESSAGES.get(singular if n == 1 else plural) or self._zh.ngettext(singular, plural, n)


CHINESE = ChineseMessages()
