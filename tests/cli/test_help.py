"""--help of every command, at 80 columns and wide: flags shown as flags, nothing cut off; and --version."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

import eventschema
from eventschema.cli.main import app
from tests.cli.helpers import run_cli_sync


# Typer brings its own copy of click: the commands are duck-typed here rather than checked against `click` types.
def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield path, command
    if hasattr(command, "list_commands"):
        context = command.context_class(command)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            assert sub is not None
            yield from _commands(sub, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def _squeezed(text: str) -> str:
    """Text without any whitespace, so that wrapping at any width compares equal."""
    return re.sub(r"\s+", "", text)


def test_every_command_is_covered() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"", "serve", "pull", "bootstrap", "projects list", "keys create"} <= names


@pytest.mark.parametrize("columns", [80, 200])
@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) or "eventschema" for p, _ in COMMANDS])
def test_help_shows_every_text_in_full_and_flags_as_flags(path: tuple[str, ...], command: Any, columns: int) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(columns), "TERMINAL_WIDTH": None})

    assert result.exit_code == 0, result.output
    output = result.output
    assert "…" not in output
    assert "<bool>" not in output.lower() and "boolean" not in output.lower()
    assert max(len(line) for line in output.splitlines()) <= columns
    texts = [command.help or ""] + [getattr(param, "help", None) or "" for param in command.params]
    if hasattr(command, "list_commands"):
        context = command.context_class(command)
        texts += [command.get_command(context, name).help.split("\n\n")[0] for name in command.list_commands(context)]
    for text in texts:
        assert _squeezed(text) in _squeezed(output), text
    for param in command.params:
        if param.param_type_name == "option" and param.is_flag:
            for line in output.splitlines():
                if any(re.search(rf"{re.escape(opt)}\b", line) for opt in param.opts):
                    # A value placeholder follows its option after one space; the help text after two or more.
                    assert not re.search(rf"{re.escape(param.opts[-1])}[ =][^ /]", line), line


def test_version_prints_the_package_version() -> None:
    result = CliRunner().invoke(app, ["--version"])

    assert result.exit_code == 0
    assert result.output == f"eventschema {eventschema.__version__}\n"


def test_version_of_the_installed_command(tmp_path: Path) -> None:
    result = run_cli_sync("--version", database_url=None, cwd=tmp_path, extra_env={"COLUMNS": "80"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"eventschema {eventschema.__version__}"


def test_help_of_the_installed_command_at_80_columns(tmp_path: Path) -> None:
    result = run_cli_sync("keys", "create", "--help", database_url=None, cwd=tmp_path, extra_env={"COLUMNS": "80"})

    assert result.returncode == 0, result.stderr
    assert "'event_definition:read,event_definition:write'" in result.stdout
    assert "--json " in result.stdout and "<bool>" not in result.stdout
