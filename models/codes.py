"""Code lists used by the contractor side (labels are UI text, keys are stored)."""

ORG_TYPES = {
    "social_group": "社会团体",
    "social_service": "社会服务机构（民办非企业单位）",
    "foundation": "基金会",
    "enterprise": "企业",
    "institution": "事业单位",
    "other": "其他",
}

SERVICE_CATEGORIES = {"mediation": "人民调解", "assistance": "安置帮教"}

# The policy's six eligibility conditions (part 二(二)); `expires` marks evidence that lapses.
CONDITIONS = {
    1: ("具有独立承担民事责任的能力", "登记证书或营业执照", False),
    2: ("具备提供服务所必需的场所、设施、人员和专业技术能力", "场所证明、人员名册、资格证书", False),
    3: ("具有健全的内部治理结构、财务会计和资产管理制度", "章程、财务和资产管理制度", False),
    4: ("近三年无重大违法记录，通过年检或按要求报送年度报告，具备相应资质，信誉良好", "年度报告或年检结论", True),
    5: ("具有依法缴纳税收和社会保障资金的良好记录", "纳税和社会保险缴纳证明", True),
    6: ("法律、法规规定以及购买服务项目要求的其他条件", "相关证明材料", False),
}

CONTRACTOR_STATUSES = {
    "pending": "待审核",
    "approved": "已通过",
    "rejected": "已退回",
    "suspended": "已暂停",
    "terminated": "已退出",
}

VERDICTS = {"pending": "待审核", "accepted": "符合", "rejected": "不符合"}

REJECT_REASONS = {
    "unclear": "材料不清晰或无法打开",
    "expired": "材料已过期",
    "mismatch": "材料与声明不一致",
    "missing": "缺少必要材料",
    "unmet": "不符合条件要求",
    "other": "其他",
}

SUSPEND_REASONS = {
    "inspection": "年检不合格或未报送年度报告",
    "violation": "违法违规行为",
    "poor_performance": "绩效评价不合格",
    "fraud": "虚报冒领、弄虚作假",
    "subcontracting": "违规转包",
    "privacy": "泄露个人信息",
    "other": "其他",
}

TERMINATE_REASONS = {
    "voluntary": "主动申请退出",
    "dissolved": "机构注销或被撤销登记",
    "serious_breach": "严重违约",
    "failed_evaluation": "绩效评价不合格且整改无效",
    "fraud": "虚报冒领、弄虚作假",
    "other": "其他",
}

BAR_REASONS = SUSPEND_REASONS

PROFESSIONS = {
    "mediator": "人民调解员",
    "lawyer": "律师",
    "notary": "公证员",
    "legal_worker": "基层法律服务工作者",
    "counsellor": "心理咨询师",
    "teacher": "教师",
    "social_worker": "社会工作者",
    "doctor": "医生",
    "student": "学生",
    "volunteer": "志愿者",
}

EVENT_KINDS = {
    "registered": "提交注册申请",
    "resubmitted": "修改后重新提交",
    "approved": "审核通过",
    "rejected": "审核退回",
    "renewed": "更新到期材料",
    "rechecked": "复核到期材料",
    "suspended": "暂停资格",
    "lifted": "恢复资格",
    "terminated": "退出（终止资格）",
    "barred": "禁止参与本单位采购",
    "contract_terminated": "合同提前终止",
}
