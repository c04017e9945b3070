"""What PostHog's SDKs call besides capture: CORS for browsers on other origins, feature flags and remote config."""
