"""Command-line commands: `flask demo seed`, `flask bench seed`."""
import click
from flask.cli import AppGroup


def register_cli(app):
    demo = AppGroup("demo", help="演示数据")

    @demo.command("seed")
    def seed():
        """Load realistic demo data (running it again changes nothing)."""
        from services.demo import seed as run_seed

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
