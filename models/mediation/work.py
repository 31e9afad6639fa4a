"""The organisation's other work: consultations, screening reports, corrective measures, quarter closes,
imports of historical cases."""
from datetime import date

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import TimestampMixin


class Consultation(TimestampMixin, db.Model):
    """A consultation given (法律咨询): who asked, about what, the answer, referred to whom."""

    __tablename__ = "mediation_consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    given_on: Mapped[date] = mapped_column(index=True)
    asker: Mapped[str] = mapped_column(Text)
    topic: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    referred_to: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class Screening(TimestampMixin, db.Model):
    """A dispute screening report (矛盾纠纷排查): period, area, disputes found, analysis, suggestions."""

    __tablename__ = "mediation_screening"

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    period_start: Mapped[date] = mapped_column(index=True)
    period_end: Mapped[date]
    area_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    township: Mapped[str] = mapped_column(String(100), default="")
    disputes_found: Mapped[int] = mapped_column(default=0)
    analysis: Mapped[str] = mapped_column(Text)
    suggestions: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    area_unit = relationship("Unit")


class CorrectiveMeasure(TimestampMixin, db.Model):
    """For a failed or unfulfilled case of a quarter: the cause, the measure, its owner and due date."""

    __tablename__ = "mediation_corrective_measure"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    quarter: Mapped[int]
    cause: Mapped[str] = mapped_column(Text)
    measure: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date]
    done_on: Mapped[date | None]
    done_note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase")


class QuarterClose(db.Model):
    """The unit closed a quarter of a contract after reviewing it (DESIGN.md §3, "Quarter close")."""

    __tablename__ = "mediation_quarter_close"
    __table_args__ = (UniqueConstraint("contract_id", "year", "quarter", name="uq_mediation_quarter_close"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    year: Mapped[int]
    quarter: Mapped[int]
    closed_on: Mapped[date]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    review_note: Mapped[str] = mapped_column(Text, default="")


class CaseImport(TimestampMixin, db.Model):
    """An Excel import of historical cases: checked whole first, then imported in chunks."""

    __tablename__ = "mediation_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    filename: Mapped[str] = mapped_column(String(255))
    rows: Mapped[str] = mapped_column(Text)  # JSON: the valid cases with their parties
    rejected: Mapped[str] = mapped_column(Text)  # JSON: [[sheet, row, reason]]
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(20), default="checked")  # checked | importing | finished

    __audit_ignore__ = ("rows",)
