"""Extensions, created once and bound to the app in create_app."""
import re

from flask import g, has_request_context
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect, FlaskForm
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase
from wtforms.csrf.core import CSRFTokenField
from wtforms.meta import DefaultMeta
from wtforms.widgets import HiddenInput

# Named constraints, so that later migrations can alter them (SQLite batch mode needs names).
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()


class VaryingHTMX(HTMX):
    """flask-htmx, noting which htmx request headers chose the response, so that app.py names them in Vary
    (a cache must not hand a fragment chosen by HX-Target to a full page load, or the other way round)."""

    @staticmethod
    def _read(header):
        if has_request_context():
            g.setdefault("htmx_vary", set()).add(header)

    def __bool__(self):
        self._read("HX-Request")
        return super().__bool__()

    @property
    def boosted(self):
        self._read("HX-Boosted")
        return super().boosted

    @property
    def target(self):
        self._read("HX-Target")
        return super().target


htmx = VaryingHTMX()


def _chinese_form_messages(meta, form):
    from blueprints.forms import CHINESE

    return CHINESE


# Every form speaks Chinese, its built-in messages too (flask-wtf would need flask-babel for that); plain
# WTForms forms nested in a FlaskForm (a case's parties) as well.
FlaskForm.Meta.get_translations = DefaultMeta.get_translations = _chinese_form_messages


class _HiddenInputWithoutId(HiddenInput):
    """The CSRF token's hidden input: no id, so that a page with many forms repeats no id."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", False)
        return super().__call__(field, **kwargs)


def form_id_prefix(form):
    """The prefix of a form's field ids: `id_prefix` if the form sets one, else from its class name
    ("AmendmentForm" -> "amendment", "ContractPublishForm" -> "contract-publish")."""
    prefix = getattr(form, "id_prefix", None)
    if prefix:
        return prefix
    # a class made on the fly (`class _Form(ReviewForm)`) is named after the first named class it derives from
    named = next((c.__name__ for c in type(form).__mro__ if not c.__name__.startswith("_")), "Form")
    name = named.removesuffix("Form") or "form"
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def _bind_field_with_form_ids(meta, form, unbound_field, options):
    """Field ids carry their form's prefix (`amendment-amount`, `payment-amount`) while names stay as they
    are, so that the several forms of one page never share an id and every label names its own field."""
    if issubclass(unbound_field.field_class, CSRFTokenField):
        options = dict(options, widget=_HiddenInputWithoutId())
    elif "id" not in unbound_field.kwargs:
        options = dict(options, id=f"{form_id_prefix(form)}-{options.get('prefix') or ''}{options['name']}")
    return unbound_field.bind(form=form, **options)


FlaskForm.Meta.bind_field = _bind_field_with_form_ids
