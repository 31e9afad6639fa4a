"""The administrator's pages: users, evaluation bodies, settings; the audit log."""
import json

from sqlalchemy import select

from demo.helpers import make_uscc
from extensions import db
from models import AuditLog, EvaluationBody, User
from services import settings
from tests import factories
from tests.helpers import field_error, page_version, row_counts, text


def _new_user(**kw):
    data = {"username": "kdl_clerk", "display_name": "李秀兰", "role": "district",
            "unit_id": str(factories.unit("150203").id), "contractor_id": "0", "evaluation_body_id": "0",
            "password": "Start-pass-1"}
    data.update(kw)
    return data


def test_admin_creates_a_district_user_who_must_change_the_password(login):
    admin = login("admin")
    assert admin.send("/admin/users", _new_user()).status_code == 303
    user = db.session.scalar(select(User).where(User.username == "kdl_clerk"))
    assert user.role == "district" and user.unit.code == "150203" and user.must_change_password
    assert user.password_hash != "Start-pass-1" and user.check_password("Start-pass-1")
    assert "kdl_clerk" in text(admin.get("/admin/users?role=district"))


def test_a_role_without_its_affiliation_is_refused(login):
    admin = login("admin")
    for data, field in ((_new_user(unit_id="0"), "unit_id"),
                        (_new_user(role="city"), "unit_id"),
                        (_new_user(role="contractor"), "contractor_id"),
                        (_new_user(role="evaluator"), "evaluation_body_id")):
        before = row_counts()
        r = admin.send("/admin/users", data)
        assert r.status_code == 422, data
        assert field_error(text(r), field), (data, field)
        assert row_counts() == before


def test_a_taken_username_is_refused(login):
    r = login("admin").send("/admin/users", _new_user(username="district_a"))
    assert r.status_code == 422 and "已被使用" in text(r)


def test_admin_disables_and_enables_a_user_but_not_itself(login):
    admin = login("admin")
    target = factories.user("district_b")
    assert admin.send(f"/admin/users/{target.id}/toggle").status_code == 303
    assert target.active is False
    assert admin.send(f"/admin/users/{target.id}/toggle").status_code == 303
    assert target.active is True
    assert admin.send(f"/admin/users/{factories.user('admin').id}/toggle").status_code == 409


def test_admin_registers_an_evaluation_body(login):
    admin = login("admin")
    code = make_uscc("91150203MA0Q55555")
    data = {"name": "包头市公信评估中心 & <第三方>", "uscc": code, "contact_name": "朱晓燕", "contact_phone": "0472-5555555"}
    assert admin.send("/admin/evaluation-bodies", data).status_code == 303
    body = db.session.scalar(select(EvaluationBody).where(EvaluationBody.uscc == code))
    assert body.name == "包头市公信评估中心 & <第三方>"
    r = admin.send("/admin/evaluation-bodies", data)
    assert r.status_code == 422 and "已登记" in text(r)
    r = admin.send("/admin/evaluation-bodies", dict(data, uscc=code[:-1] + "0" if code[-1] != "0" else code[:-1] + "1"))
    assert r.status_code == 422 and "校验位" in text(r)


def test_settings_are_edited_and_validated(login):
    c = login("city")
    values = {key: json.dumps(settings.get(key)) if isinstance(settings.get(key), dict) else str(settings.get(key))
              for key in settings.DEFAULTS}
    values["qualification.reminder_days"] = "45"
    values["record_version"] = page_version(c, "/admin/settings", "/admin/settings")
    assert c.send("/admin/settings", values).status_code == 303
    assert settings.get("qualification.reminder_days") == 45
    before = row_counts()
    r = c.send("/admin/settings", dict(values, **{"login.window_minutes": "-3"}))
    assert r.status_code == 422 and "整数" in text(r)
    assert row_counts() == before


def test_audit_entries_name_fields_not_values(login):
    c = login("contractor_x")
    staff_id = factories.org("X").staff[0].id
    data = {"name": "张志强（新）", "id_number": "150203199001010010", "profession": "mediator",
            "phone": "13900000000", "cert_number": "包司调证〔2025〕1号", "cert_issuer": "包头市司法局",
            "cert_valid_from": "2026-01-01", "cert_valid_until": "2027-12-31"}
    data["record_version"] = page_version(c, f"/organisation/staff/{staff_id}/edit", f"/organisation/staff/{staff_id}")
    assert c.send(f"/organisation/staff/{staff_id}", data).status_code == 303
    entry = db.session.scalar(select(AuditLog).where(AuditLog.record_type == "staff_member",
                                                     AuditLog.record_id == staff_id, AuditLog.action == "update"))
    assert "name" in entry.fields and "phone" in entry.fields
    assert entry.username == "contractor_x"
    dumped = " ".join(str(v) for e in db.session.scalars(select(AuditLog)) for v in
                      (e.fields, e.detail, e.username, e.record_type))
    assert "张志强" not in dumped and "13900000000" not in dumped


def test_state_changes_are_audited_as_transitions(login):
    x = factories.org("X")
    login("district_a").send(f"/contractors/{x.id}/suspend", {"reason_code": "inspection"})
    entry = db.session.scalar(select(AuditLog).where(AuditLog.record_type == "contractor", AuditLog.record_id == x.id,
                                                     AuditLog.action == "transition")
                               .order_by(AuditLog.id.desc()))
    assert entry.detail == "suspended" and entry.fields == ["status"]


def test_audit_log_is_browsed_and_filtered(login):
    login("district_a")
    c = login("city")
    page = text(c.get("/audit/?action=login"))
    assert "district_a" in page and "登录" in page
    fragment = text(c.get("/audit/?action=login_failed", headers={"HX-Request": "true", "HX-Target": "audit-table"}))
    assert "<html" not in fragment and "district_a" not in fragment
    assert "district_a" in text(c.get("/audit/?username=district_a"))


def test_risk_points_are_a_setting_that_changes_the_score(login):
    from models import risk

    answers = {factor: next(iter(options)) for factor, (_, options) in risk.FACTORS.items()}
    before = risk.score(answers)[0]
    c = login("city")
    values = {key: json.dumps(settings.get(key)) if isinstance(settings.get(key), dict) else str(settings.get(key))
              for key in settings.DEFAULTS}
    points = settings.get("risk.points")
    first_factor = next(iter(risk.FACTORS))
    first_answer = answers[first_factor]
    points[first_factor][first_answer] += 3
    values["record_version"] = page_version(c, "/admin/settings", "/admin/settings")
    assert c.send("/admin/settings", dict(values, **{"risk.points": json.dumps(points)})).status_code == 303
    assert risk.score(answers)[0] == before + 3
    values["record_version"] = page_version(c, "/admin/settings", "/admin/settings")
    broken = dict(points)
    broken.pop(first_factor)
    r = c.send("/admin/settings", dict(values, **{"risk.points": json.dumps(broken)}))
    assert r.status_code == 422 and "不能增删" in text(r)
    r = c.send("/admin/settings", dict(values, **{"risk.points": "{not json"}))
    assert r.status_code == 422 and "JSON" in text(r)
