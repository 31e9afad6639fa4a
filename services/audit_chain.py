"""The audit trail as a hash chain: each entry carries the SHA-256 of the one before it.

Order. Entries get their place in the chain (`seq`) when the transaction that wrote them commits,
not when they are inserted: ids are handed out before commit and may commit out of order, `seq`
is handed out under a lock held to the end of the transaction (PostgreSQL: a transaction-scoped
advisory lock; SQLite: the writing transaction already holds the database's single write lock).
So the chain order is exactly the commit order and two writers can never take the same place.

Hash. `hash = SHA-256(canonical(entry fields, seq, prev_hash))`, where canonical is a JSON array of
the fields in a fixed order (dates as ISO text, no spaces, UTF-8). The first entry's prev_hash is
GENESIS. The id is not part of the hash (it is the database's, not the chain's).

What the chain proves: an entry deleted, edited, reordered or inserted by hand breaks a link that
`flask audit verify` reports. What it cannot prove alone: someone who can write to the database
and recomputes every hash after their change. Against that, `verify` prints the head (seq and
hash); keep it outside the database (with the backup log) and check it later with `--head`.
"""
import hashlib
import json
from datetime import date, datetime

from sqlalchemy import bindparam, select, text, update

GENESIS = "0" * 64
LOCK_KEY = 0x46510A7D  # pg_advisory_xact_lock key for "append to the audit chain"
FIELDS = ("at", "user_id", "username", "address", "action", "record_type", "record_id", "fields", "detail")


def _value(v):
    if isinstance(v, datetime):
        return v.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    if isinstance(v, date):
        return v.isoformat()
    return v


def canonical(row, seq, prev_hash):
    """The bytes that are hashed: the entry's fields in a fixed order, its place and the previous hash."""
    values = [_value(row[f]) for f in FIELDS] + [seq, prev_hash]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def entry_hash(row, seq, prev_hash):
    return hashlib.sha256(canonical(row, seq, prev_hash)).hexdigest()


def _table():
    from models.audit import AuditLog

    return AuditLog.__table__


def lock(conn):
    """Hold the chain until this transaction ends (PostgreSQL); SQLite already has one writer at a time."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def head(conn, t=None):
    """(seq, hash) of the last chained entry, or (0, GENESIS)."""
    t = t if t is not None else _table()
    row = conn.execute(select(t.c.seq, t.c.hash).where(t.c.seq.isnot(None))
                       .order_by(t.c.seq.desc()).limit(1)).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def append(conn, ids, t=None):
    """Chain the entries with these ids (written by this transaction, not yet chained), in id order."""
    if not ids:
        return 0
    t = t if t is not None else _table()
    wanted = set(ids)
    lock(conn)
    seq, prev = head(conn, t)
    rows = conn.execute(select(t).where(t.c.id >= min(wanted), t.c.seq.is_(None)).order_by(t.c.id)).mappings()
    updates = []
    for row in rows:
        if row["id"] not in wanted:
            continue  # not ours: a row inserted behind the application's back stays outside the chain
        seq += 1
        digest = entry_hash(row, seq, prev)
        updates.append({"_id": row["id"], "_seq": seq, "_prev": prev, "_hash": digest})
        prev = digest
    if updates:
        conn.execute(update(t).where(t.c.id == bindparam("_id"))
                     .values(seq=bindparam("_seq"), prev_hash=bindparam("_prev"), hash=bindparam("_hash")),
                     updates)
    return len(updates)


def chain_existing(conn, t):
    """Chain every entry in id order from the start: the migration that adds the chain does this once,
    so an upgraded database verifies from its first entry (its past is vouched for as of the upgrade)."""
    ids = list(conn.execute(select(t.c.id).where(t.c.seq.is_(None)).order_by(t.c.id)).scalars())
    return append(conn, ids, t)


class Broken:
    """The first broken link: which entry and what is wrong with it (Chinese, for the clerk)."""

    def __init__(self, entry_id, seq, problem):
        self.entry_id, self.seq, self.problem = entry_id, seq, problem

    def __str__(self):
        where = f"第 {self.seq} 条" if self.seq is not None else "链外"
        return f"审计记录 id={self.entry_id}（{where}）：{self.problem}"


def verify(conn, batch=2000):
    """(count, head_seq, head_hash, broken or None): walk the chain in order and check every link."""
    t = _table()
    expected_seq, prev = 1, GENESIS
    count = 0
    last_seq = 0
    while True:
        rows = conn.execute(select(t).where(t.c.seq.isnot(None), t.c.seq > last_seq)
                            .order_by(t.c.seq).limit(batch)).mappings().all()
        if not rows:
            break
        for row in rows:
            if row["seq"] != expected_seq:
                gap = f"第 {expected_seq} 条" if row["seq"] == expected_seq + 1 else \
                    f"第 {expected_seq}–{row['seq'] - 1} 条"
                return count, expected_seq - 1, prev, Broken(
                    row["id"], row["seq"], f"之前的{gap}缺失（被删除）")
            if row["prev_hash"] != prev:
                return count, expected_seq - 1, prev, Broken(
                    row["id"], row["seq"], "记录的前一条哈希与上一条不符（前一条被删除、替换或改动）")
            if entry_hash(row, row["seq"], prev) != row["hash"]:
                return count, expected_seq - 1, prev, Broken(
                    row["id"], row["seq"], "内容与哈希不符（记录被改动）")
            prev = row["hash"]
            count += 1
            expected_seq += 1
        last_seq = rows[-1]["seq"]
    outside = conn.execute(select(t.c.id).where(t.c.seq.is_(None)).order_by(t.c.id).limit(1)).scalar()
    if outside is not None:
        return count, expected_seq - 1, prev, Broken(outside, None, "不在哈希链中（未经本系统写入，疑似伪造）")
    return count, expected_seq - 1, prev, None


def hash_at(conn, seq):
    t = _table()
    return conn.execute(select(t.c.hash).where(t.c.seq == seq)).scalar()
