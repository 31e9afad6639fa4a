"""The city's additions to the code lists (dispute categories, reasons for failure); the lists themselves
are in models.mediation_codes."""
from flask import g, has_request_context
from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models import setting
from models.base import NotAllowed, RuleError
from models.mediation_codes import CATEGORIES, FAIL_REASONS


class MediationCode(db.Model):
    """An entry the city adds to a code list (dispute categories, reasons for failure)."""

    __tablename__ = "mediation_code"
    __table_args__ = (UniqueConstraint("kind", "key", name="uq_mediation_code_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # category | fail_reason
    key: Mapped[str] = mapped_column(String(30))
    label: Mapped[str] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    @classmethod
    def add(cls, user, kind, label):
        """The city extends a code list; the built-in entries stay first and are never changed."""
        if user.role != "city":
            raise NotAllowed("只有市司法局可以扩充代码表")
        if kind not in CODE_KINDS:
            raise RuleError("请选择代码表", field="kind")
        label = (label or "").strip()
        if not label or len(label) > 100:
            raise RuleError("请填写名称（最多 100 字）", field="label")
        if label in code_table(kind).values():
            raise RuleError("代码表中已有该名称", field="label")
        count = len(db.session.scalars(select(cls.id).where(cls.kind == kind)).all())
        code = cls(kind=kind, key=f"city{count + 1}", label=label, created_by_id=user.id)
        db.session.add(code)
        db.session.flush()  # renews the settings' token: this transaction's lists read the additions afresh
        if has_request_context():
            g.pop("_code_tables", None)
        return code


CODE_KINDS = {"category": "纠纷类型", "fail_reason": "调解不成的原因"}


def code_table(kind):
    """A code list with the city's additions after the built-in entries (DOMAIN.md §3); once per request (a
    list asks for a label on every row), forgotten when the city adds an entry. The additions are kept by
    the process under the settings' revision token, which an addition renews (issue 16: no statement of its
    own on every case list and dashboard)."""
    cache = g.setdefault("_code_tables", {}) if has_request_context() else {}
    if kind not in cache:
        base = {"category": CATEGORIES, "fail_reason": FAIL_REASONS}[kind]
        cache[kind] = {**base, **dict(setting.kept(("mediation_code", kind), lambda: _additions(kind)))}
    return dict(cache[kind])


def _additions(kind):
    return tuple(db.session.execute(select(MediationCode.key, MediationCode.label)
                                    .where(MediationCode.kind == kind).order_by(MediationCode.id)).all())


setting.cover(MediationCode)
