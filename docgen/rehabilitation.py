"""Assistance documents: the individual plan (headline), the handover receipt, the risk form, the record card."""
from docgen.registry import register
from docgen.formats import cn_date
from docgen.styles import para, table


def _form_title(doc, text):
    """Forms are not official documents (DOMAIN.md §7): a bold title in the body font."""
    p = para(doc, text, style="FQ Centre", indent=False)
    p.runs[0].bold = True
    return p


def build_plan(doc):
    para(doc, "个性化帮教方案", style="FQ Title", indent=False)
    para(doc, "（第{{ version }}版　{{ status }}）", style="FQ Centre", indent=False)
    para(doc, "一、帮教对象基本情况", style="FQ Heading 1", indent=False)
    para(doc, "姓名：{{ name }}　性别：{{ sex }}　出生日期：{{ birth_date }}　身份证号：{{ id_number }}", indent=False)
    para(doc, "户籍地：{{ household_address }}　所属司法所：{{ township }}", indent=False)
    para(doc, "解除类型：{{ exit_type }}　释放或解除日期：{{ release_date }}　帮教期：{{ period }}", indent=False)
    para(doc, "类别：{{ category }}　风险等级：{{ risk_level }}", indent=False)
    para(doc, "二、需求评估", style="FQ Heading 1", indent=False)
    table(doc, ["方面", "需求"], ["{{ n.area }}", "{{ n.text }}"], widths_mm=[35, 121], loop="n in needs")
    para(doc, "三、帮教目标", style="FQ Heading 1", indent=False)
    para(doc, "{{ goals }}")
    para(doc, "四、帮教措施", style="FQ Heading 1", indent=False)
    table(doc, ["方面", "措施"], ["{{ m.area }}", "{{ m.text }}"], widths_mm=[35, 121], loop="m in measures")
    para(doc, "五、帮教小组和责任人", style="FQ Heading 1", indent=False)
    para(doc, "帮教形式：{{ group_kind }}", indent=False)
    table(doc, ["姓名", "所属方面", "角色", "联系方式"],
          ["{{ g.name }}", "{{ g.side }}", "{{ g.role }}", "{{ g.contact }}"], widths_mm=[35, 40, 35, 46],
          loop="g in members")
    para(doc, "责任人：{{ responsible }}", indent=False)
    para(doc, "六、时间安排", style="FQ Heading 1", indent=False)
    para(doc, "执行期限：自{{ starts_on }}至{{ ends_on }}。联系频次：{{ contact_frequency }}。复核日期：{{ review_on }}。")
    para(doc, "七、隐私保护", style="FQ Heading 1", indent=False)
    para(doc, "{{ consent }}")
    para(doc, "", indent=False)
    para(doc, "司法所（签字）：＿＿＿＿＿＿　（印）　　社区帮教人员（签字）：＿＿＿＿＿＿", indent=False)
    para(doc, "家庭成员（签字）：＿＿＿＿＿＿　　帮教对象（签字）：＿＿＿＿＿＿", indent=False)
    para(doc, "审批：{{ approval }}", style="FQ Right", indent=False)


def build_handover(doc):
    _form_title(doc, "刑满释放人员衔接回执")
    t = table(doc, ["项目", "内容"], ["{{ r.label }}", "{{ r.value }}"], widths_mm=[45, 111], loop="r in rows")
    del t
    para(doc, "", indent=False)
    para(doc, "接收司法所（印）：{{ office }}　　经办人（签字）：＿＿＿＿＿＿", indent=False)
    para(doc, "帮教对象（签字）：＿＿＿＿＿＿　　　　{{ report_date }}", indent=False)


def build_risk(doc):
    _form_title(doc, "重新犯罪风险评估表")
    para(doc, "帮教对象：{{ name }}　身份证号：{{ id_number }}　评估日期：{{ assessed_on }}", indent=False)
    para(doc, "评估人：{{ assessor }}　触发事件：{{ event }}", indent=False)
    table(doc, ["评估因素", "情况", "得分"], ["{{ f.label }}", "{{ f.answer }}", "{{ f.points }}"],
          widths_mm=[60, 66, 30], loop="f in factors")
    para(doc, "合计得分：{{ score }}　风险等级：{{ level }}（低 0-{{ low_max }}，中 {{ medium_from }}-{{ medium_max }}，高 {{ high_from }} 分以上）", indent=False)
    para(doc, "评估说明：{{ note }}", indent=False)
    para(doc, "本评估为辅助性参考，不作为限制对象权利的依据。", indent=False)
    para(doc, "评估人（签字）：＿＿＿＿＿＿　　审核（印）", indent=False)


def build_card(doc):
    _form_title(doc, "安置帮教对象档案卡")
    table(doc, ["项目", "内容"], ["{{ r.label }}", "{{ r.value }}"], widths_mm=[45, 111], loop="r in rows")
    para(doc, "帮教小组：", indent=False)
    table(doc, ["姓名", "所属方面", "角色"], ["{{ g.name }}", "{{ g.side }}", "{{ g.role }}"],
          widths_mm=[50, 56, 50], loop="g in members")
    para(doc, "制卡日期：{{ today }}", style="FQ Right", indent=False)


TEMPLATES = {
    "assistance_plan.docx": (build_plan, {}),
    "handover_receipt.docx": (build_handover, {}),
    "risk_assessment.docx": (build_risk, {}),
    "record_card.docx": (build_card, {}),
}


def _members(subject):
    if not subject.group:
        return []
    return [{"name": m.name, "side": m.side_label, "role": m.role, "contact": m.contact} for m in subject.group.members]


def _basic(s):
    return {"name": s.name, "sex": s.sex, "birth_date": cn_date(s.birth_date), "id_number": s.masked_id,
            "household_address": s.household_address, "township": s.township, "exit_type": s.exit_type_label,
            "release_date": cn_date(s.release_date), "period": f"{cn_date(s.release_date)}至{cn_date(s.period_end)}",
            "category": s.category_label + (f"（{'、'.join(s.key_flag_labels)}）" if s.key_flag_labels else ""),
            "risk_level": s.risk_label}


@register("assistance_plan", "assistance_plan.docx", lambda p: f"个性化帮教方案-第{p.version}版.docx")
def plan_context(p):
    from models.rehabilitation import MEASURE_AREAS, NEED_AREAS

    s = p.subject
    approval = (f"{p.approved_by.display_name if p.approved_by else ''}于{cn_date(p.approved_at.date())}审批通过"
                if p.approved_at else "待户籍地司法局审批")
    return {
        **_basic(s), "version": str(p.version), "status": p.status_label,
        "needs": [{"area": NEED_AREAS.get(a, a), "text": t} for a, t in p.needs.items()],
        "goals": p.goals,
        "measures": [{"area": MEASURE_AREAS.get(a, a), "text": t} for a, t in p.measures.items()],
        "group_kind": s.group.kind_label if s.group else "尚未组建", "members": _members(s),
        "responsible": p.responsible, "starts_on": cn_date(p.starts_on), "ends_on": cn_date(p.ends_on),
        "contact_frequency": p.contact_frequency, "review_on": cn_date(p.review_on),
        "consent": ("帮教对象已签署个人信息保护同意书。帮教工作中获知的个人信息仅用于帮教工作，未经本人同意不向第三方提供。"
                    if p.consent else "帮教对象尚未签署个人信息保护同意书。"),
        "approval": approval,
    }


@register("handover_receipt", "handover_receipt.docx", lambda s: "衔接回执.docx")
def handover_context(s):
    h = s.handover
    rows = [("通知监狱", h.institution if h else ""), ("通知日期", cn_date(h.notice_date) if h else ""),
            ("姓名", s.name), ("性别", s.sex), ("出生日期", cn_date(s.birth_date)), ("身份证号", s.masked_id),
            ("户籍地址", s.household_address), ("罪名", s.offence), ("刑期", s.sentence),
            ("释放日期", cn_date(s.release_date)), ("解除类型", s.exit_type_label),
            ("接收方式", h.received_label if h else ""), ("报到日期", cn_date(h.report_date) if h else ""),
            ("接收司法所", h.receiving_office if h else ""), ("经办人", h.officer if h else "")]
    return {"rows": [{"label": a, "value": b or ""} for a, b in rows],
            "office": (h.receiving_office if h else "") or "", "report_date": cn_date(h.report_date) if h else ""}


@register("risk_assessment", "risk_assessment.docx", lambda a: f"风险评估表-{a.assessed_on:%Y%m%d}.docx")
def risk_context(a):
    from models import risk
    from services import settings

    medium, high = settings.get("risk.medium_from"), settings.get("risk.high_from")
    return {"name": a.subject.name, "id_number": a.subject.masked_id, "assessed_on": cn_date(a.assessed_on),
            "assessor": a.assessor_name, "event": a.event or "定期评估",
            "factors": [{"label": label, "answer": answer, "points": str(points)}
                        for label, answer, points in risk.describe(a.answers)],
            "score": str(a.score), "level": a.level_label, "low_max": str(medium - 1), "medium_from": str(medium),
            "medium_max": str(high - 1), "high_from": str(high), "note": a.note or ""}


@register("record_card", "record_card.docx", lambda s: "帮教对象档案卡.docx")
def card_context(s):
    from models import clock

    plan = s.plan_in_effect
    last = s.last_assessment
    rows = [("姓名", s.name), ("性别", s.sex), ("民族", s.ethnicity), ("出生日期", cn_date(s.birth_date)),
            ("身份证号", s.masked_id), ("户籍地址", s.household_address), ("现居住地址", s.current_address),
            ("罪名", s.offence), ("刑期", s.sentence), ("服刑（矫正）场所", s.custody_place),
            ("释放或解除日期", cn_date(s.release_date)), ("解除类型", s.exit_type_label),
            ("帮教期", f"{cn_date(s.release_date)}至{cn_date(s.period_end)}"),
            ("类别和标记", s.category_label + (f"（{'、'.join(s.key_flag_labels)}）" if s.key_flag_labels else "")),
            ("风险等级和评估日期", f"{s.risk_label}（{cn_date(last.assessed_on)}）" if last else "未评估"),
            ("执行中的方案", f"第{plan.version}版，{cn_date(plan.starts_on)}至{cn_date(plan.ends_on)}" if plan else "无"),
            ("安置情况", s.resettlement_label), ("最近联系", cn_date(s.last_contact) or "无"),
            ("状态", s.status_label)]
    return {"rows": [{"label": a, "value": b or ""} for a, b in rows], "members": _members(s),
            "today": cn_date(clock.today())}
