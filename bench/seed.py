"""Synthetic data at city and province scale: `flask bench seed` (issue 8).

    flask db upgrade
    flask bench seed --cases 500000 --subjects 100000 --contractors 40 --years 5 [--seed 1]

Starts from the demo data (`flask demo seed`: users of every role, contractors in every state, the
documents' templates of every record) and adds, with fast bulk inserts:
- K contractors (two thirds mediation, one third assistance) seated across the ten units, with their
  staff (mediators with certificates) and, per year, a procurement and a signed contract;
- N mediation cases over Y years ending today, spread over the units by weight (昆都仑区 largest,
  白云鄂博矿区 smallest), with two or three parties, mediators, agreements, follow-ups, session records
  and archive data as the case's state needs;
- M subjects of assistance with their handover, and for those under assistance a group with members,
  an approved plan (half of them) and service records.

Rows are written with SQLAlchemy Core `insert()` and executemany in batches, not as ORM objects: that
is what makes 500,000 cases take minutes rather than hours. It deliberately BYPASSES the per-row audit
hook (services/audit.py listens on the ORM session's flush): synthetic data is not a user's action, and
a million audit entries would only measure the generator. Same seed, same data (random.Random(seed);
today's date comes from models.clock, so fix FENGQIAO_NOW for byte-identical runs across days).

Names are generated from the surname and given-name lists below; ID numbers and phone numbers follow
the check rules of services/identifiers.py (ID check digit, USCC check character, 11-digit mobiles).
"""
import json
import random
import time
from datetime import date, datetime, timedelta

from sqlalchemy import func, insert, select, text

from extensions import db
from models.rehabilitation.worklist import refresh_contact

# Common surnames (weighted by their order: the first ones are drawn more often) and given-name parts.
SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁"
            "魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎"
            "易常武乔贺赖龚文庞樊兰殷施陶洪翟安颜倪严牛温芦季俞章鲁葛伍韦申尤毕聂丛焦向柳邢路岳齐沿梅莫庄"
            "辛管祝左涂谷祁时舒耿牟卜詹关苗凌费纪靳盛童欧甄项曲成游阳裴席卫查屈鲍位覃霍翁隋植甘景薄单包司柏"
            "宁柯阮桂闵欧阳解强丰")
GIVEN = ("建国秀兰志强海燕立新春梅文博丽娟卫东桂芝永胜红霞俊峰晓燕振华淑珍建军玉兰国庆美玲宏伟"
         "丽华明辉玉珍海涛云峰秀英永强雪梅国栋鹏飞春燕振宇美兰国良玉梅长青淑华志宏宝山秀云"
         "子涵浩然欣怡梓轩雨桐一诺思远嘉怡宇航佳琪博文婷婷伟杰晨曦天宇心怡俊杰静怡泽宇")
MONGOLIAN = ("巴特尔", "乌云其其格", "额尔敦", "萨仁高娃", "苏和", "其木格", "朝鲁", "娜仁", "宝音", "斯琴",
             "阿拉坦", "图雅", "孟和", "哈斯", "那日苏", "敖登")
ORG_WORDS = ("和润", "安和", "同心", "和顺", "惠民", "明德", "正和", "长安", "和美", "平安", "协和", "睦邻", "诚信",
             "阳光", "启航", "新桥", "德润", "和谐", "守望", "聚力")
COMPANIES = ("物业服务有限公司", "建筑工程有限公司", "商贸有限公司", "运输有限公司", "餐饮管理有限公司", "房地产开发有限公司")
TOWNSHIPS = {
    "150200": ("稀土路街道", "万水泉镇", "民族东路街道"),
    "150202": ("和平路街道", "南门外街道", "西脑包街道", "河东街道", "东兴街道", "沙尔沁镇"),
    "150203": ("昆北街道", "阿尔丁街道", "团结街道", "少先路街道", "鞍山道街道", "沼潭街道", "友谊大街街道",
               "林荫路街道", "卜尔汉图镇"),
    "150204": ("先锋道街道", "幸福路街道", "钢铁大街街道", "自由路街道", "青福镇"),
    "150205": ("石拐街道", "大德恒街道", "五当召镇"),
    "150206": ("通阳道街道", "矿山路街道"),
    "150207": ("沙河街道", "赛汗街道", "萨如拉街道", "哈林格尔镇", "麻池镇"),
    "150221": ("萨拉齐镇", "双龙镇", "美岱召镇", "沟门镇"),
    "150222": ("金山镇", "西斗铺镇", "下湿壕镇"),
    "150223": ("百灵庙镇", "石宝镇", "满都拉镇"),
}
# Share of the city's cases and subjects by unit: the central districts are large, the mining area small.
UNIT_WEIGHTS = {"150203": 25, "150204": 20, "150202": 15, "150207": 12, "150221": 9, "150200": 6, "150222": 5,
                "150223": 4, "150205": 2.5, "150206": 1.5}
CATEGORY_WEIGHTS = {"neighbour": 22, "family": 18, "contract": 9, "damage": 9, "housing": 8, "labour": 7,
                    "property": 6, "traffic": 6, "consumer": 5, "business": 3, "land": 3, "demolition": 2,
                    "environment": 1, "other": 1}
SOURCE_WEIGHTS = {"application_oral": 35, "application_written": 20, "initiative": 15, "police": 10, "court": 8,
                  "petition": 5, "arbitration": 2, "department": 3, "other": 2}
SOURCE_BODIES = {"police": "公安分局派出所", "court": "人民法院", "petition": "信访局", "arbitration": "包头仲裁委员会",
                 "department": "街道办事处", "other": "社区居委会"}
MOBILE_PREFIXES = ("139", "138", "137", "136", "135", "150", "151", "152", "158", "159", "182", "183", "187",
                   "188", "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "189", "177")
OFFENCES = (("盗窃罪", "property", "有期徒刑二年"), ("故意伤害罪", "violent", "有期徒刑三年"),
            ("诈骗罪", "property", "有期徒刑四年"), ("贩卖毒品罪", "drugs", "有期徒刑五年"),
            ("寻衅滋事罪", "gang", "有期徒刑二年六个月"), ("危险驾驶罪", "other", "拘役四个月"),
            ("抢劫罪", "violent", "有期徒刑六年"), ("交通肇事罪", "other", "有期徒刑一年"))
BATCH = 5000


class Names:
    """Deterministic Chinese names: a surname (weighted towards the common ones) and one or two given
    characters; about one in twenty is a Mongolian name (Baotou)."""

    def __init__(self, rng):
        self.rng = rng
        self.surnames = [s for s in SURNAMES if s.strip()]
        self.weights = [1 / (1 + i / 12) for i in range(len(self.surnames))]
        self.cum = []
        total = 0
        for w in self.weights:
            total += w
            self.cum.append(total)

    def __call__(self):
        r = self.rng
        if r.random() < 0.05:
            return r.choice(MONGOLIAN)
        surname = r.choices(self.surnames, cum_weights=self.cum)[0]
        if r.random() < 0.25:
            return surname + r.choice(GIVEN)
        return surname + r.choice(GIVEN) + r.choice(GIVEN)


def id_number(area, born, seq):
    from models.identifiers import _ID_CHECK, _ID_WEIGHTS

    first = f"{area}{born:%Y%m%d}{seq % 1000:03d}"
    return first + _ID_CHECK[sum(int(d) * w for d, w in zip(first, _ID_WEIGHTS)) % 11]


def uscc(prefix17):
    from models.identifiers import uscc_check_char

    return prefix17 + uscc_check_char(prefix17)


def mobile(rng):
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"


def _weighted(rng, table):
    keys = list(table)
    cum, total = [], 0
    for k in keys:
        total += table[k]
        cum.append(total)
    return lambda: rng.choices(keys, cum_weights=cum)[0]


def _rows(table, where=None):
    query = select(table)
    if where is not None:
        query = query.where(where)
    return [dict(r._mapping) for r in db.session.execute(query.order_by(table.c.id))]


def _clone(template, **over):
    row = {k: v for k, v in template.items() if k != "id"}
    row.update(over)
    return row


class Writer:
    """Buffers rows per table and writes them with executemany, BATCH rows at a time."""

    def __init__(self):
        self.buffers = {}
        self.counts = {}

    def add(self, table, row):
        buf = self.buffers.setdefault(table.name, (table, []))[1]
        buf.append(row)
        if len(buf) >= BATCH:
            self.flush()  # all tables, parents first (in the order they were first seen)

    def flush(self, name=None):
        for key in ([name] if name else list(self.buffers)):
            table, buf = self.buffers[key]
            if buf:
                db.session.execute(insert(table), buf)
                self.counts[key] = self.counts.get(key, 0) + len(buf)
                buf.clear()


def _next_id(table):
    return (db.session.scalar(select(func.max(table.c.id))) or 0) + 1


def seed(cases=50_000, subjects=10_000, contractors=20, years=5, seed=1, echo=print):
    """Add synthetic data to a migrated database; returns a dict of row counts per table."""
    from models import Contract, Contractor, StaffMember, Unit, User
    from models.mediation import (Agreement, Assignment, CaseCounter, CaseRecord, FollowUp, MediationCase,
                                  Party)
    from models.purchasing import Procurement
    from models.rehabilitation import (AssistanceGroup, AssistancePlan, GroupMember, Handover, ServiceRecord,
                                       Subject)
    from models.mediation_codes import CATEGORIES
    from models import clock
    from services import settings

    started = time.perf_counter()
    rng = random.Random(seed)
    name = Names(rng)
    today = clock.today()
    if db.session.scalar(select(User.id).where(User.username == "admin")) is None:
        from demo.seed import seed as demo_seed

        for _ in demo_seed():
            pass
        echo(f"演示数据已载入（{time.perf_counter() - started:.1f} 秒）")
    db.session.commit()
    t = {m.__name__: m.__table__ for m in (Contract, Contractor, StaffMember, Unit, Procurement, MediationCase,
                                           Party, Assignment, Agreement, FollowUp, CaseRecord, CaseCounter, Subject,
                                           Handover, AssistanceGroup, GroupMember, AssistancePlan, ServiceRecord)}
    units = {u["code"]: u for u in _rows(t["Unit"])}
    unit_by_id = {u["id"]: u for u in units.values()}
    admin_id = db.session.scalar(select(User.id).where(User.username == "admin"))
    pick_unit = _weighted(rng, UNIT_WEIGHTS)
    first_year = today.year - years + 1
    w = Writer()

    # ---- contractors, staff, procurements and contracts
    demo_orgs = _rows(t["Contractor"])
    demo_contracts = _rows(t["Contract"])
    tpl_med = next(o for o in demo_orgs if o["name"].endswith("和润人民调解服务中心"))
    tpl_ass = next(o for o in demo_orgs if o["name"] == "包头市新起点社会工作服务中心")
    tpl_staff = _rows(t["StaffMember"], t["StaffMember"].c.contractor_id == tpl_med["id"])[0]
    tpl_contract = {"mediation": next(c for c in demo_contracts if c["category"] == "mediation"),
                    "assistance": next(c for c in demo_contracts if c["category"] == "assistance")}
    tpl_proc = _rows(t["Procurement"], t["Procurement"].c.id == tpl_contract["mediation"]["procurement_id"])[0]
    # The demo's approved contractors that hold a contract take part too (their users log in to the benchmark).
    pool = {"mediation": [], "assistance": []}
    for c in demo_contracts:
        org = next(o for o in demo_orgs if o["id"] == c["contractor_id"])
        if org["status"] == "approved" and org["id"] not in pool[c["category"]]:
            pool[c["category"]].append(org["id"])
    seat = {o["id"]: unit_by_id[o["seat_unit_id"]]["code"] for o in demo_orgs}
    org_id = _next_id(t["Contractor"])
    codes = list(UNIT_WEIGHTS)
    new_orgs = []
    # Case numbers carry each organisation's own code (Contractor.case_code: 昆, then 昆2, 昆3 … for further
    # organisations seated there), so a busy district seats several mediation organisations: first one in
    # every unit that has none, then more where the cases are (by the units' weights).
    free = [c for c in codes if not any(o["serves_mediation"] and seat[o["id"]] == c for o in demo_orgs)]
    case_codes = {o["id"]: o["case_code"] for o in demo_orgs if o["case_code"]}
    taken = set(case_codes.values())

    def next_code(unit_code):
        base = units[unit_code]["short_name"]
        n, code = 1, base
        while code in taken:
            n += 1
            code = f"{base}{n}"
        taken.add(code)
        return code

    for o in demo_orgs:  # a demo organisation from before the codes: as the migration would give it
        if o["id"] in pool["mediation"] and o["id"] not in case_codes:
            case_codes[o["id"]] = next_code(seat[o["id"]])
            db.session.execute(t["Contractor"].update().where(t["Contractor"].c.id == o["id"])
                               .values(case_code=case_codes[o["id"]]))
    for i in range(contractors):
        if i % 3 != 2 or (free and i >= contractors - len(free)):
            kind = "mediation"
            code = free.pop(0) if free else pick_unit()
        else:
            kind, code = "assistance", codes[i % len(codes)] if i < 2 * len(codes) else pick_unit()
        area = unit_by_id[units[code]["id"]]["area_name"]
        word = ORG_WORDS[i % len(ORG_WORDS)] + ("" if i < len(ORG_WORDS) else str(i // len(ORG_WORDS) + 1))
        title = (f"包头市{area}{word}人民调解服务中心" if kind == "mediation" else f"包头市{area}{word}社会工作服务中心")
        tpl = tpl_med if kind == "mediation" else tpl_ass
        if kind == "mediation":
            case_codes[org_id] = next_code(code)
        w.add(t["Contractor"], _clone(tpl, id=org_id, serves_mediation=kind == "mediation",
                                      case_code=case_codes.get(org_id),
                                      serves_assistance=kind == "assistance", name=title, seat_unit_id=units[code]["id"],
                                      uscc=uscc(f"52{code}MJ{900000 + i:07d}"),
                                      legal_representative=name(), contact_name=name(), contact_phone=mobile(rng)))
        pool[kind].append(org_id)
        seat[org_id] = code
        new_orgs.append(org_id)
        org_id += 1
    w.flush()
    staff = {}  # contractor id -> [staff ids]
    for org, members in db.session.execute(select(t["StaffMember"].c.contractor_id, t["StaffMember"].c.id)
                                           .where(t["StaffMember"].c.cert_number.is_not(None))
                                           .where(t["StaffMember"].c.cert_valid_until >= today)):
        staff.setdefault(org, []).append(members)
    staff_names = {}
    staff_id = _next_id(t["StaffMember"])
    for org in new_orgs:
        for j in range(rng.randint(6, 12)):
            born = date(1960, 1, 1) + timedelta(days=rng.randrange(15000))
            person = name()
            w.add(t["StaffMember"], _clone(tpl_staff, id=staff_id, contractor_id=org, name=person,
                                           id_number=id_number(seat[org], born, rng.randrange(1000)),
                                           phone=mobile(rng), cert_number=f"包司调证〔{today.year - 1}〕{staff_id}号"))
            staff.setdefault(org, []).append(staff_id)
            staff_names[staff_id] = person
            staff_id += 1
    w.flush()
    for sid, person in db.session.execute(select(t["StaffMember"].c.id, t["StaffMember"].c.name)):
        staff_names.setdefault(sid, person)
    contract_of = {}  # (contractor, year) -> contract id
    for c in demo_contracts:
        contract_of.setdefault((c["contractor_id"], c["year"]), c["id"])
    proc_id, contract_id = _next_id(t["Procurement"]), _next_id(t["Contract"])
    seqs = {}
    for kind in ("mediation", "assistance"):
        for org in pool[kind]:
            for year in range(first_year, today.year + 1):
                if (org, year) in contract_of:
                    continue
                unit = units[seat[org]]
                seq = seqs[(unit["id"], year)] = seqs.get((unit["id"], year), 100) + 1
                label = "人民调解服务" if kind == "mediation" else "安置帮教服务"
                w.add(t["Procurement"], _clone(tpl_proc, id=proc_id, ocid=f"ocds-fq0000-{unit['code']}-{year}-{seq:03d}",
                                               unit_id=unit["id"], year=year, seq=seq, category=kind,
                                               title=f"{unit['area_name']} {year} 年{label}（{seq}）",
                                               award_bid_id=None, predecessor_id=None))
                tc = tpl_contract[kind]
                w.add(t["Contract"], _clone(tc, id=contract_id, procurement_id=proc_id, unit_id=unit["id"],
                                            contractor_id=org, year=year, seq=seq,
                                            number=f"包{unit['short_name']}司购〔{year}〕{seq}号",
                                            title=f"{unit['area_name']} {year} 年{label}合同", category=kind,
                                            period_start=date(year, 3, 1), period_end=date(year + 1, 2, 28),
                                            signed_on=date(year, 2, 27), status="signed"))
                contract_of[(org, year)] = contract_id
                proc_id += 1
                contract_id += 1
    w.flush()
    db.session.commit()
    echo(f"承接主体 {contractors} 个、合同 {w.counts.get('contract', 0)} 份（{time.perf_counter() - started:.1f} 秒）")

    # ---- mediation cases
    pattern = settings.get("mediation.number_pattern")
    time_limit = settings.get("mediation.time_limit_days")
    counters = {(r.contractor_id, r.year): r.last for r in db.session.execute(select(t["CaseCounter"]))}
    orgs_by_unit = {}
    for org in pool["mediation"]:
        orgs_by_unit.setdefault(seat[org], []).append(org)
    short = case_codes
    pick_category, pick_source = _weighted(rng, CATEGORY_WEIGHTS), _weighted(rng, SOURCE_WEIGHTS)
    span = (today - date(first_year, 1, 1)).days
    case_id, party_id = _next_id(t["MediationCase"]), _next_id(t["Party"])
    recorder_user = admin_id
    now = datetime.combine(today, datetime.min.time())
    # More cases in later years (a growing service), none in the future; registered in date order, so the
    # newest ids are the newest cases, as in real use.
    received_days = sorted(int(span * rng.random() ** 0.8) for _ in range(cases))
    for i in range(cases):
        code = pick_unit()
        org = rng.choice(orgs_by_unit.get(code) or pool["mediation"])
        received = date(first_year, 1, 1) + timedelta(days=received_days[i])
        year = received.year
        seq = counters[(org, year)] = counters.get((org, year), 0) + 1
        age = (today - received).days
        roll = rng.random()
        if age < 15 and roll < 0.8 or age < 60 and roll < 0.25:
            status, outcome = rng.choice(("registered", "investigating", "mediating", "mediating")), None
        else:
            outcome = rng.choices(("succeeded", "failed", "withdrawn", "refused"), (70, 16, 7, 7))[0]
            status = outcome
        concluded = None
        if outcome:
            concluded = min(today, received + timedelta(days=rng.randint(1, 40)))
        archived = outcome is not None and age > 150 and rng.random() < 0.85
        category, source = pick_category(), pick_source()
        a, b = name(), name()
        b_org = rng.random() < 0.12
        if b_org:
            b = f"包头市{rng.choice(ORG_WORDS)}{rng.choice(COMPANIES)}"
        contract = contract_of.get((org, year)) if rng.random() < 0.92 else None
        amount = None if category in ("family", "neighbour") else rng.randrange(500, 200_000, 100)
        row = {"id": case_id, "contractor_id": org, "contract_id": contract, "area_unit_id": units[code]["id"],
               "township": rng.choice(TOWNSHIPS[code]), "year": year, "seq": seq,
               "number": pattern.format(year=year, short=short[org], seq=seq), "source": source,
               "source_body": SOURCE_BODIES.get(source), "source_ref": f"转〔{year}〕{seq}号" if source in SOURCE_BODIES else None,
               "category": category, "amount": amount,
               "facts": f"{a}与{b}因{CATEGORIES.get(category, '')}问题发生争执，经多次协商未果，申请调解。",
               "requests": f"1. 请求{b}承担相应责任\n2. 请求赔偿损失", "received_on": received,
               "due_on": received + timedelta(days=time_limit), "extension_consent": None, "registered_by_id": None,
               "status": "archived" if archived else status, "outcome": outcome, "concluded_on": concluded,
               "fail_reason": rng.choice(("gap", "absent", "evidence", "law")) if outcome == "failed" else None,
               "routes": "litigation,arbitration" if outcome == "failed" else None,
               "outcome_note": "已告知当事人可向人民法院起诉或申请仲裁。" if outcome == "failed" else None,
               "file_note": "当事人撤回或拒绝调解，情况见卷宗。" if outcome in ("withdrawn", "refused") else None,
               "archived_on": concluded + timedelta(days=rng.randint(5, 60)) if archived else None,
               "archived_by_id": admin_id if archived else None,
               "retention": rng.choice(("10", "10", "30")) if archived else None, "created_at": now}
        w.add(t["MediationCase"], row)
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(20000))
        w.add(t["Party"], {"id": party_id, "case_id": case_id, "side": "applicant", "kind": "person", "name": a,
                           "id_number": id_number(code, born, rng.randrange(1000)) if rng.random() < 0.6 else None,
                           "gender": rng.choice(("male", "female")), "ethnicity": "蒙古族" if rng.random() < 0.06 else "汉族",
                           "birth_date": born, "occupation": rng.choice(("职工", "农民", "个体经营", "退休", "无业")),
                           "address": f"包头市{units[code]['area_name']}{row['township']}{rng.randint(1, 200)}号",
                           "phone": mobile(rng), "agent": None, "contact_ok": rng.random() < 0.7})
        party_id += 1
        w.add(t["Party"], {"id": party_id, "case_id": case_id, "side": "respondent",
                           "kind": "organisation" if b_org else "person", "name": b,
                           "id_number": uscc(f"91{code}MA{rng.randrange(10 ** 7):07d}") if b_org else None,
                           "gender": None if b_org else rng.choice(("male", "female")), "ethnicity": None,
                           "birth_date": None, "occupation": None, "address": None, "phone": mobile(rng),
                           "agent": None, "contact_ok": False})
        party_id += 1
        if rng.random() < 0.1:
            w.add(t["Party"], {"id": party_id, "case_id": case_id, "side": "applicant", "kind": "person",
                               "name": name(), "id_number": None, "gender": rng.choice(("male", "female")),
                               "ethnicity": "汉族", "birth_date": None, "occupation": None, "address": None,
                               "phone": mobile(rng), "agent": None, "contact_ok": False})
            party_id += 1
        mediators = staff.get(org) or []
        if status != "registered" and mediators:
            for sid in rng.sample(mediators, 2 if rng.random() < 0.3 and len(mediators) > 1 else 1):
                w.add(t["Assignment"], {"case_id": case_id, "staff_member_id": sid,
                                        "assigned_on": received + timedelta(days=1), "ended_on": None,
                                        "assigned_by_id": None})
        if outcome in ("succeeded", "failed") and rng.random() < 0.25:
            held = datetime.combine(concluded, datetime.min.time()) + timedelta(hours=9, minutes=30)
            w.add(t["CaseRecord"], {"case_id": case_id, "kind": "session", "held_at": held, "place": "调解室",
                                    "staff": "", "recorder": "书记员", "persons": f"{a}、{b}", "helpers": "",
                                    "content": "申请人陈述：……\n被申请人陈述：……", "facts_verified": "争议事实基本清楚。",
                                    "risks_explained": "告知诉讼的时间和费用成本。",
                                    "result": "双方达成一致。" if outcome == "succeeded" else "双方差距较大，未能达成一致。",
                                    "evidence_id": None, "created_by_id": None, "created_at": now})
        if outcome == "succeeded":
            due = concluded + timedelta(days=rng.choice((0, 10, 30)))
            w.add(t["Agreement"], {"case_id": case_id, "kind": "oral" if rng.random() < 0.2 else "written",
                                   "matters": "双方就损失数额及承担方式发生争议。", "responsibility": "被申请人承担主要责任。",
                                   "terms": f"{b}一次性支付{a}人民币{amount or 2000}元。",
                                   "performance": "于协议生效后十日内银行转账支付。", "performance_due": due,
                                   "effective_on": concluded, "created_by_id": None, "created_at": now})
            visit = due + timedelta(days=rng.randint(5, 40))
            if visit <= today and rng.random() < 0.75:
                w.add(t["FollowUp"], {"case_id": case_id, "visited_on": visit, "way": rng.choice(("phone", "visit")),
                                      "visited_person": a, "visitor": "", "created_by_id": None, "created_at": now,
                                      "performance": rng.choices(("full", "partial", "none"), (85, 10, 5))[0],
                                      "notes": "已按协议履行。"})
        case_id += 1
        if (i + 1) % 100_000 == 0:
            w.flush()
            db.session.commit()
            echo(f"  案件 {i + 1} 件（{time.perf_counter() - started:.1f} 秒）")
    w.flush()
    from sqlalchemy.dialects import postgresql, sqlite

    upsert = (postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite).insert
    for (org, year), last in counters.items():
        stmt = upsert(t["CaseCounter"]).values(contractor_id=org, year=year, last=last)
        db.session.execute(stmt.on_conflict_do_update(index_elements=["contractor_id", "year"], set_={"last": last}))
    db.session.commit()
    echo(f"人民调解案件 {cases} 件（{time.perf_counter() - started:.1f} 秒）")

    # ---- subjects of assistance
    orgs_by_unit = {}
    for org in pool["assistance"]:
        orgs_by_unit.setdefault(seat[org], []).append(org)
    tpl_subject = _rows(t["Subject"], t["Subject"].c.status == "under_assistance")[0]
    tpl_handover = _rows(t["Handover"])[0]
    tpl_plan = _rows(t["AssistancePlan"])[0]
    workers = {org: db.session.scalar(select(User.id).where(User.contractor_id == org, User.role == "worker"))
               for org in pool["assistance"]}
    subject_id, group_id = _next_id(t["Subject"]), _next_id(t["AssistanceGroup"])
    from models.rehabilitation import SERVICE_KINDS

    kinds = [k for k in SERVICE_KINDS if k not in ("relief", "legal_aid", "employment", "base")]
    release_days = sorted(rng.randrange(span + 60) for _ in range(subjects))  # registered around release
    for i in range(subjects):
        code = pick_unit()
        org = rng.choice(orgs_by_unit.get(code) or pool["assistance"])
        sex = "男" if rng.random() < 0.88 else "女"
        born = date(1955, 1, 1) + timedelta(days=rng.randrange(18000))
        number = id_number(code, born, rng.randrange(500) * 2 + (1 if sex == "男" else 0))
        release = date(first_year, 1, 1) + timedelta(days=release_days[i])
        months = (today - release).days / 30.4
        if release > today:
            status = "pre_release"
        elif months > 60 or months > 12 and rng.random() < 0.5:
            status = "ended"
        elif months < 0.5 and rng.random() < 0.5:
            status = "reported"
        else:
            status = "under_assistance"
        offence, offence_type, sentence = rng.choice(OFFENCES)
        flags = ["drugs"] if offence_type == "drugs" else (["violent"] if offence_type == "violent" and rng.random() < 0.3 else [])
        contract = contract_of.get((org, release.year)) or contract_of.get((org, today.year))
        township = rng.choice(TOWNSHIPS[code])
        w.add(t["Subject"], _clone(tpl_subject, id=subject_id, unit_id=units[code]["id"], residence_unit_id=None,
                                   cooperation=False, contract_id=contract, name=name(), id_number=number,
                                   id_tail=number[-6:], id_last4=number[-4:], sex=sex,
                                   ethnicity="蒙古族" if rng.random() < 0.05 else "汉族", birth_date=born,
                                   household_address=f"包头市{units[code]['area_name']}{township}{rng.randint(1, 300)}号",
                                   current_address=f"包头市{units[code]['area_name']}{township}{rng.randint(1, 300)}号",
                                   township=township, phone=mobile(rng), offence=offence, offence_type=offence_type,
                                   sentence=sentence, exit_type=rng.choices(("prison", "parole", "probation"), (70, 15, 15))[0],
                                   release_date=release, key_flags=flags, key_reasons="涉毒" if flags == ["drugs"] else "",
                                   flagged=bool(flags), status=status,
                                   risk_level=rng.choice(("low", "low", "medium", "high")) if status == "under_assistance" else None,
                                   end_reason="period_over" if status == "ended" else None,
                                   ended_on=min(today, release + timedelta(days=365 * 3)) if status == "ended" else None,
                                   transferred_to_id=None, anonymised_at=None, created_at=now))
        reported = release + timedelta(days=rng.randint(0, 10)) if status != "pre_release" else None
        w.add(t["Handover"], _clone(tpl_handover, subject_id=subject_id, notice_date=release - timedelta(days=30),
                                    received_how=rng.choice(("escorted", "fetched", "family", "self")) if reported else None,
                                    report_date=reported, receiving_office=f"{township}司法所" if reported else "",
                                    officer=name() if reported else ""))
        if status in ("under_assistance", "ended") and staff.get(org):
            w.add(t["AssistanceGroup"], {"id": group_id, "subject_id": subject_id, "kind": "many_to_one",
                                         "formed_on": reported})
            members = rng.sample(staff[org], min(2, len(staff[org])))
            for j, sid in enumerate(members):
                w.add(t["GroupMember"], {"group_id": group_id, "staff_member_id": sid, "side": "contractor",
                                         "name": staff_names.get(sid, "帮教人员"), "role": "组长" if j == 0 else "帮教人员",
                                         "contact": mobile(rng), "is_leader": j == 0})
            w.add(t["GroupMember"], {"group_id": group_id, "staff_member_id": None, "side": "family", "name": "家属",
                                     "role": "监护人", "contact": "", "is_leader": False})
            group_id += 1
            if status == "under_assistance" and rng.random() < 0.5:
                w.add(t["AssistancePlan"], _clone(tpl_plan, subject_id=subject_id, starts_on=reported,
                                                  ends_on=reported + timedelta(days=365),
                                                  review_on=reported + timedelta(days=180),
                                                  author_id=workers.get(org), approved_by_id=None, created_at=now))
            for _ in range(rng.randint(1, 5) if status == "under_assistance" else rng.randint(0, 2)):
                day = min(today, reported + timedelta(days=rng.randrange(max(1, (today - reported).days + 1))))
                kind = rng.choice(kinds)
                w.add(t["ServiceRecord"], {"subject_id": subject_id, "kind": kind, "on": day,
                                           "worker_id": workers.get(org), "worker_name": staff_names.get(members[0], ""),
                                           "content": f"{SERVICE_KINDS[kind]}：谈话了解近况，宣讲政策。", "outcome": "",
                                           "application_status": None, "result": None, "base_id": None,
                                           "shares_data": False, "attachment_id": None, "created_at": now})
        subject_id += 1
        if (i + 1) % 50_000 == 0:
            w.flush()
            db.session.commit()
    w.flush()
    db.session.commit()
    refresh_contact(db.session.connection())  # records and groups went in by bulk insert: the kept last contact
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        _reset_sequences(t.values())
    db.session.execute(text("ANALYZE"))
    from services import ocds

    ocds.changed(db.session)  # procurements and contracts went in by bulk insert: the feed's packages are new
    db.session.commit()
    _rebuild_summaries(echo)
    echo(f"帮教对象 {subjects} 人；共用时 {time.perf_counter() - started:.1f} 秒")
    return dict(w.counts)


def _reset_sequences(tables):
    """Rows inserted with explicit ids leave PostgreSQL's sequences behind: move them past the max."""
    for table in tables:
        if "id" in table.c:
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                    f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM \"{table.name}\"), 1))"))


def _rebuild_summaries(echo):
    """If a maintained summary table exists (the dashboards'), rebuild it after a bulk load."""
    try:
        from services import dashboard_summary  # noqa: F401  (lands with the dashboards)
    except ImportError:
        return
    rebuild = getattr(dashboard_summary, "rebuild", None)
    if rebuild:
        rebuild()
        db.session.commit()
        echo("统计汇总表已重建")


def dumps(counts):
    return json.dumps(counts, ensure_ascii=False, sort_keys=True)
