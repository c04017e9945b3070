"""Enforcement: each project's schemas compiled into checkers, cached per schema version, and the validate API."""
