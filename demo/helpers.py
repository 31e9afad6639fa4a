"""What the demo's seeders share: the demo password, the lists of names, valid identifiers, a tiny PDF,
lookups by username and unit code, and setting the demo clock."""
from datetime import datetime

from sqlalchemy import select

from extensions import db
from models import Unit, User, clock
from models.identifiers import _ID_CHECK, _ID_WEIGHTS, uscc_check_char

PASSWORD = "Fengqiao-2026"
PUBLIC_NAMES = ["王建国", "李秀兰", "张志强", "刘海燕", "陈立新", "杨春梅", "赵文博", "黄丽娟", "周卫东", "吴桂芝",
                "徐永胜", "孙红霞", "马俊峰", "朱晓燕", "胡振华", "郭淑珍", "何建军", "高玉兰", "林国庆", "罗美玲",
                "巴特尔", "乌云其其格", "额尔敦", "萨仁高娃"]
# Parties of the mediation cases (personal data: never one of PUBLIC_NAMES).
PARTY_NAMES = ["邵建华", "汤丽萍", "尹志军", "黎明辉", "常玉珍", "武海涛", "乔云峰", "贺秀英", "赖永强", "龚雪梅",
               "文国栋", "庞丽华", "段鹏飞", "雷春燕", "钟振宇", "侯美兰", "项国良", "柴玉梅", "路长青", "闫淑华",
               "任志宏", "蒲丽娟", "石宝山", "陶秀云"]


def make_uscc(prefix17):
    return prefix17 + uscc_check_char(prefix17)


def make_id_number(area, born, seq):
    first = f"{area}{born:%Y%m%d}{seq:03d}"
    return first + _ID_CHECK[sum(int(d) * w for d, w in zip(first, _ID_WEIGHTS)) % 11]


def tiny_pdf(title):
    """A small, valid one-page PDF standing in for a scanned certificate."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def unit_coded(code):
    return db.session.scalar(select(Unit).where(Unit.code == code))


def user_named(username):
    return db.session.scalar(select(User).where(User.username == username))


def at(day, hour=9):
    """Set the demo clock to `hour` o'clock of `day` (what follows is recorded at that time)."""
    clock.set_now(datetime(day.year, day.month, day.day, hour))
