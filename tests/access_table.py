"""The authorization matrix as data: every route, every user of the test world, the expected answer.

DESIGN.md §2 and §5: anonymous visitors of a protected page are sent to the login page; a role that
may not use a route gets 403; a record outside the user's scope gets 404 (its existence is not
revealed); an allowed user posting an empty (CSRF-valid) form gets 422 with the form re-rendered,
409 where the record's state does not allow the action, or 303 where an empty form is a complete
request (a button). "The record" is contractor X's (seated in 昆都仑区, district_a's unit), so
district_b ("a user of another unit") and contractor_y ("a contractor of another organisation")
look at something outside their scope; the variants after "~" ask for another organisation's
record through one's own URLs (IDOR).

A new route without a row here fails tests/test_access_matrix.py::test_every_route_is_in_the_table.
"""
from dataclasses import dataclass
from typing import Callable

USERS = ("anonymous", "admin", "city", "district_a", "district_b", "finance_a",
         "contractor_x", "contractor_y", "worker_x", "evaluator")

# Answers. An int is a plain status; a (status, path) pair is a redirect to that path.
PAGE = 200
LOGIN = (302, "/login")   # anonymous on a protected route
HOME = (302, "/")         # a signed-in user opening the login page
FORBIDDEN = 403
NOT_FOUND = 404
CONFLICT = 409
INVALID = 422


def answers(anonymous, others, **named):
    """Every user's answer: `anonymous` for visitors, `others` for every signed-in user not named."""
    unknown = set(named) - set(USERS)
    assert not unknown, f"not users of the test world: {unknown}"
    table = {user: others for user in USERS}
    table["anonymous"] = anonymous
    table.update(named)
    return table


def public(answer):
    return answers(answer, answer)


def signed_in(answer):
    return answers(LOGIN, answer)


def only(**named):
    """A protected route: the users named get their answer, every other signed-in user 403."""
    return answers(LOGIN, FORBIDDEN, **named)


def contractors_only(x, y):
    return only(contractor_x=x, contractor_y=y)


def unit_staff(seat, other_unit, city):
    """contractors.* routes for city and district staff only (finance, admin, org users: 403)."""
    return only(district_a=seat, district_b=other_unit, city=city)


def readers(seat, other_unit, city, finance):
    """contractors.* routes readable by city, district and finance staff."""
    return only(district_a=seat, district_b=other_unit, city=city, finance_a=finance)


def _med(refs):
    from tests.mediation_factories import access_refs

    return access_refs(refs)


def _door(refs):
    from tests.door_helpers import access_refs

    return access_refs(refs)


def _dash(unit, city):
    """dashboard.* routes: unit staff and finance (their unit), the city (every unit); others 403."""
    return only(district_a=unit, district_b=unit, finance_a=unit, city=city)


def _unit_id(code):
    from tests import factories

    return factories.unit(code).id


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    url: Callable  # refs -> url, refs being the ids of the test world's records (see the test)
    expect: dict
    variant: str = ""

    @property
    def name(self):
        return f"{self.method}:{self.endpoint}" + (f"~{self.variant}" if self.variant else "")


def case(endpoint, method, url, expect, variant=""):
    build = url if callable(url) else (lambda refs, _url=url: _url)
    return Case(endpoint, method, build, expect, variant)


TABLE = [
    # ---- main, auth
    case("main.index", "GET", "/", public(PAGE)),
    case("inbox.index", "GET", "/inbox/", signed_in(PAGE)),
    case("inbox.count", "GET", "/inbox/count", signed_in(PAGE)),
    case("notifications.index", "GET", "/notifications/", signed_in(PAGE)),
    case("notifications.count", "GET", "/notifications/count", signed_in(PAGE)),
    case("notifications.read_all", "POST", "/notifications/read-all", signed_in((303, "/notifications/"))),
    case("notifications.read", "POST", "/notifications/999999/read", signed_in((303, "/notifications/"))),
    case("notifications.email", "POST", "/notifications/email", signed_in((303, "/notifications/"))),
    case("auth.login", "GET", "/login", answers(PAGE, HOME)),
    case("auth.login_post", "POST", "/login", public(INVALID)),
    case("auth.logout", "POST", "/logout", public((303, "/login"))),
    case("auth.password", "GET", "/password", signed_in(PAGE)),
    case("auth.change_password", "POST", "/password", signed_in(INVALID)),

    # ---- admin: users, evaluation bodies (admin only); settings (admin and city)
    case("admin.users", "GET", "/admin/users", only(admin=PAGE)),
    case("admin.create_user", "POST", "/admin/users", only(admin=INVALID)),
    # The toggle is a button: an empty form is the whole request.
    case("admin.toggle_user", "POST", lambda r: f"/admin/users/{r.user['district_a']}/toggle",
         only(admin=(303, "/admin/users"))),
    case("admin.toggle_user", "POST", lambda r: f"/admin/users/{r.user['admin']}/toggle",
         only(admin=CONFLICT), "own-account"),
    case("admin.toggle_user", "POST", lambda r: f"/admin/users/{r.missing}/toggle",
         only(admin=NOT_FOUND), "no-such-user"),
    case("admin.reset_password_form", "GET", lambda r: f"/admin/users/{r.user['contractor_x']}/password",
         only(admin=PAGE)),
    case("admin.reset_password_form", "GET", lambda r: f"/admin/users/{r.missing}/password",
         only(admin=NOT_FOUND), "no-such-user"),
    case("admin.reset_password", "POST", lambda r: f"/admin/users/{r.user['contractor_x']}/password",
         only(admin=INVALID)),
    case("admin.evaluation_bodies", "GET", "/admin/evaluation-bodies", only(admin=PAGE)),
    case("admin.create_evaluation_body", "POST", "/admin/evaluation-bodies", only(admin=INVALID)),
    case("admin.settings_index", "GET", "/admin/settings", only(admin=PAGE, city=PAGE)),
    case("admin.update_settings", "POST", "/admin/settings", only(admin=INVALID, city=INVALID)),

    # ---- audit log (admin and city)
    case("audit.index", "GET", "/audit/", only(admin=PAGE, city=PAGE)),

    # ---- public registration
    case("registration.new", "GET", "/register/", public(PAGE)),
    case("registration.create", "POST", "/register/", public(INVALID)),
    case("registration.check_uscc", "GET", lambda r: f"/register/uscc?uscc={r.uscc_x}", public(PAGE)),

    # ---- the contractor's own organisation (contractor admins only; scoped to their organisation)
    case("organisation.show", "GET", "/organisation/", contractors_only(PAGE, PAGE)),
    case("organisation.edit_condition", "GET", "/organisation/conditions/1/edit", contractors_only(PAGE, PAGE)),
    case("organisation.edit_condition", "GET", "/organisation/conditions/99/edit",
         contractors_only(NOT_FOUND, NOT_FOUND), "no-such-condition"),
    case("organisation.update_condition", "POST", "/organisation/conditions/1",
         contractors_only(INVALID, INVALID)),
    # Both organisations are approved: only a rejected application can be resubmitted.
    case("organisation.resubmit", "POST", "/organisation/resubmit", contractors_only(CONFLICT, CONFLICT)),
    case("organisation.evidence", "GET", lambda r: f"/organisation/evidence/{r.x_evidence}",
         contractors_only(PAGE, NOT_FOUND)),
    case("organisation.evidence", "GET", lambda r: f"/organisation/evidence/{r.y_evidence}",
         contractors_only(NOT_FOUND, PAGE), "y-evidence"),
    case("organisation.staff", "GET", "/organisation/staff", contractors_only(PAGE, PAGE)),
    case("organisation.create_staff", "POST", "/organisation/staff", contractors_only(INVALID, INVALID)),
    case("organisation.edit_staff", "GET", lambda r: f"/organisation/staff/{r.x_staff}/edit",
         contractors_only(PAGE, NOT_FOUND)),
    case("organisation.edit_staff", "GET", lambda r: f"/organisation/staff/{r.y_staff}/edit",
         contractors_only(NOT_FOUND, PAGE), "y-staff"),
    case("organisation.update_staff", "POST", lambda r: f"/organisation/staff/{r.x_staff}",
         contractors_only(INVALID, NOT_FOUND)),
    case("organisation.update_staff", "POST", lambda r: f"/organisation/staff/{r.y_staff}",
         contractors_only(NOT_FOUND, INVALID), "y-staff"),
    # X's mediator already has a login (worker_x): a second one is refused by state.
    case("organisation.create_worker_login", "POST", lambda r: f"/organisation/staff/{r.x_staff}/login",
         contractors_only(CONFLICT, NOT_FOUND)),
    case("organisation.create_worker_login", "POST", lambda r: f"/organisation/staff/{r.y_staff}/login",
         contractors_only(NOT_FOUND, INVALID), "y-staff"),

    # ---- contractors as the units see them
    case("contractors.index", "GET", "/contractors/", unit_staff(PAGE, PAGE, PAGE)),
    case("contractors.directory", "GET", "/contractors/directory", readers(PAGE, PAGE, PAGE, PAGE)),
    # An approved organisation is listed for every unit; a pending one only for its seat unit.
    case("contractors.show", "GET", lambda r: f"/contractors/{r.x}", readers(PAGE, PAGE, PAGE, PAGE)),
    case("contractors.show", "GET", lambda r: f"/contractors/{r.pending}",
         readers(PAGE, NOT_FOUND, NOT_FOUND, NOT_FOUND), "pending-org"),
    # Review, suspend, lift, terminate: the seat unit alone (§1). X has nothing under review (409).
    case("contractors.review", "POST", lambda r: f"/contractors/{r.x}/review",
         unit_staff(CONFLICT, FORBIDDEN, FORBIDDEN)),
    case("contractors.review", "POST", lambda r: f"/contractors/{r.pending}/review",
         unit_staff(INVALID, NOT_FOUND, NOT_FOUND), "pending-org"),
    case("contractors.suspend", "POST", lambda r: f"/contractors/{r.x}/suspend",
         unit_staff(INVALID, FORBIDDEN, FORBIDDEN)),
    # A pending organisation cannot be suspended, an approved one has no suspension to lift (409).
    case("contractors.suspend", "POST", lambda r: f"/contractors/{r.pending}/suspend",
         unit_staff(CONFLICT, NOT_FOUND, NOT_FOUND), "pending-org"),
    case("contractors.lift", "POST", lambda r: f"/contractors/{r.x}/lift",
         unit_staff(CONFLICT, FORBIDDEN, FORBIDDEN)),
    case("contractors.terminate", "POST", lambda r: f"/contractors/{r.x}/terminate",
         unit_staff(INVALID, FORBIDDEN, FORBIDDEN)),
    # Any unit bars an organisation from its own procurements.
    case("contractors.bar", "POST", lambda r: f"/contractors/{r.x}/bar", unit_staff(INVALID, INVALID, INVALID)),
    case("contractors.bar", "POST", lambda r: f"/contractors/{r.pending}/bar",
         unit_staff(INVALID, NOT_FOUND, NOT_FOUND), "pending-org"),
    # Evidence belongs to the review file, which only the seat unit holds.
    case("contractors.evidence", "GET", lambda r: f"/contractors/{r.x}/evidence/{r.x_evidence}",
         unit_staff(PAGE, NOT_FOUND, NOT_FOUND)),
    case("contractors.evidence", "GET", lambda r: f"/contractors/{r.x}/evidence/{r.y_evidence}",
         unit_staff(NOT_FOUND, NOT_FOUND, NOT_FOUND), "x-url-y-evidence"),
    case("contractors.evidence", "GET", lambda r: f"/contractors/{r.y}/evidence/{r.y_evidence}",
         unit_staff(NOT_FOUND, PAGE, NOT_FOUND), "y-evidence"),
    case("contractors.evidence", "GET", lambda r: f"/contractors/{r.y}/evidence/{r.x_evidence}",
         unit_staff(NOT_FOUND, NOT_FOUND, NOT_FOUND), "y-url-x-evidence"),
    case("contractors.evidence", "GET", lambda r: f"/contractors/{r.pending}/evidence/{r.pending_evidence}",
         unit_staff(PAGE, NOT_FOUND, NOT_FOUND), "pending-org"),

    # ---- purchasing: plans (the unit's staff act, finance reviews, the city reads every unit's)
    *[case(ep, m, u, e, v) for ep, m, u, e, v in (
        ("plans.index", "GET", "/plans/", only(district_a=PAGE, district_b=PAGE, city=PAGE, finance_a=PAGE), ""),
        ("plans.create", "POST", "/plans/", only(district_a=INVALID, district_b=INVALID, city=INVALID), ""),
        ("plans.show", "GET", lambda r: f"/plans/{r.plan}", only(district_a=PAGE, district_b=NOT_FOUND, city=PAGE,
                                                                 finance_a=PAGE), ""),
        ("plans.update", "POST", lambda r: f"/plans/{r.plan}", only(district_a=INVALID, district_b=NOT_FOUND,
                                                                    city=FORBIDDEN), ""),
        ("plans.add_item", "POST", lambda r: f"/plans/{r.plan}/items", only(district_a=INVALID, district_b=NOT_FOUND,
                                                                            city=FORBIDDEN), ""),
        ("plans.delete_item", "POST", lambda r: f"/plans/{r.plan}/items/{r.item}/delete",
         only(district_a=303, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("plans.add_attachment", "POST", lambda r: f"/plans/{r.plan}/attachments",
         only(district_a=INVALID, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("plans.attachment", "GET", lambda r: f"/plans/{r.plan}/attachments/{r.x_evidence}",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=NOT_FOUND, finance_a=NOT_FOUND), "not-its-attachment"),
        ("plans.submit", "POST", lambda r: f"/plans/{r.plan}/submit",
         only(district_a=303, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("plans.approve", "POST", lambda r: f"/plans/{r.plan}/approve", only(finance_a=CONFLICT), ""),
        # The plan is a draft: no finance review to return, not approved to publish, no intention yet (409).
        ("plans.send_back", "POST", lambda r: f"/plans/{r.plan}/return", only(finance_a=CONFLICT), ""),
        ("plans.publish", "POST", lambda r: f"/plans/{r.plan}/publish",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("plans.publish_intention", "POST", lambda r: f"/plans/{r.plan}/intentions",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("plans.document", "GET", lambda r: f"/plans/{r.plan}/document",
         only(district_a=PAGE, district_b=NOT_FOUND, city=PAGE, finance_a=PAGE), ""),
    )],
    # ---- procurements (a contractor sees only those open to it or that it bid on)
    *[case(ep, m, u, e, v) for ep, m, u, e, v in (
        ("procurements.index", "GET", "/procurements/",
         only(district_a=PAGE, district_b=PAGE, city=PAGE, finance_a=PAGE, contractor_x=PAGE, contractor_y=PAGE), ""),
        ("procurements.show", "GET", lambda r: f"/procurements/{r.procurement}",
         only(district_a=PAGE, district_b=NOT_FOUND, city=PAGE, finance_a=PAGE, contractor_x=NOT_FOUND,
              contractor_y=NOT_FOUND), ""),
        ("procurements.prepare", "POST", lambda r: f"/procurements/{r.procurement}/prepare",
         only(district_a=INVALID, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        # The procurement is only planned: no method to decide, no notice yet, nothing to award or follow (409).
        ("procurements.decide_method", "POST", lambda r: f"/procurements/{r.procurement}/method-decision",
         only(finance_a=CONFLICT), ""),
        ("procurements.publish_notice", "POST", lambda r: f"/procurements/{r.procurement}/notice",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("procurements.submit_bid", "POST", lambda r: f"/procurements/{r.procurement}/bids",
         only(contractor_x=NOT_FOUND, contractor_y=NOT_FOUND), ""),
        ("procurements.bid_plan", "GET", lambda r: f"/procurements/{r.procurement}/bids/{r.missing}/plan",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=NOT_FOUND, finance_a=NOT_FOUND,
              contractor_x=NOT_FOUND, contractor_y=NOT_FOUND), ""),
        ("procurements.open_bids", "POST", lambda r: f"/procurements/{r.procurement}/open",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("procurements.reject_bid", "POST", lambda r: f"/procurements/{r.procurement}/bids/{r.missing}/reject",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("procurements.record_scores", "POST", lambda r: f"/procurements/{r.procurement}/scores",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=FORBIDDEN), "no-such-bid"),
        ("procurements.evaluate", "POST", lambda r: f"/procurements/{r.procurement}/evaluate",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("procurements.award", "POST", lambda r: f"/procurements/{r.procurement}/award",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("procurements.fail", "POST", lambda r: f"/procurements/{r.procurement}/fail",
         only(district_a=INVALID, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("procurements.follow_up", "POST", lambda r: f"/procurements/{r.procurement}/follow-up",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=FORBIDDEN), ""),
    )],
    # ---- contracts (the unit and its finance, the contractor party, the city reading)
    *[case(ep, m, u, e, v) for ep, m, u, e, v in (
        ("contracts.index", "GET", "/contracts/",
         only(district_a=PAGE, district_b=PAGE, city=PAGE, finance_a=PAGE, contractor_x=PAGE, contractor_y=PAGE), ""),
        ("contracts.new", "GET", lambda r: f"/contracts/new?procurement={r.procurement}",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=FORBIDDEN), "not-awarded"),
        ("contracts.create", "POST", "/contracts/", only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=NOT_FOUND),
         "no-procurement"),
        ("contracts.show", "GET", lambda r: f"/contracts/{r.contract}",
         only(district_a=PAGE, district_b=NOT_FOUND, city=PAGE, finance_a=PAGE, contractor_x=PAGE,
              contractor_y=NOT_FOUND), ""),
        ("contracts.measure", "GET", lambda r: f"/contracts/{r.contract}/measures/cases_received",
         only(district_a=PAGE, district_b=NOT_FOUND, city=PAGE, finance_a=PAGE, contractor_x=PAGE,
              contractor_y=NOT_FOUND), ""),
        *[(f"contracts.{ep}", "POST", (lambda path: lambda r: f"/contracts/{r.contract}/{path}")(path),
           only(district_a=INVALID, district_b=NOT_FOUND, city=FORBIDDEN), "")
          for ep, path in (("publish", "publish"), ("file_with_finance", "filing"), ("record_payment", "payments"),
                           ("amend", "amendments"), ("consent", "consents"), ("terminate", "terminate"))],
        ("contracts.update_milestone", "POST", lambda r: f"/contracts/{r.contract}/milestones/{r.missing}",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=FORBIDDEN), "no-such-milestone"),
        ("contracts.log_deliverable", "POST", lambda r: f"/contracts/{r.contract}/deliverables",
         only(contractor_x=INVALID, contractor_y=NOT_FOUND), ""),
        ("contracts.deliverable_attachment", "GET",
         lambda r: f"/contracts/{r.contract}/deliverables/{r.deliverable}/attachment",
         only(district_a=PAGE, district_b=NOT_FOUND, city=PAGE, finance_a=PAGE, contractor_x=PAGE,
              contractor_y=NOT_FOUND), ""),
        ("contracts.add_shift", "POST", lambda r: f"/contracts/{r.contract}/shifts",
         only(contractor_x=INVALID, contractor_y=NOT_FOUND), ""),
        ("contracts.document", "GET", lambda r: f"/contracts/{r.contract}/document",
         only(district_a=PAGE, district_b=NOT_FOUND, city=PAGE, finance_a=PAGE, contractor_x=PAGE,
              contractor_y=NOT_FOUND), ""),
    )],
    # ---- the public portal (published things only) and the catalogue and calendar
    case("portal.index", "GET", "/portal/", public(PAGE)),
    case("portal.plan", "GET", lambda r: f"/portal/plans/{r.published_plan}", public(PAGE)),
    case("portal.plan", "GET", lambda r: f"/portal/plans/{r.plan}", public(NOT_FOUND), "draft"),
    case("portal.procurement", "GET", lambda r: f"/portal/procurements/{r.procurement}", public(PAGE)),
    case("admin.catalogue", "GET", "/admin/catalogue", only(admin=PAGE, city=PAGE)),
    case("admin.create_service_item", "POST", "/admin/catalogue", only(city=INVALID)),
    case("admin.working_days", "GET", "/admin/working-days", only(admin=PAGE)),
    case("admin.set_working_day", "POST", "/admin/working-days", only(admin=INVALID)),

    # ---- mediation (DESIGN.md §2): a mediating case of X in 昆都仑区, worker_x its mediator, no contract.
    # The area unit reads it, other units and organisations get 404; only X's admin and mediator act.
    *[case(ep, m, u, e, v) for ep, m, u, e, v in (
        ("mediation.index", "GET", "/mediation/", only(district_a=PAGE, district_b=PAGE, city=PAGE, contractor_x=PAGE,
                                                       contractor_y=PAGE, worker_x=PAGE), ""),
        ("mediation.follow_ups_due", "GET", "/mediation/follow-ups-due",
         only(district_a=PAGE, district_b=PAGE, city=PAGE, contractor_x=PAGE, contractor_y=PAGE, worker_x=PAGE), ""),
        ("mediation.new", "GET", "/mediation/new", only(contractor_x=PAGE, contractor_y=PAGE, worker_x=PAGE), ""),
        ("mediation.create", "POST", "/mediation/", only(contractor_x=INVALID, contractor_y=INVALID, worker_x=INVALID),
         ""),
        ("mediation.show", "GET", lambda r: f"/mediation/{_med(r).case}",
         only(district_a=PAGE, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=PAGE, contractor_y=NOT_FOUND,
              worker_x=PAGE), ""),
        ("mediation.show", "GET", lambda r: f"/mediation/{r.missing}",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=NOT_FOUND,
              contractor_y=NOT_FOUND, worker_x=NOT_FOUND), "no-such-case"),
        ("mediation.action_form", "GET", lambda r: f"/mediation/{_med(r).case}/actions/record",
         only(district_a=FORBIDDEN, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=PAGE, contractor_y=NOT_FOUND,
              worker_x=PAGE), ""),
        ("mediation.action_form", "GET", lambda r: f"/mediation/{_med(r).case}/actions/assign",
         only(district_a=FORBIDDEN, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=PAGE, contractor_y=NOT_FOUND,
              worker_x=FORBIDDEN), "assign"),
        ("mediation.action_form", "GET", lambda r: f"/mediation/{_med(r).case}/actions/archive",
         only(district_a=FORBIDDEN, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=CONFLICT,
              contractor_y=NOT_FOUND, worker_x=CONFLICT), "not-yet"),
        ("mediation.assign", "POST", lambda r: f"/mediation/{_med(r).case}/assign",
         only(district_a=FORBIDDEN, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=INVALID,
              contractor_y=NOT_FOUND, worker_x=FORBIDDEN), ""),
        # 由我承办: a worker's route; the case already has its mediator, so worker_x may not take it either
        ("mediation.take", "POST", lambda r: f"/mediation/{_med(r).case}/take", only(worker_x=FORBIDDEN), ""),
        *[(f"mediation.{endpoint}", "POST", (lambda path: lambda r: f"/mediation/{_med(r).case}/{path}")(path),
           only(district_a=FORBIDDEN, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=INVALID,
                contractor_y=NOT_FOUND, worker_x=INVALID), "")
          for endpoint, path in (("notice", "notice"), ("add_record", "records"), ("withdraw", "withdraw"),
                                 ("succeed", "succeed"), ("fail", "fail"), ("extend", "extend"), ("police", "police"),
                                 ("file_item", "file"))],
        # The case is being mediated: refusal (a registered case only), follow-ups and judicial confirmation
        # (after success only) and archiving (once concluded) are refused by state, whatever the form holds.
        *[(f"mediation.{endpoint}", "POST", (lambda path: lambda r: f"/mediation/{_med(r).case}/{path}")(path),
           only(district_a=FORBIDDEN, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=CONFLICT,
                contractor_y=NOT_FOUND, worker_x=CONFLICT), "")
          for endpoint, path in (("refuse", "refuse"), ("follow_up", "follow-ups"), ("confirmation", "confirmation"),
                                 ("archive", "archive"))],
        ("mediation.document", "GET", lambda r: f"/mediation/{_med(r).case}/documents/intake",
         only(district_a=PAGE, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=PAGE, contractor_y=NOT_FOUND,
              worker_x=PAGE), ""),
        ("mediation.document", "GET", lambda r: f"/mediation/{_med(r).case}/documents/agreement",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=NOT_FOUND,
              contractor_y=NOT_FOUND, worker_x=NOT_FOUND), "no-agreement-yet"),
        ("mediation.attachment", "GET", lambda r: f"/mediation/{_med(r).case}/attachments/{_med(r).scan}",
         only(district_a=PAGE, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=PAGE, contractor_y=NOT_FOUND,
              worker_x=PAGE), ""),
        ("mediation.attachment", "GET", lambda r: f"/mediation/{_med(r).case}/attachments/{r.y_evidence}",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=NOT_FOUND,
              contractor_y=NOT_FOUND, worker_x=NOT_FOUND), "other-attachment"),
        ("mediation.evaluation", "GET", "/mediation/evaluation?year=2026&quarter=3",
         only(district_a=PAGE, district_b=PAGE, city=PAGE, contractor_x=PAGE, contractor_y=PAGE), ""),
        ("mediation.evaluation_report", "GET", "/mediation/evaluation/report?year=2026&quarter=3",
         only(district_a=PAGE, district_b=PAGE, city=PAGE, contractor_x=PAGE, contractor_y=PAGE), ""),
        ("mediation.evaluation_workbook", "GET", "/mediation/evaluation/workbook?year=2026&quarter=3",
         only(district_a=PAGE, district_b=PAGE, city=PAGE, contractor_x=PAGE, contractor_y=PAGE), ""),
        ("mediation.create_measure", "POST", "/mediation/evaluation/measures?year=2026&quarter=3",
         only(district_a=FORBIDDEN, district_b=FORBIDDEN, city=FORBIDDEN, contractor_x=INVALID, contractor_y=INVALID),
         ""),
        ("mediation.measure_done", "POST", lambda r: f"/mediation/measures/{_med(r).measure}/done",
         only(district_a=FORBIDDEN, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=INVALID,
              contractor_y=NOT_FOUND), ""),
        ("mediation.close_quarter", "POST", "/mediation/evaluation/close?year=2026&quarter=3",
         only(district_a=INVALID, district_b=INVALID, city=INVALID, contractor_x=FORBIDDEN, contractor_y=FORBIDDEN),
         ""),
        ("mediation.consultations", "GET", "/mediation/consultations",
         only(district_a=PAGE, district_b=PAGE, city=PAGE, contractor_x=PAGE, contractor_y=PAGE, worker_x=PAGE), ""),
        ("mediation.create_consultation", "POST", "/mediation/consultations",
         only(contractor_x=INVALID, contractor_y=INVALID, worker_x=INVALID), ""),
        ("mediation.screenings", "GET", "/mediation/screenings",
         only(district_a=PAGE, district_b=PAGE, city=PAGE, contractor_x=PAGE, contractor_y=PAGE, worker_x=PAGE), ""),
        ("mediation.create_screening", "POST", "/mediation/screenings",
         only(contractor_x=INVALID, contractor_y=INVALID, worker_x=INVALID), ""),
        ("mediation.new_import", "GET", "/mediation/imports/new", only(contractor_x=PAGE, contractor_y=PAGE), ""),
        ("mediation.import_template", "GET", "/mediation/imports/template",
         only(contractor_x=PAGE, contractor_y=PAGE), ""),
        ("mediation.create_import", "POST", "/mediation/imports", only(contractor_x=INVALID, contractor_y=INVALID), ""),
        ("mediation.show_import", "GET", lambda r: f"/mediation/imports/{_med(r).job}",
         only(contractor_x=PAGE, contractor_y=NOT_FOUND), ""),
        # The import is finished: another chunk is refused by state.
        ("mediation.import_chunk", "POST", lambda r: f"/mediation/imports/{_med(r).job}/chunk",
         only(contractor_x=CONFLICT, contractor_y=NOT_FOUND), ""),
        ("mediation.codes", "GET", "/mediation/codes", only(city=PAGE), ""),
        ("mediation.create_code", "POST", "/mediation/codes", only(city=INVALID), ""),
    )],
]


# ---- rehabilitation (安置帮教). The subject is 昆都仑区's (district_a), served by contractor X, whose
# worker_x leads its group; contractor_x is the serving contractor's admin (basic data and group only).
# Everyone outside DESIGN.md §2's table gets 404 for the record, its documents and attachments.
def _rh(r):
    from tests.rehab_factories import access_refs

    return access_refs(r)


def _subject_url(tail=""):
    return lambda r: f"/rehabilitation/{_rh(r).subject}{tail}"


def subject_route(owner, admin_x, leader):
    """A subject's route: the owner unit, X's admin, the group leader; every other signed-in user 404."""
    return answers(LOGIN, NOT_FOUND, district_a=owner, contractor_x=admin_x, worker_x=leader)


def rehab_unit(answer):
    return only(district_a=answer, district_b=answer, city=answer)


TABLE += [
    case("rehabilitation.index", "GET", "/rehabilitation/",
         only(city=PAGE, district_a=PAGE, district_b=PAGE, contractor_x=PAGE, contractor_y=PAGE, worker_x=PAGE)),
    case("rehabilitation.export", "GET", "/rehabilitation/export.csv", rehab_unit(PAGE)),
    case("rehabilitation.new", "GET", "/rehabilitation/new", rehab_unit(PAGE)),
    case("rehabilitation.create", "POST", "/rehabilitation/", rehab_unit(INVALID)),
    case("rehabilitation.show", "GET", _subject_url(), subject_route(PAGE, PAGE, PAGE)),
    case("rehabilitation.show", "GET", lambda r: f"/rehabilitation/{_rh(r).other}",
         answers(LOGIN, NOT_FOUND, district_b=PAGE), "other-unit-subject"),
    case("rehabilitation.subject_form", "GET", _subject_url("/forms/record"), subject_route(PAGE, NOT_FOUND, PAGE)),
    case("rehabilitation.subject_form", "GET", _subject_url("/forms/end"), subject_route(PAGE, NOT_FOUND, NOT_FOUND),
         "owner-only"),
    case("rehabilitation.viewers", "GET", _subject_url("/viewers"), subject_route(PAGE, NOT_FOUND, NOT_FOUND),
         "owner-only"),
    case("rehabilitation.reveal", "POST", _subject_url("/reveal"), subject_route(PAGE, FORBIDDEN, PAGE)),
    case("rehabilitation.situation", "POST", _subject_url("/situation"), subject_route(INVALID, FORBIDDEN, INVALID)),
    case("rehabilitation.edit", "GET", _subject_url("/edit"), subject_route(PAGE, FORBIDDEN, FORBIDDEN)),
    case("rehabilitation.correct", "POST", _subject_url("/basic"), subject_route(INVALID, FORBIDDEN, FORBIDDEN)),
    # Already reported (409), as is downgrading a subject with an obstacle to it.
    case("rehabilitation.report", "POST", _subject_url("/report"), subject_route(CONFLICT, FORBIDDEN, FORBIDDEN)),
    case("rehabilitation.link_contract", "POST", _subject_url("/contract"),
         subject_route(INVALID, FORBIDDEN, FORBIDDEN)),
    case("rehabilitation.cooperation", "POST", _subject_url("/cooperation"),
         subject_route(INVALID, FORBIDDEN, FORBIDDEN)),
    case("rehabilitation.form_group", "POST", _subject_url("/group"), subject_route(FORBIDDEN, INVALID, FORBIDDEN)),
    case("rehabilitation.create_plan", "POST", _subject_url("/plans"), subject_route(INVALID, FORBIDDEN, INVALID)),
    # The plan is already approved: approving again is refused by state.
    case("rehabilitation.approve_plan", "POST", lambda r: f"/rehabilitation/{_rh(r).subject}/plans/{_rh(r).plan}/approve",
         subject_route(CONFLICT, FORBIDDEN, FORBIDDEN)),
    case("rehabilitation.plan_document", "GET",
         lambda r: f"/rehabilitation/{_rh(r).subject}/plans/{_rh(r).plan}/document", subject_route(PAGE, FORBIDDEN, PAGE)),
    case("rehabilitation.plan_document", "GET",
         lambda r: f"/rehabilitation/{_rh(r).other}/plans/{_rh(r).plan}/document",
         answers(LOGIN, NOT_FOUND), "other-subject-url"),
    case("rehabilitation.document", "GET", _subject_url("/documents/record_card"), subject_route(PAGE, FORBIDDEN, PAGE)),
    case("rehabilitation.document", "GET", _subject_url("/documents/handover_receipt"),
         subject_route(PAGE, FORBIDDEN, PAGE), "handover-receipt"),
    case("rehabilitation.document", "GET", lambda r: f"/rehabilitation/{_rh(r).other}/documents/record_card",
         answers(LOGIN, NOT_FOUND, district_b=PAGE), "other-unit-subject"),
    case("rehabilitation.assessment_document", "GET",
         lambda r: f"/rehabilitation/{_rh(r).subject}/assessments/{_rh(r).assessment}/document",
         subject_route(PAGE, FORBIDDEN, PAGE)),
    case("rehabilitation.create_record", "POST", _subject_url("/records"), subject_route(INVALID, FORBIDDEN, INVALID)),
    case("rehabilitation.record_attachment", "GET",
         lambda r: f"/rehabilitation/{_rh(r).subject}/records/{_rh(r).record}/attachment",
         subject_route(PAGE, FORBIDDEN, PAGE)),
    case("rehabilitation.record_attachment", "GET",
         lambda r: f"/rehabilitation/{_rh(r).other}/records/{_rh(r).record}/attachment",
         answers(LOGIN, NOT_FOUND), "other-subject-url"),
    case("rehabilitation.create_consent", "POST", _subject_url("/consents"), subject_route(INVALID, FORBIDDEN, INVALID)),
    case("rehabilitation.create_profile", "POST", _subject_url("/profiles"), subject_route(INVALID, FORBIDDEN, INVALID)),
    case("rehabilitation.create_assessment", "POST", _subject_url("/assessments"),
         subject_route(INVALID, FORBIDDEN, INVALID)),
    case("rehabilitation.create_warning", "POST", _subject_url("/warnings"), subject_route(INVALID, FORBIDDEN, INVALID)),
    case("rehabilitation.lost_contact", "POST", _subject_url("/lost-contact"),
         subject_route(INVALID, FORBIDDEN, FORBIDDEN)),
    case("rehabilitation.end", "POST", _subject_url("/end"), subject_route(INVALID, FORBIDDEN, FORBIDDEN)),
    case("rehabilitation.downgrade", "POST", _subject_url("/downgrade"), subject_route(CONFLICT, FORBIDDEN, FORBIDDEN)),
    # Under assistance, not ended: nothing to anonymise yet.
    case("rehabilitation.anonymise", "POST", _subject_url("/anonymise"), subject_route(CONFLICT, FORBIDDEN, FORBIDDEN)),
    case("rehabilitation.alerts", "GET", "/rehabilitation/alerts", rehab_unit(PAGE)),
    case("rehabilitation.acknowledge", "POST", lambda r: f"/rehabilitation/alerts/{_rh(r).alert}/acknowledge",
         only(district_a=INVALID, district_b=NOT_FOUND, city=NOT_FOUND)),
    case("rehabilitation.worklist", "GET", "/rehabilitation/worklist", rehab_unit(PAGE)),
    case("rehabilitation.set_aside", "POST", "/rehabilitation/worklist/set-aside", rehab_unit(INVALID)),
    case("rehabilitation.anonymisation", "GET", "/rehabilitation/anonymisation", rehab_unit(PAGE)),
    case("rehabilitation.figures", "GET", "/rehabilitation/figures", rehab_unit(PAGE)),
    case("rehabilitation.bases", "GET", "/rehabilitation/bases", rehab_unit(PAGE)),
    case("rehabilitation.create_base", "POST", "/rehabilitation/bases", rehab_unit(INVALID)),
]


TABLE += [
    # ---- acceptance (the unit acts; finance, the city and the contractor party read)
    *[case(ep, m, u, e, v) for ep, m, u, e, v in (
        ("acceptance.new", "GET", lambda r: f"/contracts/{r.contract}/acceptances/new",
         only(district_a=PAGE, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        # An acceptance is already open (409); the contract is not conditionally accepted (409).
        ("acceptance.create", "POST", lambda r: f"/contracts/{r.contract}/acceptances",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("acceptance.set_target", "POST", lambda r: f"/contracts/{r.contract}/targets",
         only(district_a=INVALID, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("acceptance.conditions_met", "POST", lambda r: f"/contracts/{r.contract}/conditions-met",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("acceptance.show", "GET", lambda r: f"/acceptances/{r.acceptance}",
         only(district_a=PAGE, district_b=NOT_FOUND, city=PAGE, finance_a=PAGE, contractor_x=PAGE,
              contractor_y=NOT_FOUND), ""),
        ("acceptance.document", "GET", lambda r: f"/acceptances/{r.acceptance}/document",
         only(district_a=PAGE, district_b=NOT_FOUND, city=PAGE, finance_a=PAGE, contractor_x=PAGE,
              contractor_y=NOT_FOUND), ""),
        ("acceptance.refresh", "POST", lambda r: f"/acceptances/{r.acceptance}/refresh",
         only(district_a=303, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("acceptance.add_member", "POST", lambda r: f"/acceptances/{r.acceptance}/members",
         only(district_a=INVALID, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("acceptance.record_finding", "POST", lambda r: f"/acceptances/{r.acceptance}/items/{r.acceptance_item}",
         only(district_a=303, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("acceptance.add_problem", "POST", lambda r: f"/acceptances/{r.acceptance}/problems",
         only(district_a=INVALID, district_b=NOT_FOUND, city=FORBIDDEN), ""),
        ("acceptance.conclude", "POST", lambda r: f"/acceptances/{r.acceptance}/conclude",
         only(district_a=INVALID, district_b=NOT_FOUND, city=FORBIDDEN), ""),
    )],
    case("acceptance.run_checks", "POST", lambda r: f"/contracts/{r.contract}/integrity",
         only(district_a=303, district_b=NOT_FOUND, city=FORBIDDEN)),
    case("acceptance.decide_finding", "POST", lambda r: f"/contracts/{r.contract}/integrity/{r.missing}",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=FORBIDDEN), "no-such-finding"),
    case("acceptance.open_inspection", "POST", lambda r: f"/contracts/{r.contract}/inspections",
         only(district_a=INVALID, district_b=NOT_FOUND, city=INVALID, finance_a=INVALID)),
    case("acceptance.advance_inspection", "POST", lambda r: f"/inspections/{r.missing}/advance",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=NOT_FOUND, finance_a=NOT_FOUND,
              contractor_x=NOT_FOUND, contractor_y=NOT_FOUND), "no-such-inspection"),
    case("acceptance.inspection_document", "GET", lambda r: f"/inspections/{r.missing}/documents/{r.missing}",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=NOT_FOUND, finance_a=NOT_FOUND,
              contractor_x=NOT_FOUND, contractor_y=NOT_FOUND), "no-such-inspection"),
    case("acceptance.reclaim", "POST", lambda r: f"/contracts/{r.contract}/reclaims",
         only(district_a=INVALID, district_b=NOT_FOUND, city=FORBIDDEN)),
    case("acceptance.reclaim_repaid", "POST", lambda r: f"/contracts/{r.contract}/reclaims/{r.missing}/repaid",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=FORBIDDEN), "no-such-reclaim"),
    # Not finally accepted yet: the contract cannot close (409).
    case("acceptance.close", "POST", lambda r: f"/contracts/{r.contract}/close",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=FORBIDDEN)),
    case("acceptance.close_quarter", "POST", lambda r: f"/contracts/{r.contract}/quarters",
         only(district_a=INVALID, district_b=NOT_FOUND, city=FORBIDDEN)),

    # ---- dashboards (issue #7): unit staff and finance see their unit, the city every unit; a unit or
    # contractor filter outside the user's scope is 404
    case("dashboard.index", "GET", "/dashboard/", _dash(PAGE, PAGE)),
    case("dashboard.index", "GET", lambda r: f"/dashboard/?unit={_unit_id('150202')}",
         only(city=PAGE, district_a=NOT_FOUND, district_b=PAGE, finance_a=NOT_FOUND), "other-unit"),
    case("dashboard.panel", "GET", "/dashboard/mediation", _dash(PAGE, PAGE)),
    case("dashboard.panel", "GET", lambda r: f"/dashboard/money?contractor={r.missing}",
         _dash(NOT_FOUND, NOT_FOUND), "no-such-contractor"),
    case("dashboard.panel", "GET", "/dashboard/nothing", _dash(NOT_FOUND, NOT_FOUND), "no-such-panel"),
    case("dashboard.export", "GET", "/dashboard/subjects.xlsx", _dash(PAGE, PAGE)),
    case("dashboard.export", "GET", lambda r: f"/dashboard/money.xlsx?unit={_unit_id('150203')}",
         only(city=PAGE, district_a=PAGE, district_b=NOT_FOUND, finance_a=PAGE), "other-unit"),

    # ---- transparency portal, open data and feedback from the public (issue 7). Everything under
    # /portal/ is public; a year or unit with nothing published has no package (404). Feedback goes to
    # one unit: only its staff (district_a for X's contract) see and handle it; the city is another unit.
    case("portal.statistics", "GET", "/portal/statistics", public(PAGE)),
    case("portal.withheld", "GET", "/portal/withheld", public(PAGE)),
    case("portal.ocds_index", "GET", "/portal/ocds/", public(PAGE)),
    case("portal.ocds_year", "GET", lambda r: f"/portal/ocds/{r.year}.json", public(PAGE)),
    case("portal.ocds_year", "GET", "/portal/ocds/1999.json", public(NOT_FOUND), "empty-year"),
    case("portal.ocds_unit", "GET", lambda r: f"/portal/ocds/{r.year}/150203.json", public(PAGE)),
    case("portal.ocds_unit", "GET", lambda r: f"/portal/ocds/{r.year}/150299.json", public(NOT_FOUND), "no-such-unit"),
    case("portal.feedback_new", "GET", "/portal/feedback/new", public(PAGE)),
    case("portal.feedback_create", "POST", "/portal/feedback", public(INVALID)),
    case("portal.feedback_lookup", "GET", "/portal/feedback/lookup", public(PAGE)),
    case("portal.feedback_lookup_post", "POST", "/portal/feedback/lookup", public(INVALID)),
    case("feedback.index", "GET", "/feedback/", only(district_a=PAGE, district_b=PAGE, city=PAGE)),
    case("feedback.show", "GET", lambda r: f"/feedback/{r.feedback}",
         only(district_a=PAGE, district_b=NOT_FOUND, city=NOT_FOUND)),
    case("feedback.answer", "POST", lambda r: f"/feedback/{r.feedback}/answer",
         only(district_a=INVALID, district_b=NOT_FOUND, city=NOT_FOUND)),
    case("feedback.inspect", "POST", lambda r: f"/feedback/{r.feedback}/inspection",
         only(district_a=INVALID, district_b=NOT_FOUND, city=NOT_FOUND)),

    # ---- the parties' door (issue 17): the public application, follow-up and signing link; an application
    # of 昆都仑区 dispatched to X; a mediating case of X with an open signing (first party signed).
    case("apply.new", "GET", "/apply/", public(PAGE)),
    case("apply.create", "POST", "/apply/", public(INVALID)),
    case("apply.received", "GET", "/apply/received", public(PAGE)),
    case("apply.follow", "GET", "/apply/follow", public(PAGE)),
    case("apply.follow_look", "POST", "/apply/follow", public(INVALID)),
    case("apply.sign", "GET", lambda r: f"/apply/sign/{_door(r).token}", public(PAGE)),
    case("apply.sign", "GET", "/apply/sign/no-such-token", public(NOT_FOUND), "no-such-link"),
    case("apply.sign_submit", "POST", lambda r: f"/apply/sign/{_door(r).token}", public(INVALID)),
    case("door.index", "GET", "/door/applications", only(district_a=PAGE, district_b=PAGE, city=PAGE,
                                                         contractor_x=PAGE, contractor_y=PAGE, worker_x=PAGE)),
    case("door.show", "GET", lambda r: f"/door/applications/{_door(r).application}",
         only(district_a=PAGE, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=PAGE, contractor_y=NOT_FOUND,
              worker_x=PAGE)),
    # already dispatched: the unit's steps are refused by state
    case("door.dispatch", "POST", lambda r: f"/door/applications/{_door(r).application}/dispatch",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=NOT_FOUND)),
    case("door.close", "POST", lambda r: f"/door/applications/{_door(r).application}/close",
         only(district_a=CONFLICT, district_b=NOT_FOUND, city=NOT_FOUND)),
    case("door.decline", "POST", lambda r: f"/door/applications/{_door(r).application}/decline",
         only(contractor_x=INVALID, contractor_y=NOT_FOUND, worker_x=INVALID)),
    case("door.accept_form", "GET", lambda r: f"/door/applications/{_door(r).application}/accept",
         only(contractor_x=PAGE, contractor_y=NOT_FOUND, worker_x=PAGE)),
    case("door.accept", "POST", lambda r: f"/door/applications/{_door(r).application}/accept",
         only(contractor_x=INVALID, contractor_y=NOT_FOUND, worker_x=INVALID)),
    # a case registered directly has no application
    case("door.of_case", "GET", lambda r: f"/door/cases/{_door(r).case}/application",
         only(district_a=NOT_FOUND, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=NOT_FOUND,
              contractor_y=NOT_FOUND, worker_x=NOT_FOUND)),
    case("door.signing", "GET", lambda r: f"/door/cases/{_door(r).case}/signing",
         only(district_a=PAGE, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=PAGE, contractor_y=NOT_FOUND,
              worker_x=PAGE)),
    case("door.signing_open", "POST", lambda r: f"/door/cases/{_med(r).case}/signing",
         only(contractor_x=INVALID, contractor_y=NOT_FOUND, worker_x=INVALID)),
    case("door.signing_open", "POST", lambda r: f"/door/cases/{_door(r).case}/signing",
         only(contractor_x=CONFLICT, contractor_y=NOT_FOUND, worker_x=CONFLICT), "already-open"),
    case("door.signing_link", "POST",
         lambda r: f"/door/cases/{_door(r).case}/signing/{_door(r).signing}/link/{_door(r).unsigned}",
         only(contractor_x=PAGE, contractor_y=NOT_FOUND, worker_x=PAGE)),
    case("door.signing_link", "POST",
         lambda r: f"/door/cases/{_door(r).case}/signing/{_door(r).signing}/link/{_door(r).signed}",
         only(contractor_x=CONFLICT, contractor_y=NOT_FOUND, worker_x=CONFLICT), "signed"),
    case("door.signing_paper", "POST",
         lambda r: f"/door/cases/{_door(r).case}/signing/{_door(r).signing}/paper/{_door(r).signed}",
         only(contractor_x=CONFLICT, contractor_y=NOT_FOUND, worker_x=CONFLICT)),
    case("door.signing_mediator", "POST", lambda r: f"/door/cases/{_door(r).case}/signing/{_door(r).signing}/mediator",
         only(contractor_x=INVALID, contractor_y=NOT_FOUND, worker_x=INVALID)),
    # the signing asked for through another case's URL (IDOR): 404
    case("door.signing_cancel", "POST", lambda r: f"/door/cases/{_med(r).case}/signing/{_door(r).signing}/cancel",
         only(contractor_x=NOT_FOUND, contractor_y=NOT_FOUND, worker_x=NOT_FOUND), "~other-case"),
    case("door.signing_cancel", "POST",
         lambda r: f"/door/cases/{_door(r).case}/signing/{_door(r).cancelled}/cancel",
         only(contractor_x=CONFLICT, contractor_y=NOT_FOUND, worker_x=CONFLICT), "cancelled"),
    case("door.signing_document", "GET",
         lambda r: f"/door/cases/{_door(r).case}/signing/{_door(r).signing}/document",
         only(district_a=PAGE, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=PAGE, contractor_y=NOT_FOUND,
              worker_x=PAGE)),

    # ---- speed benchmark (issue 8): the trivial page that is the framework's floor, and liveness
    case("main.healthz", "GET", "/healthz", public(PAGE)),
    # ---- the icon for browsers and tools that ask /favicon.ico (issue 14, defect 7)
    case("main.favicon", "GET", "/favicon.ico", public(PAGE)),

    # ---- hardening: the admin lifts a login lock (an account that is not locked: 409)
    case("admin.unlock_user", "POST", lambda r: f"/admin/users/{r.user['district_a']}/unlock",
         only(admin=CONFLICT)),
    case("admin.unlock_user", "POST", lambda r: f"/admin/users/{r.missing}/unlock",
         only(admin=NOT_FOUND), "no-such-user"),
    # ---- hardening: a plan's own attachment, to its unit's readers only
    case("plans.attachment", "GET", lambda r: f"/plans/{r.plan}/attachments/{r.plan_attachment}",
         only(district_a=PAGE, district_b=NOT_FOUND, city=PAGE, finance_a=PAGE), "own-attachment"),
]


def _ev(path=""):
    return lambda r: f"/evaluations/{r.evaluation}{path}"


def _work(path=""):
    return lambda r: f"/evaluator/evaluations/{r.evaluation}{path}"


def evaluation_unit(answer):
    """A unit action on X's evaluation: district_a acts, the other unit 404, the city (reads only) 403."""
    return only(district_a=answer, district_b=NOT_FOUND, city=FORBIDDEN)


EVALUATION_READERS = dict(district_a=PAGE, district_b=NOT_FOUND, city=PAGE, finance_a=PAGE, contractor_x=PAGE,
                          contractor_y=NOT_FOUND)

TABLE += [
    # ---- evaluation (issue 7): the city keeps indicator sets; the unit evaluates; the evaluator's own space
    case("evaluation.sets", "GET", "/indicator-sets", only(city=PAGE, district_a=PAGE, district_b=PAGE)),
    case("evaluation.set_show", "GET", "/indicator-sets/mediation", only(city=PAGE, district_a=PAGE, district_b=PAGE)),
    case("evaluation.set_show", "GET", "/indicator-sets/nothing", only(city=NOT_FOUND, district_a=NOT_FOUND,
                                                                       district_b=NOT_FOUND), "no-such-set"),
    case("evaluation.update_indicator", "POST", lambda r: f"/indicator-sets/mediation/indicators/{r.indicator}",
         only(city=INVALID)),
    case("evaluation.update_indicator", "POST", lambda r: f"/indicator-sets/assistance/indicators/{r.indicator}",
         only(city=NOT_FOUND), "other-set"),
    case("evaluation.index", "GET", "/evaluations", only(city=PAGE, district_a=PAGE, district_b=PAGE, finance_a=PAGE,
                                                         contractor_x=PAGE, contractor_y=PAGE)),
    case("evaluation.new", "GET", lambda r: f"/contracts/{r.contract}/evaluations/new", evaluation_unit(PAGE)),
    case("evaluation.create", "POST", lambda r: f"/contracts/{r.contract}/evaluations", evaluation_unit(INVALID)),
    case("evaluation.show", "GET", _ev(), only(**EVALUATION_READERS)),
    # Still open: the report exists only for a completed evaluation.
    case("evaluation.document", "GET", _ev("/document"),
         only(**{**EVALUATION_READERS, **{u: CONFLICT for u, a in EVALUATION_READERS.items() if a == PAGE}})),
    case("evaluation.set_shares", "POST", _ev("/shares"), evaluation_unit(INVALID)),
    case("evaluation.assign", "POST", _ev("/assign"), evaluation_unit(INVALID)),
    case("evaluation.set_vetoes", "POST", _ev("/vetoes"), evaluation_unit(303)),
    case("evaluation.refresh", "POST", _ev("/refresh"), evaluation_unit(303)),
    case("evaluation.complete", "POST", _ev("/complete"), evaluation_unit(INVALID)),
    case("evaluation.scores", "POST", _ev("/scores"),
         only(district_a=INVALID, district_b=NOT_FOUND, city=FORBIDDEN, contractor_x=INVALID, contractor_y=NOT_FOUND)),
    case("evaluation.assigned", "GET", "/evaluator/", only(evaluator=PAGE)),
    case("evaluation.work", "GET", _work(), only(evaluator=PAGE)),
    case("evaluation.work", "GET", lambda r: f"/evaluator/evaluations/{r.missing}", only(evaluator=NOT_FOUND),
         "no-such-evaluation"),
    case("evaluation.third_scores", "POST", _work("/scores"), only(evaluator=INVALID)),
    case("evaluation.sample", "GET", lambda r: f"/evaluator/evaluations/{r.evaluation}/samples/{r.evaluation_sample}",
         only(evaluator=PAGE)),
    case("evaluation.reveal", "POST",
         lambda r: f"/evaluator/evaluations/{r.evaluation}/samples/{r.evaluation_sample}/reveal/1", only(evaluator=PAGE)),
    case("evaluation.reveal", "POST",
         lambda r: f"/evaluator/evaluations/{r.evaluation}/samples/{r.evaluation_sample}/reveal/9",
         only(evaluator=NOT_FOUND), "no-such-person"),
    case("evaluation.survey", "POST",
         lambda r: f"/evaluator/evaluations/{r.evaluation}/samples/{r.evaluation_sample}/survey", only(evaluator=INVALID)),

    # ---- case numbers: each mediation organisation's code, set by its seat unit or the administrator
    case("admin.case_codes", "GET", "/admin/case-codes", only(admin=PAGE)),
    case("admin.units", "GET", "/admin/units", only(admin=PAGE)),
    case("admin.update_unit", "POST", lambda r: f"/admin/units/{_unit_id('150203')}",
         only(admin=(303, "/admin/units"))),  # an empty code clears it
    case("admin.update_unit", "POST", lambda r: f"/admin/units/{r.missing}", only(admin=NOT_FOUND), "missing"),
    case("contractors.case_code", "POST", lambda r: f"/contractors/{r.x}/case-code",
         only(admin=INVALID, district_a=INVALID, district_b=FORBIDDEN, city=FORBIDDEN)),
    case("contractors.case_code", "POST", lambda r: f"/contractors/{r.pending}/case-code",
         only(admin=INVALID, district_a=INVALID, district_b=NOT_FOUND, city=NOT_FOUND), "pending-org"),
]

# ---- statistical reports (DOMAIN.md §9): district_a's unit asked for by code; city any unit, a unit only its own
STATISTICS_READERS = only(district_a=PAGE, district_b=NOT_FOUND, finance_a=PAGE, city=PAGE)
TABLE += [case(endpoint, "GET", f"/statistics/{path}?unit=150203&year=2026", STATISTICS_READERS)
          for endpoint, path in (("statistics.mediation", "mediation"),
                                 ("statistics.mediation_document", "mediation/document"),
                                 ("statistics.mediation_workbook", "mediation/workbook"),
                                 ("statistics.assistance", "assistance"),
                                 ("statistics.assistance_document", "assistance/document"),
                                 ("statistics.assistance_workbook", "assistance/workbook"))]
