"""Feedback from the public (公众意见), sent from the portal, answered by the unit it concerns.

The contact a visitor leaves is personal data: only the receiving unit's staff see it, and every
opening of a feedback that holds one is audited.
"""
import re
import secrets
from datetime import date, datetime, timedelta

from sqlalchemy import ForeignKey, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from extensions import db
from models.base import NotAllowed, RuleError, TransitionError
from models import clock

STATES = {"open": "待答复", "answered": "已答复"}
MAX_TEXT = 2000
PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
# The code a visitor gets with the receipt number, to look the answer up: 8 characters without look-alikes
# (40 bits), kept only as a salted hash; 5 wrong codes lock that number's lookup for an hour.
LOOKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LOOKUP_LENGTH = 8
LOOKUP_MAX_FAILURES = 5
LOOKUP_LOCK_MINUTES = 60


class Feedback(db.Model):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)  # the receipt the visitor keeps
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    contractor_id: Mapped[int | None] = mapped_column(ForeignKey("contractor.id"), index=True)
    happened_on: Mapped[date | None]
    text: Mapped[str] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(10), default="open", index=True)
    received_at: Mapped[datetime] = mapped_column(index=True)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"))
    lookup_hash: Mapped[str | None] = mapped_column(String(255))
    lookup_failures: Mapped[int] = mapped_column(default=0, server_default="0")
    lookup_locked_until: Mapped[datetime | None]

    unit = relationship("Unit")
    contract = relationship("Contract")
    contractor = relationship("Contractor")
    answered_by = relationship("User")
    inspection = relationship("Inspection")

    @property
    def state_label(self):
        return STATES[self.state]

    @property
    def has_contact(self):
        return bool(self.contact_name or self.contact_phone)

    @property
    def about(self):
        if self.contract is not None:
            return f"合同 {self.contract.number}（{self.contract.contractor.name}）"
        return self.contractor.name if self.contractor is not None else ""

    @classmethod
    def receive(cls, contract, contractor, text, happened_on=None, contact_name=None, contact_phone=None):
        """A visitor's feedback: about a published contract or a contractor; it goes to the contract's
        unit, or to the unit where the contractor is seated."""
        if contract is None and contractor is None:
            raise RuleError("请选择所涉合同或承接主体", field="contract_id")
        if contract is not None and contract.published_on is None:
            raise RuleError("请选择已公开的合同", field="contract_id")
        if contract is not None and contractor is not None and contract.contractor_id != contractor.id:
            raise RuleError("所选合同不是该承接主体的合同", field="contractor_id")
        text = (text or "").strip()
        if not text:
            raise RuleError("请写明发生了什么", field="text")
        if len(text) > MAX_TEXT:
            raise RuleError(f"内容过长（最多 {MAX_TEXT} 字）", field="text")
        today = clock.today()
        if happened_on is not None and happened_on > today:
            raise RuleError("发生日期不能晚于今天", field="happened_on")
        contact_name = (contact_name or "").strip() or None
        contact_phone = (contact_phone or "").strip() or None
        if contact_phone and not PHONE.match(contact_phone):
            raise RuleError("请填写有效的电话号码（7-20 位数字，可含 - 和空格）", field="contact_phone")
        if contact_name and len(contact_name) > 100:
            raise RuleError("姓名过长", field="contact_name")
        unit_id = contract.unit_id if contract is not None else contractor.seat_unit_id
        now = clock.now()
        seq = (db.session.scalar(select(func.count()).select_from(cls)
                                 .where(cls.number.like(f"GZ{now.year}-%"))) or 0) + 1
        item = cls(number=f"GZ{now.year}-{seq:05d}", unit_id=unit_id, contract=contract,
                   contractor=contractor if contractor is not None else contract.contractor, text=text,
                   happened_on=happened_on, contact_name=contact_name, contact_phone=contact_phone,
                   state="open", received_at=now)
        db.session.add(item)
        return item

    def issue_lookup_code(self, method):
        """A new lookup code for the visitor (shown once); only its hash is kept."""
        code = "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(LOOKUP_LENGTH))
        self.lookup_hash = generate_password_hash(code, method=method)
        return code

    def check_lookup_code(self, code):
        """"ok", "wrong" (counted) or "locked" (too many wrong codes: no code is even tried for a while)."""
        now = clock.now()
        if self.lookup_locked_until is not None and self.lookup_locked_until > now:
            return "locked"
        code = re.sub(r"\s+", "", code or "").upper()
        if self.lookup_hash and code and check_password_hash(self.lookup_hash, code):
            self.lookup_failures = 0
            return "ok"
        self.lookup_failures = (self.lookup_failures or 0) + 1
        if self.lookup_failures >= LOOKUP_MAX_FAILURES:
            self.lookup_failures, self.lookup_locked_until = 0, now + timedelta(minutes=LOOKUP_LOCK_MINUTES)
            return "locked"
        return "wrong"

    def _require_unit(self, user):
        if not (user.is_unit_staff and user.unit_id == self.unit_id):
            raise NotAllowed("只有收到意见的单位可以办理")

    def state_check(self, action):
        """TransitionError when already answered / already inspected (run before the form is read)."""
        if action == "answer" and self.state != "open":
            raise TransitionError("该意见已答复")
        if action == "inspection" and self.inspection_id is not None:
            raise TransitionError("已就该意见决定检查")

    def reply(self, user, answer):
        """The unit's answer: what it found and did. Feedback is answered once."""
        self._require_unit(user)
        self.state_check("answer")
        answer = (answer or "").strip()
        if not answer:
            raise RuleError("请填写答复内容", field="answer")
        if len(answer) > MAX_TEXT:
            raise RuleError(f"内容过长（最多 {MAX_TEXT} 字）", field="answer")
        self.state, self.answer, self.answered_at, self.answered_by_id = "answered", answer, clock.now(), user.id

    def open_inspection(self, user, contract, decision):
        """Opens an inspection of one of the unit's contracts with this contractor, reason "complaint"."""
        from models.inspection import Inspection

        self._require_unit(user)
        self.state_check("inspection")
        if contract is None or contract.unit_id != self.unit_id or contract.contractor_id != self.contractor_id:
            raise RuleError("请选择本单位与该承接主体的合同", field="contract_id")
        inspection = Inspection.open(user, contract, "complaint", decision)
        db.session.flush()
        self.inspection = inspection
        return inspection


class FeedbackAttempt(db.Model):
    """One feedback sent from an address: the per-address rate limit counts these (no content kept)."""

    __tablename__ = "feedback_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(index=True)
