"""One settings object, read from EVENTSCHEMA_* environment variables when asked for, never at import."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("eventschema.db")


DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
"""Where links point when `public_url` is unset and no request says where the server is reached."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EVENTSCHEMA_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        description="sqlite:///path.db or postgresql://user:pass@host:5432/db; the async driver is chosen internally.",
    )
    database_pool_size: int = Field(
        default=20, ge=1, description="PostgreSQL connections kept per worker process (as many again may open briefly)."
    )
    trust_proxy_headers: bool = Field(
        default=False, description="Build absolute URLs from X-Forwarded-Proto/X-Forwarded-Host."
    )
    cors_allowed_origins: list[str] = Field(
        default=[],
        description="Web origins (https://console.example.com, or *) allowed to call the /api/ routes from a browser; "
        "the capture, flags and config routes are open to every origin.",
    )
    rate_limit_enabled: bool = Field(default=True, description="Per-key rate limits for personal API key requests.")
    rate_limit_burst_per_minute: int = Field(default=480, ge=1)
    rate_limit_sustained_per_hour: int = Field(default=4800, ge=1)
    api_max_body_bytes: int = Field(
        default=1024 * 1024, ge=1024, description="Largest /api/ request body; routes that take batches allow more."
    )
    api_max_batch_body_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024, description="Largest body of the /api/ routes that take batches of events."
    )
    auth_failures_per_minute: int = Field(
        default=20,
        ge=0,
        description="Failed authentications allowed per client address per minute; past them every request from "
        "that address gets 429 until the minute ends. 0 turns this off.",
    )
    auth_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long a server keeps a personal API key it has checked, so steady traffic is not one key "
        "lookup per request. Each use checks that no change to keys or memberships committed since (one "
        "statement), so a revoked or reduced key is refused by the next request on every server. 0 looks every "
        "key up on every request.",
    )
    cache_max_bytes: int = Field(
        default=64 * 1024 * 1024,
        ge=0,
        description="Memory each server process may use for what it keeps between requests (generated code and "
        "plan documents, pages of event schemas, rendered property groups, compiled schemas, checked API keys), in "
        "bytes; past it the least recently used entries go. 0 keeps nothing.",
    )
    console_session_days: int = Field(
        default=14, ge=1, description="How long a sign-in to the web console lasts before the password is asked again."
    )
    page_size_max: int = Field(default=1000, ge=1, description="Upper bound for ?limit= on list endpoints.")
    capture_max_payload_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1024, description="Largest capture request body accepted, after decompression."
    )
    upstream_url: str | None = Field(
        default=None,
        description="PostHog to forward accepted events to (e.g. https://us.i.posthog.com); unset: keep them in "
        "the local event log.",
    )
    upstream_api_key: str | None = Field(
        default=None, description="Project API key sent upstream instead of the one each event arrived with."
    )
    upstream_batch_size: int = Field(default=500, ge=1, le=10_000, description="Events per upstream request.")
    upstream_timeout_seconds: float = Field(default=10.0, gt=0, description="Timeout of one upstream request.")
    upstream_max_backoff_seconds: float = Field(
        default=300.0, gt=0, description="Longest wait between retries while the upstream fails."
    )

    event_log_retention_days: int | None = Field(
        default=None, ge=1, description="Delete event log entries received longer ago than this; unset: keep them."
    )
    quarantine_retention_days: int | None = Field(
        default=None, ge=1, description="Delete quarantined events received longer ago than this; unset: keep them."
    )
    retention_interval_seconds: float = Field(
        default=600.0, gt=0, description="How often each process deletes what is past its retention."
    )

    public_url: str | None = Field(
        default=None,
        description="The address people reach this server at (https://schemas.example.com), for the links in "
        "invitations and alerts; unset: the address a request came to (the command line: http://127.0.0.1:8000).",
    )
    smtp_host: str | None = Field(
        default=None, description="Mail server that sends invitations; unset: no email, the link is shown instead."
    )
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", description="starttls (port 587), ssl (port 465), or none (a relay on a trusted network)."
    )
    smtp_username: str | None = Field(default=None, description="Sign in to the mail server as this user, if set.")
    smtp_password: str | None = Field(default=None)
    smtp_from: str = Field(default="eventschema@localhost", description="The sender of invitations.")
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    observe_flush_seconds: float = Field(
        default=1.0, gt=0, description="How often each process writes what the gateway observed (and at shutdown)."
    )
    observe_max_events: int = Field(
        default=5000, ge=1, description="Event names tracked per project; events of further names count as overflow."
    )
    observe_max_properties: int = Field(
        default=10_000, ge=1, description="Property names tracked per event; further ones count as its overflow."
    )
    violation_history_days: int = Field(
        default=30, ge=1, description="How long hourly violation counters are kept (then pruned by retention)."
    )
    alert_interval_seconds: float = Field(
        default=10.0, gt=0, description="How often each process checks alert thresholds and sends pending alerts."
    )
    alert_timeout_seconds: float = Field(default=10.0, gt=0, description="Timeout of one alert webhook request.")
    alert_max_backoff_seconds: float = Field(
        default=300.0, gt=0, description="Longest wait between retries of an alert its receiver did not accept."
    )

    access_log: bool = Field(default=True, description="Log one line per HTTP request (eventschema.access).")
    log_format: Literal["text", "json"] = Field(
        default="text", description="text, or json: one JSON object per line for log shippers."
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", description="Least severe level of eventschema's own log lines."
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
