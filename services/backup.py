"""Backup and restore of the whole database (attachments live in it, so they come along).

SQLite: the online backup API copies a consistent snapshot page by page while the application
keeps serving (readers and the writer are not stopped). PostgreSQL: `pg_dump --format=custom`
(one consistent snapshot); `pg_restore --clean --single-transaction` brings it back.

Restore replaces everything in the database with the backup: stop the application first.
"""
import os
import shutil
import sqlite3
import subprocess
import tempfile

from sqlalchemy.engine import make_url


class BackupError(Exception):
    pass


def _sqlite_path(url):
    path = url.database
    if not path or path == ":memory:":
        raise BackupError("内存数据库无法备份")
    return os.path.abspath(path)


def _pg_args(url):
    """(libpq URL without password, environment with PGPASSWORD) for pg_dump/pg_restore."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = url.password
    plain = url.set(drivername="postgresql", password=None)
    query = {k: v for k, v in plain.query.items() if k in ("sslmode", "sslrootcert", "host", "port")}
    plain = plain.set(query=query)
    return plain.render_as_string(hide_password=False), env


def _run(args, env):
    try:
        done = subprocess.run(args, env=env, capture_output=True, text=True, timeout=3600)
    except FileNotFoundError:
        raise BackupError(f"找不到 {args[0]}：请安装 PostgreSQL 客户端（postgresql-client）") from None
    if done.returncode != 0:
        raise BackupError(f"{args[0]} 失败：{done.stderr.strip()[-800:]}")
    return done


def backup(engine, path):
    """Write a consistent copy of the database to path; returns a short description."""
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    path = os.path.abspath(path)
    if url.get_backend_name() == "sqlite":
        tmp = path + ".part"
        raw = engine.raw_connection()
        try:
            target = sqlite3.connect(tmp)
            try:
                raw.driver_connection.backup(target, pages=1024)
                ok = target.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                target.close()
        finally:
            raw.close()
        if ok != "ok":
            os.unlink(tmp)
            raise BackupError(f"备份文件校验失败：{ok}")
        os.replace(tmp, path)
        return f"SQLite 备份已写入 {path}（{os.path.getsize(path)} 字节）"
    if url.get_backend_name() == "postgresql":
        dsn, env = _pg_args(url)
        tmp = path + ".part"
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}", f"--dbname={dsn}"], env)
        os.replace(tmp, path)
        return f"PostgreSQL 备份（pg_dump 自定义格式）已写入 {path}（{os.path.getsize(path)} 字节）"
    raise BackupError(f"不支持的数据库：{url.get_backend_name()}")


def _check_sqlite_backup(path):
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            has_version = con.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"不是有效的 SQLite 备份：{e}") from None
    if ok != "ok" or not has_version:
        raise BackupError("不是本系统的有效备份（校验失败或缺少数据库版本表）")


def restore(engine, path):
    """Replace the database's contents with the backup at path (the application must be stopped)."""
    url = make_url(str(engine.url.render_as_string(hide_password=False)))
    path = os.path.abspath(path)
    if not os.path.isfile(path):
        raise BackupError(f"找不到备份文件 {path}")
    engine.dispose()  # no pooled connection may keep the old file or hold locks
    if url.get_backend_name() == "sqlite":
        _check_sqlite_backup(path)
        target = _sqlite_path(url)
        fd, tmp = tempfile.mkstemp(prefix=".restore-", dir=os.path.dirname(target))
        os.close(fd)
        shutil.copyfile(path, tmp)
        for suffix in ("-wal", "-shm", "-journal"):
            if os.path.exists(target + suffix):
                os.unlink(target + suffix)
        os.replace(tmp, target)
        return f"已从 {path} 恢复 SQLite 数据库 {target}"
    if url.get_backend_name() == "postgresql":
        dsn, env = _pg_args(url)
        _run(["pg_restore", "--list", path], env)  # refuses a file that is not a pg_dump archive
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={dsn}", path], env)
        return f"已从 {path} 恢复 PostgreSQL 数据库"
    raise BackupError(f"不支持的数据库：{url.get_backend_name()}")
