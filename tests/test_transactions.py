"""Each user action is one transaction (issue #9 item 4): a failure injected half way through a
multi-record action, after part of it has already reached the database, leaves nothing written —
row counts and the records' state are as before — and the user gets the 500 page.

The injected failures flush first, so the half-done writes are really in the database's transaction
when the error comes; only the rollback of the whole action can remove them.
"""
import pytest
from sqlalchemy import inspect

import models.contract as contract_module
import models.mediation.workflow as mediation_module
from extensions import db
from models import Procurement
from models.rehabilitation import Alert
from tests import rehab_factories as rf
from tests.helpers import row_counts, text
from tests.mediation_factories import make_case
from tests.purchasing_helpers import pub
from tests.test_mediation_cases import AGREEMENT
from tests.test_purchasing_flow import _invited_tender_to_award, _sign
from tests.test_rehab_risk import FIFTEEN, _post_assessment


class Injected(RuntimeError):
    pass


def explode_after_flush(*args, **kwargs):
    db.session.flush()  # what the action has done so far goes to the database ...
    raise Injected("injected failure half way")  # ... and then the action fails


def explode_after(original):
    """Run the real step (its writes flushed), then fail before the action returns."""
    def step(*args, **kwargs):
        original(*args, **kwargs)
        explode_after_flush()
    return step


def state(*records):
    db.session.expire_all()
    return [{a.key: getattr(r, a.key) for a in inspect(r).mapper.column_attrs} for r in records]


@pytest.fixture
def failures_answer_500(app, monkeypatch):
    """As in production: an unexpected error is logged and answered with the 500 page."""
    monkeypatch.setitem(app.config, "PROPAGATE_UNHANDLED", False)
    return app


def _refused_whole(response):
    assert response.status_code == 500
    assert "数据没有被部分保存" in text(response)


def test_concluding_a_case_fails_after_its_state_changed_and_before_the_agreement(failures_answer_500, login,
                                                                                    monkeypatch):
    case = make_case("worker_x", state="mediating")
    db.session.commit()
    before_rows, before = row_counts(), state(case)
    # Mid-way: the case is already "succeeded" (flushed) when the agreement is being made.
    monkeypatch.setattr(mediation_module, "Agreement", explode_after_flush)
    _refused_whole(login("worker_x").send(f"/mediation/{case.id}/succeed", AGREEMENT))
    assert row_counts() == before_rows and state(case) == before
    assert case.status == "mediating" and case.agreement is None
    monkeypatch.undo()
    monkeypatch.setitem(failures_answer_500.config, "PROPAGATE_UNHANDLED", False)
    assert login("worker_x").send(f"/mediation/{case.id}/succeed", AGREEMENT).status_code == 303
    assert case.status == "succeeded" and case.agreement.terms == AGREEMENT["terms"]


def test_awarding_and_signing_are_each_all_or_nothing(failures_answer_500, login, monkeypatch):
    p, unit, orgs = _invited_tender_to_award(login)
    winner = next(b for b in p.bids if b.rank == 1)
    # Award: the procurement's state and the award publication.
    before_rows, before = row_counts(), state(p, winner)
    monkeypatch.setattr(Procurement, "award", explode_after(Procurement.award))
    _refused_whole(unit.send(f"/procurements/{p.id}/award", pub(bid_id=winner.id)))
    assert row_counts() == before_rows and state(p, winner) == before and p.status == "evaluated"
    monkeypatch.undo()
    monkeypatch.setitem(failures_answer_500.config, "PROPAGATE_UNHANDLED", False)
    assert unit.send(f"/procurements/{p.id}/award", pub(bid_id=winner.id)).status_code == 303
    # Signing: the contract, its milestones and instalments, and the procurement's state. The failure
    # comes while the instalments are made, after the contract and milestones exist.
    before_rows, before = row_counts(), state(p)
    made = []

    def instalment_then_fail(**kwargs):
        made.append(kwargs)
        if len(made) == 2:
            explode_after_flush()
        return original_instalment(**kwargs)

    original_instalment = contract_module.Instalment
    monkeypatch.setattr(contract_module, "Instalment", instalment_then_fail)
    _refused_whole(_sign(unit, p))
    assert row_counts() == before_rows and state(p) == before and p.status == "awarded" and not p.contracts
    monkeypatch.undo()
    assert _sign(unit, p).status_code == 303
    assert p.status == "contracted" and len(p.contracts[0].instalments) == 3


def test_a_high_risk_assessment_fails_while_raising_its_alert(failures_answer_500, login, monkeypatch):
    world = rf.privacy_world()
    s = world.subject
    before_rows, before = row_counts(), state(s)
    # Mid-way: the assessment is in and the subject's level is "high" (flushed) when the alert is raised.
    monkeypatch.setattr(Alert, "raise_for", classmethod(lambda cls, *a, **k: explode_after_flush()))
    _refused_whole(_post_assessment(login("worker_x"), s, FIFTEEN))
    assert row_counts() == before_rows and state(s) == before
    assert s.risk_level != "high" and len(s.assessments) == 1
    monkeypatch.undo()
    assert _post_assessment(login("worker_x"), s, FIFTEEN).status_code == 303
    assert s.risk_level == "high" and len(s.assessments) == 2
