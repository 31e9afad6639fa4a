"""What happens to a subject after registration: report, group, corrections, situation, lost contact,
end of assistance, anonymisation, downgrade. A mixin of models.rehabilitation.subject.Subject."""
from datetime import date, timedelta

from sqlalchemy import select

from extensions import db
from models import clock
from models.base import NotAllowed, RuleError, TransitionError
from models.rehabilitation.codes import END_REASONS, GROUP_KINDS, MEMBER_SIDES, RECEIVED_HOW, _blank, add_years
from models.rehabilitation.groups import AssistanceGroup, GroupMember
from models.setting import Setting


class SubjectLifecycle:
    """The transitions of a subject after registration (mixed into Subject)."""

    def record_report(self, user, report_date, received_how, office, officer):
        self.require_owner(user)
        self.state_check("report")
        if report_date is None:
            raise RuleError("请填写报到日期", field="report_date")
        if report_date < self.release_date:
            raise RuleError("报到日期不能早于释放日期", field="report_date")
        if report_date > clock.today():
            raise RuleError("报到日期不能晚于今天", field="report_date")
        if received_how not in RECEIVED_HOW:
            raise RuleError("请选择接收方式", field="received_how")
        self.handover.report_date, self.handover.received_how = report_date, received_how
        self.handover.receiving_office, self.handover.officer = office or "", officer or ""
        # a group formed before release (pre-release work inside) takes the person on at once
        self.status = "under_assistance" if self.group is not None else "reported"
        self.lost_contact = False

    def form_group(self, user, kind, leader_staff_id, staff_ids, others):
        """The contractor admin of the serving contract forms the group; a reported subject is then under
        assistance. Formed before release, the group does the pre-release work inside (psychological
        correction, the psychological profile) and the person is under assistance from the report.

        others: [(side, name, role, contact)] for members outside the contractor.
        """
        from models.contractor import StaffMember

        if not (user.role == "contractor" and self.contract is not None
                and self.contract.contractor_id == user.contractor_id):
            raise NotAllowed("只有服务合同的承接主体管理员可以组建帮教小组")
        self.require_open()
        if kind not in GROUP_KINDS:
            raise RuleError("请选择帮教形式", field="kind")
        ids = list(dict.fromkeys([leader_staff_id] + list(staff_ids or [])) if leader_staff_id else staff_ids or [])
        if not leader_staff_id:
            raise RuleError("请指定帮教小组组长", field="leader")
        staff = {m.id: m for m in db.session.scalars(select(StaffMember).where(
            StaffMember.id.in_(ids), StaffMember.contractor_id == user.contractor_id, StaffMember.active.is_(True)))}
        if set(ids) - set(staff):
            raise RuleError("小组成员须为本机构在职工作人员", field="members")
        if kind == "one_to_one" and len(ids) + len(others) > 1:
            raise RuleError("一帮一只能有一名帮教人员", field="kind")
        if self.group is None:
            self.group = AssistanceGroup(kind=kind, formed_on=clock.today())
        group = self.group
        group.kind, group.formed_on = kind, group.formed_on or clock.today()
        group.members = [GroupMember(staff_member_id=i, name=staff[i].name, side="contractor",
                                     role="组长" if i == leader_staff_id else "帮教人员",
                                     contact=staff[i].phone, is_leader=i == leader_staff_id) for i in ids]
        for side, name, role, contact in others:
            if side not in MEMBER_SIDES or _blank(name):
                raise RuleError("其他成员须填写姓名和所属方面", field="others")
            group.members.append(GroupMember(side=side, name=name, role=role or "帮教人员", contact=contact or ""))
        if self.status == "reported":
            self.status = "under_assistance"
        return group

    CORRECTABLE = ("name", "id_number", "ethnicity", "household_address", "family_situation", "education", "skills",
                   "offence", "offence_type", "sentence", "custody_place")

    def correct(self, user, fields):
        """The owning unit corrects the basic data; sex and birth date follow the ID number."""
        from models.identifiers import id_number_error, id_number_gender, normalize_id_number

        self.require_owner(user)
        self.require_open()
        for key in self.CORRECTABLE:
            if key in fields:
                setattr(self, key, fields[key])
        self.id_number = normalize_id_number(self.id_number)
        if id_number_error(self.id_number, clock.today()) is None:
            self.sex = id_number_gender(self.id_number)
            self.birth_date = date(int(self.id_number[6:10]), int(self.id_number[10:12]), int(self.id_number[12:14]))
        self.check()

    def update_situation(self, user, fields):
        """Resettlement, three-without and contact details change as the person settles; key flags are the owner's."""
        self.require_open()
        owner = user.is_unit_staff and user.unit_id == self.unit_id
        allowed = {"resettlement", "no_home", "no_job", "no_relatives", "current_address", "phone", "contact_ok"}
        if owner:
            allowed |= {"key_flags", "key_reasons"}
        for key, value in fields.items():
            if key in allowed:
                setattr(self, key, value)
        self.check()

    def set_lost_contact(self, user, steps):
        self.require_owner(user)
        self.state_check("lost_contact")
        if _blank(steps):
            raise RuleError("请填写已采取的查找措施", field="steps")
        self.lost_contact, self.lost_contact_steps = True, steps

    def end(self, user, reason, on, transfer_unit_id=None):
        self.require_owner(user)
        self.state_check("end")
        if reason not in END_REASONS:
            raise RuleError("请选择解除原因", field="reason")
        if on is None or on > clock.today():
            raise RuleError("解除日期不能晚于今天", field="ended_on")
        if reason == "period_over" and on < self.period_end:
            raise RuleError(f"帮教期至{self.period_end:%Y-%m-%d}，尚未期满", field="ended_on")
        if reason == "transferred":
            if transfer_unit_id is None or transfer_unit_id == self.unit_id:
                raise RuleError("请选择迁入地司法局", field="transfer_unit_id")
            self.transferred_to_id = transfer_unit_id
        self.status, self.end_reason, self.ended_on = "ended", reason, on
        for alert in self.alerts:
            if alert.status == "open":
                alert.status, alert.action_taken = "closed", "帮教解除"

    @property
    def anonymise_due_on(self):
        return add_years(self.ended_on, Setting.get("rehab.anonymise_years")) if self.ended_on else None

    def anonymise(self, user):
        """Personal data goes; figures (dates, statuses, categories, records' kinds) stay."""
        self.require_owner(user)
        if self.status != "ended" or self.anonymised_at is not None:
            raise TransitionError("只有已解除且未匿名化的对象可以匿名化")
        if clock.today() < self.anonymise_due_on:
            raise TransitionError("尚未到匿名化期限")
        self.name, self.id_number, self.id_tail, self.id_last4 = "已匿名", "", "", ""
        self.phone = self.household_address = self.current_address = self.family_situation = ""
        self.skills = self.offence = self.key_reasons = ""
        self.downgrade_reason = None
        self.lost_contact_steps = None
        if self.handover:
            self.handover.conduct = self.handover.family = self.handover.needs = self.handover.sessions = ""
        for p in self.plans:
            p.needs, p.measures, p.goals, p.responsible = {}, {}, "", ""
        for r in self.records:
            r.content, r.outcome = "", ""
            r.attachment_id = None
        for p in self.profiles:
            p.content = ""
        for a in self.assessments:
            a.note = ""
        for w in self.warning_reports:
            w.content = w.receipt = ""
        if self.group:
            for m in self.group.members:
                if m.side in ("family", "employer", "community"):
                    m.name, m.contact = "已匿名", ""
        self.anonymised_at = clock.now()

    def downgrade_obstacle(self):
        """Why the key subject may not be downgraded now (None: it may), DOMAIN.md §8."""
        if not self.key_flags:
            return "不是按标记列为重点的对象"
        last_two = self.assessments[:2]
        if len(last_two) < 2:
            return "须有两次风险评估"
        if any(a.level == "high" for a in last_two):
            return "最近两次评估中有高风险"
        if (last_two[0].assessed_on - last_two[1].assessed_on).days < 365:
            return "最近两次评估间隔不足 12 个月"
        since = clock.today() - timedelta(days=365)
        if any(w.reported_on >= since for w in self.warning_reports):
            return "最近 12 个月内有预警报告"
        return None

    def downgrade(self, user, reason):
        self.require_owner(user)
        self.require_open()
        if _blank(reason):
            raise RuleError("请填写调整理由", field="reason")
        obstacle = self.downgrade_obstacle()
        if obstacle:
            raise TransitionError(obstacle)
        self.key_flags, self.flagged, self.downgrade_reason = [], False, reason
