"""What a third-party evaluator sees of a sampled case or subject: structured facts only, de-identified.

No names, ID numbers, phones, addresses and no free text (facts, records, notes may hold any of them).
A phone is shown only by `reveal_phone`, one at a time, for a person who agreed to be contacted, and
every reveal is written to the audit log.
"""
from flask_login import current_user

from extensions import db
from models.base import NotAllowed
from services import audit


def _age_band(birth, on):
    if birth is None:
        return "—"
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    low = age // 10 * 10
    return f"{low}-{low + 9} 岁"


def _contacts(sample):
    """The people of a sample who might be called back, numbered from 1 (the number is all the page shows)."""
    if sample.kind == "case" and sample.case is not None:
        return list(sample.case.parties)
    if sample.kind == "subject" and sample.subject is not None:
        return [sample.subject]
    return []


def deidentified(sample):
    ev = sample.evaluation
    on = ev.period_end
    facts, people = [], []
    if sample.kind == "case" and sample.case is not None:
        c = sample.case
        facts = [("纠纷类型", c.category_label), ("案件来源", c.source_label), ("受理日期", c.received_on),
                 ("办理状态", c.status_label), ("调解结果", c.outcome_label or "办理中"),
                 ("结案日期", c.concluded_on or "—"),
                 ("办理天数", (c.concluded_on - c.received_on).days if c.concluded_on else "—"),
                 ("回访次数", len(c.follow_ups)),
                 ("最近回访履行情况", c.follow_ups[-1].performance_label if c.follow_ups else "—"),
                 ("卷宗归档", "已归档" if c.archived_on else "未归档")]
        for n, p in enumerate(_contacts(sample), 1):
            people.append({"no": n, "role": f"{p.side_label}（{p.kind_label}）",
                           "about": " · ".join(x for x in (p.gender_label, _age_band(p.birth_date, on)
                                                           if p.kind == "person" else "") if x),
                           "contact_ok": bool(p.contact_ok and p.phone)})
    elif sample.kind == "subject" and sample.subject is not None:
        s = sample.subject
        records = [r for r in s.records if ev.period_start <= r.on <= ev.period_end]
        facts = [("释放或解除方式", s.exit_type_label), ("状态", s.status_label),
                 ("重新犯罪风险", s.risk_label or "未评估"), ("帮教小组", "已成立" if s.group else "未成立"),
                 ("评价期间服务记录", f"{len(records)} 条"), ("安置情况", s.resettlement_label),
                 ("最近一次联系", s.last_contact or "—")]
        people.append({"no": 1, "role": "帮教对象", "about": " · ".join((s.sex, _age_band(s.birth_date, on))),
                       "contact_ok": bool(s.contact_ok and s.phone)})
    return {"facts": facts, "people": people}


def reveal_phone(sample, contact_no):
    """The phone of the sample's person number `contact_no`: 404 if no such person, 403 without consent."""
    from flask import abort

    contacts = _contacts(sample)
    if not 1 <= contact_no <= len(contacts):
        abort(404)
    person = contacts[contact_no - 1]
    if not (person.contact_ok and person.phone):
        raise_forbidden("该当事人未同意接受回访，不能查看联系电话")
    audit.record(db.session, "reveal_phone", record=person, user=current_user,
                 detail=f"evaluation={sample.evaluation_id};sample={sample.id}")
    return person.phone


def raise_forbidden(message):
    from services.web import refuse

    refuse(NotAllowed(message))
