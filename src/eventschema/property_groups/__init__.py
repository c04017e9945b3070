"""Property groups: named, reusable sets of typed properties."""
