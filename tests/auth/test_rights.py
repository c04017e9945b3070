"""Every route of the app, tried by every kind of user: what each may do follows auth/rights.py.

The routes come from the app itself, so a new route is tried here without anyone adding it: it fails at start-up
without a right, and here if its right is not enforced. Allowed requests may still fail for their own reasons
(an empty body, an unknown id), never with 401 or 403; refused ones are 403 before the handler runs.
"""

from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from eventschema.app import create_app
from eventschema.auth.rights import ROUTE_RIGHTS, Level, Right, allows, route_key
from eventschema.db import Database
from eventschema.dependencies import LEVEL_TOO_LOW
from tests.app.helpers import app_settings
from tests.members.team import Team, make_team

LEVELS = {"member": Level.MEMBER, "admin": Level.ADMIN, "owner": Level.OWNER}
# "demoted": an admin whose key has just been used, then whose level an owner lowers to member (a key loses its
# user's rights on the very next request).
WHO = ["member", "admin", "owner", "demoted", "removed", "outsider"]


def _routes() -> list[tuple[str, str]]:
    app = create_app(app_settings())
    found = []
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute) or not (context.path or "").startswith("/api/"):
            continue
        for method in sorted(context.methods or ()):
            if ROUTE_RIGHTS[route_key(method, context.path)] != Right.PUBLIC:
                found.append((method, context.path))
    return found


ROUTES = _routes()


class _Ids(dict[str, Any]):
    """Path parameters; any id not named here (`id`, `property_id`, `invite_id`, ...) is an unknown uuid."""

    def __missing__(self, key: str) -> str:
        return "0196f7b0-0000-7000-8000-000000000000"


def _url(path: str, team: Team, who: str) -> str:
    ids = _Ids(
        project_id=team.project_id,
        organization_id=team.organization_id,
        # Changing someone: the plain member; removing someone: oneself (leaving, which every member may do).
        user_uuid=team.uuids["target"],
    )
    return path.format_map(ids)


async def _demote(client, team: Team) -> None:
    response = await client.patch(team.members_url("demoted"), json={"level": 1}, headers=team.headers("owner"))
    assert response.status_code == 200, response.text


def _expected(method: str, path: str, who: str) -> str:
    right = ROUTE_RIGHTS[route_key(method, path)]
    if who == "removed":
        return "401"
    if who == "outsider":
        return "allowed" if allows(None, right) else "no access"
    level = Level.MEMBER if who == "demoted" else LEVELS[who]
    return "allowed" if allows(level, right) else "level"


def _outcome(response) -> str:
    if response.status_code == 401:
        return "401"
    if response.status_code != 403:
        return "allowed"
    detail = response.json()["detail"]
    if detail == LEVEL_TOO_LOW:
        return "level"
    if detail in ("You don't have access to the project.", "You don't have access to the organization."):
        return "no access"
    return f"403 {detail}"


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
async def test_every_route_by_every_kind_of_user(client, db: Database, method: str, path: str) -> None:
    team = await make_team(db)
    # The demoted admin's key is remembered by the server (auth_cache_seconds) before the change.
    warm = await client.get(f"/api/projects/{team.project_id}/", headers=team.headers("demoted"))
    assert warm.status_code == 200
    outcomes = {}
    for who in WHO:
        if who == "demoted":
            await _demote(client, team)
        url = _url(path, team, who)
        if method == "DELETE" and "{user_uuid}" in path:
            url = url.replace(str(team.uuids["target"]), str(team.uuids[who]))
        response = await client.request(method, url, json={}, headers=team.headers(who))
        outcomes[who] = _outcome(response)

    assert outcomes == {who: _expected(method, path, who) for who in WHO}


def test_the_matrix_covers_writes_of_every_right() -> None:
    writes = {ROUTE_RIGHTS[route_key(m, p)] for m, p in ROUTES if m not in ("GET", "HEAD")}
    assert {Right.EDIT_PLAN, Right.LEAVE, Right.MANAGE_PROJECT, Right.MANAGE_MEMBERS, Right.READ} <= writes
