"""The handover from prison or community correction (衔接): the notice, the work inside, the report."""
from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.rehabilitation.codes import RECEIVED_HOW


class Handover(db.Model):
    """The prison's notice, the work inside before release, and how the person was received (衔接)."""

    __tablename__ = "handover"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), unique=True)
    notice_date: Mapped[date | None]
    institution: Mapped[str] = mapped_column(String(200), default="")
    conduct: Mapped[str] = mapped_column(Text, default="")
    family: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[str] = mapped_column(Text, default="")
    sessions: Mapped[str] = mapped_column(Text, default="")  # correction sessions inside before release
    received_how: Mapped[str | None] = mapped_column(String(20))
    report_date: Mapped[date | None] = mapped_column(index=True)
    receiving_office: Mapped[str] = mapped_column(String(200), default="")
    officer: Mapped[str] = mapped_column(String(100), default="")

    subject = relationship("Subject", back_populates="handover")

    @property
    def received_label(self):
        return RECEIVED_HOW.get(self.received_how, "")
