"""The audit trail is a hash chain: deleting, editing or forging an entry is reported by `flask audit verify`."""
from sqlalchemy import func, insert, select, update

from extensions import db
from models import AuditLog
from models import clock
from services import audit, audit_chain
from tests import factories


def _act(login):
    """Some ordinary work that writes audit entries through the application."""
    c = login("admin")
    c.send("/admin/working-days", {"day": "2026-12-01", "is_working": "0", "note": "调休 <&> 🙂"})
    c.send("/admin/working-days", {"day": "2026-12-02", "is_working": "1", "note": ""})
    return c


def _entries():
    return db.session.scalars(select(AuditLog).where(AuditLog.seq.isnot(None)).order_by(AuditLog.seq)).all()


def _verify(runner, *args):
    result = runner.invoke(args=["audit", "verify", *args])
    return result.exit_code, result.output


def test_every_entry_written_by_the_application_is_chained_in_order(app, login, runner):
    _act(login)
    entries = _entries()
    assert entries and db.session.scalar(select(func.count()).where(AuditLog.seq.is_(None))) == 0
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == audit_chain.GENESIS
    for before, after in zip(entries, entries[1:]):
        assert after.prev_hash == before.hash and len(after.hash) == 64
    code, out = _verify(runner)
    assert code == 0 and f"共 {len(entries)} 条记录" in out and "完好" in out


def test_explicit_entries_and_flush_entries_share_one_chain(app):
    user = factories.user("district_a")
    audit.record(db.session, "download", record=user)
    user.display_name = "张三（改）"
    db.session.commit()
    last_two = _entries()[-2:]
    assert {e.action for e in last_two} == {"download", "update"}
    assert last_two[1].prev_hash == last_two[0].hash


def test_a_deleted_entry_is_reported_at_the_next_one(app, login, runner):
    _act(login)
    entries = _entries()
    victim, following = entries[-3], entries[-2]
    db.session.execute(AuditLog.__table__.delete().where(AuditLog.id == victim.id))
    code, out = _verify(runner)
    assert code != 0
    assert f"id={following.id}" in out and f"第 {victim.seq} 条" in out and "缺失" in out


def test_an_edited_entry_is_reported(app, login, runner):
    _act(login)
    victim = _entries()[-2]
    db.session.execute(update(AuditLog.__table__).where(AuditLog.id == victim.id).values(username="someone_else"))
    code, out = _verify(runner)
    assert code != 0 and f"id={victim.id}" in out and "内容与哈希不符" in out


def test_an_edited_entry_with_a_recomputed_hash_breaks_the_next_link(app, login, runner):
    _act(login)
    entries = _entries()
    victim, following = entries[-3], entries[-2]
    row = dict(db.session.execute(select(AuditLog.__table__).where(AuditLog.id == victim.id)).mappings().one())
    row["action"] = "view"
    forged = audit_chain.entry_hash(row, victim.seq, victim.prev_hash)
    db.session.execute(update(AuditLog.__table__).where(AuditLog.id == victim.id).values(action="view", hash=forged))
    code, out = _verify(runner)
    assert code != 0 and f"id={following.id}" in out and "前一条哈希" in out


def test_a_forged_entry_outside_the_chain_is_reported(app, login, runner):
    _act(login)
    forged_id = db.session.execute(insert(AuditLog.__table__).returning(AuditLog.id).values(
        at=clock.now(), username="admin", action="login", record_type="user")).scalar()
    code, out = _verify(runner)
    assert code != 0 and f"id={forged_id}" in out and "不在哈希链中" in out


def test_a_forged_entry_appended_with_a_made_up_hash_is_reported(app, login, runner):
    _act(login)
    seq, head = audit_chain.head(db.session.connection())
    forged_id = db.session.execute(insert(AuditLog.__table__).returning(AuditLog.id).values(
        at=clock.now(), username="admin", action="delete", record_type="payment", record_id=1,
        seq=seq + 1, prev_hash=head, hash="f" * 64)).scalar()
    code, out = _verify(runner)
    assert code != 0 and f"id={forged_id}" in out and "内容与哈希不符" in out


def test_a_recorded_head_catches_a_cut_off_tail(app, login, runner):
    _act(login)
    code, out = _verify(runner)
    head = out.split("链头 ")[1].split("（")[0]
    assert _verify(runner, "--head", head)[0] == 0
    seq = int(head.split(":")[0])
    db.session.execute(AuditLog.__table__.delete().where(AuditLog.seq == seq))
    assert _verify(runner)[0] == 0  # the chain alone cannot see a removed tail ...
    code, out = _verify(runner, "--head", head)
    assert code != 0 and "链被截短" in out  # ... the head kept outside the database can


def test_a_rolled_back_transaction_leaves_no_hole(app):
    user = factories.user("district_a")
    user.display_name = "回滚"
    db.session.flush()
    db.session.rollback()
    factories.user("district_b").display_name = "提交"
    db.session.commit()
    count, _, _, broken = audit_chain.verify(db.session.connection())
    assert broken is None and count == len(_entries())
