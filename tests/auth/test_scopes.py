"""auth/scopes.py: parsing and granting scopes."""

import pytest

from eventschema.auth.scopes import grants, needed_scope, parse_scopes

VALID = (
    "event_definition:read|write, organization_member:read|write, personal_api_key:read|write, "
    "project:read|write, user:read|write"
)


def test_parse_a_list() -> None:
    assert parse_scopes("event_definition:write, project:read,event_definition:read") == [
        "event_definition:read",
        "event_definition:write",
        "project:read",
    ]


def test_parse_removes_duplicates_and_blanks() -> None:
    assert parse_scopes(" user:read , ,user:read,") == ["user:read"]


def test_parse_star() -> None:
    assert parse_scopes("*") == ["*"]
    assert parse_scopes("*, project:read") == ["*", "project:read"]


@pytest.mark.parametrize("raw", ["", "   ", ",", " , , "])
def test_parse_needs_a_scope(raw: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_scopes(raw)

    assert str(caught.value) == "at least one scope is required"


@pytest.mark.parametrize(
    "scope",
    [
        "bogus",
        "event_definition",
        "event_definition:delete",
        "property_group:read",
        "Project:read",
        "project:READ",
        "**",
    ],
)
def test_parse_refuses_unknown_scopes(scope: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_scopes(f"user:read,{scope}")

    assert str(caught.value) == f"unknown scope {scope!r}; valid scopes are '*' and {VALID}"


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("GET", "project:read"),
        ("HEAD", "project:read"),
        ("OPTIONS", "project:read"),
        ("POST", "project:write"),
        ("PUT", "project:write"),
        ("PATCH", "project:write"),
        ("DELETE", "project:write"),
    ],
)
def test_needed_scope(method: str, expected: str) -> None:
    assert needed_scope("project", method) == expected


def test_grants() -> None:
    assert grants(["event_definition:read"], "event_definition:read")
    assert grants(["event_definition:write"], "event_definition:read")
    assert grants(["event_definition:write"], "event_definition:write")
    assert grants(["*"], "event_definition:write")
    assert grants(("*",), "user:read")
    assert not grants(["event_definition:read"], "event_definition:write")
    assert not grants(["project:write"], "event_definition:read")
    assert not grants([], "user:read")
