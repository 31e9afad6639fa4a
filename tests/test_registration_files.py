"""Evidence at registration (issue 14, defect 5): a refused registration keeps the files that passed, for
the same browser session only and for 24 hours, so only the wrong field is fixed; a condition carries
several files, at registration and when a rejected condition is fixed."""
import io
import re
from datetime import timedelta

from sqlalchemy import func, select

from extensions import db
from models import Contractor, PendingUpload
from models.codes import CONDITIONS
from models import clock
from services import pending_uploads
from demo.helpers import make_uscc, tiny_pdf
from tests import factories
from tests.factories import registration_data
from tests.helpers import field_error, text
from tests.test_review import ALL_OK, _based_on_page

USCC = make_uscc("52150202MJ0000777")


def _kept(body, n):
    return re.findall(rf'<input type="hidden" name="kept_{n}" value="([^"]+)">', body)


def _refused_once(client, **overrides):
    """A registration refused for a wrong phone number, every file attached: the 422 page."""
    r = client.send("/register/", registration_data(contact_phone="电话", **overrides))
    assert r.status_code == 422
    return text(r)


def _resubmit(client, body, **overrides):
    """The same form posted again as the browser would: fields fixed, the kept tokens, no file chosen."""
    data = registration_data(**overrides)
    for n in CONDITIONS:
        data.pop(f"evidence_{n}")
        data[f"kept_{n}"] = _kept(body, n)
    data.update({k: v for k, v in overrides.items() if k.startswith("evidence_")})
    return client.send("/register/", data)


def _org():
    return db.session.scalar(select(Contractor).where(Contractor.uscc == USCC))


def test_a_refused_registration_keeps_its_files_and_only_the_wrong_field_is_fixed(client):
    body = _refused_once(client)
    assert field_error(body, "contact_phone")
    for n in CONDITIONS:
        assert f"已上传：条件{n}.pdf（重新选择可替换）" in body
        assert len(_kept(body, n)) == 1
    assert "需要重新选择" not in body and "已上传的文件已保留" in body
    assert db.session.scalar(select(func.count()).select_from(PendingUpload)) == 6
    r = _resubmit(client, body)
    assert r.status_code == 303, text(r)[:2000]
    org = _org()
    assert [q.evidence.filename for q in org.qualifications] == [f"条件{n}.pdf" for n in CONDITIONS]
    assert all(q.evidence.data == factories.PDF and len(q.files) == 1 for q in org.qualifications)
    assert db.session.scalar(select(func.count()).select_from(PendingUpload)) == 0  # done with


def test_a_new_file_replaces_the_kept_one_and_a_bad_file_keeps_the_good_ones(client):
    body = _refused_once(client, evidence_2=(io.BytesIO(b"MZ\x90\x00 not a document"), "软件.pdf"))
    assert any("类型不受支持" in e for e in field_error(body, "evidence_2"))
    assert _kept(body, 2) == [] and len(_kept(body, 1)) == 1
    newer = tiny_pdf("newer")
    r = _resubmit(client, body, evidence_1=(io.BytesIO(newer), "新的章程.pdf"))
    assert r.status_code == 422  # condition 2 still has no file
    body = text(r)
    assert field_error(body, "evidence_2") == ["请上传证明材料"]
    assert "已上传：新的章程.pdf（重新选择可替换）" in body
    r = _resubmit(client, body, evidence_2=(io.BytesIO(factories.PDF), "人员名单.pdf"))
    assert r.status_code == 303
    org = _org()
    assert org.qualification(1).evidence.filename == "新的章程.pdf" and org.qualification(1).evidence.data == newer
    assert org.qualification(2).evidence.filename == "人员名单.pdf"
    # Nothing is left behind: what a submission replaced was deleted at once.
    assert db.session.scalar(select(func.count()).select_from(PendingUpload)) == 0


def test_kept_files_belong_to_the_session_that_uploaded_them(app, client):
    body = _refused_once(client)
    stranger = app.test_client()
    r = _resubmit(stranger, body)  # the tokens alone, from another browser
    assert r.status_code == 422
    assert field_error(text(r), "evidence_1") == ["请上传证明材料"]
    assert "已上传：" not in text(r)
    # The uploader's own session still has them.
    assert _resubmit(client, body).status_code == 303


def test_kept_files_expire_after_24_hours(client):
    body = _refused_once(client)
    clock.set_now(clock.now() + timedelta(hours=25))
    r = _resubmit(client, body)
    assert r.status_code == 422 and field_error(text(r), "evidence_3") == ["请上传证明材料"]
    assert db.session.scalar(select(func.count()).select_from(PendingUpload)) == 0  # purged


def test_a_condition_carries_several_files_and_the_review_page_shows_them_all(client, login):
    two = [(io.BytesIO(factories.PDF), "年度报告.pdf"), (io.BytesIO(factories.PNG), "年检结论.png")]
    r = client.send("/register/", registration_data(evidence_4=two))
    assert r.status_code == 303, text(r)[:1500]
    org = _org()
    assert [a.filename for a in org.qualification(4).files] == ["年度报告.pdf", "年检结论.png"]
    page = text(login("district_b").get(f"/contractors/{org.id}"))
    row = re.search(r'<tr id="condition-4">(.*?)</tr>', page, re.S).group(1)
    for a in org.qualification(4).files:
        assert f'/contractors/{org.id}/evidence/{a.id}"' in row and a.filename in row
    assert login("district_b").get(f"/contractors/{org.id}/evidence/{org.qualification(4).files[1].id}").status_code == 200


def test_more_than_five_files_for_a_condition_are_refused_and_several_are_kept(client):
    six = [(io.BytesIO(factories.PDF), f"第{i}页.pdf") for i in range(6)]
    body = text(client.send("/register/", registration_data(evidence_1=six)))
    assert field_error(body, "evidence_1") == ["每个条件最多上传 5 个文件"]
    two = [(io.BytesIO(factories.PDF), "甲.pdf"), (io.BytesIO(factories.PDF), "乙.pdf")]
    body = _refused_once(client, evidence_1=two)
    assert "已上传：甲.pdf、乙.pdf（重新选择可替换）" in body and len(_kept(body, 1)) == 2
    assert _resubmit(client, body).status_code == 303
    assert [a.filename for a in _org().qualification(1).files] == ["甲.pdf", "乙.pdf"]


def test_fixing_a_rejected_condition_removes_and_adds_files(client, login):
    assert client.send("/register/", registration_data(
        seat_unit_id=str(factories.unit("150203").id),
        evidence_5=[(io.BytesIO(factories.PDF), "纳税证明2024.pdf"), (io.BytesIO(factories.PDF), "社保证明.pdf")],
    )).status_code == 303
    org = _org()
    unit = login("district_a")
    verdicts = dict(ALL_OK, c5="rejected", c5_code="expired", c5_text="纳税证明过期")
    assert unit.send(f"/contractors/{org.id}/review", verdicts).status_code == 303
    old_tax, social = org.qualification(5).files
    edit = text(client.get("/organisation/conditions/5/edit"))
    assert "纳税证明2024.pdf" in edit and "社保证明.pdf" in edit
    data = _based_on_page(client, 5, {"statement": "补充 2026 年度纳税证明", "expires_on": "2027-06-30",
                                      "remove": [str(old_tax.id)],
                                      "evidence": [(io.BytesIO(factories.PDF), "纳税证明2026.pdf")]})
    assert client.send("/organisation/conditions/5", data).status_code == 303
    assert [a.filename for a in org.qualification(5).files] == ["社保证明.pdf", "纳税证明2026.pdf"]
    # The first round's snapshot still holds both old files; the unit can open the replaced one.
    first = org.rounds[0].reviews
    assert [a.filename for a in next(cr for cr in first if cr.condition == 5).files] == ["纳税证明2024.pdf", "社保证明.pdf"]
    assert unit.get(f"/contractors/{org.id}/evidence/{old_tax.id}").status_code == 200
    history = re.search(r"<h2>审核记录</h2>(.*?)<h3>", text(unit.get(f"/contractors/{org.id}")), re.S).group(1)
    assert f'/contractors/{org.id}/evidence/{old_tax.id}"' in history and "纳税证明2024.pdf" in history
    own = re.search(r"<h2>审核记录</h2>(.*?)<h3>", text(client.get("/organisation/")), re.S).group(1)
    assert f'/organisation/evidence/{old_tax.id}"' in own
    assert client.get(f"/organisation/evidence/{old_tax.id}").status_code == 200
    # A form that leaves the files alone keeps them; removing all and adding nothing is refused.
    files = org.qualification(5).files
    data = _based_on_page(client, 5, {"statement": "x", "expires_on": "2027-06-30",
                                      "remove": [str(a.id) for a in files]})
    r = client.send("/organisation/conditions/5", data)
    assert r.status_code == 422 and field_error(text(r), "evidence") == ["请至少保留或上传一个证明材料"]


def test_pending_files_are_bounded_in_total(client, monkeypatch):
    monkeypatch.setattr(pending_uploads, "MAX_TOTAL_BYTES", 3 * len(factories.PDF))
    body = _refused_once(client)
    kept = [n for n in CONDITIONS if _kept(body, n)]
    assert kept == [1, 2, 3]  # room for three; the others must be chosen again
    assert "条件4.pdf（重新选择可替换）" not in body
    assert db.session.scalar(select(func.count()).select_from(PendingUpload)) == 3
