"""The tracking plan as a document: export, diff, classify and apply it (see README, "Your tracking plan in git")."""
