"""Identifiers: time-ordered UUIDs for schema objects, random secrets for keys and tokens."""

import os
import secrets
import string
import time
import uuid

_BASE62 = string.ascii_letters + string.digits


def uuid7() -> uuid.UUID:
    """A version-7 UUID: 48 bits of Unix milliseconds, then randomness.

    Time-ordered ids keep primary-key inserts at the end of the index.
    """
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    rand_a = rand >> 68
    rand_b = rand & ((1 << 62) - 1)
    return uuid.UUID(int=(millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b)


def random_base62(length: int) -> str:
    return "".join(secrets.choice(_BASE62) for _ in range(length))
