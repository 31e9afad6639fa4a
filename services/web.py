"""Responses shared by the blueprints: page or fragment, redirects after a success, form errors."""
from flask import redirect, render_template, request, url_for
from flask_htmx import make_response as hx_response

from extensions import htmx


def wants_fragment(target_id):
    """An htmx request aimed at this fragment (not a boosted page load) gets the fragment alone. All three
    headers are read, whatever the request, so every variant of the page names them in Vary."""
    is_htmx, boosted, target = bool(htmx), htmx.boosted, htmx.target
    return is_htmx and not boosted and target == target_id


def render(page, fragment=None, target=None, status=200, **context):
    """Render the page, or only its fragment when htmx targets it (Vary is set app-wide)."""
    template = fragment if fragment and target and wants_fragment(target) else page
    return render_template(template, **context), status


def done(url):
    """After a successful POST: 303 to the next page; htmx follows with HX-Location."""
    if htmx and not htmx.boosted:
        return hx_response("", location=url)
    return redirect(url, code=303)


def place_url(endpoint, place, **values):
    """The page again, opened at the section `place` that shows an action's result (no JavaScript):
    ?done=<place>#<place>; the page then shows the flash inside that section (flash_in_place)."""
    return url_for(endpoint, done=place or None, _anchor=place or None, **values)


def flash_in_place(places, place=None):
    """The section (one of `places`) that shows the flash instead of the top of the page: `place` for an
    htmx answer in place, else the ?done= of a redirect by place_url; None shows it at the top."""
    place = place or request.args.get("done")
    return place if place in places else None


def form_errors_into(form, error):
    """Put a DomainError's message beside its field (or on the form) for a 422 re-render."""
    field = getattr(form, error.field, None) if getattr(error, "field", None) else None
    if field is not None:
        field.errors = list(field.errors) + [error.message]
    else:
        form.form_errors.append(error.message)


def client_address():
    return request.remote_addr or "-"


def check_state(state):
    """Ask the record whether its current state offers the action, before the form is read.

    `state` is a callable that raises TransitionError (or NotAllowed) when it does not: usually the
    model's own guard, the same one the action runs first (e.g. `case.state_check("archive")`). A
    record in the wrong state answers 409 with the model's message whatever the form holds — an empty
    or half-filled form on an already concluded case is not "invalid input" (DESIGN.md §5).
    """
    if state is None:
        return
    from models import DomainError

    try:
        state()
    except DomainError as e:
        if e.status == 422:
            raise
        from extensions import db

        db.session.rollback()
        refuse(e)


def act(form, action, rerender, success_url, message=None, record=None, state=None, in_place=None):
    """The shape of every state-changing view: state, validate, call the model, commit, answer.

    `state` (see check_state) runs first: 409 when the record's state does not offer the action. A
    DomainError of status 422 goes beside its field (or, for a bare button, into the flash) and the
    page comes back with 422; 403 and 409 abort with their error pages. `success_url` may be a
    callable taking the action's result. With `record`, the form (a VersionedForm) must be based on the
    record's current version, else 409 with what changed since (services/versions.py). With `in_place`
    (a callable taking the result), an htmx request gets its answer instead of a redirect: the changed
    section with the message inside it (static/js/place.js brings it into view and focuses it).
    """
    from flask import abort, flash

    from extensions import db
    from models import DomainError

    check_state(state)
    if form.validate_on_submit():
        try:
            if record is not None:
                from services import versions

                versions.check(form, record)
            result = action()
        except DomainError as e:
            db.session.rollback()
            if e.status != 422:
                refuse(e)
            if len(list(form)) <= 1:  # a button: only the CSRF token
                flash(e.message, "error")
            else:
                form_errors_into(form, e)
        else:
            db.session.commit()
            if message:
                flash(message, "success")
            if in_place is not None and htmx and not htmx.boosted:
                return in_place(result)
            return done(success_url(result) if callable(success_url) else success_url)
    elif len(list(form)) <= 1:
        abort(400)
    return invalid(form, rerender)


def _messages_of(form):
    messages = list(form.form_errors)
    for f in form:
        messages += [m for m in f.errors if isinstance(m, str)]
    return list(dict.fromkeys(messages))


def invalid(form, rerender):
    """The 422 re-render, its messages shown even when the page does not carry the form (an action its
    record's state does not offer, a fragment without it): then they go to the flash area."""
    from flask import flash
    from markupsafe import escape

    answer = rerender(form)
    body = answer[0] if isinstance(answer, tuple) else answer
    body = body if isinstance(body, str) else body.get_data(as_text=True)
    messages = _messages_of(form)
    if not messages or any(str(escape(m)) in body for m in messages):
        return answer
    if htmx and not htmx.boosted:
        return (render_template("errors/_fragment.html", code=422, title="输入有误", text="；".join(messages)), 422,
                {"HX-Retarget": "#flash", "HX-Reswap": "innerHTML"})
    from flask import session
    from flask.globals import request_ctx

    taken = request_ctx.flashes  # what the first render already took out of the session
    for m in messages:
        flash(m, "error")
    if taken is not None:
        request_ctx.flashes = list(taken) + session.pop("_flashes", [])
    return rerender(form)


def refuse(error):
    """Abort with a DomainError's status (403, 409), its own message on the error page."""
    from werkzeug.exceptions import default_exceptions

    exc = default_exceptions[error.status]()
    exc.fengqiao_message = error.message
    raise exc
