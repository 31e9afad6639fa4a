"""Issue 8: the figures read plain columns (`load`) and the contract's measures count them in SQL
(`summary`). Both must give exactly what the definition gives on the case objects themselves: the old
path (every case as an ORM object with its agreement, follow-ups and assignments) is kept here as the
reference and compared on a varied set of cases, for several scopes and periods. The contract page's
number of SQL statements must not grow with the number of its cases."""
from datetime import date, timedelta

import pytest
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from extensions import db
from models import StaffMember
from models.mediation import MediationCase, MediationCode
from models import clock
from models import mediation_figures
from models.mediation_figures import breakdown, case_sets, compute, load, scope_for, set_page, set_sizes, summary
from tests import factories
from tests.mediation_factories import make_case
from tests.test_mediation_figures import _archive, _follow_up, prepared  # noqa: F401 (the hand-worked set)

PERIODS = [(date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 4, 1), date(2026, 6, 30)),
           (date(2026, 1, 1), date(2026, 12, 31)), (date(2026, 7, 1), date(2026, 8, 31)),
           (date(2026, 8, 15), date(2026, 9, 10)), (date(2026, 9, 5), date(2026, 9, 5)),
           (date(2026, 8, 5), date(2026, 9, 14))]


def old_load(scope, start, end):
    """The definition's reference: every case of the period as an ORM object with its relations."""
    query = scope.where(or_(MediationCase.received_on.between(start, end),
                            MediationCase.concluded_on.between(start, end)))
    return db.session.scalars(query.options(selectinload(MediationCase.agreement),
                                            selectinload(MediationCase.follow_ups),
                                            selectinload(MediationCase.assignments))).all()


def _plain(figures):
    return {k: (sorted(c.id for c in v) if k.endswith("_cases") else v) for k, v in figures.items()}


@pytest.fixture
def varied(prepared):  # noqa: F811
    """The hand-worked quarter plus the edges: follow-ups on the same day (the later entry decides), a
    code the city added, a mediator replaced, a file archived after the period, conclusions exactly on
    the 30-day grace line, an oral agreement followed up fully, a case of another contract."""
    city, admin = factories.user("city"), factories.user("contractor_x")
    own = MediationCode.add(city, "category", "城市新增类别 & <b>")
    db.session.flush()
    contract = factories.make_contract("150203", factories.org("X"), "mediation", start=date(2026, 1, 1))
    tie = make_case("worker_x", "written", received_on=date(2026, 7, 2), concluded_on=date(2026, 7, 20),
                    category=own.key, contract=contract)
    _follow_up(tie, date(2026, 8, 1), "full")
    _follow_up(tie, date(2026, 8, 1), "none")
    oral = make_case("worker_x", "oral", received_on=date(2026, 8, 1), concluded_on=date(2026, 8, 31),
                     source="court", contract=contract)
    _follow_up(oral, date(2026, 9, 2), "full")
    make_case("worker_x", "failed", received_on=date(2026, 8, 10), concluded_on=date(2026, 8, 30), contract=contract)
    late = make_case("worker_x", "written", received_on=date(2026, 5, 20), concluded_on=date(2026, 7, 1))
    _archive(late, date(2026, 10, 15))
    second = StaffMember(contractor=factories.org("X"), name="王二", id_number="150203199001010010",
                         profession="mediator", phone="1", cert_number="包司调证〔2025〕2号",
                         cert_issuer="包头市司法局",
                         cert_valid_from=clock.today() - timedelta(days=100),
                         cert_valid_until=clock.today() + timedelta(days=300))
    db.session.add(second)
    moved = make_case("worker_x", "mediating", received_on=date(2026, 9, 3), contract=contract)
    moved.assign(admin, [second])
    make_case("worker_x", "withdrawn", received_on=date(2026, 6, 28), concluded_on=date(2026, 7, 3), category=own.key)
    db.session.flush()
    return {"contract": contract, "own": own}


@pytest.mark.parametrize("username", ["contractor_x", "district_a", "worker_x", "city"])
def test_plain_columns_and_grouped_sql_equal_the_definition(varied, username):
    user = factories.user(username)
    scopes = [scope_for(user), scope_for(user, contract_id=varied["contract"].id)]
    for scope in scopes:
        for start, end in PERIODS:
            old = old_load(scope, start, end)
            new = load(scope, start, end)
            assert [c.id for c in new] == sorted(c.id for c in old)
            expected = _plain(compute(old, start, end))
            assert _plain(compute(new, start, end)) == expected, (start, end)
            numbers = {k: v for k, v in expected.items() if not k.endswith("_cases")}
            assert summary(scope, start, end) == numbers, (start, end)
            sets = case_sets(old, start, end)
            assert set_sizes(scope, start, end, list(sets)) == {name: len(rows) for name, rows in sets.items()}
            for name, rows in sets.items():  # the drill-down's pages: each set in SQL, in (received_on, id) order
                page = set_page(scope, start, end, name, 0, 1000, counted="succeeded")
                assert [c.id for c, _ in page] == [c.id for c in sorted(rows, key=lambda c: (c.received_on, c.id))]
                assert {c.id for c, hit in page if hit} == {c.id for c in rows} & {c.id for c in sets["succeeded"]}
            for by in ("category", "source", "mediator"):
                assert [(label, _plain(f)) for label, f in breakdown(new, start, end, by)] == \
                       [(label, _plain(f)) for label, f in breakdown(old, start, end, by)], (by, start, end)


def test_the_light_cases_show_the_models_labels(varied):
    scope = scope_for(factories.user("contractor_x"))
    old = {c.id: c for c in old_load(scope, date(2026, 1, 1), date(2026, 12, 31))}
    new = load(scope, date(2026, 1, 1), date(2026, 12, 31))
    assert len(new) == len(old) >= 12
    assert any(c.category == varied["own"].key for c in new) and any(c.mediator_names == "王二" for c in new)
    for c in new:
        o = old[c.id]
        for name in ("number", "status_label", "outcome_label", "category_label", "source_label",
                     "fail_reason_label", "mediator_names", "received_on", "concluded_on", "due_on", "archived_on"):
            assert getattr(c, name) == getattr(o, name), name
        assert (c.latest_follow_up.performance_label if c.latest_follow_up else None) == \
               (o.latest_follow_up.performance_label if o.latest_follow_up else None)
        assert [(v.id, v.visited_on, v.performance) for v in c.follow_ups] == \
               sorted((v.id, v.visited_on, v.performance) for v in o.follow_ups)


def test_an_empty_scope_has_no_rates(app):
    f = summary(scope_for(factories.user("contractor_x")), date(2026, 7, 1), date(2026, 9, 30))
    assert f["received"] == 0 and f["success_rate"] is None and f["average_days"] is None
    assert load(scope_for(factories.user("contractor_x")), date(2026, 7, 1), date(2026, 9, 30)) == []


# ---- the contract page does not grow with its cases


def _count(client, path):
    from tests.test_query_counts import count

    return count(client, path)[0]


def _add_cases(contract, n, first_day):
    states = ["written", "failed", "oral", "mediating", "withdrawn", "refused"]
    for i in range(n):
        day = first_day + timedelta(days=i)
        case = make_case("worker_x", states[i % len(states)], received_on=day, concluded_on=day + timedelta(days=3),
                         contract=contract)
        if case.outcome == "succeeded":
            _follow_up(case, day + timedelta(days=5), "partial")


def test_contract_pages_statements_do_not_grow_with_the_cases(app, login):
    clock.set_now(date(2026, 11, 27))
    contract = factories.make_contract("150203", factories.org("X"), "mediation", start=date(2026, 1, 1))
    _add_cases(contract, 2, date(2026, 3, 1))
    db.session.commit()
    client = login("district_a")
    paths = [f"/contracts/{contract.id}", f"/contracts/{contract.id}/measures/success_rate",
             f"/contracts/{contract.id}/measures/fulfilment_rate",
             f"/mediation/evaluation?year=2026&quarter=0&contract={contract.id}"]
    for path in paths:  # warm the caches of the first request
        _count(client, path)
    few = [_count(client, path) for path in paths]
    _add_cases(contract, 10, date(2026, 4, 1))
    db.session.commit()
    many = [_count(client, path) for path in paths]
    assert many == few
    assert len(db.session.scalars(select(MediationCase.id).where(MediationCase.contract_id == contract.id)).all()) == 12


def test_the_drill_down_is_paged_and_counts_every_case(app, login, monkeypatch):
    from blueprints.contracts import views

    clock.set_now(date(2026, 11, 27))
    contract = factories.make_contract("150203", factories.org("X"), "mediation", start=date(2026, 1, 1))
    _add_cases(contract, 6, date(2026, 3, 1))  # concluded: written, failed, oral (the rest withdrawn, refused, open)
    db.session.commit()
    monkeypatch.setattr(views, "DRILL_PAGE_SIZE", 2)
    client = login("district_a")
    numbers = [c.number for c in db.session.scalars(select(MediationCase).where(
        MediationCase.contract_id == contract.id).order_by(MediationCase.received_on, MediationCase.id))]
    path = f"/contracts/{contract.id}/measures/success_rate?start=2026-01-01&end=2026-11-27"
    first = client.get(path).get_data(as_text=True)
    assert "2 / 3" in first and "共 3 条" in first  # both counts over all the cases, not the page
    assert numbers[0] in first and numbers[1] in first and numbers[2] not in first
    second = client.get(path + "&page=2").get_data(as_text=True)
    assert numbers[2] in second and numbers[0] not in second and "2 / 3" in second
    assert client.get(path + "&page=9").status_code == 404
    assert mediation_figures.summary(scope_for(factories.user("district_a"), contract_id=contract.id),
                                     date(2026, 1, 1), date(2026, 11, 27))["success_rate"] is not None
