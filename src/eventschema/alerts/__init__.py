"""Alerts: per-project webhooks called when an event's violations in one hour reach a threshold."""
