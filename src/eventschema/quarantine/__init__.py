"""Quarantine: events their definition or the upstream rejects, kept with their violations to inspect, replay
or delete."""
