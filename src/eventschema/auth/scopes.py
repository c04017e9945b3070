"""Scopes are data: `<object>:read` / `<object>:write`, `:write` implies `:read`, `*` grants everything."""

from collections.abc import Iterable

SCOPE_OBJECTS = ("event_definition", "organization_member", "personal_api_key", "project", "user")
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALL_SCOPES = "*"


def needed_scope(scope_object: str, method: str) -> str:
    return f"{scope_object}:{'read' if method in READ_METHODS else 'write'}"


def grants(scopes: Iterable[str], needed: str) -> bool:
    granted = set(scopes)
    if ALL_SCOPES in granted or needed in granted:
        return True
    scope_object, _, level = needed.partition(":")
    return level == "read" and f"{scope_object}:write" in granted


def parse_scopes(raw: str) -> list[str]:
    """'event_definition:read, project:read' or '*' -> a validated list; raises ValueError otherwise."""
    return validate_scopes([part.strip() for part in raw.split(",") if part.strip()])


def validate_scopes(scopes: Iterable[str]) -> list[str]:
    """A list of scopes, checked and deduplicated (sorted); raises ValueError naming the first unknown one."""
    scopes = list(scopes)
    if not scopes:
        raise ValueError("at least one scope is required")
    for scope in scopes:
        if scope == ALL_SCOPES:
            continue
        scope_object, _, level = scope.partition(":")
        if scope_object not in SCOPE_OBJECTS or level not in ("read", "write"):
            valid = ", ".join(f"{o}:read|write" for o in SCOPE_OBJECTS)
            raise ValueError(f"unknown scope {scope!r}; valid scopes are '*' and {valid}")
    return sorted(set(scopes))


def within(requested: Iterable[str], held: Iterable[str]) -> bool:
    """Whether every requested scope is granted by the held ones (a key never makes a key stronger than itself)."""
    held = tuple(held)
    return all(grants(held, scope) if scope != ALL_SCOPES else ALL_SCOPES in held for scope in requested)
