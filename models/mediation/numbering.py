"""Case numbers: one counter per organisation and year, taken without gaps; the number's pattern."""
from sqlalchemy import ForeignKey, select, update
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.setting import Setting


class CaseCounter(db.Model):
    """The last case number used by an organisation in a year; its row is locked while a number is taken."""

    __tablename__ = "mediation_counter"

    contractor_id: Mapped[int] = mapped_column(ForeignKey("contractor.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


def take_number(contractor_id, year, at_least=0):
    """The next sequence number of the organisation and year, without gaps, safe under concurrent intake.

    Call it as the transaction's first write: on SQLite that write takes the database's write lock
    (BEGIN IMMEDIATE semantics, other writers wait); on PostgreSQL the counter row is locked with
    SELECT ... FOR UPDATE until the case is committed. A rolled-back intake gives its number back.
    """
    table = CaseCounter.__table__
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    db.session.execute(upsert(table).values(contractor_id=contractor_id, year=year, last=0)
                       .on_conflict_do_nothing(index_elements=["contractor_id", "year"]))
    last = db.session.execute(select(table.c.last).where(table.c.contractor_id == contractor_id,
                                                         table.c.year == year).with_for_update()).scalar_one()
    seq = max(last, at_least) + 1
    db.session.execute(update(table).where(table.c.contractor_id == contractor_id, table.c.year == year)
                       .values(last=seq))
    return seq


def format_number(contractor, year, seq):
    """（2026）昆调字第15号: the pattern is a setting; {short} is the organisation's own case code
    (Contractor.case_code: by default its seat unit's short name, 昆2 … for a second organisation
    seated there), so numbers are unique across the city although each organisation counts alone."""
    pattern = Setting.get("mediation.number_pattern")
    return pattern.format(year=year, short=contractor.number_code(), seq=seq)
