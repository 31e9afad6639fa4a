"""All models, imported so that metadata is complete for migrations and tests."""
from models.acceptance import (Acceptance, AcceptanceItem, AcceptanceMember, AcceptanceProblem,  # noqa: F401
                               ContractTarget)
from models.attachment import Attachment, PendingUpload  # noqa: F401
from models.evaluation import (Evaluation, EvaluationItem, EvaluationSample, EvaluationScore,  # noqa: F401
                               Indicator, IndicatorSet)
from models.inspection import Inspection, InspectionDocument, Reclaim  # noqa: F401
from models.dashboard import (MediationRollup, MediationSummary, MediationSummaryDirty,  # noqa: F401
                              SubjectSummary, SubjectSummaryDirty)
from models.door import Application, ApplicationAttempt, ApplicationStep, Challenge  # noqa: F401
from models.signing import Signature, Signing  # noqa: F401
from models.feedback import Feedback, FeedbackAttempt  # noqa: F401
from models.portal import FeedRevision  # noqa: F401
from models.work_revision import WorkRevision  # noqa: F401
from models.integrity import IntegrityFinding, LateChange  # noqa: F401
from models.audit import AuditLog, LoginAttempt  # noqa: F401
from models.base import DomainError, NotAllowed, RuleError, TransitionError  # noqa: F401
from models.contractor import (Bar, ConditionReview, Contractor, ContractorEvent, EvaluationBody,  # noqa: F401
                               Qualification, ReviewRound, StaffMember)
from models.contract import (Amendment, Contract, Deliverable, DutyShift, Instalment, Milestone,  # noqa: F401
                             Payment, SubcontractConsent)
from models.mediation import (Agreement, Assignment, CaseCounter, CaseImport, CaseRecord,  # noqa: F401
                              Consultation, CorrectiveMeasure, FileItem, FollowUp, JudicialConfirmation,
                              MediationCase, MediationCode, Party, PoliceReport, QuarterClose, Screening)
from models.purchasing import (Bid, Criterion, PanelScore, PlanItem, Procurement, Publication,  # noqa: F401
                               PurchasePlan, ServiceItem)
from models.rehabilitation import (Alert, AssistanceGroup, AssistancePlan, Consent, GroupMember,  # noqa: F401
                                   Handover, PsychProfile, RiskAssessment, ServiceRecord, Subject,
                                   TransitionalBase, WarningReport, WorkItemSetAside)
from models.notification import Notification  # noqa: F401
from models.setting import Setting, SettingRevision  # noqa: F401
from models.unit import Unit  # noqa: F401
from models.workdays import WorkingDayOverride  # noqa: F401
from models.user import User  # noqa: F401
