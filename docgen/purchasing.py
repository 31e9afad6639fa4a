"""The contract (合同) and the annual plan table for finance (购买计划表)."""
from docgen.registry import register
from docgen.formats import amount_in_words, cn_date, yuan
from docgen.styles import para, table


def build_contract(doc):
    para(doc, "政府购买服务合同", style="FQ Title", indent=False)
    para(doc, "合同编号：{{ number }}", style="FQ Right", indent=False)
    para(doc, "项目名称：{{ title }}（{{ category }}）", indent=False)
    para(doc, "采购编号（ocid）：{{ ocid }}", indent=False)
    para(doc, "甲方（购买主体）：{{ unit }}", indent=False)
    para(doc, "地址：{{ unit_address }}", indent=False)
    para(doc, "乙方（承接主体）：{{ contractor }}", indent=False)
    para(doc, "统一社会信用代码：{{ uscc }}", indent=False)
    para(doc, "法定代表人：{{ legal_representative }}　地址：{{ contractor_address }}", indent=False)
    para(doc, "根据《中华人民共和国政府采购法》《政府购买服务管理办法》和{{ method }}的结果，甲乙双方经协商一致，订立本合同。")
    sections = [
        ("一、服务标的", "{{ subject }}"),
        ("二、服务范围", "{{ scope }}"),
        ("三、服务数量", "{{ quantities }}"),
        ("四、质量要求", "{{ quality_requirements }}"),
        ("五、服务期限", "自{{ period_start }}起至{{ period_end }}止。{{ long_period_reason }}"),
        ("六、服务地点和方式", "{{ place_and_manner }}"),
        ("七、合同金额", "合同金额为{{ amount_words }}（{{ amount_figures }}）。"),
    ]
    for heading, body in sections:
        para(doc, heading, style="FQ Heading 1", indent=False)
        para(doc, body)
    para(doc, "八、履约节点和付款方式", style="FQ Heading 1", indent=False)
    para(doc, "甲方按下列节点分期支付。每期款项在对应节点完成后支付；尾款在终期验收合格后支付。")
    table(doc, ["期次", "履约节点", "节点日期", "金额（元）", "金额（大写）"],
          ["{{ i.seq }}", "{{ i.milestone }}", "{{ i.due }}", "{{ i.figures }}", "{{ i.words }}"],
          widths_mm=[14, 50, 30, 30, 32], loop="i in instalments")
    for heading, body in [
        ("九、验收要求", "{{ acceptance_requirements }}"),
        ("十、双方的权利和义务", "{{ rights_obligations }}"),
        ("十一、违约责任", "{{ breach_liability }}"),
        ("十二、争议解决", "{{ dispute_resolution }}"),
        ("十三、禁止转包", "{{ no_subcontract_clause }}"),
    ]:
        para(doc, heading, style="FQ Heading 1", indent=False)
        para(doc, body)
    para(doc, "{%p if consents %}", indent=False)
    para(doc, "经甲方同意的分包：", indent=False)
    para(doc, "{%p for c in consents %}", indent=False)
    para(doc, "{{ c }}")
    para(doc, "{%p endfor %}", indent=False)
    para(doc, "{%p endif %}", indent=False)
    para(doc, "十四、其他", style="FQ Heading 1", indent=False)
    para(doc, "本合同一式四份，甲乙双方各执两份，自双方签字盖章之日起生效。合同版本：第{{ version }}版。")
    para(doc, "", indent=False)
    para(doc, "甲方（盖章）：{{ unit }}　　　　（印）", indent=False)
    para(doc, "法定代表人或授权代表（签字）：＿＿＿＿＿＿", indent=False)
    para(doc, "乙方（盖章）：{{ contractor }}　　　　（印）", indent=False)
    para(doc, "法定代表人或授权代表（签字）：＿＿＿＿＿＿", indent=False)
    para(doc, "签订日期：{{ signed_on }}", style="FQ Right", indent=False)


def build_plan(doc):
    para(doc, "{{ unit }}{{ year }}年度政府购买人民调解和安置帮教服务计划", style="FQ Title", indent=False)
    para(doc, "一、预算安排", style="FQ Heading 1", indent=False)
    para(doc, "部门预算批复的购买服务资金为{{ budget_words }}（{{ budget_figures }}），本计划项目预算合计"
              "{{ total_words }}（{{ total_figures }}）。{{ share }}")
    para(doc, "二、需求评估", style="FQ Heading 1", indent=False)
    para(doc, "{{ needs }}")
    para(doc, "三、财政承受能力评估", style="FQ Heading 1", indent=False)
    para(doc, "{{ affordability }}")
    para(doc, "四、购买项目", style="FQ Heading 1", indent=False)
    t = table(doc, ["序号", "服务项目", "服务内容", "服务标准", "数量", "预算（元）", "绩效目标"],
              ["{{ i.n }}", "{{ i.service }}", "{{ i.content }}", "{{ i.standard }}", "{{ i.quantity }}",
               "{{ i.budget }}", "{{ i.targets }}"],
              widths_mm=[12, 45, 50, 50, 20, 28, 40], loop="i in items")
    from docgen.styles import add_row

    add_row(t, ["合计", "", "", "", "", "{{ total_figures }}", "{{ total_words }}"])
    para(doc, "", indent=False)
    para(doc, "编制单位：{{ unit }}（印）", style="FQ Right", indent=False)
    para(doc, "{{ status_line }}", style="FQ Right", indent=False)


TEMPLATES = {
    "contract.docx": (build_contract, {}),
    "plan.docx": (build_plan, {"landscape": True}),
}


def _text(value):
    return value if value else ""


@register("contract", "contract.docx", lambda c: f"合同-{c.number}.docx")
def contract_context(c):
    org, unit = c.contractor, c.unit
    return {
        "number": c.number, "title": c.title, "category": c.category_label, "ocid": c.procurement.ocid,
        "method": c.procurement.method_label, "unit": unit.name, "unit_address": f"内蒙古自治区{unit.area_name}",
        "contractor": org.name, "uscc": org.uscc, "legal_representative": org.legal_representative,
        "contractor_address": org.address, "subject": c.subject, "scope": c.scope, "quantities": c.quantities,
        "quality_requirements": c.quality_requirements, "period_start": cn_date(c.period_start),
        "period_end": cn_date(c.period_end),
        "long_period_reason": f"（期限超过一年的理由：{c.long_period_reason}）" if c.long_period_reason else "",
        "place_and_manner": c.place_and_manner, "amount_words": amount_in_words(c.amount),
        "amount_figures": yuan(c.amount),
        "instalments": [{"seq": str(i.seq), "milestone": i.milestone.title, "due": cn_date(i.milestone.due_on),
                         "figures": yuan(i.amount), "words": amount_in_words(i.amount)} for i in c.instalments],
        "acceptance_requirements": c.acceptance_requirements, "rights_obligations": c.rights_obligations,
        "breach_liability": c.breach_liability, "dispute_resolution": c.dispute_resolution,
        "no_subcontract_clause": c.no_subcontract_clause,
        "consents": [f"{s.part}（分包单位：{s.subcontractor}，{cn_date(s.approved_on)}同意）" for s in c.consents],
        "version": str(c.version), "signed_on": cn_date(c.signed_on),
    }


@register("plan", "plan.docx", lambda p: f"购买计划-{p.unit.area_name}-{p.year}.docx")
def plan_context(p):
    share = f"占部门预算的 {p.budget_share}%。" if p.budget_share is not None else ""
    status = {"draft": "草稿", "finance_review": "报财政部门审核", "approved": "财政部门已审核",
              "published": f"已于{cn_date(p.published_on)}公开"}[p.status]
    return {
        "unit": p.unit.name, "year": str(p.year), "budget_words": amount_in_words(p.budget_amount),
        "budget_figures": yuan(p.budget_amount), "total_words": amount_in_words(p.items_total),
        "total_figures": yuan(p.items_total), "share": share, "needs": _needs(p),
        "affordability": _text(p.affordability_notes),
        "items": [{"n": str(n), "service": str(i.service_item), "content": i.content, "standard": i.service_standard,
                   "quantity": f"{i.quantity.normalize():f}{i.unit_label}", "budget": yuan(i.budget),
                   "targets": i.target_requirements} for n, i in enumerate(p.items, 1)],
        "status_line": status,
    }


def _needs(p):
    figures = []
    if p.last_year_cases is not None:
        figures.append(f"上年度调解案件 {p.last_year_cases} 件")
    if p.last_year_subjects is not None:
        figures.append(f"上年度安置帮教对象 {p.last_year_subjects} 人")
    head = "；".join(figures)
    return (head + "。" if head else "") + _text(p.needs_assessment)
