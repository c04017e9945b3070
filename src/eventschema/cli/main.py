"""The Typer application behind the `eventschema` command."""

import typer

from eventschema.cli.accounts import bootstrap, keys_app, projects_app
from eventschema.cli.pull import pull
from eventschema.cli.serve import migrate, serve

app = typer.Typer(help="eventschema: an event schema registry for product analytics.", no_args_is_help=True)
app.command()(serve)
app.command()(migrate)
app.command()(bootstrap)
app.command()(pull)
app.add_typer(projects_app, name="projects")
app.add_typer(keys_app, name="keys")


def main() -> None:
    app()
