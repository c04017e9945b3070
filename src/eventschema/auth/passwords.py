"""Passwords: stored only as Argon2id hashes (argon2-cffi's recommended parameters)."""

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 1024

_hasher = PasswordHasher()


def check_strength(password: str) -> None:
    """Raises ValueError for a password too short to guess slowly or too long to hash quickly."""
    if len(password) < MIN_LENGTH:
        raise ValueError(f"A password must have at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise ValueError(f"A password must have at most {MAX_LENGTH} characters.")


def generate_password() -> str:
    """A random password to hand out once (22 URL-safe characters, 128 bits)."""
    return secrets.token_urlsafe(16)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches the stored hash; a user without one matches nothing."""
    if not stored:
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
