"""The acceptance report (验收报告) with the fields of DOMAIN.md §5 and the item-by-item table."""
from docgen.registry import register
from docgen.formats import amount_in_words, cn_date, yuan
from docgen.styles import para, table


def build_report(doc):
    para(doc, "政府购买服务履约验收报告", style="FQ Title", indent=False)
    para(doc, "（{{ kind }}）", style="FQ Centre", indent=False)
    for line in ("项目名称：{{ title }}", "采购编号：{{ ocid }}　合同编号：{{ number }}", "购买主体：{{ unit }}",
                 "承接主体：{{ contractor }}（统一社会信用代码：{{ uscc }}）", "合同金额：{{ amount_words }}（{{ amount_figures }}）",
                 "服务期限：{{ period }}　验收期间：{{ acceptance_period }}", "验收日期：{{ held_on }}　验收地点：{{ place }}",
                 "验收依据：{{ basis }}", "验收方式：{{ methods }}"):
        para(doc, line, indent=False)
    para(doc, "一、验收小组", style="FQ Heading 1", indent=False)
    table(doc, ["姓名", "单位", "职责", "签字"], ["{{ m.name }}", "{{ m.unit }}", "{{ m.role }}", ""],
          widths_mm=[30, 70, 30, 30], loop="m in members")
    para(doc, "二、逐项验收情况", style="FQ Heading 1", indent=False)
    table(doc, ["验收标准", "合同约定", "实际完成", "是否达到", "验收意见及依据"],
          ["{{ i.label }}", "{{ i.contracted }}", "{{ i.delivered }}", "{{ i.met }}", "{{ i.finding }}"],
          widths_mm=[40, 25, 25, 20, 46], loop="i in items")
    para(doc, "三、服务对象意见", style="FQ Heading 1", indent=False)
    para(doc, "{{ opinions }}")
    para(doc, "四、记录完整性检查", style="FQ Heading 1", indent=False)
    para(doc, "{{ integrity }}")
    para(doc, "五、存在的问题及整改要求", style="FQ Heading 1", indent=False)
    table(doc, ["问题", "整改要求", "整改期限"], ["{{ p.description }}", "{{ p.fix }}", "{{ p.deadline }}"],
          widths_mm=[60, 70, 30], loop="p in problems")
    para(doc, "六、验收结论", style="FQ Heading 1", indent=False)
    para(doc, "{{ verdict }}。{{ conclusion }}")
    para(doc, "{{ conditions }}")
    para(doc, "七、付款建议", style="FQ Heading 1", indent=False)
    para(doc, "{{ recommendation }}")
    para(doc, "", indent=False)
    para(doc, "验收小组成员签字：＿＿＿＿＿＿＿＿＿＿＿＿", indent=False)
    para(doc, "购买主体（盖章）：{{ unit }}　　（印）", indent=False)
    para(doc, "承接主体（盖章）：{{ contractor }}　　（印）", indent=False)
    para(doc, "{{ date }}", style="FQ Right", indent=False)


TEMPLATES = {"acceptance.docx": (build_report, {})}


def _num(value, unit):
    if value is None:
        return "—"
    text = f"{value.normalize():f}" if hasattr(value, "normalize") else str(value)
    return f"{text}{unit}" if unit != "元" else yuan(value)


@register("acceptance", "acceptance.docx", lambda a: f"验收报告-{a.contract.number}-{a.id}.docx")
def acceptance_context(a):
    c = a.contract
    integrity = getattr(a, "unexplained_findings", None)
    return {
        "kind": a.kind_label + (f"：{a.milestone.title}" if a.milestone else ""), "title": c.title,
        "ocid": c.procurement.ocid, "number": c.number, "unit": c.unit.name, "contractor": c.contractor.name,
        "uscc": c.contractor.uscc, "amount_words": amount_in_words(c.amount), "amount_figures": yuan(c.amount),
        "period": f"{cn_date(c.period_start)}至{cn_date(c.period_end)}",
        "acceptance_period": f"{cn_date(a.period_start)}至{cn_date(a.period_end)}", "held_on": cn_date(a.held_on),
        "place": a.place, "basis": a.basis, "methods": a.methods_label,
        "members": [{"name": m.name, "unit": m.unit_name, "role": m.role} for m in a.members],
        "items": [{"label": i.label, "contracted": _num(i.contracted, i.unit), "delivered": _num(i.delivered, i.unit),
                   "met": i.met_label, "finding": "；".join(x for x in (i.finding, i.evidence) if x)} for i in a.items],
        "opinions": a.opinions or "未收集。",
        "integrity": integrity() if callable(integrity) else "未发现未作说明的问题。",
        "problems": [{"description": p.description, "fix": p.required_fix, "deadline": cn_date(p.deadline)}
                     for p in a.problems] or [{"description": "无", "fix": "", "deadline": ""}],
        "verdict": a.verdict_label, "conclusion": a.conclusion or "验收进行中", "conditions":
            f"合格条件：{a.conditions}" if a.conditions else "",
        "recommendation": a.payment_recommendation or "", "date": cn_date(a.concluded_on or a.held_on),
    }
