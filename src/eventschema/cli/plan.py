"""plan: the tracking plan as a file — export, diff, apply and check it against an eventschema server, and pull
it from or push it to any server that speaks PostHog's API.

Exit codes: 0 done (diff: nothing would change; check: nothing refused), 1 diff: something would change / check:
a refused change, 2 bad configuration (no key, bad URL, unreadable file), 3 the server refused or answered
unexpectedly, 4 the server could not be reached.
"""

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import httpx
import typer

from eventschema import errors
from eventschema.cli.common import command_group
from eventschema.cli.pull import CONFIGURATION, REFUSED, UNREACHABLE, _api_key, _write, fail
from eventschema.plan import document, remote
from eventschema.plan.diff import Change, describe, offending

plan_app = command_group("The tracking plan as a file: export, diff, apply, check; pull from and push to PostHog.")
CHANGED = 1

Host = Annotated[
    str, typer.Option(envvar=["EVENTSCHEMA_HOST", "POSTHOG_CLI_HOST"], metavar="URL", help="The eventschema server.")
]
ProjectOption = Annotated[
    str,
    typer.Option(
        envvar=["EVENTSCHEMA_PROJECT_ID", "POSTHOG_CLI_PROJECT_ID", "POSTHOG_CLI_ENV_ID"],
        metavar="ID",
        help="Project id, or @current for the key owner's current project.",
    ),
]
KeyOption = Annotated[
    str | None,
    typer.Option(
        metavar="KEY",
        show_default=False,
        help="Personal API key; by default taken from the environment as `pull` does.",
    ),
]
PlanFile = Annotated[Path, typer.Argument(metavar="FILE", help="The plan file (YAML or JSON).")]
Prune = Annotated[bool, typer.Option("--prune", help="Also delete groups and events the file does not have.")]
Output = Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write here instead of stdout.")]
DEFAULT_HOST = "http://127.0.0.1:8000"


class FailOn(StrEnum):
    tightening = "tightening"
    any = "any"


def _client(host: str, key: str) -> httpx.Client:
    try:
        return httpx.Client(base_url=host.rstrip("/"), headers={"Authorization": f"Bearer {key}"}, timeout=60.0)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        fail(f"bad host URL {host!r}: {exc}", CONFIGURATION)


def _call(host: str, key: str | None, method: str, path: str, **kwargs: Any) -> httpx.Response:
    try:
        with _client(host, _api_key(key)) as client:
            response = client.request(method, path, **kwargs)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        fail(f"bad host URL {host!r}: {exc}", CONFIGURATION)
    except httpx.TransportError as exc:
        fail(f"cannot reach {host}: {exc or type(exc).__name__}", UNREACHABLE)
    if response.status_code != 200:
        _refused(path, response)
    return response


def _refused(path: str, response: httpx.Response) -> NoReturn:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and body.get("detail"):
        where = f" ({body['attr']})" if body.get("attr") else ""
        fail(f"{path} answered {response.status_code}: {body['detail']}{where}", REFUSED)
    fail(f"{path} answered {response.status_code}: {response.text[:200]}", REFUSED)


def _read(path: Path) -> str:
    try:
        return sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {path}: {exc}", CONFIGURATION)


def _print(changes: list[Change]) -> None:
    for change in changes:
        typer.echo(describe(change))


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
    else:
        _write(output, text)
        typer.echo(f"wrote {output}", err=True)


@plan_app.command()
def export(
    at: Annotated[
        str | None, typer.Option(metavar="VERSION|TIME", help="The plan as it was at this version or ISO 8601 time.")
    ] = None,
    output: Output = None,
    host: Host = DEFAULT_HOST,
    project: ProjectOption = "@current",
    api_key: KeyOption = None,
) -> None:
    """Write the project's plan as YAML (now, or as it was)."""
    params = {"format": "yaml", **({"at": at} if at else {})}
    _emit(_call(host, api_key, "GET", f"/api/projects/{project}/plan/", params=params).text, output)


def _diff(host: str, project: str, api_key: str | None, file: Path, prune: bool) -> list[Change]:
    body = {"plan": _read(file), "prune": prune}
    return _call(host, api_key, "POST", f"/api/projects/{project}/plan/diff/", json=body).json()["changes"]  # type: ignore[no-any-return]


@plan_app.command()
def diff(
    file: PlanFile,
    prune: Prune = False,
    host: Host = DEFAULT_HOST,
    project: ProjectOption = "@current",
    api_key: KeyOption = None,
) -> None:
    """What applying FILE would change, one classified line per change; exit 1 when something would."""
    changes = _diff(host, project, api_key, file, prune)
    _print(changes)
    if changes:
        raise typer.Exit(CHANGED)
    typer.echo("no changes")


@plan_app.command()
def check(
    file: PlanFile,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Refuse tightening changes (default), or any change.")
    ] = FailOn.tightening,
    prune: Prune = False,
    host: Host = DEFAULT_HOST,
    project: ProjectOption = "@current",
    api_key: KeyOption = None,
) -> None:
    """The CI gate: exit 1, naming each one, when applying FILE would tighten the plan (or change it at all)."""
    refused = offending(_diff(host, project, api_key, file, prune), fail_on.value)
    if refused:
        what = "changes" if fail_on is FailOn.any else "tightening changes"
        typer.echo(
            f"{len(refused)} {what}: events already sent may now be flagged"
            if fail_on is FailOn.tightening
            else f"{len(refused)} {what}",
            err=True,
        )
        for change in refused:
            typer.echo(describe(change), err=True)
        raise typer.Exit(CHANGED)
    typer.echo("ok: nothing to refuse")


@plan_app.command()
def apply(
    file: PlanFile,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; change nothing.")] = False,
    prune: Prune = False,
    host: Host = DEFAULT_HOST,
    project: ProjectOption = "@current",
    api_key: KeyOption = None,
) -> None:
    """Make the server's plan equal to FILE, in one transaction (all or nothing)."""
    body = {"plan": _read(file), "prune": prune, "dry_run": dry_run}
    answer = _call(host, api_key, "POST", f"/api/projects/{project}/plan/apply/", json=body).json()
    _print(answer["changes"])
    if not answer["changes"]:
        typer.echo(f"no changes (version {answer['version']})")
    elif dry_run:
        typer.echo(f"dry run: {len(answer['changes'])} changes not applied")
    else:
        typer.echo(f"applied {len(answer['changes'])} changes: version {answer['version']}")


RemoteURL = Annotated[str, typer.Option(metavar="URL", help="A PostHog (or PostHog-compatible) server.")]
RemoteKey = Annotated[
    str, typer.Option("--key", metavar="KEY", envvar="POSTHOG_PERSONAL_API_KEY", help="Its personal API key.")
]
RemoteProject = Annotated[str, typer.Option("--project", metavar="N", help="Its project id.")]


def _remote(url: str, key: str, project: str) -> tuple[httpx.Client, remote.Remote]:
    client = _client(url, key)
    return client, remote.Remote(client, project)


@plan_app.command()
def pull(
    from_: Annotated[str, typer.Option("--from", metavar="URL", help="A PostHog (or PostHog-compatible) server.")],
    key: RemoteKey,
    project: RemoteProject,
    output: Output = None,
) -> None:
    """Read a plan from any server that speaks PostHog's API (its public endpoints only)."""
    client, source = _remote(from_, key, project)
    with client, _remote_errors(from_):
        content = remote.pulled(source)
    _emit(document.to_yaml(content), output)


@plan_app.command()
def push(
    file: PlanFile,
    to: RemoteURL,
    key: RemoteKey,
    project: RemoteProject,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; change nothing.")] = False,
) -> None:
    """Publish FILE's groups and events to any server that speaks PostHog's API (others are left alone)."""
    text = _read(file)
    client, target = _remote(to, key, project)
    with client, _remote_errors(to):
        changes = remote.push(target, text, dry_run=dry_run, say=lambda line: typer.echo(line, err=True))
    _print(changes)
    typer.echo("no changes" if not changes else f"{'dry run: ' if dry_run else ''}{len(changes)} changes")


class _remote_errors:
    """A plan file the server would refuse, or a server that refuses: a one-line error and its exit code."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, errors.APIError):
            fail(f"the plan is invalid: {exc.detail}" + (f" ({exc.attr})" if exc.attr else ""), CONFIGURATION)
        if isinstance(exc, remote.RemoteError):
            fail(str(exc), REFUSED)
        if isinstance(exc, httpx.TransportError):
            fail(f"cannot reach {self.url}: {exc or type(exc).__name__}", UNREACHABLE)
