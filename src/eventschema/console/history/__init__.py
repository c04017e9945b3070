"""The History page: the plan's versions with their diffs, and the activity log."""
