"""Organization members: who belongs to an organization, at which level, and the rules for changing that."""
