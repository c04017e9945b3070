"""The local event log: accepted events, kept when no upstream PostHog is configured."""
