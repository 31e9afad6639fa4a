"""Code lists of the purchase side (keys stored, labels shown)."""

# The policy's purchasable services (part 二(三)1 and 2): code, category, name, default standard.
CATALOGUE = [
    ("M1", "mediation", "人民调解政策研究、咨询、矛盾纠纷排查分析和法治宣传",
     "开展政策研究和法律咨询，定期排查矛盾纠纷并形成分析报告，开展法治宣传"),
    ("M2", "mediation", "人民调解辅助性工作",
     "制作标识标牌，录入调解员和案件信息，记录排查化解情况，制作和整理归档调解卷宗"),
    ("M3", "mediation", "为政府培训人民调解员", "按计划组织人民调解员业务培训"),
    ("M4", "mediation", "提供培训师资、场地和资料", "为人民调解员培训提供师资、场地和培训资料"),
    ("M5", "mediation", "调解经济、民事和商事纠纷",
     "受理登记、调查、调解记录、制作调解协议、立卷归档、回访；服务点每日工作不少于 8 小时，每班不少于 2 人"),
    ("M6", "mediation", "人民调解咨询服务", "为群众提供调解咨询"),
    ("M7", "mediation", "季度、年度调解成功率和履行率评估及失败原因分析", "按季度和年度开展评估并提交分析报告"),
    ("A1", "assistance", "安置帮教政策研究、宣传、咨询、案例汇编和分类帮教模式研究",
     "开展政策研究、宣传和咨询，汇编典型案例，研究分类帮教模式"),
    ("A2", "assistance", "帮教队伍建设和培训", "组建帮教队伍并定期培训"),
    ("A3", "assistance", "开展安置帮教工作",
     "刑释前心理和行为矫治、建立心理档案、个性化帮教方案、帮教小组、风险评估、社会适应、心理健康、"
     "三无人员和困难人员救助、就业帮扶、过渡性安置基地；服务点每日工作不少于 8 小时，每班不少于 2 人"),
    ("A4", "assistance", "其他委托事项", "按购买主体委托事项执行"),
]

CATEGORIES = {"mediation": "人民调解", "assistance": "安置帮教"}

PLAN_STATUSES = {"draft": "草稿", "finance_review": "财政审核中", "approved": "已批准", "published": "已公开"}

METHODS = {
    "open_tender": "公开招标",
    "invited_tender": "邀请招标",
    "competitive_negotiation": "竞争性谈判",
    "competitive_consultation": "竞争性磋商",
    "price_inquiry": "询价",
    "single_source": "单一来源采购",
}

PROCUREMENT_STATUSES = {
    "planned": "已公开采购意向",
    "prepared": "采购准备",
    "notice_published": "已发布采购公告",
    "objection": "单一来源公示期",
    "bids_open": "已开标，评审中",
    "evaluated": "已评审",
    "awarded": "已公布成交结果",
    "contracted": "已签订合同",
    "failed": "采购失败",
}

CONTRACT_STATUSES = {
    "signed": "已签订",
    "in_performance": "履约中",
    "final_acceptance": "终验中",
    "accepted": "已验收",
    "accepted_conditional": "有条件通过验收",
    "rectification": "整改中",
    "closed": "已结束",
    "terminated": "已提前终止",
}

MILESTONE_KINDS = {"reporting": "报告", "assessment": "考核", "payment": "付款节点", "acceptance": "验收"}
MILESTONE_STATUSES = {"scheduled": "未到期", "met": "已完成", "partly_met": "部分完成", "not_met": "未完成"}

AMENDMENT_REASONS = {
    "added_quantity": "追加同类服务数量",
    "scope_change": "服务内容调整",
    "period_change": "服务期限调整",
    "policy_change": "政策变化",
    "error": "更正错误",
    "other": "其他",
}

CONTRACT_TERMINATION_REASONS = {
    "mutual": "双方协商一致",
    "breach": "承接主体严重违约",
    "failed_evaluation": "绩效评价不合格",
    "subcontracting": "违规转包",
    "force_majeure": "不可抗力",
    "other": "其他",
}

DELIVERABLE_KINDS = {"training": "培训", "publicity": "宣传活动", "research": "政策研究和分析报告"}

NO_SUBCONTRACT_CLAUSE = ("乙方不得将本合同服务转包给第三方。经甲方书面同意，乙方可将服务中的非主体、非关键部分分包，"
                         "乙方就分包部分向甲方承担全部责任。")

PUBLICATION_KINDS = {
    "plan": "购买计划",
    "intention": "采购意向",
    "notice": "采购公告",
    "single_source": "单一来源公示",
    "award": "成交结果公告",
    "contract": "合同公告",
    "amendment": "合同变更公告",
}
