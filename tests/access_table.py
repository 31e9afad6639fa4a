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
    case("contractors.suspend", "POST", lambda r: f"/contractors/{r.pending}/suspend",
         unit_staff(INVALID, NOT_FOUND, NOT_FOUND), "pending-org"),
    case("contractors.lift", "POST", lambda r: f"/contractors/{r.x}/lift",
         unit_staff(INVALID, FORBIDDEN, FORBIDDEN)),
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
        ("mediation.assign", "POST", lambda r: f"/mediation/{_med(r).case}/assign",
         only(district_a=FORBIDDEN, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=INVALID,
              contractor_y=NOT_FOUND, worker_x=FORBIDDEN), ""),
        *[(f"mediation.{endpoint}", "POST", (lambda path: lambda r: f"/mediation/{_med(r).case}/{path}")(path),
           only(district_a=FORBIDDEN, district_b=NOT_FOUND, city=NOT_FOUND, contractor_x=INVALID,
                contractor_y=NOT_FOUND, worker_x=INVALID), "")
          for endpoint, path in (("notice", "notice"), ("add_record", "records"), ("refuse", "refuse"),
                                 ("withdraw", "withdraw"), ("succeed", "succeed"), ("fail", "fail"),
                                 ("extend", "extend"), ("police", "police"), ("follow_up", "follow-ups"),
                                 ("confirmation", "confirmation"), ("file_item", "file"), ("archive", "archive"))],
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
    )],
]
