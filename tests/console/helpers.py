"""Signing in to the console over HTTP (httpx against the app, on each back end), for the page and security tests.

user = await console_user(db)                  # an owner of a project, with a password (and an API key)
csrf = await sign_in(client, user)             # the client now holds the session cookie; csrf: its token
page = await client.get(user.page("events/"))  # /projects/<id>/events/
"""

import re
from dataclasses import dataclass

import httpx
from sqlalchemy import update

from eventschema.auth.passwords import hash_password
from eventschema.db import Database
from eventschema.models import User
from tests.factories import Account, make_account, make_member

PASSWORD = "correct horse battery"
_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
_CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
# Hashing with Argon2's parameters takes a while: one hash serves every test.
_HASH: list[str] = []


@dataclass
class ConsoleUser:
    account: Account
    password: str

    @property
    def email(self) -> str:
        return self.account.email

    @property
    def project_id(self) -> int:
        return self.account.project_id

    def page(self, path: str = "") -> str:
        return f"/projects/{self.account.project_id}/{path}"


def password_hash() -> str:
    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    return _HASH[0]


async def set_password(database: Database, user_id: int) -> None:
    async with database.session(write=True) as session:
        await session.execute(update(User).where(User.id == user_id).values(password_hash=password_hash()))
        await session.commit()


async def console_user(database: Database, email: str = "owner@example.com", project: str = "Project") -> ConsoleUser:
    """An owner of `project` (created if needed) with the password PASSWORD and a personal API key."""
    account = await make_account(database, email=email, project=project)
    await set_password(database, account.user_id)
    return ConsoleUser(account, PASSWORD)


async def console_member(database: Database, project_id: int, email: str, level: int = 1) -> ConsoleUser:
    account = await make_member(database, project_id, email, level)
    await set_password(database, account.user_id)
    return ConsoleUser(account, PASSWORD)


def login_csrf(html: str) -> str:
    found = _CSRF_FIELD.search(html)
    assert found, html
    return found[1]


def page_csrf(html: str) -> str:
    """The session's CSRF token, from a page's <meta name="csrf-token">."""
    found = _CSRF_META.search(html)
    assert found, html
    return found[1]


async def attempt_sign_in(
    client: httpx.AsyncClient, email: str, password: str, headers: dict[str, str] | None = None, next_path: str = "/"
) -> httpx.Response:
    """The sign-in form fetched and posted, as a browser would."""
    form = await client.get("/login/", headers=headers)
    token = login_csrf(form.text)
    data = {"email": email, "password": password, "csrf_token": token, "next": next_path}
    return await client.post("/login/", data=data, headers=headers)


async def sign_in(client: httpx.AsyncClient, user: ConsoleUser) -> str:
    """Sign `user` in on `client` (which keeps the cookie); the session's CSRF token."""
    response = await attempt_sign_in(client, user.email, user.password)
    assert response.status_code == 303, response.text
    page = await client.get(user.page("events/"))
    assert page.status_code == 200, page.text
    return page_csrf(page.text)
