"""Demo data for the work inbox and notifications: e-mail addresses of some demo users, a case the demo
mediator registered and may take (由我承办), and the day's overdue notices. The other items (cases to
assign, follow-ups due, reviews, feedback, alerts, payments) follow from the other modules' data, and their
assignments, approvals, returns and alerts already made notices. Idempotent.
"""
from datetime import date, timedelta

from flask import current_app, g
from sqlalchemy import select

from extensions import db
from models import Contractor, User, clock
from models.mediation import MediationCase, take_number
from models.notification import Notification
from services import inbox, notifications

EMAILS = {"kundulun": "kundulun@example.org", "herun": "herun@example.org", "herun_tiaojie": "tiaojie@example.org"}
MARK = "（演示：调解员登记后由本人承办）"


def _sections(user):
    g.pop("inbox_counts", None)
    g.pop("inbox_lists", None)
    return inbox.sections(user)


def seed_inbox():
    herun = db.session.scalar(select(Contractor).where(Contractor.name == "包头市昆都仑区和润人民调解服务中心"))
    worker = db.session.scalar(select(User).where(User.username == "herun_tiaojie"))
    if herun is None or worker is None:
        return []
    if db.session.scalar(select(MediationCase.id).where(MediationCase.facts.contains(MARK)).limit(1)):
        return ["待办和通知演示数据已存在。"]
    for username, address in EMAILS.items():
        user = db.session.scalar(select(User).where(User.username == username))
        if user is not None and not user.email:
            user.email = address
    today = clock.today()
    received = today - timedelta(days=1)
    fields = {"source": "application_oral", "source_body": None, "source_ref": None, "category": "neighbour",
              "area_unit_id": herun.seat_unit_id, "township": "昆北街道", "amount": None, "received_on": received,
              "facts": "楼上住户夜间噪音影响休息，多次沟通未果，申请调解。" + MARK, "requests": "请求对方夜间降低噪音"}
    parties = [{"side": "applicant", "kind": "person", "name": "柏文静", "gender": "female", "ethnicity": "汉族",
                "birth_date": date(1979, 6, 2), "occupation": "教师", "address": "包头市昆都仑区昆北街道 8 号",
                "phone": "13904720901", "contact_ok": True},
               {"side": "respondent", "kind": "person", "name": "凌志远", "gender": "male", "ethnicity": "汉族",
                "occupation": "个体经营", "address": "包头市昆都仑区昆北街道 8 号", "phone": "13847720902",
                "contact_ok": True}]
    MediationCase.register(worker, fields, parties, seq=take_number(herun.id, received.year))
    db.session.commit()
    with current_app.test_request_context():
        made = notifications.send_overdue(_sections)
    # the demo's notices stay in the app: no demo mail goes out when an SMTP server is configured later
    for n in db.session.scalars(select(Notification).where(Notification.mail_pending.is_(True))):
        n.mail_pending = False
    db.session.commit()
    total = db.session.query(Notification).count()
    return [f"待办和通知演示数据已载入：{total} 条通知（其中逾期提醒 {made} 条），"
            "herun_tiaojie 登记的一件案件可“由我承办”。"]
