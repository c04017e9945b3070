"""schemathesis over the whole OpenAPI document, with every check it has, against a real server on each back end.

The server is the real `eventschema serve`; the key is a real personal API key from `eventschema bootstrap`, and
the project's id is given to schemathesis (tests/app/schemathesis.toml), so requests get past 401 and 404 into
the routes' logic. The run is bounded (examples per operation, a fixed seed) to stay within a few minutes.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.app.servers import serving
from tests.cli.helpers import database_url, run_cli_sync

pytestmark = pytest.mark.slow

__all__ = ["database_url"]

SCHEMATHESIS = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which("schemathesis")
CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = os.environ.get("EVENTSCHEMA_SCHEMATHESIS_EXAMPLES", "50")
SEED = os.environ.get("EVENTSCHEMA_SCHEMATHESIS_SEED", "20261130")
RUN_TIMEOUT = 600


def test_schemathesis_finds_nothing(database_url: str, tmp_path: Path) -> None:
    assert SCHEMATHESIS, "schemathesis is not installed (it is in the dev extras)"
    account = run_cli_sync("bootstrap", "--json", database_url=database_url, cwd=tmp_path).json()
    spare = run_cli_sync("bootstrap", "--json", "--project", "Spare", database_url=database_url, cwd=tmp_path).json()
    # Thousands of requests from one key, and bad keys on purpose: per-key limits and the throttling of failed
    # authentications would answer nothing but 429 after the first few.
    with serving(
        database_url, tmp_path, EVENTSCHEMA_RATE_LIMIT_ENABLED="false", EVENTSCHEMA_AUTH_FAILURES_PER_MINUTE="0"
    ) as host:
        headers = {"Authorization": f"Bearer {account['api_key']}"}
        base = f"{host}/api/projects/{account['project_id']}/"
        project = requests.get(base, headers=headers, timeout=10).json()
        definition = requests.post(base + "event_definitions/", json={"name": "seeded"}, headers=headers, timeout=10)
        group = requests.post(base + "schema_property_groups/", json={"name": "seeded"}, headers=headers, timeout=10)
        completed = subprocess.run(
            [
                SCHEMATHESIS, "--config-file", str(CONFIG), "--no-color", "run", f"{host}/api/schema/",
                "--checks", "all",
                "--header", f"Authorization: Bearer {account['api_key']}",
                "--max-examples", MAX_EXAMPLES, "--seed", SEED, "--workers", "1",
                "--generation-database", "none", "--request-timeout", "30",
            ],
            capture_output=True, text=True, cwd=tmp_path, timeout=RUN_TIMEOUT,
            env={
                **os.environ,
                "SCHEMATHESIS_PROJECT_ID": str(account["project_id"]),
                "SCHEMATHESIS_PROJECT_TOKEN": project["api_token"],
                "SCHEMATHESIS_SPARE_PROJECT_ID": str(spare["project_id"]),
                "SCHEMATHESIS_EVENT_DEFINITION": definition.json()["id"],
                "SCHEMATHESIS_PROPERTY_GROUP": group.json()["id"],
            },
        )  # fmt: skip
    report = completed.stdout[-30_000:] + completed.stderr[-5_000:]
    assert completed.returncode == 0, report
    counts = re.search(r"(\d+) generated, (\d+) passed", completed.stdout)
    assert counts is not None, report
    generated, passed = (int(number) for number in counts.groups())
    assert generated == passed and generated > 1000, report
