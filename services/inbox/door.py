"""Door items of the inbox (issue 17): public applications for mediation waiting on this user's side —
the area unit dispatches new and declined ones, the organisation accepts or declines those dispatched
to it. `services.door.pending_for` is the one definition; the applications list reads it too."""
from flask import url_for

from models.door import Application, step_due
from models.door_codes import STATES
from services import door
from services.inbox.base import Item, sql_rule

A = Application


def _rows(user):
    return (door.pending_for(user).with_only_columns(A.id, A.number, A.state, A.state_since)
            .order_by(A.state_since, A.id))


def _item(row):
    due = step_due(row.state, row.state_since)
    return Item(row.number, url_for("door.show", application_id=row.id, _anchor="next-step"),
                due.date() if due else None, f"调解申请：{STATES[row.state]}")


RULES = [
    sql_rule("door.applications", "待处理的调解申请", (*door.UNIT_ROLES, "contractor"), _rows, _item,
             page=lambda user: url_for("door.index")),
]
