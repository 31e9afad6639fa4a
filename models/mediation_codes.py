"""Code lists of people's mediation (DOMAIN.md §2, §3). Keys are stored, labels are UI text."""

CATEGORIES = {
    "family": "婚姻家庭（含继承）",
    "neighbour": "邻里纠纷",
    "housing": "房屋宅基地",
    "contract": "合同纠纷",
    "business": "生产经营",
    "damage": "损害赔偿",
    "land": "山林土地（承包）",
    "demolition": "征地拆迁",
    "environment": "环境污染",
    "labour": "劳动争议",
    "traffic": "道路交通事故",
    "medical": "医疗纠纷",
    "property": "物业纠纷",
    "consumer": "消费纠纷",
    "other": "其他",
}

SOURCES = {
    "application_written": "当事人申请（书面）",
    "application_oral": "当事人申请（口头）",
    "initiative": "调解组织主动调解（排查）",
    "police": "公安机关移送",
    "court": "人民法院委托移送",
    "arbitration": "仲裁机构移送",
    "petition": "信访部门移送",
    "department": "其他政府部门交办",
    "other": "其他",
}
REFERRED = ("police", "court", "arbitration", "petition", "department", "other")

STATUSES = {
    "registered": "已登记",
    "investigating": "调查中",
    "mediating": "调解中",
    "succeeded": "调解成功",
    "failed": "调解不成",
    "withdrawn": "已撤回",
    "refused": "当事人拒绝调解",
    "archived": "已归档",
}
OPEN = ("registered", "investigating", "mediating")
OUTCOMES = ("succeeded", "failed", "withdrawn", "refused")

FAIL_REASONS = {
    "gap": "双方分歧过大",
    "absent": "一方不到场或中途退出",
    "evidence": "事实证据难以查清",
    "law": "涉及法律问题需诉讼解决",
    "other": "其他",
}

ROUTES = {"litigation": "诉讼", "arbitration": "仲裁", "administrative": "行政处理"}

RECORD_KINDS = {"investigation": "调查记录", "session": "调解记录"}

FOLLOW_UP_WAYS = {"visit": "上门回访", "phone": "电话回访", "office": "来访", "other": "其他"}

PERFORMANCE = {"full": "已全部履行", "partial": "部分履行", "none": "未履行"}

SIDES = {"applicant": "申请人", "respondent": "被申请人"}
PARTY_KINDS = {"person": "自然人", "organisation": "法人或其他组织"}
GENDERS = {"male": "男", "female": "女"}

RETENTION = {"10": "10年", "30": "30年", "permanent": "永久"}

JUDICIAL_RESULTS = {"pending": "审查中", "confirmed": "确认有效", "rejected": "不予确认"}

# The case file's parts in the order of DOMAIN.md §3 (number, title).
FILE_PARTS = [
    (1, "调解申请书或受理登记表"),
    (2, "权利义务告知书"),
    (3, "当事人身份证明"),
    (4, "授权委托书"),
    (5, "调查记录"),
    (6, "证据材料"),
    (7, "调解记录"),
    (8, "调解协议书"),
    (9, "履行凭证"),
    (10, "回访记录"),
    (11, "司法确认材料"),
    (12, "卷宗情况说明"),
    (13, "封底"),
]
# Parts whose content is an uploaded scan (present only when uploaded).
SCAN_PARTS = (3, 4, 6, 9, 11)

# Required parts by outcome (DOMAIN.md §3); "written" and "oral" are the two kinds of success.
REQUIRED_PARTS = {
    "written": (1, 2, 3, 7, 8, 13),
    "oral": (1, 2, 3, 7, 8, 13),
    "failed": (1, 2, 3, 7, 13),
    "withdrawn": (1, 3, 12, 13),
    "refused": (1, 3, 12, 13),
}
