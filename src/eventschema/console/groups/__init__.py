"""The Property groups pages: the list of a project's groups and a group's editor."""
