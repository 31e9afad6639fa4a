"""Demo feedback from the public: one open, one answered, one that opened an inspection. Idempotent.

The contacts are personal data; their names come from their own list (never demo.helpers.PUBLIC_NAMES),
so the portal's privacy scan can look for them.
"""
from datetime import datetime, time, timedelta

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from extensions import db
from models import Contract, User, clock
from models.feedback import Feedback

CONTACT_NAMES = ["钱美华", "蒋志刚"]
LOOKUP_CODE = "CHAXUN26"  # the answered one's lookup code, to try 查询意见答复 on the portal


def _clerk(unit_id):
    return db.session.scalar(select(User).where(User.unit_id == unit_id, User.role.in_(("district", "city")))
                             .order_by(User.id))


def seed_portal():
    if db.session.scalar(select(Feedback.id).limit(1)) is not None:
        return []
    mediation = db.session.scalar(select(Contract).where(Contract.number == "包昆司购〔2026〕1号"))
    assistance = db.session.scalar(select(Contract).where(Contract.number == "包昆司购〔2026〕2号"))
    consulting = db.session.scalar(select(Contract).where(Contract.number == "包东司购〔2026〕1号"))
    if mediation is None or assistance is None or consulting is None:
        return []
    saved = clock._fixed, clock._offset
    today = clock.today()
    try:
        clock.set_now(datetime.combine(today - timedelta(days=12), time(20, 15)))
        answered = Feedback.receive(consulting, None, "11 月 10 日下午到东河区公共法律服务中心咨询邻里纠纷，"
                                    "等了四十分钟没人接待，工作人员说调解员外出了。",
                                    today - timedelta(days=17), CONTACT_NAMES[0], "13904725566")
        clock.set_now(datetime.combine(today - timedelta(days=6), time(10, 40)))
        answered.reply(_clerk(consulting.unit_id), "经核查，当日值班的两名调解员中一人外出调查，另一人在调解室调解，"
                       "接待台无人。已要求承接主体增设接待登记，调解员外出时留一人值守。已电话告知您处理结果。")
        answered.lookup_hash = generate_password_hash(LOOKUP_CODE)
        clock.set_now(datetime.combine(today - timedelta(days=9), time(21, 5)))
        complaint = Feedback.receive(assistance, None, "社区里的帮教工作人员这两个月没有来过，"
                                     "电话也打不通，家属很着急，不知道帮教是不是还在进行。",
                                     None, None, None)
        clock.set_now(datetime.combine(today - timedelta(days=8), time(9, 30)))
        complaint.open_inspection(_clerk(assistance.unit_id), assistance,
                                  "公众反映帮教工作人员两个月未走访：调取 9 月至 11 月服务记录和值班记录，电话回访 5 名帮教对象家属")
        clock.set_now(datetime.combine(today - timedelta(days=2), time(16, 20)))
        Feedback.receive(mediation, None, "调解协议签了以后对方一直没有履行，调解中心说会回访，到现在没有人联系。",
                         today - timedelta(days=30), CONTACT_NAMES[1], "0472-5123456")
        db.session.commit()
    finally:
        clock._fixed, clock._offset = saved
    return ["公众意见演示数据：3 条（待答复 1 条，已答复 1 条，已据以决定检查 1 条）。",
            f"查询意见答复：受理编号 {answered.number}，查询码 {LOOKUP_CODE}。"]
