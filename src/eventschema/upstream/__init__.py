"""Forwarding accepted events to an upstream PostHog through an outbox table, so an outage loses nothing."""
