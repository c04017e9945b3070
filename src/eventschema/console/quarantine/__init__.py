"""The Quarantine pages: the quarantined events, filtered by event, reason and time, each one's payload, and
replaying or deleting them through the API."""
