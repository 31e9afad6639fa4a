"""What is done for a subject: service records, consents to share data, psychological profile entries,
transitional bases."""
from datetime import date

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models import clock
from models.base import RuleError, TimestampMixin, TransitionError
from models.rehabilitation.codes import CONSENT_SCOPES, REFERRAL_SCOPE, SERVICE_KINDS, _blank


class PsychProfile(TimestampMixin, db.Model):
    """Psychological profile entries (心理档案): the restricted section."""

    __tablename__ = "psych_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    on: Mapped[date]
    content: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    subject = relationship("Subject", back_populates="profiles")
    author = relationship("User")



class TransitionalBase(TimestampMixin, db.Model):
    """A transitional resettlement base: board, lodging, training for three-without subjects."""

    __tablename__ = "transitional_base"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    operator: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    capacity: Mapped[int]
    occupancy: Mapped[int] = mapped_column(default=0)

    unit = relationship("Unit")

    def __str__(self):
        return self.name


class Consent(TimestampMixin, db.Model):
    """The subject's recorded consent to share data with a third party (employer, relief office, legal aid)."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(20))
    given_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text, default="")
    withdrawn_on: Mapped[date | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    subject = relationship("Subject", back_populates="consents")

    @property
    def scope_label(self):
        return CONSENT_SCOPES.get(self.scope, self.scope)


class ServiceRecord(TimestampMixin, db.Model):
    __tablename__ = "service_record"
    __table_args__ = (Index("ix_service_record_subject_on", "subject_id", "on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    on: Mapped[date]
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    worker_name: Mapped[str] = mapped_column(String(100))
    content: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text, default="")
    application_status: Mapped[str | None] = mapped_column(String(40))  # relief applications
    result: Mapped[str | None] = mapped_column(String(40))  # employment help: placed, trained, none...
    base_id: Mapped[int | None] = mapped_column(ForeignKey("transitional_base.id"))
    shares_data: Mapped[bool] = mapped_column(default=False)
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachment.id"))

    subject = relationship("Subject", back_populates="records")
    base = relationship("TransitionalBase")
    attachment = relationship("Attachment")

    @property
    def kind_label(self):
        return SERVICE_KINDS.get(self.kind, self.kind)

    @classmethod
    def add(cls, subject, user, fields):
        from models import quarters

        fields = dict(fields)
        late_reason = fields.pop("late_reason", None)
        subject.require_open()
        if subject.status == "pre_release" and fields.get("kind") != "mental_health":
            raise TransitionError("释放前只能记录心理矫治工作")
        if fields.get("kind") not in SERVICE_KINDS:
            raise RuleError("请选择服务类别", field="kind")
        on = fields.get("on")
        if on is None or on > clock.today():
            raise RuleError("服务日期不能晚于今天", field="on")
        if _blank(fields.get("content")):
            raise RuleError("请填写服务内容", field="content")
        if fields.get("kind") == "base" and not fields.get("base_id"):
            raise RuleError("请选择过渡性安置基地", field="base_id")
        scope = REFERRAL_SCOPE.get(fields.get("kind"))
        if fields.get("shares_data") and scope and subject.consent_for(scope) is None:
            raise RuleError("转介须向第三方提供对象信息，请先登记对象的书面同意", field="shares_data")
        log_late = quarters.gate(subject.contract_id, on, late_reason, user, "service_record")
        worker = user.staff_member.name if getattr(user, "staff_member", None) else user.display_name
        record = cls(worker_id=user.id, worker_name=worker, **fields)
        subject.records.append(record)
        log_late(record)
        return record
