"""The left-hand navigation: one line per page, in the order shown. A page's templates name their entry by key
(`{% set nav = "events" %}`) so it is marked as the current one."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NavItem:
    key: str
    label: str
    # Under /projects/{project_id}/.
    path: str


NAV: tuple[NavItem, ...] = (
    NavItem("events", "Events", "events/"),
    NavItem("groups", "Property groups", "groups/"),
    NavItem("violations", "Violations", "violations/"),
    NavItem("quarantine", "Quarantine", "quarantine/"),
    NavItem("live", "Live events", "live/"),
    NavItem("drift", "Drift", "drift/"),
    NavItem("history", "History", "history/"),
    NavItem("code", "Code", "code/"),
    NavItem("members", "Members", "members/"),
    NavItem("settings", "Settings", "settings/"),
)
