"""Assertions shared by the HTTP tests."""
import html
import re

from sqlalchemy import func, inspect, select

from extensions import db

UNCOUNTED = {"audit_log", "login_attempt", "pending_upload"}  # (a refused registration keeps its files)


def row_counts():
    """Rows in every table but the audit log and rate-limit counters: a refusal must not change them.

    (Tables the migrations have not created yet are left to the schema test to report.)
    """
    existing = set(inspect(db.session.connection()).get_table_names())
    return {t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in db.metadata.sorted_tables if t.name not in UNCOUNTED and t.name in existing}


def field_error(body, field_id):
    """The error messages rendered beside one field: the form macro gives them id <field id>-error, and a
    field's id is its name after its form's prefix (`payment-amount`), so `field_id` may leave the prefix out."""
    pattern = rf'<p class="error" id="(?:[a-z][a-z0-9-]*-)?{re.escape(field_id)}-error(?:-[0-9]+)?">(.*?)</p>'
    return [html.unescape(m) for m in re.findall(pattern, body)]


def text(response):
    return response.get_data(as_text=True)


def versioned(data, record):
    """Form data as an edit page would post it: with the version of the record it was based on."""
    return dict(data, record_version=str(record.row_version))


def page_version(client, page_url, action):
    """The version carried by the edit form that posts to `action` on the page (what a browser sends)."""
    body = text(client.get(page_url))
    form = re.search(r'<form[^>]*action="%s"[^>]*>(.*?)</form>' % re.escape(action), body, re.S)
    assert form, f"no form posting to {action} on {page_url}"
    return re.search(r'name="record_version" value="(\d+)"', form.group(1)).group(1)
