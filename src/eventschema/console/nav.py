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
    NavItem("settings", "Settings", "settings/"),
    NavItem("members", "Members", "members/"),
    NavItem("history", "History", "history/"),
    NavItem("drift", "Drift", "drift/"),
)
