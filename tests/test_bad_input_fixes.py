"""Regressions for what the bad-input fuzz (tests/test_bad_input.py) found, one plain test per fix."""
from tests.factories import org
from tests.helpers import field_error, row_counts, text
from tests.test_mediation_cases import intake_data


def test_wtforms_own_messages_are_chinese(app, login):
    """A value WTForms itself cannot read (an impossible date, a choice not offered) gets a Chinese message."""
    c = login("worker_x")
    before = row_counts()
    r = c.send("/mediation/", intake_data(**{"parties-0-birth_date": "2026-02-30", "category": "nonsense"}))
    assert r.status_code == 422
    assert field_error(text(r), "parties-0-birth_date") == ["请填写有效的日期（如 2026-11-27）"]
    assert field_error(text(r), "category") == ["请从列表中选择"]
    assert row_counts() == before


def test_admin_calendar_refuses_an_unknown_choice_in_chinese(app, login):
    r = login("admin").send("/admin/working-days", {"day": "2026-12-01", "is_working": "maybe"})
    assert r.status_code == 422
    assert field_error(text(r), "is_working") == ["请从列表中选择"]


def _lift_refused(app, headers=None):
    """`services.web.invalid` with a re-render that does not carry the form (since the state is checked
    before the form, no route of the app leaves one like that today; the fallback stays for fragments)."""
    from flask import render_template

    from blueprints.contractors.forms import LiftForm
    from services.web import invalid

    with app.test_request_context("/contractors/1/lift", method="POST", data={}, headers=headers or {}):
        form = LiftForm(meta={"csrf": False})
        assert not form.validate()
        answer = invalid(form, lambda f: (render_template("main/landing.html"), 422))
        return app.make_response(answer)


def test_invalid_input_to_a_form_the_page_does_not_show_is_still_explained(app):
    r = _lift_refused(app)
    assert r.status_code == 422
    assert '<div class="flash flash-error" role="status">请填写恢复理由</div>' in text(r)


def test_htmx_post_to_a_form_the_page_does_not_show_gets_the_message_as_a_flash_fragment(app):
    r = _lift_refused(app, {"HX-Request": "true"})
    assert r.status_code == 422
    assert r.headers["HX-Retarget"] == "#flash"
    assert 'data-status="422"' in text(r) and "请填写恢复理由" in text(r)
    assert "<html" not in text(r)


def test_a_state_refusal_comes_before_the_form(app, login):
    """X is not suspended: lifting answers 409 whatever the form holds, and writes nothing."""
    before = row_counts()
    r = login("district_a").send(f"/contractors/{org('X').id}/lift", {})
    assert r.status_code == 409 and row_counts() == before
