"""What happens to a case, step by step: intake, assignment, records, outcomes, follow-up, the file.

A mixin of models.mediation.case.MediationCase: each method checks the transition first (DESIGN.md §4).
"""
from datetime import timedelta

from sqlalchemy import select

from extensions import db
from models import clock
from models.base import NotAllowed, RuleError, TransitionError
from models.mediation.agreement import Agreement, FollowUp, JudicialConfirmation
from models.mediation.codes import code_table
from models.mediation.numbering import format_number, take_number
from models.mediation.parties import Assignment, Party
from models.mediation.records import CaseRecord, FileItem, PoliceReport
from models.mediation_codes import (FILE_PARTS, FOLLOW_UP_WAYS, JUDICIAL_RESULTS, PERFORMANCE, RECORD_KINDS, REFERRED,
                                    REQUIRED_PARTS, RETENTION, ROUTES, SCAN_PARTS, SOURCES)
from models.setting import Setting


def _blank(value):
    return not (value or "").strip()



class CaseWorkflow:
    """The transitions of a case (mixed into MediationCase)."""

    # ---- intake
    @classmethod
    def check_intake(cls, user, fields, parties, contract=None):
        """Rules on an intake before a number is taken; raises RuleError naming the field."""
        if user.role not in ("contractor", "worker") or user.contractor_id is None:
            raise NotAllowed("只有调解组织的调解员或管理员可以登记案件")
        if fields.get("source") not in SOURCES:
            raise RuleError("请选择案件来源", field="source")
        if fields["source"] in REFERRED and _blank(fields.get("source_body")):
            raise RuleError("移送、委托的案件请填写移送单位", field="source_body")
        if fields.get("category") not in code_table("category"):
            raise RuleError("请选择纠纷类型", field="category")
        received = fields.get("received_on")
        if received is None or received > clock.today():
            raise RuleError("受理日期不能晚于今天", field="received_on")
        if fields.get("amount") is not None and fields["amount"] < 0:
            raise RuleError("争议金额不能为负数", field="amount")
        if _blank(fields.get("facts")):
            raise RuleError("请填写纠纷简要情况", field="facts")
        if contract is not None:
            if contract.contractor_id != user.contractor_id or contract.category != "mediation":
                raise RuleError("只能选择本机构的人民调解服务合同", field="contract_id")
        if not any(p["side"] == "applicant" for p in parties):
            raise RuleError("请至少填写一名申请人（当事人）", field="parties")
        if not any(p["side"] == "respondent" for p in parties):
            raise RuleError("请至少填写一名被申请人（对方当事人）", field="parties")

    @classmethod
    def register(cls, user, fields, parties, contract=None, seq=None):
        """Register a case (受理登记) with the next number of its organisation and year.

        fields: the case's columns; parties: [dict of Party columns]. Without `seq` the number is taken
        here, which must then be the transaction's first write (see take_number); `intake()` does that.
        """
        from models.contractor import Contractor
        cls.check_intake(user, fields, parties, contract)
        received = fields["received_on"]
        if seq is None:
            seq = take_number(user.contractor_id, received.year)
        org = db.session.get(Contractor, user.contractor_id)
        number = format_number(org, received.year, seq)
        if db.session.scalar(select(cls.id).where(cls.number == number)) is not None:
            # Only history can clash (an imported number, a code changed back); say so instead of failing.
            raise TransitionError(f"案号{number}已被其他案件使用，请联系住所地司法局修改本机构的案件编号代字")
        case = cls(contractor_id=org.id, contract_id=contract.id if contract else None, year=received.year,
                   seq=seq, number=number, registered_by_id=user.id,
                   due_on=received + timedelta(days=Setting.get("mediation.time_limit_days")), **fields)
        case.parties = [Party(**p) for p in parties]
        db.session.add(case)
        return case

    def import_outcome(self, outcome, concluded_on, terms=""):
        """A historical case from an import: its outcome as the paper file records it (nothing to replay)."""
        if outcome is None:
            return
        if outcome in ("written", "oral"):
            self.status = self.outcome = "succeeded"
            self.agreement = Agreement(kind=outcome, matters=self.facts, terms=terms or "（见纸质卷宗）",
                                       effective_on=concluded_on)
        else:
            self.status = self.outcome = outcome
            self.fail_reason = "other" if outcome == "failed" else None
            self.file_note = "历史案件导入，情况见纸质卷宗。" if outcome in ("withdrawn", "refused") else None
        self.concluded_on = concluded_on

    # ---- assignment and notice
    def assign(self, user, staff_members):
        """The contractor's admin (re)assigns mediators; the history keeps who was assigned when."""
        if not self.is_org_admin(user):
            raise NotAllowed("只有本机构管理员可以指派调解员")
        self.state_check("assign")
        today = clock.today()
        if not staff_members:
            raise RuleError("请至少选择一名调解员", field="staff_ids")
        for m in staff_members:
            if m.contractor_id != self.contractor_id or not m.may_mediate_on(today):
                raise RuleError(f"{m.name}今天不能承办调解案件（须为持有有效证书的调解员）", field="staff_ids")
        chosen = {m.id for m in staff_members}
        for a in self.current_assignments:
            if a.staff_member_id not in chosen:
                a.ended_on = today
        current = {a.staff_member_id for a in self.current_assignments}
        for m in staff_members:
            if m.id not in current:
                self.assignments.append(Assignment(staff_member=m, assigned_on=today, assigned_by_id=user.id))

    def may_take(self, user):
        """A certified mediator who registered the case may take it while no mediator has it (由我承办)."""
        member = user.staff_member if user.role == "worker" else None
        return (member is not None and user.id == self.registered_by_id and member.contractor_id == self.contractor_id
                and member.may_mediate_on(clock.today()) and self.is_open and not self.is_archived
                and not self.current_assignments)

    def take(self, user):
        """The registering mediator takes the case; the admin may reassign it later (the history keeps both)."""
        if not self.may_take(user):
            raise NotAllowed("只有登记本案、持有有效证书的调解员可以承办尚未指派的案件")
        self.state_check("assign")
        self.assignments.append(Assignment(staff_member_id=user.staff_member_id, assigned_on=clock.today(),
                                           assigned_by_id=user.id))

    def give_notice(self, user, given_on):
        """The notice of rights and duties (art. 23-24) is given before mediation starts."""
        self._require_worker(user)
        self.state_check("notice")
        if given_on is None or given_on > clock.today() or given_on < self.received_on:
            raise RuleError("告知日期须在受理日期和今天之间", field="given_on")
        self.notice_given_on = given_on

    # ---- records
    def add_record(self, user, kind, fields, evidence=None, late_reason=None):
        """An investigation or mediation session record; the case moves on to investigating / mediating."""
        self._require_worker(user)
        self.state_check("record")
        if kind not in RECORD_KINDS:
            raise RuleError("请选择记录类型", field="kind")
        if not self.current_assignments:
            raise RuleError("请先由本机构管理员指派调解员，或由登记本案的调解员点击“由我承办”", field="kind")
        held = fields.get("held_at")
        if held is None or held.date() > clock.today() or held.date() < self.received_on:
            raise RuleError("时间须在受理日期和今天之间", field="held_at")
        if _blank(fields.get("content")):
            raise RuleError("请填写记录内容", field="content")
        if kind == "session" and self.notice_given_on is None:
            raise RuleError("调解开始前须告知当事人权利义务并记录", field="kind")
        log_late = self._quarter_gate(held.date(), late_reason, user, "case_record")
        record = CaseRecord(kind=kind, evidence=evidence, created_by_id=user.id, **fields)
        self.records.append(record)
        log_late(record)
        if kind == "investigation" and self.status == "registered":
            self.status = "investigating"
        if kind == "session":
            self.status = "mediating"
        return record

    # ---- outcomes
    def _end(self, outcome, on, user, late_reason):
        if on is None or on > clock.today() or on < self.received_on:
            raise RuleError("结案日期须在受理日期和今天之间", field="concluded_on")
        log_late = self._quarter_gate(on, late_reason, user, "mediation_case")
        self.status = self.outcome = outcome
        self.concluded_on = on
        log_late(self)

    def refuse(self, user, note, on=None, late_reason=None):
        """A party clearly refuses mediation (law art. 17): no mediation, the case ends as refused."""
        self._require_worker(user)
        self._require_registered()
        if _blank(note):
            raise RuleError("请说明哪一方当事人拒绝调解及情况", field="note")
        self._end("refused", on or clock.today(), user, late_reason)
        self.file_note = note

    def withdraw(self, user, note, on=None, late_reason=None):
        self._require_worker(user)
        self.state_check("withdraw")
        if _blank(note):
            raise RuleError("请说明撤回的情况", field="note")
        self._end("withdrawn", on or clock.today(), user, late_reason)
        self.file_note = note

    def _require_mediated(self):
        self._require_unlocked()
        if self.status != "mediating":
            raise TransitionError("只有调解中的案件可以结案（须先有调解记录）")

    def succeed(self, user, kind, fields, late_reason=None):
        """Succeeded with a written or oral agreement; it takes effect on `effective_on`."""
        self._require_worker(user)
        self._require_mediated()
        if kind not in ("written", "oral"):
            raise RuleError("请选择协议形式", field="agreement_kind")
        for name, label in (("matters", "纠纷事项"), ("terms", "协议内容")):
            if _blank(fields.get(name)):
                raise RuleError(f"请填写{label}", field=name)
        effective = fields.get("effective_on")
        if effective is None:
            raise RuleError("请填写协议生效日期", field="effective_on")
        due = fields.get("performance_due")
        if due is not None and due < effective:
            raise RuleError("履行期限不能早于协议生效日期", field="performance_due")
        try:
            self._end("succeeded", effective, user, late_reason)
        except RuleError as e:
            raise RuleError(e.message, field=e.field if e.field == "late_reason" else "effective_on") from None
        self.agreement = Agreement(kind=kind, created_by_id=user.id, **fields)
        return self.agreement

    def fail(self, user, reason, routes, note, on=None, late_reason=None):
        """Mediation failed: the reason, and the routes the parties were told (law art. 26)."""
        self._require_worker(user)
        self._require_mediated()
        if reason not in code_table("fail_reason"):
            raise RuleError("请选择调解不成的原因", field="fail_reason")
        if not routes or any(r not in ROUTES for r in routes):
            raise RuleError("请选择已告知当事人的其他解决途径", field="routes")
        self._end("failed", on or clock.today(), user, late_reason)
        self.fail_reason, self.routes, self.outcome_note = reason, ",".join(routes), note or None

    def extend(self, user, until, consent):
        """Beyond the time limit only with the parties' consent, recorded."""
        self._require_worker(user)
        self.state_check("extend")
        if until is None or until <= self.due_on:
            raise RuleError("延长后的期限须晚于当前期限", field="until")
        if _blank(consent):
            raise RuleError("延长调解期限须记录当事人同意的情况", field="consent")
        self.due_on, self.extension_consent = until, consent

    def report_to_police(self, user, fields):
        """A dispute that may turn violent or criminal is reported to the police (law art. 25)."""
        self._require_worker(user)
        self._require_unlocked()
        if _blank(fields.get("reported_to")):
            raise RuleError("请填写报告的公安机关", field="reported_to")
        if fields.get("reported_at") is None or fields["reported_at"] > clock.now():
            raise RuleError("请填写报告时间（不能晚于现在）", field="reported_at")
        if _blank(fields.get("content")):
            raise RuleError("请填写报告内容", field="content")
        report = PoliceReport(created_by_id=user.id, **fields)
        self.police_reports.append(report)
        return report

    # ---- after the agreement
    def add_follow_up(self, user, fields, late_reason=None):
        self._require_worker(user)
        self._require_succeeded()
        visited = fields.get("visited_on")
        if visited is None or visited > clock.today() or visited < self.agreement.effective_on:
            raise RuleError("回访日期须在协议生效之后、不晚于今天", field="visited_on")
        if fields.get("way") not in FOLLOW_UP_WAYS:
            raise RuleError("请选择回访方式", field="way")
        if fields.get("performance") not in PERFORMANCE:
            raise RuleError("请选择协议履行情况", field="performance")
        if _blank(fields.get("visited_person")):
            raise RuleError("请填写回访对象", field="visited_person")
        log_late = self._quarter_gate(visited, late_reason, user, "follow_up")
        follow_up = FollowUp(created_by_id=user.id, **fields)
        self.follow_ups.append(follow_up)
        log_late(follow_up)
        return follow_up

    def record_confirmation(self, user, fields):
        """Judicial confirmation (art. 33): applied jointly within 30 days of the agreement's effect."""
        self._require_worker(user)
        self._require_written_agreement()
        applied = fields.get("applied_on")
        if applied is None or applied < self.agreement.effective_on or applied > clock.today():
            raise RuleError("申请日期须在协议生效之后、不晚于今天", field="applied_on")
        if applied > self.confirmation_deadline():
            raise RuleError(f"已超过协议生效后 30 日的申请期限（{self.confirmation_deadline():%Y-%m-%d}）",
                            field="applied_on")
        if _blank(fields.get("court")):
            raise RuleError("请填写受理法院", field="court")
        if fields.get("result") not in JUDICIAL_RESULTS:
            raise RuleError("请选择确认结果", field="result")
        if self.confirmation is None:
            self.confirmation = JudicialConfirmation(**fields)
        else:
            for k, v in fields.items():
                setattr(self.confirmation, k, v)
        return self.confirmation

    # ---- the file and archiving
    def file_item(self, part):
        return [f for f in self.file_items if f.part == part]

    def add_file_item(self, user, part, attachment=None, signed_on=None, note=None):
        """A scan for a part of the file, or the clerk's mark "signed original filed" with its date."""
        self._require_worker(user)
        self._require_unlocked()
        if part not in dict(FILE_PARTS):
            raise RuleError("请选择卷宗材料", field="part")
        if attachment is None and signed_on is None:
            raise RuleError("请上传扫描件或填写签字原件归档日期", field="signed_on")
        if signed_on is not None and signed_on > clock.today():
            raise RuleError("归档日期不能晚于今天", field="signed_on")
        item = FileItem(part=part, attachment=attachment, signed_on=signed_on, note=note or None,
                        created_by_id=user.id)
        self.file_items.append(item)
        return item

    def checklist(self):
        """Each part of the file: required for this outcome or as needed, present, signed (DOMAIN.md §8)."""
        required = REQUIRED_PARTS.get(self.outcome_key, ())
        in_system = {
            1: True, 2: self.notice_given_on is not None, 5: bool(self.investigations), 7: bool(self.sessions),
            8: self.agreement is not None, 10: bool(self.follow_ups), 11: self.confirmation is not None,
            12: bool(self.file_note), 13: True,
        }
        rows = []
        for part, title in FILE_PARTS:
            items = self.file_item(part)
            scans = [f for f in items if f.attachment_id]
            present = bool(scans) if part in SCAN_PARTS and part != 11 else (in_system.get(part, False) or bool(scans))
            if part == 8 and self.agreement is not None and self.agreement.kind == "oral":
                title = "口头调解协议登记表"
            signed = any(f.attachment_id or f.signed_on for f in items)
            rows.append({"part": part, "title": title, "required": part in required, "present": present,
                         "signed": signed, "items": items})
        return rows

    def missing_parts(self):
        return [r for r in self.checklist() if r["required"] and not r["present"]]

    def archive(self, user, retention):
        self._require_worker(user)
        self._require_ended()
        if retention not in RETENTION:
            raise RuleError("请选择保管期限", field="retention")
        missing = self.missing_parts()
        if missing:
            raise RuleError("卷宗缺少必备材料：" + "、".join(r["title"] for r in missing), field="retention")
        self.status, self.archived_on, self.archived_by_id, self.retention = "archived", clock.today(), user.id, retention
