"""The real compilers the generated code is checked with, installed on demand and cached between runs.

- TypeScript 5 from the npm registry, into a cache directory keyed by its major version
  ($EVENTSCHEMA_TOOLCHAINS or ~/.cache/eventschema/toolchains); Node.js and npm must be on the PATH.
- Go from Debian (`apt-get install golang-go`) when `go` is missing, as `.ci/run` does.
- mypy from the virtualenv running the tests.
A toolchain that cannot be found or installed fails the test: generated code that was never compiled is not
proven to compile.
"""

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

TYPESCRIPT = "typescript@5"
TIMEOUT = 300


@dataclass(frozen=True)
class Result:
    returncode: int
    output: str


def cache_dir() -> Path:
    root = os.environ.get("EVENTSCHEMA_TOOLCHAINS") or Path.home() / ".cache" / "eventschema" / "toolchains"
    path = Path(root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Result:
    completed = subprocess.run(
        command,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return Result(completed.returncode, completed.stdout)


def _require(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        pytest.fail(f"{program} is required for the code-generation tests and is not on the PATH")
    return path


def tsc() -> list[str]:
    """The command running TypeScript's compiler, installing it into the cache first if needed."""
    target = cache_dir() / TYPESCRIPT.replace("@", "-")
    script = target / "node_modules" / "typescript" / "bin" / "tsc"
    if not script.exists():
        npm = _require("npm")
        staging = Path(tempfile.mkdtemp(dir=cache_dir(), prefix="staging-"))
        result = run(
            [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(staging), TYPESCRIPT], staging
        )
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            pytest.fail(f"npm install {TYPESCRIPT} failed:\n{result.output}")
        try:
            staging.rename(target)  # atomic: a concurrent run either sees a complete install or none
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    return [_require("node"), str(script)]


def go() -> str:
    """The `go` command, installed from Debian's golang-go package when missing."""
    path = shutil.which("go")
    if path is None:
        install = "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go"
        result = run(["sh", "-c", install], Path.cwd())
        path = shutil.which("go")
        if path is None:
            pytest.fail(f"go is missing and could not be installed ({install}):\n{result.output}")
    return path


def gofmt() -> str:
    """gofmt ships beside the go command."""
    return shutil.which("gofmt") or str(Path(go()).resolve().with_name("gofmt"))


def go_env() -> dict[str, str]:
    """Build without network access or a user-wide module set-up; caches stay shared between runs."""
    return {"GOFLAGS": "-mod=mod", "GOPROXY": "off", "GO111MODULE": "on", "GOTOOLCHAIN": "local"}


def mypy() -> list[str]:
    """mypy --strict with no project configuration and no incremental cache, so every run checks afresh."""
    return [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--config-file=",
        "--python-version=3.11",
        f"--cache-dir={os.devnull}",
        "--no-error-summary",
        "--show-absolute-path",
    ]
