"""What every command shares: the database URL option, running async work, printing JSON."""

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer
from sqlalchemy.ext.asyncio import AsyncSession
from typer import _click as click  # the click that typer vendors, and its commands are built from
from typer.core import TyperGroup

from eventschema import errors
from eventschema.db import Database, DatabaseURLError
from eventschema.migrate import upgrade
from eventschema.rendering import dumps
from eventschema.settings import get_settings

T = TypeVar("T")

DatabaseURLOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        metavar="URL",
        help="sqlite:///path.db or postgresql://...; default: $EVENTSCHEMA_DATABASE_URL.",
    ),
]
JSONOption = Annotated[bool, typer.Option("--json", help="Print one JSON object instead of text.")]


class _Group(TyperGroup):
    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Each command with its whole first sentence: click would cut it to fit one line."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=sys.maxsize)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def command_group(help: str) -> typer.Typer:
    """A Typer app with plain help: rich's tables cut long words off and show flags as `<bool>`."""
    return typer.Typer(
        help=help, cls=_Group, no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False
    )


def database_url(option: str | None) -> str:
    return option or get_settings().database_url


def fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def migrated(url: str) -> str:
    """Apply pending migrations, so every command works on a fresh database."""
    try:
        upgrade(url)
    except DatabaseURLError as exc:
        fail(str(exc), 2)
    except Exception as exc:
        fail(f"could not migrate {url}: {exc}")
    return url


def run_in_transaction(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one transaction on `url`, committing if it returns; API errors become exit code 1."""

    async def main() -> T:
        settings = get_settings()
        database = Database(url, settings.database_pool_size)
        try:
            async with database.session(write=True) as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await database.dispose()

    try:
        return asyncio.run(main())
    except errors.APIError as exc:
        fail(exc.detail)
        raise  # unreachable: fail() exits


def print_json(value: Any) -> None:
    sys.stdout.write(dumps(value).decode() + "\n")
