"""Risk: assessments, alerts to the owning unit, warning reports to the authorities."""
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models import clock, risk
from models.base import RuleError, TimestampMixin, TransitionError
from models.rehabilitation.codes import ALERT_KINDS, _blank
from models.risk_factors import LEVELS


class RiskAssessment(TimestampMixin, db.Model):
    __tablename__ = "risk_assessment"
    # a subject's latest assessments in Subject.assessments' order, read by the work list
    __table_args__ = (Index("ix_risk_assessment_subject_on", "subject_id", "assessed_on", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    assessed_on: Mapped[date] = mapped_column(index=True)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    assessor_name: Mapped[str] = mapped_column(String(100))
    answers: Mapped[dict] = mapped_column(JSON)
    score: Mapped[int]
    level: Mapped[str] = mapped_column(String(10))
    event: Mapped[str] = mapped_column(String(100), default="")  # the event that prompted it, if any
    note: Mapped[str] = mapped_column(Text, default="")

    subject = relationship("Subject", back_populates="assessments")

    @property
    def level_label(self):
        return LEVELS[self.level]

    @classmethod
    def assess(cls, subject, user, answers, on, event="", note=""):
        """Score the answers, keep the history, update the subject; a high level raises an alert."""
        subject.require_open()
        for factor, (label, options) in risk.FACTORS.items():
            if answers.get(factor) not in options:
                raise RuleError(f"请选择「{label}」", field=factor)
        if on is None or on > clock.today():
            raise RuleError("评估日期不能晚于今天", field="assessed_on")
        total, level = risk.score(answers)
        name = user.staff_member.name if getattr(user, "staff_member", None) else user.display_name
        a = cls(assessed_on=on, assessor_id=user.id, assessor_name=name,
                answers={k: answers[k] for k in risk.FACTORS}, score=total, level=level,
                event=event or "", note=note or "")
        subject.assessments.insert(0, a)
        subject.risk_level = level
        if level == "high":
            Alert.raise_for(subject, user, "high_risk", f"评估得分 {total}")
        return a


class Alert(TimestampMixin, db.Model):
    """Raised to the owning unit; stays on its home page until acknowledged with what was done."""

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | acknowledged | closed
    raised_at: Mapped[datetime]
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    detail: Mapped[str] = mapped_column(Text, default="")
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    acknowledged_at: Mapped[datetime | None]
    action_taken: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_alert_unit_status", "unit_id", "status"),)

    subject = relationship("Subject", back_populates="alerts")
    acknowledged_by = relationship("User", foreign_keys=[acknowledged_by_id])

    @property
    def kind_label(self):
        return ALERT_KINDS.get(self.kind, self.kind)

    @property
    def status_label(self):
        return {"open": "待处理", "acknowledged": "已处理", "closed": "已关闭"}[self.status]

    @classmethod
    def raise_for(cls, subject, user, kind, detail):
        alert = cls(unit_id=subject.unit_id, kind=kind, status="open", raised_at=clock.now(),
                    raised_by_id=user.id if user else None, detail=detail or "")
        subject.alerts.append(alert)
        return alert

    def state_check(self):
        """TransitionError once handled (the view runs it before reading the form: 409 before 422)."""
        if self.status != "open":
            raise TransitionError("该预警已处理")

    def acknowledge(self, user, action_taken):
        self.subject.require_owner(user)
        self.state_check()
        if _blank(action_taken):
            raise RuleError("请填写采取的措施", field="action_taken")
        self.status, self.acknowledged_by_id = "acknowledged", user.id
        self.acknowledged_at, self.action_taken = clock.now(), action_taken


class WarningReport(TimestampMixin, db.Model):
    """Warning signs reported to the authorities: to whom, when, what, by whom, and the reply."""

    __tablename__ = "warning_report"
    __table_args__ = (Index("ix_warning_report_subject_on", "subject_id", "reported_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    authority: Mapped[str] = mapped_column(String(200))
    reported_on: Mapped[date]
    content: Mapped[str] = mapped_column(Text)
    reported_by: Mapped[str] = mapped_column(String(100))
    receipt: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    subject = relationship("Subject", back_populates="warning_reports")

    @classmethod
    def report(cls, subject, user, authority, reported_on, content, receipt=""):
        subject.require_open()
        if _blank(authority):
            raise RuleError("请填写报告的机关", field="authority")
        if reported_on is None or reported_on > clock.today():
            raise RuleError("报告日期不能晚于今天", field="reported_on")
        if _blank(content):
            raise RuleError("请填写报告内容", field="content")
        name = user.staff_member.name if getattr(user, "staff_member", None) else user.display_name
        w = cls(authority=authority, reported_on=reported_on, content=content,
                reported_by=name, receipt=receipt or "", user_id=user.id)
        subject.warning_reports.insert(0, w)
        Alert.raise_for(subject, user, "warning_signs", f"已向{authority}报告")
        return w
