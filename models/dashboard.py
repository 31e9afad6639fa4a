"""Maintained summaries the dashboards read instead of scanning the case table (issue #8).

`MediationSummary` holds counts per (area unit, month, contract, contractor, category): cases received
in the month (by intake date) and cases ended in the month (by conclusion date) by outcome. A flush
hook marks the (area unit, month) buckets a change touches in `MediationSummaryDirty`;
`services.dashboard_summary.refresh()` recomputes exactly those buckets before a dashboard reads.
Both tables are derived data: `rebuild_all()` recreates them from the cases.
"""
from datetime import date

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.rehabilitation import Subject


class MediationSummary(db.Model):
    __tablename__ = "mediation_summary"
    # The read index covers every column a dashboard sums, in (month, category) order: a period's rows are
    # read from the index alone, already grouped (measured: 11,600 rows in a few ms instead of ~40).
    __table_args__ = (Index("ix_mediation_summary_bucket", "area_unit_id", "month"),
                      Index("ix_mediation_summary_read", "month", "category", "area_unit_id", "contract_id",
                            "contractor_id", "received", "written", "oral", "failed", "withdrawn", "refused",
                            "in_time", "days", "followed", "fulfilled", "partly"))

    id: Mapped[int] = mapped_column(primary_key=True)
    area_unit_id: Mapped[int]
    month: Mapped[date]  # the first day of the month
    contract_id: Mapped[int | None] = mapped_column(index=True)
    contractor_id: Mapped[int]
    category: Mapped[str] = mapped_column(String(30))
    received: Mapped[int] = mapped_column(default=0)  # registered in the month (by intake date)
    # ended in the month (by conclusion date), by outcome
    written: Mapped[int] = mapped_column(default=0)
    oral: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    withdrawn: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
    in_time: Mapped[int] = mapped_column(default=0)  # concluded (succeeded or failed) within the time limit
    days: Mapped[int] = mapped_column(default=0)  # sum of days from intake to conclusion over concluded cases
    followed: Mapped[int] = mapped_column(default=0)  # succeeded with at least one follow-up
    fulfilled: Mapped[int] = mapped_column(default=0)  # ... whose latest follow-up says fully performed
    partly: Mapped[int] = mapped_column(default=0)  # ... partly performed


class MediationRollup(db.Model):
    """The summary rolled up per (unit scope, month, category) — what a dashboard without a contractor filter
    reads: a unit's rows count the cases of its area and of its contracts (as visible_cases), unit 0 every
    case once. Recomputed from MediationSummary for each month a refresh touches."""

    __tablename__ = "mediation_rollup"
    __table_args__ = (Index("ix_mediation_rollup_read", "unit_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int]  # 0: every unit (the city)
    month: Mapped[date]
    category: Mapped[str] = mapped_column(String(30))
    received: Mapped[int] = mapped_column(default=0)
    written: Mapped[int] = mapped_column(default=0)
    oral: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    withdrawn: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
    in_time: Mapped[int] = mapped_column(default=0)
    days: Mapped[int] = mapped_column(default=0)
    followed: Mapped[int] = mapped_column(default=0)
    fulfilled: Mapped[int] = mapped_column(default=0)
    partly: Mapped[int] = mapped_column(default=0)


class MediationSummaryDirty(db.Model):
    """A bucket to recompute; rows are only inserted and claimed (deleted), never updated."""

    __tablename__ = "mediation_summary_dirty"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_unit_id: Mapped[int]
    month: Mapped[date]


class SubjectSummary(db.Model):
    """Subjects counted per (unit, contract, status, risk level): the dashboard's status × risk grid without
    counting the subject table on every request. Maintained like the mediation summary: a flush hook marks
    the units a change touches in `SubjectSummaryDirty`; `refresh()` recounts those units from the subjects."""

    __tablename__ = "subject_summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(index=True)
    contract_id: Mapped[int | None]
    status: Mapped[str] = mapped_column(String(20))
    risk_level: Mapped[str | None] = mapped_column(String(10))
    subjects: Mapped[int]


class SubjectSummaryDirty(db.Model):
    """A unit whose subject counts are to be recounted; rows are only inserted and claimed (deleted)."""

    __tablename__ = "subject_summary_dirty"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int]


# Indexes of the subjects the dashboard reads alone (declared here, beside the summary they serve): a unit's
# recount, and the subjects overdue to report (pre-release, released before a day).
Index("ix_subject_unit_contract_status_risk", Subject.unit_id, Subject.contract_id, Subject.status,
      Subject.risk_level)
Index("ix_subject_status_release", Subject.status, Subject.release_date, Subject.unit_id, Subject.exit_type)
