"""The Typer application behind the `eventschema` command."""

from typing import Annotated

import typer

from eventschema import __version__
from eventschema.cli.accounts import bootstrap, keys_app, projects_app
from eventschema.cli.common import command_group
from eventschema.cli.drift import drift
from eventschema.cli.plan import plan_app
from eventschema.cli.pull import pull
from eventschema.cli.serve import migrate, serve
from eventschema.cli.users import users_app

app = command_group("eventschema: an event schema registry for product analytics.")
app.command()(serve)
app.command()(migrate)
app.command()(bootstrap)
app.command()(pull)
app.command()(drift)
app.add_typer(projects_app, name="projects")
app.add_typer(keys_app, name="keys")
app.add_typer(users_app, name="users")
app.add_typer(plan_app, name="plan")


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"eventschema {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """eventschema: an event schema registry for product analytics."""


def main() -> None:
    app()
