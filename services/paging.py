"""Keyset pages for the big lists (issue 8): newest first by id, `?before=<id>` for the next page, and a
count that stops at a cap, so that neither a deep page nor the total walks a whole table."""
from sqlalchemy import func, select

from extensions import db

COUNT_CAP = 1000


def keyset_page(query, id_column, before, size):
    """(rows, next_before): at most `size` rows with id < before, newest first; next_before is the id to
    pass for the following page, or None on the last one."""
    if before:
        query = query.where(id_column < before)
    rows = db.session.scalars(query.order_by(id_column.desc()).limit(size + 1)).all()
    return rows[:size], (rows[size - 1].id if len(rows) > size else None)


def capped_count(query, id_column, cap=COUNT_CAP):
    """The number of rows of `query` if it is at most `cap`, else cap + 1 (shown as "more than cap")."""
    inner = query.with_only_columns(id_column).order_by(None).limit(cap + 1).subquery()
    return db.session.scalar(select(func.count()).select_from(inner))
