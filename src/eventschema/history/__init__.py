"""The history of each project's tracking plan: entity states per write, numbered versions, the activity log."""
