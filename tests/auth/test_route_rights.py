"""dependencies.check_route_rights: every route states its right in auth/rights.py, or the app does not start;
docs/team.md shows the same rights table as the code."""

import re
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI

from eventschema.app import create_app
from eventschema.auth.principal import Principal
from eventschema.auth.rights import LEVEL_NAMES, RIGHT_DESCRIPTIONS, RIGHT_LEVELS, ROUTE_RIGHTS, Right
from eventschema.dependencies import check_route_rights, scoped
from tests.app.helpers import app_settings

TEAM_DOC = Path(__file__).resolve().parents[2] / "docs" / "team.md"


async def _open() -> dict[str, str]:
    return {}


async def _scoped(principal: Annotated[Principal, Depends(scoped("project"))]) -> dict[str, str]:
    return {}


def _app() -> FastAPI:
    router = APIRouter(prefix="/api/things")
    router.add_api_route("/", _scoped, methods=["GET", "POST"])
    router.add_api_route("/public/", _open)
    app = FastAPI()
    app.include_router(router)
    app.add_api_route("/console/", _scoped)  # outside /api/, but it authenticates: it needs a right too
    app.add_api_route("/_internal/", _open)
    return app


FULL = {
    "GET /api/things/": Right.READ,
    "POST /api/things/": Right.EDIT_PLAN,
    "GET /api/things/public/": Right.PUBLIC,
    "GET /console/": Right.ACCOUNT,
}


def test_a_complete_table_passes_and_is_kept_by_route() -> None:
    app = _app()

    check_route_rights(app, FULL)

    assert sorted(app.state.route_rights.values()) == sorted(FULL.values())


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ({k: v for k, v in FULL.items() if k != "POST /api/things/"}, "POST /api/things/ has no right"),
        ({k: v for k, v in FULL.items() if k != "GET /console/"}, "GET /console/ has no right"),
        ({**FULL, "DELETE /api/things/": Right.EDIT_PLAN}, "DELETE /api/things/ names no route"),
        ({**FULL, "GET /api/things/public/": Right.READ}, "GET /api/things/public/ is read but authenticates nobody"),
        ({**FULL, "GET /api/things/": Right.PUBLIC}, "GET /api/things/ is public but authenticates"),
    ],
    ids=["missing", "authenticating route outside /api/", "stale", "unchecked right", "public but authenticated"],
)
def test_a_wrong_table_stops_the_start(table: dict[str, Right], problem: str) -> None:
    with pytest.raises(RuntimeError) as caught:
        check_route_rights(_app(), table)

    assert str(caught.value) == f"Route rights (auth/rights.py): {problem}"


def test_the_real_app_states_every_routes_right() -> None:
    app = create_app(app_settings())

    assert len(app.state.route_rights) == len(ROUTE_RIGHTS)


def test_the_documented_rights_table_is_the_codes() -> None:
    text = TEAM_DOC.read_text()
    table = text[text.index("<!-- rights -->") : text.index("<!-- /rights -->")]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \| (.+) \|$", table, re.MULTILINE)

    documented = {right: (level.strip(), allows) for right, level, allows in rows}
    expected = {}
    for right, level in RIGHT_LEVELS.items():
        shown = (
            LEVEL_NAMES[level]
            if level is not None
            else ("none (no key)" if right == Right.PUBLIC else "none (any key)")
        )
        expected[right.value] = (shown, RIGHT_DESCRIPTIONS[right])
    assert documented == expected


def test_one_route_object_under_two_paths_with_different_rights_is_refused() -> None:
    router = APIRouter()
    router.add_api_route("/", _scoped)
    app = FastAPI()
    app.include_router(router, prefix="/api/first")
    app.include_router(router, prefix="/api/second")

    with pytest.raises(RuntimeError) as caught:
        check_route_rights(app, {"GET /api/first/": Right.READ, "GET /api/second/": Right.EDIT_PLAN})

    assert str(caught.value) == (
        "Route rights (auth/rights.py): GET /api/second/ is a route also served elsewhere with another right"
    )
