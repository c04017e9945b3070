"""Quarantine: events their definition rejects, kept with their violations to inspect, replay or delete."""
