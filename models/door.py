"""The parties' own door: an online application for mediation (调解申请), its dispatch by the area
unit to a mediation organisation, acceptance into a case or a reasoned refusal, and the applicant's
follow-up with the application number and a short access code.

The access code is shown once and only a salted scrypt hash of it is stored; five wrong codes lock the
number for an hour (settings door.max_code_failures, door.lock_minutes).
"""
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import Boolean, ForeignKey, LargeBinary, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models import clock
from models.base import NotAllowed, RuleError, TransitionError
from models.contract import Contract
from models.contractor import Contractor
from models.door_codes import CONSENT_VERSION, OPEN_STATES, STATES, STEPS, TOWNSHIPS
from models.mediation import MediationCase, code_table
from models.setting import Setting

MAX_TEXT = 2000
PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on a phone
CODE_LENGTH = 8


def _hash_code(code, salt):
    return hashlib.scrypt(code.encode(), salt=salt, n=2 ** 13, r=8, p=1, dklen=32)


def new_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code):
    return re.sub(r"[\s-]", "", (code or "")).upper()


def step_due(state, since):
    """When an application's current step is due: the unit dispatches (new, declined), the organisation
    accepts or declines (dispatched); None once it is closed or accepted."""
    if state in ("new", "declined"):
        return since + timedelta(days=Setting.get("door.dispatch_days"))
    if state == "dispatched":
        return since + timedelta(days=Setting.get("door.accept_days"))
    return None


class Application(db.Model):
    __tablename__ = "door_application"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)  # 受理编号, e.g. SQ2026-00017
    code_salt: Mapped[bytes] = mapped_column(LargeBinary(16))
    code_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    area_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    township: Mapped[str] = mapped_column(String(100), default="")
    category: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text)
    requests: Mapped[str] = mapped_column(Text, default="")
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_phone: Mapped[str] = mapped_column(String(40))
    applicant_email: Mapped[str | None] = mapped_column(String(200))
    applicant_address: Mapped[str | None] = mapped_column(Text)
    other_name: Mapped[str | None] = mapped_column(String(200))
    other_phone: Mapped[str | None] = mapped_column(String(40))
    other_address: Mapped[str | None] = mapped_column(Text)
    consent_version: Mapped[str] = mapped_column(String(20))
    received_at: Mapped[datetime] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(20), default="new", index=True)
    state_since: Mapped[datetime]  # when the current step began: its time limit runs from here
    contractor_id: Mapped[int | None] = mapped_column(ForeignKey("contractor.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_case.id"), unique=True)
    failed_codes: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]

    area_unit = relationship("Unit")
    contractor = relationship("Contractor")
    case = relationship("MediationCase")
    steps = relationship("ApplicationStep", back_populates="application", order_by="ApplicationStep.id",
                         cascade="all, delete-orphan")

    # audit entries name the fields changed; the code's hash and salt are not worth naming
    __audit_ignore__ = ("code_salt", "code_hash", "failed_codes", "locked_until")

    @property
    def state_label(self):
        return STATES[self.state]

    @property
    def category_label(self):
        return code_table("category").get(self.category, self.category)

    @property
    def area_label(self):
        return f"{self.area_unit.area_name}{self.township or ''}"

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def due_at(self):
        return step_due(self.state, self.state_since)

    def is_overdue(self, now=None):
        due = self.due_at
        return due is not None and (now or clock.now()) > due

    # ---- receiving
    @classmethod
    def receive(cls, unit, township, fields):
        """A visitor's application; returns (application, access code). The code is not stored."""
        if unit is None:
            raise RuleError("请选择纠纷发生地", field="area")
        township = (township or "").strip()
        if township and township not in TOWNSHIPS.get(unit.code, ()):
            raise RuleError("请选择纠纷发生地", field="area")
        if fields.get("category") not in code_table("category"):
            raise RuleError("请选择纠纷类型", field="category")
        data = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
        for name, label in (("description", "纠纷简要情况"), ("applicant_name", "您的姓名"),
                            ("applicant_phone", "联系电话")):
            if not data.get(name):
                raise RuleError(f"请填写{label}", field=name)
        for name in ("description", "requests"):
            if len(data.get(name) or "") > MAX_TEXT:
                raise RuleError(f"内容过长（最多 {MAX_TEXT} 字）", field=name)
        for name in ("applicant_phone", "other_phone"):
            if data.get(name) and not PHONE.match(data[name]):
                raise RuleError("请填写有效的电话号码（7-20 位数字，可含 - 和空格）", field=name)
        if data.get("applicant_email") and not EMAIL.match(data["applicant_email"]):
            raise RuleError("请填写有效的电子邮箱，或不填", field="applicant_email")
        if not data.pop("consent", False):
            raise RuleError("须同意按所述目的和期限处理您填写的信息，才能提交申请", field="consent")
        for name in ("applicant_email", "applicant_address", "other_name", "other_phone", "other_address"):
            data[name] = data.get(name) or None
        now = clock.now()
        prefix = f"SQ{now.year}-"
        last = db.session.scalar(select(func.max(cls.number)).where(cls.number.like(prefix + "%")))
        seq = int(last[len(prefix):]) + 1 if last else 1
        code, salt = new_code(), secrets.token_bytes(16)
        item = cls(number=f"{prefix}{seq:05d}", code_salt=salt, code_hash=_hash_code(code, salt),
                   area_unit_id=unit.id, township=township, consent_version=CONSENT_VERSION, received_at=now,
                   state="new", state_since=now, requests=data.pop("requests", None) or "", **data)
        item.steps.append(ApplicationStep(kind="received", at=now))
        db.session.add(item)
        return item, code

    # ---- the applicant's follow-up
    def check_code(self, code):
        """True for the right code; a wrong one counts, and the limit locks the number for a while.
        Raises TransitionError (shown as 429) while locked, whatever the code."""
        now = clock.now()
        if self.locked_until is not None and now < self.locked_until:
            raise TransitionError("locked")
        if hmac.compare_digest(_hash_code(normalise_code(code), self.code_salt), self.code_hash):
            self.failed_codes, self.locked_until = 0, None
            return True
        self.failed_codes += 1
        if self.failed_codes >= Setting.get("door.max_code_failures"):
            self.failed_codes = 0
            self.locked_until = now + timedelta(minutes=Setting.get("door.lock_minutes"))
        return False

    # ---- dispatch
    def _step(self, kind, user=None, contractor=None, reason=None):
        now = clock.now()
        self.state_since = now
        self.steps.append(ApplicationStep(kind=kind, at=now, user_id=user.id if user else None,
                                          contractor_id=contractor.id if contractor else None, reason=reason))

    def state_check(self, action):
        if action == "dispatch" and self.state not in ("new", "declined"):
            raise TransitionError("该申请已分派或已办结")
        if action in ("accept", "decline") and self.state != "dispatched":
            raise TransitionError("该申请不在待受理状态")
        if action == "close" and self.state not in ("new", "declined"):
            raise TransitionError("该申请已分派或已办结")

    def _require_unit(self, user):
        if not (user.role in ("city", "district") and user.unit_id == self.area_unit_id):
            raise NotAllowed("只有纠纷发生地的司法局可以分派申请")

    def dispatch(self, user, contractor):
        """The area unit passes the application to a mediation organisation (user None: the rule did)."""
        if user is not None:
            self._require_unit(user)
        self.state_check("dispatch")
        if contractor is None or contractor.status != "approved" or not contractor.serves_mediation:
            raise RuleError("请选择资格有效的人民调解组织", field="contractor_id")
        self.contractor_id = contractor.id
        self.contractor = contractor
        self.state = "dispatched"
        self._step("dispatched" if user is not None else "auto_dispatched", user, contractor)

    def close(self, user, reason):
        """The unit ends an application no organisation takes (e.g. not a civil dispute), with a reason."""
        self._require_unit(user)
        self.state_check("close")
        reason = (reason or "").strip()
        if not reason:
            raise RuleError("请填写不予受理的理由", field="reason")
        self.state = "closed"
        self._step("closed", user, reason=reason[:MAX_TEXT])

    def _require_org(self, user):
        if user.role not in ("contractor", "worker") or user.contractor_id != self.contractor_id:
            raise NotAllowed("只有被分派的调解组织可以办理")

    def decline(self, user, reason):
        self._require_org(user)
        self.state_check("decline")
        reason = (reason or "").strip()
        if not reason:
            raise RuleError("请填写不予受理的理由", field="reason")
        if len(reason) > MAX_TEXT:
            raise RuleError(f"内容过长（最多 {MAX_TEXT} 字）", field="reason")
        contractor = self.contractor
        self.state, self.contractor_id = "declined", None
        self._step("declined", user, contractor, reason)

    def accept(self, user, case):
        """The organisation registered the case from this application (the intake came first)."""
        self._require_org(user)
        self.state_check("accept")
        if case.contractor_id != self.contractor_id:
            raise RuleError("案件不属于本机构")
        self.case_id, self.state = case.id, "accepted"
        self._step("accepted", user, self.contractor)

    def intake_defaults(self):
        """What the intake form starts from: the application's data, the applicant and the other party."""
        parties = [{"side": "applicant", "name": self.applicant_name, "phone": self.applicant_phone,
                    "address": self.applicant_address or ""}]
        if self.other_name:
            parties.append({"side": "respondent", "name": self.other_name, "phone": self.other_phone or "",
                            "address": self.other_address or ""})
        return {"source": "application_written", "category": self.category, "area_unit_id": self.area_unit_id,
                "township": self.township, "facts": self.description, "requests": self.requests,
                "parties": parties}


class ApplicationStep(db.Model):
    """One step the applicant sees: received, dispatched, accepted, declined (with the reason)."""

    __tablename__ = "door_application_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("door_application.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    contractor_id: Mapped[int | None] = mapped_column(ForeignKey("contractor.id"))
    reason: Mapped[str | None] = mapped_column(Text)

    application = relationship("Application", back_populates="steps")
    contractor = relationship("Contractor")

    @property
    def label(self):
        return STEPS[self.kind]


class ApplicationAttempt(db.Model):
    """One application sent from an address: the rate limit and the challenge count these."""

    __tablename__ = "door_application_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(index=True)


class Challenge(db.Model):
    """An arithmetic question asked after repeated applications from one address; answered once."""

    __tablename__ = "door_challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    question: Mapped[str] = mapped_column(String(40))
    answer: Mapped[int]
    created_at: Mapped[datetime]
    used: Mapped[bool] = mapped_column(Boolean, default=False)

    @classmethod
    def ask(cls):
        a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        item = cls(token=secrets.token_urlsafe(24), question=f"{a} + {b} = ?", answer=a + b, created_at=clock.now())
        db.session.add(item)
        return item

    @classmethod
    def passed(cls, token, answer):
        """The answer to an unused, recent question; the question is spent either way."""
        item = db.session.scalar(select(cls).where(cls.token == (token or "")))
        if item is None or item.used or clock.now() - item.created_at > timedelta(minutes=30):
            return False
        item.used = True
        try:
            return int(str(answer).strip()) == item.answer
        except ValueError:
            return False


def sent_from(address, minutes):
    since = clock.now() - timedelta(minutes=minutes)
    return db.session.scalar(select(func.count()).select_from(ApplicationAttempt)
                             .where(ApplicationAttempt.address == address, ApplicationAttempt.at >= since)) or 0


def serving_contractor(application):
    """The rule "the serving contract's organisation for that township and category": among the area
    unit's mediation contracts in their service period today, the one organisation — if several, the
    one whose contracts served most cases of that township and category over the past year (a tie
    leaves the choice to the unit). None when no contract serves the area."""
    today = clock.today()
    contracts = db.session.execute(select(Contract.id, Contract.contractor_id).where(
        Contract.unit_id == application.area_unit_id, Contract.category == "mediation",
        Contract.period_start <= today, Contract.period_end >= today,
        Contract.status.notin_(("terminated", "closed")))).all()
    orgs = {org for _, org in contracts}
    if not orgs:
        return None
    if len(orgs) > 1:
        counts = dict(db.session.execute(
            select(MediationCase.contractor_id, func.count()).where(
                MediationCase.contract_id.in_([cid for cid, _ in contracts]),
                MediationCase.township == application.township, MediationCase.category == application.category,
                MediationCase.received_on >= today - timedelta(days=365))
            .group_by(MediationCase.contractor_id)).all())
        ranked = sorted(((counts.get(o, 0), o) for o in orgs), reverse=True)
        if ranked[0][0] == 0 or ranked[0][0] == ranked[1][0]:
            return None
        orgs = {ranked[0][1]}
    org = db.session.get(Contractor, orgs.pop())
    return org if org.status == "approved" and org.serves_mediation else None
