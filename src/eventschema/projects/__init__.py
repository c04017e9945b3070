"""Projects: the unit every tracking plan belongs to."""
