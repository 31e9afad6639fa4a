"""Case numbers stay unique when several mediation organisations are seated in one district: each has
its own code ({short}) beside its own counter. Over HTTP: intake, case page, agreement, the code's
editors (seat unit, administrator) and the pattern setting that must keep all three placeholders."""
import json
from datetime import timedelta

from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, select, text as sql

from demo.helpers import make_id_number, make_uscc
from extensions import db
from models import Contractor, StaffMember
from models.mediation import MediationCase
from models import clock
from services import settings
from tests import factories
from tests.conftest import TODAY, make_app
from tests.docs import docx_text
from tests.helpers import field_error, page_version, row_counts, text
from tests.test_mediation_cases import AGREEMENT, intake_data, record_data

USCC_Z = make_uscc("52150203MJ0000904")  # a second mediation organisation seated in 昆都仑区


def second_org():
    """Organisation Z in X's district, with its admin contractor_z and one certified mediator."""
    z = factories.make_contractor("鹿城调解中心", USCC_Z, "150203", admin_username="contractor_z")
    db.session.add(StaffMember(contractor=z, name="周文静", profession="mediator", phone="13847200009",
                               id_number=make_id_number("150203", clock.today().replace(year=1982), 31),
                               cert_number="包司调证〔2025〕9号", cert_issuer="包头市司法局",
                               cert_valid_from=clock.today() - timedelta(days=100),
                               cert_valid_until=clock.today() + timedelta(days=300)))
    db.session.commit()
    return z


def register(client):
    r = client.send("/mediation/", intake_data())
    assert r.status_code == 303, text(r)[:1500]
    return db.session.scalars(select(MediationCase).order_by(MediationCase.id.desc())).first()


def test_two_organisations_of_one_district_get_distinct_numbers(app, login):
    z = second_org()
    x_client, z_client = login("contractor_x"), login("contractor_z")
    x1, z1, x2, z2 = register(x_client), register(z_client), register(x_client), register(z_client)
    assert [c.number for c in (x1, z1, x2, z2)] == ["（2026）昆调字第1号", "（2026）昆2调字第1号",
                                                     "（2026）昆调字第2号", "（2026）昆2调字第2号"]
    assert (z1.contractor_id, z1.seq) == (z.id, 1) and z.case_code == "昆2"
    # The number on the case page and in the agreement.
    url = f"/mediation/{z2.id}"
    assert "（2026）昆2调字第2号" in text(z_client.get(url))
    assert z_client.send(url + "/assign", {"staff_ids": [str(z.staff[0].id)]}).status_code == 303
    assert z_client.send(url + "/records", record_data("investigation")).status_code == 303
    assert z_client.send(url + "/notice", {"given_on": "2026-11-27"}).status_code == 303
    assert z_client.send(url + "/records", record_data("session", result="达成协议")).status_code == 303
    assert z_client.send(url + "/succeed", AGREEMENT).status_code == 303
    r = z_client.get(url + "/documents/agreement")
    assert r.status_code == 200 and "（2026）昆2调字第2号" in docx_text(r.data)


def test_the_seat_unit_and_the_administrator_set_the_code(app, login):
    z = second_org()
    x = factories.org("X")
    register(login("contractor_z"))  # （2026）昆2调字第1号
    page = text(login("district_a").get(f"/contractors/{z.id}"))
    assert "昆2" in page and "（2026）昆2调字第1号" in page and 'id="case-code-edit"' in page
    assert 'id="case-code-edit"' not in text(login("district_b").get(f"/contractors/{z.id}"))
    seat = login("district_a")
    r = seat.send(f"/contractors/{z.id}/case-code", {"case_code": "鹿城"})
    assert r.status_code == 303 and z.case_code == "鹿城"
    nxt = register(login("contractor_z"))
    assert nxt.number == "（2026）鹿城调字第2号"  # the counter goes on; old numbers keep their old code
    assert db.session.scalar(select(MediationCase.number).where(MediationCase.seq == 1,
                                                                MediationCase.contractor_id == z.id)) == "（2026）昆2调字第1号"
    before = row_counts()
    for code, message in (("昆", "已被其他调解组织使用"), ("昆 2", "1 到 10 个"), ("<b>", "1 到 10 个"),
                          ("十一个字的编号代字太长了", "1 到 10 个")):
        x.case_code = x.case_code or x.default_case_code()
        db.session.commit()
        r = seat.send(f"/contractors/{z.id}/case-code", {"case_code": code})
        assert r.status_code == 422 and message in " ".join(field_error(text(r), "case_code")), code
    assert row_counts() == before and z.case_code == "鹿城"
    # 昆2 is free again, but Z's own old numbers carry it: Z may take it back, X may not.
    assert seat.send(f"/contractors/{x.id}/case-code", {"case_code": "昆2"}).status_code == 422
    assert login("district_b").send(f"/contractors/{z.id}/case-code", {"case_code": "Z"}).status_code == 403
    assert login("contractor_z").send(f"/contractors/{z.id}/case-code", {"case_code": "Z"}).status_code == 403
    admin = login("admin")
    page = text(admin.get("/admin/case-codes"))
    assert "鹿城调解中心" in page and "（2026）鹿城调字第1号" in page
    r = admin.send(f"/contractors/{z.id}/case-code", {"case_code": "昆"})
    assert r.status_code == 422 and "已被其他调解组织使用" in text(r)
    r = admin.send(f"/contractors/{z.id}/case-code", {"case_code": "昆鹿"})
    assert r.status_code == 303 and r.headers["Location"].endswith("/admin/case-codes") and z.case_code == "昆鹿"


def test_a_number_already_taken_is_refused_with_a_message_not_a_crash(app, login):
    """History can clash (an imported case of another organisation carries the number): 409, nothing written."""
    x = factories.org("X")
    z = second_org()
    x.case_code, z.case_code = "昆", "昆2"
    db.session.add(MediationCase(contractor_id=z.id, area_unit_id=x.seat_unit_id, year=2026, seq=1,
                                 number="（2026）昆调字第1号", source="application_oral", category="neighbour",
                                 facts="导入的历史案件", requests="", received_on=clock.today(),
                                 due_on=clock.today()))
    db.session.commit()
    before = row_counts()
    r = login("contractor_x").send("/mediation/", intake_data())
    assert r.status_code == 409 and "已被其他案件使用" in text(r)
    assert row_counts() == before


def test_the_number_pattern_must_keep_every_placeholder(app, login):
    admin = login("admin")
    values = {key: json.dumps(settings.get(key)) if isinstance(settings.get(key), dict) else str(settings.get(key))
              for key in settings.DEFAULTS}
    values["record_version"] = page_version(admin, "/admin/settings", "/admin/settings")
    before = row_counts()
    for bad in ("（{year}）人调字第{seq}号", "（{year}）{short}调字第{seq}号{other}", "{year}{short}{seq}{seq}",
                "（{year}）{short}调字第{seq:03d}号", "（{year}）{short}调字第{seq}号{"):
        r = admin.send("/admin/settings", dict(values, **{"mediation.number_pattern": bad}))
        assert r.status_code == 422 and "{short}" in text(r), bad
    assert row_counts() == before
    r = admin.send("/admin/settings", dict(values, **{"mediation.number_pattern": "{short}调〔{year}〕{seq}号"}))
    assert r.status_code == 303 and settings.get("mediation.number_pattern") == "{short}调〔{year}〕{seq}号"


def test_the_migration_gives_existing_organisations_codes_and_keeps_numbers(tmp_path):
    uri = "sqlite:///" + str(tmp_path / "codes.db")
    app = make_app(uri)
    with app.app_context():
        upgrade()
        clock.set_now(TODAY)
        factories.world()
        z = factories.make_contractor("鹿城调解中心", USCC_Z, "150203", admin_username="contractor_z")
        x = factories.org("X")
        db.session.flush()
        for org, seq in ((x, 1), (z, 1), (z, 2)):  # before the fix Z's numbers clashed only if imported
            db.session.add(MediationCase(contractor_id=org.id, area_unit_id=x.seat_unit_id, year=2026, seq=seq,
                                         number=f"（2026）{'昆' if org is z else '昆X'}调字第{seq}号",
                                         source="application_oral", category="neighbour", facts="历史", requests="",
                                         received_on=clock.today(), due_on=clock.today()))
        db.session.commit()
        ids = (x.id, z.id, factories.org("Y").id)
        db.session.remove()
        downgrade(revision="e1f3a9c2b7d4")
        upgrade()
        clock.reset()
    engine = create_engine(uri)
    with engine.connect() as conn:
        codes = dict(conn.execute(sql("SELECT id, case_code FROM contractor")).all())
        numbers = sorted(conn.execute(sql("SELECT number FROM mediation_case")).scalars())
    engine.dispose()
    with app.app_context():
        db.engine.dispose()
    # Z has the most cases: it keeps 昆; X gets 昆2; Y (东河区) 东; numbers are not rewritten.
    assert [codes[i] for i in ids] == ["昆2", "昆", "东"]
    assert numbers == ["（2026）昆X调字第1号", "（2026）昆调字第1号", "（2026）昆调字第2号"]
