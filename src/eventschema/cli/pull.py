"""pull: fetch generated client code from the server and keep a file (and posthog.json) up to date.

Works like `posthog-cli exp schema pull`, against eventschema or any server with the same contract. The file
is rewritten only when the server's schema_hash differs from the one recorded in posthog.json beside it (or
the file is missing or was edited), so build tools watching it do not rebuild for nothing. `--check` never
writes and exits 1 when the file on disk differs from what the server generates, for CI.

Nothing is downloaded while the file is current: the server's ETag is a hash of its answer's bytes, and the answer
is the file's content with the event count, schema hash and generator version posthog.json records; so the tag is
computed from the file on disk and sent as If-None-Match, and a 304 means the file is exactly what the server
would send. An edited file (or another server's encoding) gives another tag, and the answer comes in full.

Exit codes: 0 done or up to date, 1 stale (--check), 2 bad configuration (no key, bad URL, unreadable
posthog.json), 3 the server refused or answered unexpectedly, 4 the server could not be reached.
"""

import json
import os
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import httpx
import orjson
import typer

from eventschema.codegen import FILE_NAMES
from eventschema.http.etag import entity_tag

# Where the personal API key is looked for, first set wins: this tool's own variable, then posthog-cli's, then the
# one PostHog's API reference (and our quick start) exports.
KEY_VARIABLES = ("EVENTSCHEMA_API_KEY", "POSTHOG_CLI_API_KEY", "POSTHOG_CLI_TOKEN", "POSTHOG_PERSONAL_API_KEY")
CONFIG_NAME = "posthog.json"
RESPONSE_KEYS = ("content", "event_count", "schema_hash", "generator_version")
STALE, CONFIGURATION, REFUSED, UNREACHABLE = 1, 2, 3, 4


class Language(StrEnum):
    typescript = "typescript"
    python = "python"
    golang = "golang"
    json = "json"
    jsonschema = "jsonschema"


DEFAULT_OUTPUTS = {language: FILE_NAMES[language.value] for language in Language}


def fail(message: str, code: int) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _api_key(option: str | None) -> str:
    """--api-key, else the first of KEY_VARIABLES that holds more than blanks."""
    for value in (option, *(os.environ.get(variable) for variable in KEY_VARIABLES)):
        if value and value.strip():
            return value.strip()
    fail(f"no API key: set {' or '.join(KEY_VARIABLES)} to a personal API key", CONFIGURATION)


def _read_config(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"cannot read {path}: {exc}; fix or delete it", CONFIGURATION)
    if not isinstance(config, dict):
        fail(f"{path} does not hold a JSON object; fix or delete it", CONFIGURATION)
    return config


def _output_path(language: Language, output: Path | None) -> Path:
    """--output (a directory gets the default file name), else the path ./posthog.json records, else the default."""
    default = DEFAULT_OUTPUTS[language]
    if output is not None:
        return output / default if output.is_dir() or str(output).endswith(("/", os.sep)) else output
    config = _read_config(Path(CONFIG_NAME))
    recorded = _entry(config, "languages", language.value).get("output_path")
    recorded = recorded or _entry(config, "output_paths").get(language.value)  # PostHog CLI's own format
    return Path(recorded) if isinstance(recorded, str) and recorded else Path(default)


def _entry(config: dict[str, Any], *keys: str) -> dict[str, Any]:
    """config[keys[0]][keys[1]]..., or {} where a level is missing or not an object."""
    for key in keys:
        value = config.get(key)
        config = value if isinstance(value, dict) else {}
    return config


def _tag(on_disk: str | None, recorded: dict[str, Any]) -> str | None:
    """The ETag of the answer that holds the file on disk, from what posthog.json recorded with it."""
    known = {"content": on_disk, **{key: recorded.get(key) for key in RESPONSE_KEYS[1:]}}
    if on_disk is None or not all(isinstance(known[key], int | str) for key in RESPONSE_KEYS[1:]):
        return None
    return entity_tag(orjson.dumps(known))


def _fetch(
    host: str, project: str, language: Language, key: str, timeout: float, tag: str | None = None
) -> dict[str, Any] | None:
    """The server's answer; None when it says (304) that the answer is still the one `tag` names."""
    url = f"{host.rstrip('/')}/api/projects/{project}/event_definitions/{language.value}/"
    headers = {"Authorization": f"Bearer {key}"}
    if tag is not None:
        headers["If-None-Match"] = tag
    try:
        response = httpx.get(url, headers=headers, timeout=timeout)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        fail(f"bad host URL {host!r}: {exc}", CONFIGURATION)
    except httpx.TransportError as exc:
        fail(f"cannot reach {host}: {exc or type(exc).__name__}", UNREACHABLE)
    if response.status_code == 304 and tag is not None:
        return None
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200:
        detail = body.get("detail") if isinstance(body, dict) else None
        fail(f"{url} answered {response.status_code}: {detail or response.text[:200]}", REFUSED)
    if not isinstance(body, dict) or any(key not in body for key in RESPONSE_KEYS):
        fail(f"{url} did not answer with generated code ({', '.join(RESPONSE_KEYS)})", REFUSED)
    return body


def _write(path: Path, text: str) -> None:
    """Replace `path` in one step, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.tmp")
    staging.write_text(text, encoding="utf-8")
    staging.replace(path)


def _current(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _summary(generated: dict[str, Any]) -> str:
    count = generated["event_count"]
    return f"{count} event{'' if count == 1 else 's'}, hash {generated['schema_hash']}"


def pull(
    language: Annotated[Language, typer.Option(help="The language to generate.", case_sensitive=False)],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="File (or directory) to write; default: as recorded in ./posthog.json, "
            "else posthog-typed.ts, posthog_typed.py, posthog_typed.go or posthog-typed.schema.json.",
        ),
    ] = None,
    host: Annotated[
        str,
        typer.Option(envvar=["EVENTSCHEMA_HOST", "POSTHOG_CLI_HOST"], metavar="URL", help="The eventschema server."),
    ] = "http://127.0.0.1:8000",
    project: Annotated[
        str,
        typer.Option(
            envvar=["EVENTSCHEMA_PROJECT_ID", "POSTHOG_CLI_PROJECT_ID", "POSTHOG_CLI_ENV_ID"],
            metavar="ID",
            help="Project id, or @current for the key owner's current project.",
        ),
    ] = "@current",
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if the file is stale.")] = False,
    timeout: Annotated[float, typer.Option(metavar="SECONDS", help="Seconds to wait for the server.")] = 30.0,
    api_key: Annotated[
        str | None,
        typer.Option(
            metavar="KEY",
            show_default=False,
            help="Personal API key (phx_...); better given in the environment, where the first of "
            f"{', '.join(KEY_VARIABLES)} that is set is used.",
        ),
    ] = None,
) -> None:
    """Fetch generated code for the tracking plan and write it if it changed."""
    key = _api_key(api_key)
    path = _output_path(language, output)
    config_path = path.parent / CONFIG_NAME
    config = _read_config(config_path)
    languages = _entry(config, "languages")
    config["languages"] = languages
    recorded = _entry(languages, language.value)
    on_disk = _current(path)
    generated = _fetch(host, project, language, key, timeout, _tag(on_disk, recorded))
    if generated is None:  # 304: the file on disk is what the server would send
        typer.echo(f"{path} is up to date ({_summary(recorded)})")
        return
    if check:
        if on_disk != generated["content"]:
            fail(f"{path} is stale: run `eventschema pull --language {language.value}` to update it", STALE)
        typer.echo(f"{path} is up to date ({_summary(generated)})")
        return
    if recorded.get("schema_hash") == generated["schema_hash"] and on_disk == generated["content"]:
        if recorded.get("generator_version") != generated["generator_version"]:  # recorded by older versions
            recorded["generator_version"] = generated["generator_version"]
            languages[language.value] = recorded
            _write(config_path, json.dumps(config, indent=2, ensure_ascii=False) + "\n")
        typer.echo(f"{path} is up to date ({_summary(generated)})")
        return
    _write(path, generated["content"])
    languages[language.value] = {
        "output_path": path.name,
        "schema_hash": generated["schema_hash"],
        "updated_at": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "event_count": generated["event_count"],
        "generator_version": generated["generator_version"],
    }
    _write(config_path, json.dumps(config, indent=2, ensure_ascii=False) + "\n")
    typer.echo(f"wrote {path} ({_summary(generated)})")
