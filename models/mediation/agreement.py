"""The agreement and what follows it: follow-up visits, judicial confirmation."""
from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import TimestampMixin
from models.mediation_codes import FOLLOW_UP_WAYS, JUDICIAL_RESULTS, PERFORMANCE


class Agreement(TimestampMixin, db.Model):
    """The agreement (arts. 28-30): written (调解协议书) or oral (its content recorded by the mediator)."""

    __tablename__ = "mediation_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))  # written | oral
    matters: Mapped[str] = mapped_column(Text)  # main facts and the disputed matters
    responsibility: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[str] = mapped_column(Text)  # what was agreed
    performance: Mapped[str] = mapped_column(Text, default="")  # how and by when it is performed
    performance_due: Mapped[date | None]
    effective_on: Mapped[date] = mapped_column(index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase", back_populates="agreement")

    @property
    def kind_label(self):
        return {"written": "书面协议", "oral": "口头协议"}[self.kind]


class FollowUp(TimestampMixin, db.Model):
    __tablename__ = "mediation_follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    visited_on: Mapped[date] = mapped_column(index=True)
    way: Mapped[str] = mapped_column(String(20))
    visited_person: Mapped[str] = mapped_column(Text)
    visitor: Mapped[str] = mapped_column(Text, default="")
    performance: Mapped[str] = mapped_column(String(20))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase", back_populates="follow_ups")

    @property
    def way_label(self):
        return FOLLOW_UP_WAYS[self.way]

    @property
    def performance_label(self):
        return PERFORMANCE[self.performance]


class JudicialConfirmation(db.Model):
    __tablename__ = "mediation_confirmation"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), unique=True)
    applied_on: Mapped[date]
    court: Mapped[str] = mapped_column(Text)
    court_number: Mapped[str] = mapped_column(Text, default="")  # free text (DOMAIN.md §2)
    result: Mapped[str] = mapped_column(String(20))
    decided_on: Mapped[date | None]

    case = relationship("MediationCase", back_populates="confirmation")

    @property
    def result_label(self):
        return JUDICIAL_RESULTS[self.result]
