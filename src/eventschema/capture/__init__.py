"""The PostHog SDK capture endpoints: decode what SDKs send, check each event, keep every one of them."""
