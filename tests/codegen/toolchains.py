"""The real compilers the generated code is checked with, installed on demand and cached between runs.

- TypeScript 5 and posthog-js 1 (whose types the generated TypeScript builds on) from the npm registry, each
  into a cache directory keyed by its major version ($EVENTSCHEMA_TOOLCHAINS or
  ~/.cache/eventschema/toolchains); Node.js and npm must be on the PATH.
- Go from Debian (`apt-get install golang-go`) when `go` is missing, as `.ci/run` does.
- mypy from the virtualenv running the tests; for Python 3.9 as the target version (which mypy 2 no longer
  accepts) mypy 1 and the posthog package from the package index, into their own virtualenv in the cache (the
  test virtualenv's other packages use syntax newer than 3.9, which mypy would report).
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
POSTHOG_JS = "posthog-js@1"
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


def _npm_package(spec: str) -> Path:
    """The cache directory holding `node_modules` with `spec` installed, installing it first if needed."""
    target = cache_dir() / spec.replace("@", "-")
    if not (target / "node_modules").exists():
        npm = _require("npm")
        staging = Path(tempfile.mkdtemp(dir=cache_dir(), prefix="staging-"))
        result = run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(staging), spec], staging)
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            pytest.fail(f"npm install {spec} failed:\n{result.output}")
        try:
            staging.rename(target)  # atomic: a concurrent run either sees a complete install or none
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def tsc() -> list[str]:
    """The command running TypeScript's compiler, installing it into the cache first if needed."""
    script = _npm_package(TYPESCRIPT) / "node_modules" / "typescript" / "bin" / "tsc"
    return [_require("node"), str(script)]


def posthog_js_modules() -> Path:
    """A node_modules directory with the real posthog-js package and its type declarations."""
    return _npm_package(POSTHOG_JS) / "node_modules"


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


MYPY_FOR_OLD_TARGETS = ("mypy>=1.15,<2", "posthog>=7")


def _old_mypy() -> list[str]:
    target = cache_dir() / "mypy-1-posthog-7"
    python = target / "bin" / "python"
    if not (target / ".complete").exists():
        staging = Path(tempfile.mkdtemp(dir=cache_dir(), prefix="staging-"))
        result = run([sys.executable, "-m", "venv", str(staging)], staging)
        if result.returncode == 0:
            pip = [str(staging / "bin" / "python"), "-m", "pip", "install", "-q", *MYPY_FOR_OLD_TARGETS]
            result = run(pip, staging)
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            pytest.fail(f"installing {MYPY_FOR_OLD_TARGETS} failed:\n{result.output}")
        (staging / ".complete").touch()
        try:
            staging.rename(target)  # a venv's scripts embed its path, so only `python -m` is used from here on
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    return [str(python), "-m", "mypy"]


def mypy(python_version: str = "3.11") -> list[str]:
    """mypy --strict with no project configuration and no incremental cache, so every run checks afresh."""
    too_old_for_mypy_2 = tuple(map(int, python_version.split("."))) < (3, 10)
    command = _old_mypy() if too_old_for_mypy_2 else [sys.executable, "-m", "mypy"]
    return [
        *command,
        "--strict",
        "--config-file=",
        f"--python-version={python_version}",
        f"--cache-dir={os.devnull}",
        "--no-error-summary",
        "--show-absolute-path",
    ]
