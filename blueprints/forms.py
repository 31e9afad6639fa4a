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
