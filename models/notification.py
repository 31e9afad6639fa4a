"""In-app notifications (issue 14): an event tells the people concerned; e-mailed where they gave an address.

The text never carries personal data of a party or a subject (a case number, a contract number, the kind
of event); the link opens the place. `mail_pending` marks the ones still to be e-mailed (retried until sent).
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db

KINDS = {
    "assignment": "指派",
    "returned": "退回",
    "approval": "审批通过",
    "alert": "预警",
    "overdue": "逾期提醒",
}


class Notification(db.Model):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at", "id"),
                      Index("ix_notification_mail_pending", "mail_pending", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
    mail_pending: Mapped[bool] = mapped_column(default=False)
    mailed_at: Mapped[datetime | None]
    mail_attempts: Mapped[int] = mapped_column(default=0)

    user = relationship("User")

    @property
    def kind_label(self):
        return KINDS.get(self.kind, self.kind)
