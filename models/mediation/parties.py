"""Who is in a case: the parties on each side and the mediators assigned."""
from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.mediation_codes import GENDERS, PARTY_KINDS, SIDES


class Party(db.Model):
    __tablename__ = "mediation_party"
    # Search by exact name or leading characters: pattern operators on PostgreSQL, so that LIKE 'x%' uses
    # the index under any collation (models.base.starts_with).
    __table_args__ = (Index("ix_mediation_party_name", "name", postgresql_ops={"name": "varchar_pattern_ops"}),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default="person")
    name: Mapped[str] = mapped_column(String(200))
    id_number: Mapped[str | None] = mapped_column(String(18))  # resident ID or credit code
    gender: Mapped[str | None] = mapped_column(String(10))
    ethnicity: Mapped[str | None] = mapped_column(String(40))
    birth_date: Mapped[date | None]
    occupation: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(40))
    agent: Mapped[str | None] = mapped_column(Text)
    contact_ok: Mapped[bool] = mapped_column(default=False)  # agrees to a later satisfaction survey

    case = relationship("MediationCase", back_populates="parties")

    @property
    def side_label(self):
        return SIDES[self.side]

    @property
    def kind_label(self):
        return PARTY_KINDS.get(self.kind, self.kind)

    @property
    def gender_label(self):
        return GENDERS.get(self.gender, "") if self.gender else ""

    def age_on(self, day):
        if not self.birth_date:
            return None
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


class Assignment(db.Model):
    """A mediator on the case from `assigned_on` until `ended_on` (None: still assigned)."""

    __tablename__ = "mediation_assignment"
    # A mediator's current cases (their list, their inbox) from the index alone (issue 16).
    __table_args__ = (Index("ix_mediation_assignment_current", "staff_member_id", "case_id",
                            sqlite_where=text("ended_on IS NULL"), postgresql_where=text("ended_on IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    staff_member_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    assigned_on: Mapped[date]
    ended_on: Mapped[date | None]
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    case = relationship("MediationCase", back_populates="assignments")
    staff_member = relationship("StaffMember")
