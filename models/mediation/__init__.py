"""People's mediation: cases from intake to archive, their records, agreements and follow-ups.

State changes are methods that check the transition (DESIGN.md §4); the scope of who sees a case
(DESIGN.md §2) is one query, `visible_cases(user)`, used by every case route.

One module a concept; import from the package (`from models.mediation import MediationCase`):
- case: MediationCase (columns, labels, who may act, state checks), intake(), and the status conditions the
  partial indexes answer: overdue_condition(), open_condition(), status_condition()
- workflow: the case's transitions (a mixin of MediationCase)
- parties: Party, Assignment
- records: CaseRecord, PoliceReport, FileItem
- agreement: Agreement, FollowUp, JudicialConfirmation
- numbering: CaseCounter, take_number(), format_number()
- codes: MediationCode, code_table() (the built-in lists are in models.mediation_codes)
- work: Consultation, Screening, CorrectiveMeasure, QuarterClose, CaseImport
- queries: visible_cases(), unit_cases(), list_row_names(), code_used_by_others()
"""
from models.mediation.agreement import Agreement, FollowUp, JudicialConfirmation
from models.mediation.case import Money, MediationCase, intake, open_condition, overdue_condition, status_condition
from models.mediation.case_codes import set_case_code
from models.mediation.codes import CODE_KINDS, MediationCode, code_table
from models.mediation.numbering import CaseCounter, format_number, take_number
from models.mediation.parties import Assignment, Party
from models.mediation.queries import code_used_by_others, list_row_names, unit_cases, visible_cases
from models.mediation.records import CaseRecord, FileItem, PoliceReport
from models.mediation.work import CaseImport, Consultation, CorrectiveMeasure, QuarterClose, Screening

__all__ = [
    "Agreement", "Assignment", "CODE_KINDS", "CaseCounter", "CaseImport", "CaseRecord", "Consultation",
    "CorrectiveMeasure", "FileItem", "FollowUp", "JudicialConfirmation", "MediationCase", "MediationCode", "Money",
    "Party", "PoliceReport", "QuarterClose", "Screening", "code_table", "code_used_by_others", "format_number",
    "intake", "list_row_names", "open_condition", "overdue_condition", "status_condition", "take_number", "unit_cases",
    "visible_cases",
]
