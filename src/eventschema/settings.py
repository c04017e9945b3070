"""One settings object, read from EVENTSCHEMA_* environment variables when asked for, never at import."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("eventschema.db")


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
    rate_limit_enabled: bool = Field(default=True, description="Per-key rate limits for personal API key requests.")
    rate_limit_burst_per_minute: int = Field(default=480, ge=1)
    rate_limit_sustained_per_hour: int = Field(default=4800, ge=1)
    page_size_max: int = Field(default=1000, ge=1, description="Upper bound for ?limit= on list endpoints.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
