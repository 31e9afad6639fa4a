"""What the case file holds besides the agreement: investigation and session records, police reports,
the scanned or signed parts of the file."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.base import TimestampMixin
from models.mediation_codes import FILE_PARTS, RECORD_KINDS


class CaseRecord(TimestampMixin, db.Model):
    """An investigation record (调查记录) or a mediation session record (调解记录)."""

    __tablename__ = "mediation_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    held_at: Mapped[datetime]
    place: Mapped[str] = mapped_column(Text, default="")
    staff: Mapped[str] = mapped_column(Text, default="")  # investigator(s) or mediator(s)
    recorder: Mapped[str] = mapped_column(Text, default="")
    persons: Mapped[str] = mapped_column(Text, default="")  # the person asked, or the parties present
    helpers: Mapped[str] = mapped_column(Text, default="")  # people invited to help (sessions)
    content: Mapped[str] = mapped_column(Text)  # questions and answers, or each side's statement
    facts_verified: Mapped[str] = mapped_column(Text, default="")
    risks_explained: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")  # agreed content or reasons for failure and routes
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase", back_populates="records")
    evidence = relationship("Attachment")

    @property
    def kind_label(self):
        return RECORD_KINDS[self.kind]



class PoliceReport(db.Model):
    __tablename__ = "mediation_police_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    reported_to: Mapped[str] = mapped_column(Text)
    reported_at: Mapped[datetime]
    content: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase", back_populates="police_reports")


class FileItem(TimestampMixin, db.Model):
    """A part of the case file held as a scan, or marked "signed original filed" on a date."""

    __tablename__ = "mediation_file_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    part: Mapped[int]
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))
    signed_on: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase", back_populates="file_items")
    attachment = relationship("Attachment")

    @property
    def part_title(self):
        return dict(FILE_PARTS)[self.part]
