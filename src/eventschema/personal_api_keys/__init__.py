"""/api/personal_api_keys/ — the requesting user's own personal API keys, in PostHog's shape."""
