"""Personal API key values: generated once, shown once, stored only as a hash."""

import hashlib

from eventschema.ids import random_base62

KEY_PREFIX = "phx_"
KEY_RANDOM_LENGTH = 47


def generate_key() -> str:
    return KEY_PREFIX + random_base62(KEY_RANDOM_LENGTH)


def hash_key(value: str) -> str:
    return "sha256$" + hashlib.sha256(value.encode()).hexdigest()


def mask_key(value: str) -> str:
    return f"{value[:4]}...{value[-4:]}"


MAX_LABEL_LENGTH = 40
LABEL_TOO_LONG = f"Ensure this field has no more than {MAX_LABEL_LENGTH} characters."


def check_label(label: str) -> str:
    """A key's label, at most MAX_LABEL_LENGTH characters; raises ValueError (PostHog's wording) otherwise."""
    if len(label) > MAX_LABEL_LENGTH:
        raise ValueError(LABEL_TOO_LONG)
    return label
