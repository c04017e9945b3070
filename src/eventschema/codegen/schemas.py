"""The generated-code response: exactly the four keys PostHog's CLI reads."""

from pydantic import BaseModel


class GeneratedCodeRead(BaseModel):
    content: str
    event_count: int
    schema_hash: str
    generator_version: str
