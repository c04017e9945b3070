"""Users: who owns keys and creates schema objects."""
