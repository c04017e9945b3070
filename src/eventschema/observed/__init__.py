"""Observed traffic: what the gateway learns from the events it sees, the drift from the plan, proposals."""
