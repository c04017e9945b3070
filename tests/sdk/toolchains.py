"""What the SDK tests run: PostHog's JavaScript SDKs from the npm registry, installed on first use into the
toolchain cache (as the code-generation tests install TypeScript) and shared between runs (Node.js and npm must
be on the PATH), and Debian's Chromium, installed with apt when missing (as `.ci/run` does). Never a browser
downloaded by Playwright."""

import shutil
import tempfile
from pathlib import Path

import pytest

from tests.codegen.toolchains import _require, cache_dir, run

CHROMIUM = Path("/usr/bin/chromium")

PACKAGES = ("posthog-js@1", "posthog-node@5")


def node_modules() -> Path:
    """The node_modules holding posthog-js and posthog-node, installing them first if needed."""
    target = cache_dir() / "-".join(spec.replace("@", "") for spec in PACKAGES)
    modules = target / "node_modules"
    if not (modules / "posthog-js" / "dist" / "array.js").exists() or not (modules / "posthog-node").exists():
        npm = _require("npm")
        staging = Path(tempfile.mkdtemp(dir=cache_dir(), prefix="staging-"))
        command = [npm, "install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", str(staging)]
        result = run([*command, *PACKAGES], staging)
        if result.returncode != 0:
            shutil.rmtree(staging, ignore_errors=True)
            pytest.fail(f"npm install {' '.join(PACKAGES)} failed:\n{result.output}")
        try:
            staging.rename(target)  # atomic: a concurrent run either sees a complete install or none
        except OSError:
            shutil.rmtree(staging, ignore_errors=True)
    return modules


def node() -> str:
    return _require("node")


def chromium() -> str:
    """Debian's Chromium (never a browser downloaded by Playwright), installed with apt when missing."""
    if not CHROMIUM.exists():
        install = "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"
        result = run(["sh", "-c", install], Path.cwd())
        if not CHROMIUM.exists():
            pytest.fail(f"{CHROMIUM} is missing and could not be installed ({install}):\n{result.output}")
    return str(CHROMIUM)
