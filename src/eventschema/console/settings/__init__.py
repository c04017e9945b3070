"""The Settings page: the project's validation mode and API key, and the user's personal API keys."""
