"""Command-line commands: `flask demo seed`."""
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
