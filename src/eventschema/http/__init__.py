"""HTTP plumbing shared by every route, with no knowledge of any domain."""
