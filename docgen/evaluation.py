"""The evaluation report (绩效评价报告): indicators, the three sides' scores, vetoes, score and grade."""
from docgen.registry import register
from docgen.formats import amount_in_words, cn_date, yuan
from docgen.styles import para, table


def build_report(doc):
    para(doc, "政府购买服务绩效评价报告", style="FQ Title", indent=False)
    para(doc, "（{{ period }}）", style="FQ Centre", indent=False)
    for line in ("项目名称：{{ title }}", "采购编号：{{ ocid }}　合同编号：{{ number }}", "购买主体：{{ unit }}",
                 "承接主体：{{ contractor }}（统一社会信用代码：{{ uscc }}）", "合同金额：{{ amount_words }}（{{ amount_figures }}）",
                 "服务期限：{{ contract_period }}", "第三方评价机构：{{ body }}", "指标体系：{{ set_name }}"):
        para(doc, line, indent=False)
    para(doc, "一、评价结果", style="FQ Heading 1", indent=False)
    para(doc, "综合得分{{ score }}分，评价等级为“{{ grade }}”。{{ capped }}")
    table(doc, ["评价方", "权重比例", "得分"], ["{{ s.side }}", "{{ s.share }}", "{{ s.score }}"],
          widths_mm=[60, 40, 40], loop="s in sides")
    para(doc, "二、逐项得分", style="FQ Heading 1", indent=False)
    table(doc, ["一级指标", "二级指标", "权重", "目标", "实际", "第三方", "购买主体", "自评"],
          ["{{ i.level1 }}", "{{ i.name }}", "{{ i.weight }}", "{{ i.target }}", "{{ i.actual }}", "{{ i.third }}",
           "{{ i.unit }}", "{{ i.self }}"], widths_mm=[22, 40, 12, 18, 18, 16, 16, 14], loop="i in items")
    para(doc, "计量指标得分＝权重×min(1，实际÷目标)（越高越好）或权重×min(1，目标÷实际)（越低越好，实际为零得满分），"
              "各方同分；其余指标由各方在零至权重之间打分。综合得分＝各方得分×权重比例之和。")
    para(doc, "三、否决事项", style="FQ Heading 1", indent=False)
    para(doc, "{{ vetoes }}")
    para(doc, "四、抽样和回访", style="FQ Heading 1", indent=False)
    para(doc, "{{ sampling }}")
    para(doc, "五、评价结论", style="FQ Heading 1", indent=False)
    para(doc, "{{ conclusion }}")
    para(doc, "{{ exit }}")
    para(doc, "", indent=False)
    para(doc, "购买主体（盖章）：{{ unit }}　　（印）", indent=False)
    para(doc, "第三方评价机构（盖章）：{{ body }}　　（印）", indent=False)
    para(doc, "{{ date }}", style="FQ Right", indent=False)


TEMPLATES = {"evaluation.docx": (build_report, {})}


def _num(value):
    if value is None:
        return "—"
    return f"{value.normalize():f}"


@register("evaluation", "evaluation.docx", lambda e: f"绩效评价报告-{e.contract.number}-{e.id}.docx")
def evaluation_context(e):
    from models.evaluation import GRADES, SATISFACTION, SIDES, VETOES

    c = e.contract
    r = e.result()
    items = []
    for i in e.items:
        row = {"level1": i.level1, "name": i.name, "weight": _num(i.weight)}
        if i.kind == "measure":
            unit = i.unit_label
            row.update(target=f"{_num(i.target)}{unit}", actual=f"{_num(i.actual)}{unit}" if i.actual is not None
                       else "无数据", third=str(i.points), unit=str(i.points), self=str(i.points))
        else:
            row.update(target="—", actual="—", **{s: _num(e.score_of(i, s)) for s in ("third", "unit", "self")})
        items.append(row)
    vetoes = [VETOES[v] for v in e.vetoes]
    surveyed = [s for s in e.samples if s.surveyed_on]
    reached = [s for s in surveyed if s.reached]
    counts = "、".join(f"{label}{sum(1 for s in reached if s.satisfaction == k)}人"
                      for k, label in SATISFACTION.items() if any(s.satisfaction == k for s in reached))
    cases = sum(1 for s in e.samples if s.kind == "case")
    score = e.score if e.is_final else r.score
    grade = e.grade if e.is_final else r.grade
    return {
        "period": e.period_label, "title": c.title, "ocid": c.procurement.ocid, "number": c.number,
        "unit": c.unit.name, "contractor": c.contractor.name, "uscc": c.contractor.uscc,
        "amount_words": amount_in_words(c.amount), "amount_figures": yuan(c.amount),
        "contract_period": f"{cn_date(c.period_start)}至{cn_date(c.period_end)}",
        "body": e.body.name if e.body else "未委托", "set_name": f"{e.set_name}（第{e.set_version}版）",
        "score": _num(score), "grade": GRADES[grade],
        "capped": f"因存在否决事项，加权得分{_num(r.raw)}分按规定以59分计。" if r.capped else "",
        "sides": [{"side": SIDES[s], "share": f"{_num(e.shares[s])}%", "score": _num(r.sides[s])}
                  for s in ("third", "unit", "self")],
        "items": items,
        "vetoes": ("存在否决事项：" + "；".join(vetoes) + "。" + (e.veto_note or "")) if vetoes else "无否决事项。",
        "sampling": (f"系统随机抽取调解案件{cases}件、帮教对象{len(e.samples) - cases}人；回访{len(surveyed)}个样本，"
                     f"联系上{len(reached)}个" + (f"（{counts}）" if counts else "") + "。") if e.samples
        else "未抽取样本。",
        "conclusion": e.conclusion or "评价进行中。",
        "exit": "评价等级为不合格，建议启动退出机制，由承接主体住所地司法局依规定处理。" if grade == "poor" and e.is_final
        else "",
        "date": cn_date((e.completed_at or e.created_at).date()),
    }
