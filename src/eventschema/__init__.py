"""eventschema: a self-hostable event schema registry, wire-compatible with PostHog's Event Schemas API."""

__version__ = "0.2.0"
