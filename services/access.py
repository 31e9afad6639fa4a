"""Access checks shared by every view: who may use a route (403) and what records they see (404)."""
from functools import wraps

from flask import abort
from flask_login import current_user

from extensions import db, login_manager


def roles_required(*roles):
    """Anonymous visitors go to the login page; a signed-in user of another role gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.roles = roles
        return wrapped

    return decorator


def get_in_scope(query):
    """The one record a scoped query finds, or 404: outside scope looks the same as missing."""
    obj = db.session.execute(query).scalars().first()
    if obj is None:
        abort(404)
    return obj


def unit_scope(query, unit_column, contractor_column=None):
    """Purchase-side records: the city reads all units'; unit staff and finance their own unit's;
    a contractor (where the record names one) its own; anyone else nothing."""
    from sqlalchemy import false

    role = current_user.role
    if role == "city":
        return query
    if role in ("district", "finance"):
        return query.where(unit_column == current_user.unit_id)
    if role == "contractor" and contractor_column is not None:
        return query.where(contractor_column == current_user.contractor_id)
    return query.where(false())


def require_own_unit(unit_id):
    """Acting on a purchase-side record is for its own unit's staff; the city reads others' (403)."""
    if not (current_user.is_unit_staff and current_user.unit_id == unit_id):
        abort(403)
