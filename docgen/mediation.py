"""Mediation documents in the ministry's formats (DOMAIN.md §3, §7): agreement, oral agreement
registration form, application, intake registration form, notice of rights and duties, investigation
and mediation records, follow-up record, and the whole case file (卷宗) as one document.

Each part is built by one function writing template tags for a context variable (`c` the case,
`a` its agreement, `r` a record, `v` a follow-up), so the single documents and the case file share
the same layout.
"""
from docgen.registry import register
from docgen.formats import amount_in_words, cn_date, yuan
from docgen.styles import para, table

BLANK = "＿＿＿＿＿＿"  # a signature line left for the pen

RIGHTS = [
    "（一）选择或者接受人民调解员；",
    "（二）接受调解、拒绝调解或者要求终止调解；",
    "（三）要求调解公开进行或者不公开进行；",
    "（四）自主表达意愿、自愿达成调解协议。",
]
DUTIES = [
    "（一）如实陈述纠纷事实；",
    "（二）遵守调解现场秩序，尊重人民调解员；",
    "（三）尊重对方当事人行使权利。",
]


def _title(doc, text):
    para(doc, text, style="FQ Title", indent=False)


def _line(doc, text):
    para(doc, text, indent=False)


def _parties(doc, var="c"):
    para(doc, "{%p for p in " + var + ".parties %}", indent=False)
    _line(doc, "{{ p.side }}：{{ p.name }}{{ p.details }}")
    para(doc, "{%p if p.agent %}", indent=False)
    _line(doc, "委托代理人：{{ p.agent }}")
    para(doc, "{%p endif %}", indent=False)
    para(doc, "{%p endfor %}", indent=False)


def _signatures(doc, what="签名、盖章或者按指印"):
    para(doc, "{%p for p in c.parties %}", indent=False)
    _line(doc, "{{ p.side }}（" + what + "）：＿＿＿＿＿＿（{{ p.name }}）")
    para(doc, "{%p endfor %}", indent=False)


def _application(doc):
    _title(doc, "人民调解申请书")
    para(doc, "{{ c.number }}", style="FQ Right", indent=False)
    _parties(doc)
    para(doc, "纠纷简要情况：", style="FQ Heading 1", indent=False)
    para(doc, "{{ c.facts }}")
    para(doc, "申请事项：", style="FQ Heading 1", indent=False)
    para(doc, "{%p for q in c.requests %}", indent=False)
    para(doc, "{{ loop.index }}. {{ q }}")
    para(doc, "{%p endfor %}", indent=False)
    para(doc, "人民调解委员会已向本人告知人民调解的性质、原则和效力等事项，本人自愿申请人民调解。")
    para(doc, "申请人（签名或者按指印）：＿＿＿＿＿＿", style="FQ Right", indent=False)
    para(doc, "{{ c.received }}", style="FQ Right", indent=False)


def _intake(doc):
    _title(doc, "人民调解受理登记表")
    para(doc, "{{ c.number }}", style="FQ Right", indent=False)
    t = table(doc, ["项目", "内容"], ["受理日期", "{{ c.received }}"], widths_mm=[40, 116])
    from docgen.styles import add_row

    for label, value in (("纠纷类型", "{{ c.category }}"), ("案件来源", "{{ c.source }}"),
                         ("纠纷发生地", "{{ c.area }}"), ("争议金额", "{{ c.amount }}"),
                         ("服务合同", "{{ c.contract }}"), ("调解组织", "{{ c.org }}")):
        add_row(t, [label, value])
    para(doc, "当事人", style="FQ Heading 1", indent=False)
    table(doc, ["身份", "姓名或名称", "证件号码", "性别", "年龄", "联系电话", "住所或单位"],
          ["{{ p.side }}", "{{ p.name }}", "{{ p.id_number }}", "{{ p.gender }}", "{{ p.age }}", "{{ p.phone }}",
           "{{ p.address }}"], widths_mm=[20, 26, 36, 10, 10, 24, 30], loop="p in c.parties")
    para(doc, "纠纷简要情况", style="FQ Heading 1", indent=False)
    para(doc, "{{ c.facts }}")
    para(doc, "当事人请求事项", style="FQ Heading 1", indent=False)
    para(doc, "{{ c.requests_text }}")
    _signatures(doc, "签名")
    _line(doc, "登记人（签名）：＿＿＿＿＿＿（{{ c.registrar }}）")
    para(doc, "{{ c.org }}（印）", style="FQ Right", indent=False)


def _notice(doc):
    _title(doc, "人民调解权利义务告知书")
    para(doc, "{{ c.number }}", style="FQ Right", indent=False)
    para(doc, "根据《中华人民共和国人民调解法》第二十三条、第二十四条，现将当事人在人民调解活动中享有的权利和"
              "承担的义务告知如下。人民调解不收取任何费用；调解不妨碍当事人通过仲裁、行政、司法等途径维护自己的权利。")
    para(doc, "一、当事人享有的权利", style="FQ Heading 1", indent=False)
    for line in RIGHTS:
        para(doc, line)
    para(doc, "二、当事人承担的义务", style="FQ Heading 1", indent=False)
    for line in DUTIES:
        para(doc, line)
    para(doc, "以上内容已于{{ c.notice_given }}告知，当事人已知晓。")
    _signatures(doc, "签名")
    _line(doc, "告知人（人民调解员）：＿＿＿＿＿＿（{{ c.mediators }}）")
    para(doc, "{{ c.org }}（印）", style="FQ Right", indent=False)


def _investigation(doc):
    _title(doc, "人民调解调查记录")
    para(doc, "{{ c.number }}", style="FQ Right", indent=False)
    _line(doc, "时间：{{ r.held_at }}")
    _line(doc, "地点：{{ r.place }}")
    _line(doc, "调查人：{{ r.staff }}　　记录人：{{ r.recorder }}")
    _line(doc, "被调查人：{{ r.persons }}")
    para(doc, "调查内容：", style="FQ Heading 1", indent=False)
    para(doc, "{{ r.content }}")
    para(doc, "{%p if r.facts_verified %}", indent=False)
    para(doc, "查明的事实：{{ r.facts_verified }}")
    para(doc, "{%p endif %}", indent=False)
    _line(doc, "被调查人（签名）：＿＿＿＿＿＿　调查人（签名）：＿＿＿＿＿＿　记录人（签名）：＿＿＿＿＿＿")


def _session(doc):
    _title(doc, "人民调解记录")
    para(doc, "{{ c.number }}", style="FQ Right", indent=False)
    _line(doc, "时间：{{ r.held_at }}")
    _line(doc, "地点：{{ r.place }}")
    _line(doc, "事由：{{ c.category }}")
    _line(doc, "调解员：{{ r.staff }}　　记录人：{{ r.recorder }}")
    _line(doc, "邀请协助调解人员：{{ r.helpers }}")
    _line(doc, "到场当事人：{{ r.persons }}")
    para(doc, "调解员已告知当事人在调解活动中享有的权利和承担的义务（{{ c.notice_given }}）。")
    para(doc, "各方陈述：", style="FQ Heading 1", indent=False)
    para(doc, "{{ r.content }}")
    para(doc, "查明的事实：", style="FQ Heading 1", indent=False)
    para(doc, "{{ r.facts_verified }}")
    para(doc, "风险提示：", style="FQ Heading 1", indent=False)
    para(doc, "{{ r.risks_explained }}")
    para(doc, "调解结果：", style="FQ Heading 1", indent=False)
    para(doc, "{{ r.result }}")
    para(doc, "以上记录已向当事人宣读，当事人确认无误。")
    _signatures(doc, "签名")
    _line(doc, "调解员（签名）：＿＿＿＿＿＿　记录人（签名）：＿＿＿＿＿＿")


def _agreement(doc):
    _title(doc, "人民调解协议书")
    para(doc, "{{ c.number }}", style="FQ Right", indent=False)
    _parties(doc)
    para(doc, "纠纷主要事实、争议事项：", style="FQ Heading 1", indent=False)
    para(doc, "{{ a.matters }}")
    para(doc, "各方当事人的责任：", style="FQ Heading 1", indent=False)
    para(doc, "{{ a.responsibility }}")
    para(doc, "经人民调解，各方当事人自愿达成如下协议：", style="FQ Heading 1", indent=False)
    para(doc, "{{ a.terms }}")
    para(doc, "履行方式、时限：", style="FQ Heading 1", indent=False)
    para(doc, "{{ a.performance }}{{ a.performance_due }}")
    para(doc, "本协议一式{{ a.copies }}份，当事人各执一份，人民调解委员会留存一份。本协议自各方当事人签名、盖章或者"
              "按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。当事人可以自本协议生效之日起三十日内"
              "共同向人民法院申请司法确认。")
    # signature lines: a blank, or (docgen/signing.py) the image signed on screen with its time
    para(doc, "{%p for p in c.parties %}", indent=False)
    _line(doc, "{{ p.side }}（签名、盖章或者按指印）：{{ p.sign }}（{{ p.name }}）{{ p.signed_note }}")
    para(doc, "{%p endfor %}", indent=False)
    _line(doc, "人民调解员（签名）：{{ a.mediator_sign }}（{{ c.mediators }}）{{ a.mediator_note }}")
    para(doc, "{{ c.org }}（印）", style="FQ Right", indent=False)
    para(doc, "{{ a.effective_on }}", style="FQ Right", indent=False)
    para(doc, "{%p if a.sha256 %}", indent=False)
    _line(doc, "协议文本 SHA-256：{{ a.sha256 }}")
    para(doc, "{%p endif %}", indent=False)


def _oral_agreement(doc):
    _title(doc, "口头调解协议登记表")
    para(doc, "{{ c.number }}", style="FQ Right", indent=False)
    _parties(doc)
    para(doc, "纠纷主要事实、争议事项：", style="FQ Heading 1", indent=False)
    para(doc, "{{ a.matters }}")
    para(doc, "口头协议内容：", style="FQ Heading 1", indent=False)
    para(doc, "{{ a.terms }}")
    para(doc, "履行方式、时限：", style="FQ Heading 1", indent=False)
    para(doc, "{{ a.performance }}{{ a.performance_due }}")
    para(doc, "各方当事人认为无需制作调解协议书，于{{ a.effective_on }}达成口头协议，口头协议自达成之日起生效。")
    _line(doc, "登记人（人民调解员）：＿＿＿＿＿＿（{{ c.mediators }}）")
    para(doc, "{{ c.org }}（印）", style="FQ Right", indent=False)


def _follow_up(doc):
    _title(doc, "人民调解回访记录")
    para(doc, "{{ c.number }}", style="FQ Right", indent=False)
    t = table(doc, ["项目", "内容"], ["案号", "{{ c.number }}"], widths_mm=[40, 116])
    from docgen.styles import add_row

    for label, value in (("回访日期", "{{ v.visited_on }}"), ("回访方式", "{{ v.way }}"),
                         ("回访对象", "{{ v.visited_person }}"), ("协议履行情况", "{{ v.performance }}"),
                         ("回访情况", "{{ v.notes }}")):
        add_row(t, [label, value])
    _line(doc, "回访人（签名）：＿＿＿＿＿＿（{{ v.visitor }}）")


def _page_break(doc):
    doc.add_page_break()


def build_case_file(doc):
    _title(doc, "人民调解卷宗")
    for label, value in (("调解组织", "{{ c.org }}"), ("卷宗名称", "{{ c.file_title }}"), ("卷宗编号", "{{ c.number }}"),
                         ("人民调解员", "{{ c.mediators }}"), ("调解日期", "{{ c.mediation_dates }}"),
                         ("结案方式", "{{ c.outcome }}"), ("立卷人", "{{ c.filed_by }}"), ("立卷日期", "{{ c.filed_on }}"),
                         ("保管期限", "{{ c.retention }}")):
        _line(doc, label + "：" + value)
    _page_break(doc)
    _title(doc, "卷内目录")
    table(doc, ["序号", "文书名称", "页号", "备注"], ["{{ t.no }}", "{{ t.title }}", "{{ t.page }}", "{{ t.remarks }}"],
          widths_mm=[16, 80, 20, 40], loop="t in contents")
    # The parts in the order of DOMAIN.md §3; each part present is printed, the rest are listed as absent.
    parts = [
        ("show_application", _application_or_intake),
        ("show_notice", _notice),
        ("show_identity", lambda d: _scans(d, "身份证明", "identity")),
        ("show_attorney", lambda d: _scans(d, "授权委托书", "attorney")),
        ("show_investigations", _investigations),
        ("show_evidence", lambda d: _scans(d, "证据材料", "evidence")),
        ("show_sessions", _sessions),
        ("show_agreement", _agreement),
        ("show_oral_agreement", _oral_agreement),
        ("show_receipts", lambda d: _scans(d, "履行凭证", "receipts")),
        ("show_follow_ups", _follow_ups),
        ("show_confirmation", _confirmation),
        ("show_file_note", _file_note),
    ]
    for flag, builder in parts:
        para(doc, "{%p if " + flag + " %}", indent=False)
        _page_break(doc)
        builder(doc)
        para(doc, "{%p endif %}", indent=False)
    _page_break(doc)
    _title(doc, "卷宗封底")
    _line(doc, "本卷共{{ c.parts_count }}件材料。")
    _line(doc, "立卷人：{{ c.filed_by }}　　检查人：＿＿＿＿＿＿")
    _line(doc, "立卷日期：{{ c.filed_on }}")
    para(doc, "{{ c.org }}（印）", style="FQ Right", indent=False)


def _application_or_intake(doc):
    _application(doc)
    _page_break(doc)
    _intake(doc)


def _scans(doc, title, key):
    _title(doc, title)
    para(doc, "{%p for s in scans." + key + " %}", indent=False)
    _line(doc, "{{ s }}")
    para(doc, "{%p endfor %}", indent=False)


def _investigations(doc):
    para(doc, "{%p for r in investigations %}", indent=False)
    _investigation(doc)
    para(doc, "{%p endfor %}", indent=False)


def _sessions(doc):
    para(doc, "{%p for r in sessions %}", indent=False)
    _session(doc)
    para(doc, "{%p endfor %}", indent=False)


def _follow_ups(doc):
    para(doc, "{%p for v in follow_ups %}", indent=False)
    _follow_up(doc)
    para(doc, "{%p endfor %}", indent=False)


def _confirmation(doc):
    _title(doc, "司法确认材料")
    _line(doc, "申请日期：{{ j.applied_on }}")
    _line(doc, "受理法院：{{ j.court }}")
    _line(doc, "法院案号：{{ j.court_number }}")
    _line(doc, "确认结果：{{ j.result }}　{{ j.decided_on }}")
    para(doc, "{%p for s in scans.confirmation %}", indent=False)
    _line(doc, "{{ s }}")
    para(doc, "{%p endfor %}", indent=False)


def _file_note(doc):
    _title(doc, "卷宗情况说明")
    para(doc, "{{ c.file_note }}")


def build_evaluation(doc):
    _title(doc, "{{ who }}人民调解工作评估报告")
    para(doc, "（{{ period }}）", style="FQ Centre", indent=False)
    para(doc, "{{ scope }}统计期间为{{ start }}至{{ end }}。受理数按受理日期统计，其余指标按结案日期统计。")
    para(doc, "一、总体指标", style="FQ Heading 1", indent=False)
    table(doc, ["指标", "数值"], ["{{ f.label }}", "{{ f.value }}"], widths_mm=[90, 66], loop="f in totals")
    for n, (title, key) in enumerate((("二、按纠纷类型", "by_category"), ("三、按案件来源", "by_source"),
                                      ("四、按调解员", "by_mediator"))):
        para(doc, title, style="FQ Heading 1", indent=False)
        table(doc, ["分组", "受理", "调结", "成功", "成功率", "回访率", "履行率", "按期率"],
              ["{{ g.name }}", "{{ g.received }}", "{{ g.concluded }}", "{{ g.succeeded }}", "{{ g.success }}",
               "{{ g.follow_up }}", "{{ g.fulfilment }}", "{{ g.in_time }}"],
              widths_mm=[40, 16, 16, 16, 18, 18, 16, 16], loop="g in " + key)
    para(doc, "五、调解不成和未履行案件分析及整改措施", style="FQ Heading 1", indent=False)
    table(doc, ["案号", "结果", "原因", "整改措施", "责任人", "期限", "落实"],
          ["{{ m.number }}", "{{ m.outcome }}", "{{ m.reason }}", "{{ m.measure }}", "{{ m.owner }}", "{{ m.due }}",
           "{{ m.done }}"], widths_mm=[30, 18, 24, 40, 16, 16, 16], loop="m in failures")
    para(doc, "{{ who }}（印）", style="FQ Right", indent=False)
    para(doc, "{{ today }}", style="FQ Right", indent=False)


TEMPLATES = {
    "mediation_evaluation.docx": (build_evaluation, {}),
    "mediation_agreement.docx": (_agreement, {}),
    "mediation_oral_agreement.docx": (_oral_agreement, {}),
    "mediation_application.docx": (_application, {}),
    "mediation_intake.docx": (_intake, {}),
    "mediation_notice.docx": (_notice, {}),
    "mediation_investigation.docx": (_investigation, {}),
    "mediation_session.docx": (_session, {}),
    "mediation_follow_up.docx": (_follow_up, {}),
    "mediation_case_file.docx": (build_case_file, {}),
}


# ---------------------------------------------------------------- contexts


def _party(p, day):
    bits = []
    if p.kind == "organisation":
        bits += [f"统一社会信用代码{p.id_number}" if p.id_number else ""]
    else:
        age = p.age_on(day)
        bits += [p.gender_label, p.ethnicity or "", f"{age}岁" if age is not None else "",
                 f"身份证号{p.id_number}" if p.id_number else ""]
    bits += [p.occupation or "", f"住所：{p.address}" if p.address else "", f"电话：{p.phone}" if p.phone else ""]
    details = "，".join(b for b in bits if b)
    age = p.age_on(day)
    return {"side": p.side_label, "name": p.name, "details": f"，{details}" if details else "",
            "sign": BLANK, "signed_note": "",
            "agent": p.agent or "", "id_number": p.id_number or "", "gender": p.gender_label,
            "age": str(age) if age is not None else "", "phone": p.phone or "", "address": p.address or ""}


def case_context(case):
    requests = [line.strip() for line in (case.requests or "").splitlines() if line.strip()]
    dates = [r.held_at.date() for r in case.records]
    mediation_dates = ""
    if dates:
        mediation_dates = f"{cn_date(min(dates))}至{cn_date(case.concluded_on or max(dates))}"
    names = "、".join(p.name for p in case.parties)
    return {
        "number": case.number, "org": case.contractor.name, "category": case.category_label,
        "source": case.source_label + (f"（{case.source_body}" + (f"，{case.source_ref}" if case.source_ref else "")
                                       + "）" if case.source_body else ""),
        "area": f"{case.area_unit.area_name}{case.township or ''}",
        "amount": f"{amount_in_words(case.amount)}（{yuan(case.amount)}）" if case.amount is not None else "",
        "contract": case.contract.number if case.contract else "无",
        "received": cn_date(case.received_on), "facts": case.facts, "requests": requests,
        "requests_text": case.requests or "", "parties": [_party(p, case.received_on) for p in case.parties],
        "registrar": case.registered_by.display_name if case.registered_by else "",
        "mediators": case.mediator_names, "notice_given": cn_date(case.notice_given_on),
        "file_title": f"{names}{case.category_label}纠纷", "mediation_dates": mediation_dates,
        "outcome": case.outcome_label, "filed_by": case.archived_by.display_name if case.archived_by else "",
        "filed_on": cn_date(case.archived_on), "retention": case.retention_label,
        "file_note": case.file_note or "", "parts_count": "",
    }


def agreement_context(agreement):
    return {"matters": agreement.matters, "responsibility": agreement.responsibility, "terms": agreement.terms,
            "performance": agreement.performance,
            "performance_due": f"（{cn_date(agreement.performance_due)}前履行完毕）" if agreement.performance_due else "",
            "effective_on": cn_date(agreement.effective_on), "copies": str(len(agreement.case.parties) + 1),
            "mediator_sign": BLANK, "mediator_note": "", "sha256": ""}


def record_context(r):
    return {"held_at": f"{cn_date(r.held_at)} {r.held_at:%H:%M}", "place": r.place, "staff": r.staff,
            "recorder": r.recorder, "persons": r.persons, "helpers": r.helpers, "content": r.content,
            "facts_verified": r.facts_verified, "risks_explained": r.risks_explained, "result": r.result}


def follow_up_context(v):
    return {"visited_on": cn_date(v.visited_on), "way": v.way_label, "visited_person": v.visited_person,
            "performance": v.performance_label, "notes": v.notes, "visitor": v.visitor}


def _name(prefix):
    return lambda obj: f"{prefix}-{getattr(obj, 'case', obj).number}.docx"


@register("mediation_application", "mediation_application.docx", _name("调解申请书"))
def application_doc(case):
    return {"c": case_context(case)}


@register("mediation_intake", "mediation_intake.docx", _name("受理登记表"))
def intake_doc(case):
    return {"c": case_context(case)}


@register("mediation_notice", "mediation_notice.docx", _name("权利义务告知书"))
def notice_doc(case):
    return {"c": case_context(case)}


@register("mediation_investigation", "mediation_investigation.docx", _name("调查记录"))
def investigation_doc(record):
    return {"c": case_context(record.case), "r": record_context(record)}


@register("mediation_session", "mediation_session.docx", _name("调解记录"))
def session_doc(record):
    return {"c": case_context(record.case), "r": record_context(record)}


@register("mediation_agreement", "mediation_agreement.docx", _name("调解协议书"))
def agreement_doc(case):
    return {"c": case_context(case), "a": agreement_context(case.agreement)}


@register("mediation_oral_agreement", "mediation_oral_agreement.docx", _name("口头调解协议登记表"))
def oral_agreement_doc(case):
    return {"c": case_context(case), "a": agreement_context(case.agreement)}


@register("mediation_follow_up", "mediation_follow_up.docx", _name("回访记录"))
def follow_up_doc(v):
    return {"c": case_context(v.case), "v": follow_up_context(v)}


SCAN_KEYS = {3: "identity", 4: "attorney", 6: "evidence", 9: "receipts", 11: "confirmation"}


@register("mediation_case_file", "mediation_case_file.docx", _name("卷宗"))
def case_file_doc(case):
    c = case_context(case)
    scans = {key: [] for key in SCAN_KEYS.values()}
    for item in case.file_items:
        if item.part in SCAN_KEYS:
            label = item.attachment.filename if item.attachment else "签字原件"
            when = f"（{cn_date(item.signed_on)}归档）" if item.signed_on else ""
            scans[SCAN_KEYS[item.part]].append(f"{label}{when}{'：' + item.note if item.note else ''}")
    scans["evidence"] += [f"{r.evidence.filename}（{r.kind_label}所附）" for r in case.records if r.evidence_id]
    agreement = case.agreement
    shown = {
        1: True, 2: case.notice_given_on is not None, 3: bool(scans["identity"]), 4: bool(scans["attorney"]),
        5: bool(case.investigations), 6: bool(scans["evidence"]), 7: bool(case.sessions), 8: agreement is not None,
        9: bool(scans["receipts"]), 10: bool(case.follow_ups), 11: case.confirmation is not None or bool(
            scans["confirmation"]), 12: bool(case.file_note), 13: True,
    }
    contents, no = [], 0
    for row in case.checklist():
        if shown[row["part"]]:
            no += 1
            contents.append({"no": str(no), "title": row["title"], "page": "",
                             "remarks": "已签字归档" if row["signed"] else ""})
    c["parts_count"] = str(no)
    j = case.confirmation
    return {
        "c": c, "contents": contents, "scans": scans,
        "a": agreement_context(agreement) if agreement else {},
        "investigations": [record_context(r) for r in case.investigations],
        "sessions": [record_context(r) for r in case.sessions],
        "follow_ups": [follow_up_context(v) for v in case.follow_ups],
        "j": {"applied_on": cn_date(j.applied_on), "court": j.court, "court_number": j.court_number,
              "result": j.result_label, "decided_on": cn_date(j.decided_on)} if j else {},
        "show_application": True, "show_notice": shown[2], "show_identity": shown[3], "show_attorney": shown[4],
        "show_investigations": shown[5], "show_evidence": shown[6], "show_sessions": shown[7],
        "show_agreement": agreement is not None and agreement.kind == "written",
        "show_oral_agreement": agreement is not None and agreement.kind == "oral",
        "show_receipts": shown[9], "show_follow_ups": shown[10], "show_confirmation": shown[11],
        "show_file_note": shown[12],
    }


@register("mediation_evaluation", "mediation_evaluation.docx", lambda r: f"调解评估报告-{r.period_label}.docx")
def evaluation_doc(report):
    from models import clock
    from services.mediation_exports import FIGURE_ROWS, reason, show

    total = report.figures["total"]

    def group(name, f):
        return {"name": name, "received": str(f["received"]), "concluded": str(f["concluded"]),
                "succeeded": str(f["succeeded"]), "success": show(f["success_rate"], "%"),
                "follow_up": show(f["follow_up_rate"], "%"), "fulfilment": show(f["fulfilment_rate"], "%"),
                "in_time": show(f["in_time_rate"], "%")}

    failures = []
    for case in total["failed_cases"] + total["unfulfilled_cases"]:
        measures = [m for m in report.measures if m.case_id == case.id] or [None]
        for m in measures:
            failures.append({"number": case.number, "outcome": case.outcome_label, "reason": reason(case),
                             "measure": f"{m.cause}；{m.measure}" if m else "", "owner": m.owner if m else "",
                             "due": cn_date(m.due_on) if m else "", "done": (m.done_note or "") if m else ""})
    return {
        "who": report.user_label, "period": report.period_label, "start": cn_date(report.start),
        "end": cn_date(report.end), "scope": f"合同{report.contract.number}。" if report.contract else "",
        "totals": [{"label": label, "value": show(total[key], suffix)} for key, label, suffix in FIGURE_ROWS],
        "by_category": [group(n, f) for n, f in report.figures["by_category"]],
        "by_source": [group(n, f) for n, f in report.figures["by_source"]],
        "by_mediator": [group(n, f) for n, f in report.figures["by_mediator"]],
        "failures": failures, "today": cn_date(clock.today()),
    }
