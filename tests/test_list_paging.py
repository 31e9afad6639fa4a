"""Keyset pages and capped counts of the big lists (issue 8): the subject list pages by id with `before`,
counts exactly up to the cap and says "more than" beyond it; prefix search reads names literally, on
both databases through `models.base.starts_with`."""
import re

from blueprints.rehabilitation import views as rehab_views
from extensions import db
from services import paging
from tests import rehab_factories as rf
from tests.helpers import text


def _names(body):
    return re.findall(r'<a href="/rehabilitation/\d+">([^<]+)</a>', body)


def test_subject_list_pages_by_id_and_counts_up_to_the_cap(app, login, monkeypatch):
    made = [rf.subject("150203", name=f"翻页{i:02d}") for i in range(7)]
    rf.subject("150202", name="翻页别区")  # another unit's: never listed, never counted
    db.session.commit()
    monkeypatch.setattr(rehab_views, "PAGE_SIZE", 3)
    unit = login("district_a")
    body = text(unit.get("/rehabilitation/?q=翻页"))
    assert _names(body) == ["翻页06", "翻页05", "翻页04"] and "共 7 人" in body
    link = re.search(r'href="(/rehabilitation/\?[^"]*before=(\d+)[^"]*)">下一页', body)
    assert link and int(link.group(2)) == made[4].id
    body = text(unit.get(link.group(1).replace("&amp;", "&")))
    assert _names(body) == ["翻页03", "翻页02", "翻页01"] and "第一页" in body
    last = text(unit.get(f"/rehabilitation/?q=翻页&before={made[1].id}"))
    assert _names(last) == ["翻页00"] and "下一页" not in last
    # the count stops at the cap: beyond it the page says so instead of counting every row
    monkeypatch.setattr(rehab_views, "COUNT_CAP", 5)
    body = text(unit.get("/rehabilitation/?q=翻页"))
    assert "超过 5 人" in body and "共 7 人" not in body
    assert paging.capped_count(db.select(rf.Subject).where(rf.Subject.name.startswith("翻页")), rf.Subject.id, 5) == 6


def test_prefix_search_is_literal_and_keeps_unusual_names(app, login):
    for name in ("王%五", "王_六", "王五", "😀表情", "O'Brien & <李>"):
        rf.subject("150203", name=name)
    db.session.commit()
    unit = login("district_a")

    def names(q):
        return set(_names(text(unit.get("/rehabilitation/", query_string={"q": q}))))

    assert names("王%") == {"王%五"}
    assert names("王_") == {"王_六"}
    assert names("王") == {"王%五", "王_六", "王五"}
    assert names("😀") == {"😀表情"}
    assert names("O'Brien & <") == {"O&#39;Brien &amp; &lt;李&gt;"}


def test_feedback_list_pages_by_id_newest_first(app, login, monkeypatch):
    from blueprints.feedback import views as feedback_views
    from models.feedback import Feedback
    from tests import factories

    org = factories.org("X")
    made = [Feedback.receive(None, org, f"意见第{i}条 & <测试>") for i in range(5)]
    for item in made:
        db.session.add(item)
        db.session.flush()
    db.session.commit()
    monkeypatch.setattr(feedback_views, "PAGE_SIZE", 2)
    unit = login("district_a")
    first = text(unit.get("/feedback/"))
    assert made[4].number in first and made[3].number in first and made[2].number not in first
    link = re.search(r'href="(/feedback/\?[^"]*before=\d+[^"]*)">下一页', first).group(1).replace("&amp;", "&")
    second = text(unit.get(link))
    assert made[2].number in second and made[1].number in second and made[4].number not in second
    assert "第一页" in second and "意见第2条 &amp; &lt;测试&gt;" in second
    assert made[0].number in text(unit.get(f"/feedback/?state=open&before={made[1].id}"))


def test_case_search_finds_common_and_rare_prefixes_and_numbers(app, login, monkeypatch):
    """A prefix shared by many parties walks the newest cases, a rare one reads the name index; both give
    the same cases, and a case number is found exactly."""
    from blueprints.mediation import views as mediation_views
    from tests.mediation_factories import make_case, party

    common = [make_case("worker_x", parties=[party(name=f"包头第{i}公司 & <合>"), party("respondent", f"路人{i}")])
              for i in range(3)]
    rare = make_case("worker_x", parties=[party(name="独孤求败"), party("respondent", "令狐冲")])
    db.session.commit()
    unit = login("district_a")

    def numbers(q):
        body = text(unit.get("/mediation/", query_string={"q": q}))
        return {c.number for c in common + [rare] if c.number in body}

    for threshold in (2, 500):  # 2: "包头" is common; 500: the same search through the index
        monkeypatch.setattr(mediation_views, "COMMON_PREFIX", threshold)
        assert numbers("包头") == {c.number for c in common}
        assert numbers("包头第1") == {common[1].number}
        assert numbers("独孤") == {rare.number} and numbers("令狐冲") == {rare.number}
        assert numbers(rare.number) == {rare.number}
