"""Extensions, created once and bound to the app in create_app."""
from flask import g, has_request_context
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect, FlaskForm
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase
from wtforms.meta import DefaultMeta

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
