"""Command-line commands: `flask demo seed`, `flask bench seed`, `flask audit verify`, `flask backup`, `flask restore`,
`flask door purge`."""
import sys

import click
from flask.cli import AppGroup


def register_cli(app):
    demo = AppGroup("demo", help="演示数据")

    @demo.command("seed")
    def seed():
        """Load realistic demo data (running it again changes nothing)."""
        from demo.seed import seed as run_seed

        for line in run_seed():
            click.echo(line)

    app.cli.add_command(demo)

    bench = AppGroup("bench", help="性能测试数据")

    @bench.command("seed")
    @click.option("--cases", default=50_000, show_default=True, help="人民调解案件数")
    @click.option("--subjects", default=10_000, show_default=True, help="帮教对象数")
    @click.option("--contractors", default=20, show_default=True, help="新增承接主体数")
    @click.option("--years", default=5, show_default=True, help="案件分布的年数（截至今天）")
    @click.option("--seed", "seed_", default=1, show_default=True, help="随机种子（相同种子得到相同数据）")
    def bench_seed(cases, subjects, contractors, years, seed_):
        """Bulk synthetic data on a migrated database (bypasses the audit hook on purpose; see bench/seed.py)."""
        from bench.seed import dumps, seed as run_seed

        counts = run_seed(cases=cases, subjects=subjects, contractors=contractors, years=years, seed=seed_,
                          echo=click.echo)
        click.echo(dumps(counts))

    app.cli.add_command(bench)

    audit = AppGroup("audit", help="审计日志")

    @audit.command("verify")
    @click.option("--head", "expected_head", metavar="SEQ:HASH",
                  help="an earlier printed head that must still be in the chain unchanged")
    def verify(expected_head):
        """Check the audit hash chain; report the first broken link and exit 1 if there is one."""
        from extensions import db
        from services import audit_chain

        conn = db.session.connection()
        if True:
            count, seq, digest, broken = audit_chain.verify(conn)
            if broken is None and expected_head:
                want_seq, _, want_hash = expected_head.partition(":")
                if not want_seq.isdigit():
                    raise click.BadParameter("格式为 序号:哈希", param_hint="--head")
                found = audit_chain.hash_at(conn, int(want_seq))
                if found != want_hash.strip().lower():
                    click.echo(f"审计链与记录的链头不符：第 {want_seq} 条"
                               f"{'不存在（链被截短）' if found is None else '的哈希已改变'}。", err=True)
                    sys.exit(1)
        if broken is not None:
            click.echo(f"审计链断裂：{broken}", err=True)
            click.echo(f"在此之前有 {count} 条记录完好。", err=True)
            sys.exit(1)
        click.echo(f"审计链完好：共 {count} 条记录。")
        click.echo(f"链头 {seq}:{digest}（请在系统外记录此值，之后可用 --head 核对）")

    app.cli.add_command(audit)

    door = AppGroup("door", help="网上调解申请")

    @door.command("purge")
    def door_purge():
        """Delete closed applications past their retention period (setting door.retention_days); run daily."""
        from extensions import db
        from services.door import purge_expired

        done = purge_expired()
        db.session.commit()
        click.echo(f"已删除超过保存期限的不予受理申请 {done['applications']} 件，提交记录 {done['attempts']} 条，"
                   f"算术题 {done['challenges']} 道。")

    app.cli.add_command(door)

    notices = AppGroup("notifications", help="通知")

    @notices.command("send")
    def send_notifications():
        """Make the day's overdue notices, then e-mail every notice still pending (run daily, e.g. by cron)."""
        from flask import g

        from services import inbox, notifications

        def sections_of(user):
            g.pop("inbox_counts", None)
            g.pop("inbox_lists", None)
            return inbox.sections(user)

        with app.test_request_context():
            made = notifications.send_overdue(sections_of)
            sent = total = 0
            while True:  # in batches, until nothing more goes out
                batch = notifications.send_pending(force=True)
                if not batch:
                    break
                total += batch
            sent = total
        click.echo(f"逾期提醒 {made} 条；发送邮件 {sent} 封。")

    app.cli.add_command(notices)

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False))
    def backup_cmd(path):
        """Write a consistent copy of the database (attachments included) to PATH, while serving."""
        from extensions import db
        from services.backup import BackupError, backup

        try:
            click.echo(backup(db.engine, path))
        except BackupError as e:
            click.echo(f"备份失败：{e}", err=True)
            sys.exit(1)

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--yes", is_flag=True, help="confirm: everything in the database is replaced by the backup")
    def restore_cmd(path, yes):
        """Replace the database with the backup at PATH (stop the application first)."""
        from extensions import db
        from services.backup import BackupError, restore

        if not yes:
            click.echo("恢复会用备份替换数据库中的全部数据。请先停止应用，然后加 --yes 重新运行。", err=True)
            sys.exit(2)
        try:
            click.echo(restore(db.engine, path))
        except BackupError as e:
            click.echo(f"恢复失败：{e}", err=True)
            sys.exit(1)
