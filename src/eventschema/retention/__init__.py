"""Deleting what is no longer kept: old violation counters, and old events where a retention is configured."""
