"""CSRF protection for the console's own forms.

Signed in, a form sends the session's CSRF token (`deps.Viewer.csrf_token`) in the `csrf_token` field; writes
through the API send it in X-CSRF-Token (`dependencies._authenticate_session`). The sign-in form has no session
yet, so it uses a double-submit cookie: a random value in a cookie and the same value in a hidden field, which a
page of another site can neither read nor set.
"""

import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

FIELD = "csrf_token"
LOGIN_COOKIE = "eventschema_login_csrf"
TOKEN_BYTES = 32
MAX_TOKEN = 100


def matches(presented: object, expected: str | None) -> bool:
    return (
        isinstance(presented, str)
        and bool(presented)
        and bool(expected)
        and hmac.compare_digest(presented.encode(), str(expected).encode())
    )


def login_token(request: Request) -> str:
    """The sign-in form's token: the browser's current one (other tabs keep working), or a new one."""
    current = request.cookies.get(LOGIN_COOKIE, "")
    if 20 <= len(current) <= MAX_TOKEN and current.isascii():
        return current
    return secrets.token_urlsafe(TOKEN_BYTES)


def set_login_cookie(response: Response, token: str, secure: bool) -> None:
    response.set_cookie(LOGIN_COOKIE, token, path="/", secure=secure, httponly=True, samesite="lax")


def login_matches(request: Request, presented: object) -> bool:
    return matches(presented, request.cookies.get(LOGIN_COOKIE))
