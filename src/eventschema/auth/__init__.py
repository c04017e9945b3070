"""Personal API keys, scopes, and the principal a request acts as."""
