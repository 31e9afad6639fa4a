"""The unit's work list: items set aside, with their reason; the subject's last contact kept for it."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, bindparam, event, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from extensions import db
from models.rehabilitation.groups import AssistanceGroup
from models.rehabilitation.records import ServiceRecord
from models.rehabilitation.subject import Subject


class WorkItemSetAside(db.Model):
    """A work-list item set aside, with its reason (logged)."""

    __tablename__ = "work_item_set_aside"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subject.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


# Subject.contact_on from its records and group: the same SQL for one subject (the flush hook), for every
# subject (the migration, the benchmark's generator) — coalesce(latest record, group formed).
CONTACT_SQL = ("UPDATE subject SET contact_on = coalesce("
               "(SELECT max(service_record.\"on\") FROM service_record WHERE service_record.subject_id = subject.id), "
               "(SELECT assistance_group.formed_on FROM assistance_group WHERE assistance_group.subject_id = subject.id))")


def refresh_contact(connection, subject_ids=None):
    """Work out Subject.contact_on again, for these subjects or (None) for all."""
    if subject_ids is None:
        connection.execute(text(CONTACT_SQL))
    elif subject_ids:
        connection.execute(text(CONTACT_SQL + " WHERE subject.id IN :ids").bindparams(
            bindparam("ids", expanding=True)), {"ids": sorted(subject_ids)})


@event.listens_for(Session, "after_flush")
def _keep_contact(session, flush_context):
    """A service record or a group written: its subject's last contact, in the same transaction. Written with
    SQL (a derived column: no audit entry, no version change); the subject's loaded copy is expired."""
    touched = {o.subject_id for o in (*session.new, *session.dirty)
               if isinstance(o, (ServiceRecord, AssistanceGroup)) and o.subject_id is not None}
    if not touched:
        return
    refresh_contact(session.connection(), touched)
    for obj in session.identity_map.values():
        if isinstance(obj, Subject) and obj.id in touched:
            session.expire(obj, ["contact_on"])
