"""The assistance group (帮教小组) and its members."""
from datetime import date

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.rehabilitation.codes import GROUP_KINDS, MEMBER_SIDES


class AssistanceGroup(db.Model):
    __tablename__ = "assistance_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    formed_on: Mapped[date]

    subject = relationship("Subject", back_populates="group")
    members = relationship("GroupMember", back_populates="group", order_by="GroupMember.id",
                           cascade="all, delete-orphan")

    @property
    def kind_label(self):
        return GROUP_KINDS[self.kind]

    @property
    def leader(self):
        return next((m for m in self.members if m.is_leader), None)


class GroupMember(db.Model):
    __tablename__ = "group_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("assistance_group.id", ondelete="CASCADE"), index=True)
    staff_member_id: Mapped[int | None] = mapped_column(ForeignKey("staff_member.id"), index=True)
    side: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    contact: Mapped[str] = mapped_column(String(40), default="")
    is_leader: Mapped[bool] = mapped_column(default=False)

    group = relationship("AssistanceGroup", back_populates="members")
    staff_member = relationship("StaffMember")

    @property
    def side_label(self):
        return MEMBER_SIDES.get(self.side, self.side)
