"""Resettlement and assistance (安置帮教): subjects, handover, plans, groups, services, risk, alerts.

Who sees what is decided here, in one place (DESIGN.md §2): `listed_subjects(user)` for lists and
`access_level(user, subject)` for one record. Transitions are methods that raise domain errors.

One module a concept; import from the package (`from models.rehabilitation import Subject`):
- subject: Subject (the record, labels, checks, registration, state checks)
- lifecycle: what happens to a subject afterwards (a mixin of Subject)
- handover: Handover; groups: AssistanceGroup, GroupMember; plans: AssistancePlan
- records: ServiceRecord, Consent, PsychProfile, TransitionalBase
- risk: RiskAssessment, Alert, WarningReport; worklist: WorkItemSetAside
- scope: access levels, openable_subjects(), listed_subjects()
- codes: the code lists and add_years()
"""
from models.rehabilitation.codes import (ALERT_KINDS, COMMUNITY_EXITS, CONSENT_SCOPES, END_REASONS, EXIT_TYPES,
                                         GROUP_KINDS, KEY_FLAGS, MEASURE_AREAS, MEMBER_SIDES, NEED_AREAS,
                                         OFFENCE_TYPES, PLAN_STATUSES, RECEIVED_HOW, REFERRAL_SCOPE, RESETTLED,
                                         RESETTLEMENT, SERVICE_KINDS, STATUSES, add_years)
from models.rehabilitation.groups import AssistanceGroup, GroupMember
from models.rehabilitation.handover import Handover
from models.rehabilitation.plans import AssistancePlan
from models.rehabilitation.records import Consent, PsychProfile, ServiceRecord, TransitionalBase
from models.rehabilitation.risk import Alert, RiskAssessment, WarningReport
from models.rehabilitation.scope import (CARD, CONTRACTOR_ADMIN, FULL, GROUP, GROUP_RESTRICTED, access_level,
                                         listed_subjects, openable_subjects, sees_restricted, sees_whole)
from models.rehabilitation.subject import Subject
from models.rehabilitation.worklist import WorkItemSetAside

__all__ = [
    "ALERT_KINDS", "Alert", "AssistanceGroup", "AssistancePlan", "CARD", "COMMUNITY_EXITS", "CONSENT_SCOPES",
    "CONTRACTOR_ADMIN", "Consent", "END_REASONS", "EXIT_TYPES", "FULL", "GROUP", "GROUP_KINDS", "GROUP_RESTRICTED",
    "GroupMember", "Handover", "KEY_FLAGS", "MEASURE_AREAS", "MEMBER_SIDES", "NEED_AREAS", "OFFENCE_TYPES",
    "PLAN_STATUSES", "PsychProfile", "RECEIVED_HOW", "REFERRAL_SCOPE", "RESETTLED", "RESETTLEMENT", "RiskAssessment",
    "SERVICE_KINDS", "STATUSES", "ServiceRecord", "Subject", "TransitionalBase", "WarningReport", "WorkItemSetAside",
    "access_level", "add_years", "listed_subjects", "openable_subjects", "sees_restricted", "sees_whole"
]
