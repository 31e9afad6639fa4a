"""The code lists of resettlement and assistance (labels by key), and two small helpers of the rules."""


STATUSES = {"pre_release": "待释放（已接收通知）", "reported": "已报到", "under_assistance": "帮教中", "ended": "已解除"}
EXIT_TYPES = {
    "prison": "刑满释放",
    "parole": "假释期满",
    "medical_parole": "暂予监外执行期满",
    "deprivation": "附加剥夺政治权利期满",
    "probation": "缓刑期满",
    "surveillance": "管制期满",
}
COMMUNITY_EXITS = ("parole", "medical_parole", "deprivation", "probation", "surveillance")
KEY_FLAGS = {
    "state_security": "危害国家安全",
    "organised_crime": "涉黑涉恶",
    "drugs": "涉毒",
    "violence": "严重暴力",
    "guns": "涉枪涉爆",
    "cult": "邪教",
    "terrorism": "暴恐和极端主义",
    "repeat": "累犯、惯犯",
    "poor_conduct": "改造表现差或释放时危险性高",
    "false_identity": "身份或住址不实",
    "three_without": "三无人员",
    "illness": "严重疾病或精神障碍",
    "minor": "未成年人",
}
OFFENCE_TYPES = {"violent": "暴力犯罪", "property": "财产犯罪", "drugs": "毒品犯罪", "gang": "涉黑涉恶", "other": "其他"}
RESETTLEMENT = {
    "none": "未安置",
    "employed": "就业",
    "self_employed": "自主创业",
    "farming": "务农",
    "relief": "纳入救助",
    "base": "过渡性安置基地",
}
RESETTLED = ("employed", "self_employed", "farming", "relief", "base")
RECEIVED_HOW = {"escorted": "押送", "fetched": "接回", "family": "亲属接回", "self": "自行报到"}
END_REASONS = {"period_over": "帮教期满", "reoffended": "重新犯罪", "deceased": "死亡", "transferred": "迁出"}
NEED_AREAS = {
    "housing": "住房", "work": "就业和收入", "family": "家庭", "health": "身心健康", "psychology": "心理",
    "relief": "社会救助", "legal": "法律事务", "papers": "户籍和身份证件",
}
MEASURE_AREAS = {
    "education": "教育", "adaptation": "社会适应", "psychology": "心理", "relief": "救助",
    "employment": "就业", "legal_aid": "法律援助",
}
PLAN_STATUSES = {"draft": "待审批", "approved": "执行中", "superseded": "已修订"}
GROUP_KINDS = {"one_to_one": "一帮一", "many_to_one": "多帮一"}
MEMBER_SIDES = {"contractor": "承接主体", "justice_office": "司法所", "community": "社区", "family": "家庭",
                "employer": "用人单位"}
SERVICE_KINDS = {
    "education": "思想和法治教育",
    "adaptation": "社会适应帮扶",
    "mental_health": "心理健康服务",
    "relief": "申请社会救助",
    "legal_aid": "法律援助转介",
    "employment": "就业帮扶",
    "donation": "慈善捐助",
    "base": "过渡性安置",
    "visit": "走访谈话",
}
# Kinds that share the subject's data with a third party need the subject's consent first.
REFERRAL_SCOPE = {"relief": "relief", "legal_aid": "legal_aid", "employment": "employer"}
CONSENT_SCOPES = {"employer": "向用人单位提供信息", "relief": "向救助部门提供信息", "legal_aid": "向法律援助机构提供信息"}
ALERT_KINDS = {"high_risk": "风险评估为高", "warning_signs": "工作人员报告预警信号"}


def _blank(value):
    return not (value or "").strip() if isinstance(value, str) or value is None else False


def add_years(d, n):
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)
