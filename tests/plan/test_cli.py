"""`eventschema plan ...` against real servers: export, diff, apply, check on one; pull and push through PostHog's
public endpoints on a second one."""

import copy
from pathlib import Path

import pytest
import yaml

from eventschema.plan import document
from tests.app.servers import serving
from tests.cli.helpers import Result, database_url, run_cli_sync  # noqa: F401  (database_url is a fixture)
from tests.plan.helpers import PLAN


def bootstrap(url: str, tmp_path: Path) -> str:
    result = run_cli_sync("bootstrap", "--json", database_url=url, cwd=tmp_path)
    return str(result.json()["api_key"])


def plan_cli(tmp_path: Path, host: str, key: str, *args: str) -> Result:
    env = {"POSTHOG_PERSONAL_API_KEY": key, "EVENTSCHEMA_HOST": host}
    return run_cli_sync("plan", *args, database_url=None, cwd=tmp_path, extra_env=env)


@pytest.mark.slow
def test_export_diff_apply_check(database_url: str, tmp_path: Path) -> None:  # noqa: F811
    key = bootstrap(database_url, tmp_path)
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(document.to_yaml(PLAN))
    with serving(database_url, tmp_path) as host:
        result = plan_cli(tmp_path, host, key, "diff", "plan.yaml")
        assert result.returncode == 1, result.stderr
        assert "neutral     added property_groups.account" in result.stdout
        assert "tightening  added events.signed_up.property_groups.account (events: signed_up)" in result.stdout

        result = plan_cli(tmp_path, host, key, "apply", "plan.yaml", "--dry-run")
        assert result.returncode == 0 and "dry run" in result.stdout
        result = plan_cli(tmp_path, host, key, "apply", "plan.yaml")
        assert result.returncode == 0, result.stderr
        assert result.stdout.endswith("version 1\n")
        result = plan_cli(tmp_path, host, key, "diff", "plan.yaml")
        assert (result.returncode, result.stdout) == (0, "no changes\n")
        result = plan_cli(tmp_path, host, key, "apply", "plan.yaml")
        assert result.stdout == "no changes (version 1)\n"

        assert plan_cli(tmp_path, host, key, "export", "-o", "exported.yaml").returncode == 0
        assert (tmp_path / "exported.yaml").read_text() == plan_file.read_text()

        edited = copy.deepcopy(PLAN)
        edited["property_groups"]["account"]["properties"]["seats"]["is_required"] = True
        edited["events"]["logged_in"]["description"] = "Came back"
        (tmp_path / "edited.yaml").write_text(yaml.safe_dump(edited, sort_keys=False))
        result = plan_cli(tmp_path, host, key, "check", "edited.yaml")
        assert result.returncode == 1
        assert "1 tightening changes" in result.stderr
        assert (
            "tightening  changed property_groups.account.properties.seats.is_required: false -> true "
            "(events: signed_up)" in result.stderr
        )
        assert "logged_in" not in result.stderr

        neutral = copy.deepcopy(PLAN)
        neutral["events"]["logged_in"]["description"] = "Came back"
        (tmp_path / "neutral.yaml").write_text(yaml.safe_dump(neutral))
        assert plan_cli(tmp_path, host, key, "check", "neutral.yaml").returncode == 0
        result = plan_cli(tmp_path, host, key, "check", "neutral.yaml", "--fail-on", "any")
        assert result.returncode == 1 and "events.logged_in.description" in result.stderr

        assert plan_cli(tmp_path, host, key, "apply", "edited.yaml").stdout.endswith("version 2\n")
        result = plan_cli(tmp_path, host, key, "export", "--at", "1")
        assert result.stdout == plan_file.read_text()

        result = plan_cli(tmp_path, host, "phx_wrong", "export")
        assert result.returncode == 3 and "401" in result.stderr
        (tmp_path / "broken.yaml").write_text("version: 2\n")
        result = plan_cli(tmp_path, host, key, "apply", "broken.yaml")
        assert result.returncode == 3 and "(plan__version)" in result.stderr


@pytest.mark.slow
def test_pull_and_push_through_posthogs_public_endpoints(database_url: str, tmp_path: Path) -> None:  # noqa: F811
    source_key = bootstrap(database_url, tmp_path)
    other_dir = tmp_path / "other"
    other_dir.mkdir()
    other_url = f"sqlite:///{other_dir / 'other.db'}"
    other_key = bootstrap(other_url, other_dir)
    # Without rules: this API does not show them yet, so neither server's public endpoints would carry them.
    plan = copy.deepcopy(PLAN)
    del plan["property_groups"]["account"]["properties"]["seats"]["validation_rules"]
    (tmp_path / "plan.yaml").write_text(document.to_yaml(plan))
    without_mode = {key: value for key, value in plan.items() if key != "validation_mode"}
    with serving(database_url, tmp_path) as host, serving(other_url, other_dir) as other:
        assert plan_cli(tmp_path, host, source_key, "apply", "plan.yaml").returncode == 0
        result = plan_cli(tmp_path, host, source_key, "pull", "--from", host, "--key", source_key, "--project", "1")
        assert result.returncode == 0, result.stderr
        assert yaml.safe_load(result.stdout) == without_mode
        (tmp_path / "pulled.yaml").write_text(result.stdout)

        push = ("push", "pulled.yaml", "--to", other, "--key", other_key, "--project", "1")
        result = plan_cli(tmp_path, host, source_key, *push, "--dry-run")
        assert result.returncode == 0 and "dry run" in result.stdout
        result = plan_cli(tmp_path, host, source_key, *push)
        assert result.returncode == 0, result.stderr
        assert "created property group account" in result.stderr
        result = plan_cli(tmp_path, host, source_key, *push)
        assert result.stdout == "no changes\n"
        result = plan_cli(tmp_path, host, source_key, "pull", "--from", other, "--key", other_key, "--project", "1")
        assert yaml.safe_load(result.stdout) == without_mode

        edited = copy.deepcopy(without_mode)
        edited["events"]["signed_up"]["property_groups"] = ["account"]
        edited["property_groups"]["account"]["properties"]["plan"]["description"] = "tier"
        (tmp_path / "edited.yaml").write_text(yaml.safe_dump(edited))
        result = plan_cli(
            tmp_path, host, source_key, "push", "edited.yaml", "--to", other, "--key", other_key, "--project", "1"
        )
        assert "unlinked empty from signed_up" in result.stderr
        result = plan_cli(tmp_path, host, source_key, "pull", "--from", other, "--key", other_key, "--project", "1")
        assert yaml.safe_load(result.stdout) == edited

        result = plan_cli(tmp_path, host, source_key, "pull", "--from", other, "--key", "phx_wrong", "--project", "1")
        assert result.returncode == 3 and "401" in result.stderr
