"""Responses shared by the blueprints: page or fragment, redirects after a success, form errors."""
from flask import redirect, render_template, request
from flask_htmx import make_response as hx_response

from extensions import htmx


def wants_fragment(target_id):
    """An htmx request aimed at this fragment (not a boosted page load) gets the fragment alone."""
    return bool(htmx) and not htmx.boosted and htmx.target == target_id


def render(page, fragment=None, target=None, status=200, **context):
    """Render the page, or only its fragment when htmx targets it (Vary is set app-wide)."""
    template = fragment if fragment and target and wants_fragment(target) else page
    return render_template(template, **context), status


def done(url):
    """After a successful POST: 303 to the next page; htmx follows with HX-Location."""
    if htmx and not htmx.boosted:
        return hx_response("", location=url)
    return redirect(url, code=303)


def form_errors_into(form, error):
    """Put a DomainError's message beside its field (or on the form) for a 422 re-render."""
    field = getattr(form, error.field, None) if getattr(error, "field", None) else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def client_address():
    return request.remote_addr or "-"
