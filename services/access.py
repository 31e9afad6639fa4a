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
