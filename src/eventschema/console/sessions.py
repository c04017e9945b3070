"""Signing in and out: a session row per sign-in, its token in an HttpOnly, SameSite=Lax cookie.

The cookie holds a random token; the database keeps only its SHA-256 (as the row's id), so a copy of the table
signs nobody in. Each session has its own CSRF token, which every write the console makes sends back (a form field,
or X-CSRF-Token when it calls the API). Password checks run in a thread: Argon2 takes tens of milliseconds of CPU.
"""

import asyncio
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import Request
from starlette.responses import Response

from eventschema.auth import service as auth_service
from eventschema.auth.passwords import hash_password, verify_password
from eventschema.console import repository
from eventschema.db import Database
from eventschema.models import ConsoleSession, utcnow

COOKIE = auth_service.SESSION_COOKIE


@dataclass(frozen=True, slots=True)
class SignedIn:
    token: str
    expires_at: datetime


@cache
def _unknown_user_hash() -> str:
    """Checked against for an email nobody has, so a wrong email takes as long as a wrong password."""
    return hash_password(secrets.token_urlsafe(16))


async def _password_matches(stored: str | None, password: str) -> bool:
    if stored is None:
        await asyncio.to_thread(verify_password, _unknown_user_hash(), password)
        return False
    return await asyncio.to_thread(verify_password, stored, password)


async def sign_in(database: Database, email: str, password: str, days: int) -> SignedIn | None:
    """A new session (committed) for the active user with that email and password; None when they do not match.

    The password is checked outside any write transaction: on SQLite that would hold the database's one write lock
    for as long as Argon2 runs.
    """
    async with database.session(write=False) as session:
        row = await repository.user_for_sign_in(session, email)
    if not await _password_matches(row.password_hash if row is not None else None, password) or row is None:
        return None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    expires_at = now + timedelta(days=days)
    async with database.session(write=True) as session:
        await repository.delete_expired(session, row.id, now)
        await repository.add(
            session,
            ConsoleSession(
                id=auth_service.hash_session_token(token),
                user_id=row.id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=expires_at,
                last_seen_at=now,
            ),
        )
        await session.commit()
    return SignedIn(token=token, expires_at=expires_at)


async def sign_out(session: AsyncSession, session_id: str) -> None:
    await repository.delete_session(session, session_id)


def is_https(request: Request) -> bool:
    """Whether the browser reached us over https: the request's scheme, or the proxy's word when it is trusted."""
    if request.app.state.settings.trust_proxy_headers:
        forwarded = request.headers.get("x-forwarded-proto")
        if forwarded:
            return forwarded.split(",", 1)[0].strip().lower() == "https"
    return request.url.scheme == "https"


def set_cookie(response: Response, request: Request, signed_in: SignedIn) -> None:
    response.set_cookie(
        COOKIE,
        signed_in.token,
        expires=signed_in.expires_at,
        path="/",
        secure=is_https(request),
        httponly=True,
        samesite="lax",
    )


def clear_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(COOKIE, path="/", secure=is_https(request), httponly=True, samesite="lax")
