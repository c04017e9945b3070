"""Signing in and out of the console: the cookie, the stored session, CSRF on the forms, failed sign-ins throttled
per email and per address, and sessions that must stop working (expired, inactive, deleted or removed users)."""

import hashlib
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select, text, update

from eventschema.app import create_app
from eventschema.console.throttle import SignInThrottle
from eventschema.db import Database
from eventschema.members import service as members_service
from eventschema.models import ConsoleSession, User, utcnow
from tests.app.helpers import app_client, app_settings
from tests.console.helpers import PASSWORD, ConsoleUser, attempt_sign_in, console_user, login_csrf, sign_in

WRONG = "Wrong email or password."


async def _sessions(db: Database) -> list[ConsoleSession]:
    async with db.session(write=False) as session:
        return list((await session.execute(select(ConsoleSession))).scalars().all())


async def test_sign_in_sets_an_httponly_lax_cookie_and_stores_only_the_tokens_hash(client, db) -> None:
    user = await console_user(db)

    response = await attempt_sign_in(client, user.email, PASSWORD, next_path="/projects/1/events/?q=a")

    assert response.status_code == 303
    assert response.headers["location"] == "/projects/1/events/?q=a"
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("eventschema_session="))
    token = cookie.split(";", 1)[0].split("=", 1)[1]
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "path=/", "samesite=lax"} <= attributes
    assert "secure" not in attributes  # plain http
    stored = await _sessions(db)
    assert [row.id for row in stored] == [hashlib.sha256(token.encode()).hexdigest()]
    assert stored[0].user_id == user.account.user_id
    assert timedelta(days=13, hours=23) < stored[0].expires_at - stored[0].created_at <= timedelta(days=14)
    assert (await client.get("/")).headers["location"] == f"/projects/{user.project_id}/events/"


async def test_the_cookies_are_secure_over_https_and_behind_a_trusted_proxy_that_says_https(db) -> None:
    await console_user(db)
    for settings, base, headers in (
        (app_settings(), "https://testserver", {}),
        (app_settings(trust_proxy_headers=True), "http://testserver", {"X-Forwarded-Proto": "https"}),
    ):
        app = create_app(settings, database=db)
        async with app_client(app) as client:
            client.base_url = httpx.URL(base)
            form = await client.get("/login/", headers=headers)
            token = login_csrf(form.text)
            # The browser talks https to the proxy and sends the cookie back; this client talks http to the app.
            cookie = {"Cookie": f"eventschema_login_csrf={token}"}
            data = {"email": "owner@example.com", "password": PASSWORD, "csrf_token": token}
            response = await client.post("/login/", data=data, headers={**headers, **cookie})
        assert "secure" in form.headers["set-cookie"].lower()
        assert response.status_code == 303
        cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("eventschema_session="))
        assert "secure" in cookie.lower()


async def test_wrong_email_and_wrong_password_get_the_same_answer(client, db) -> None:
    user = await console_user(db)

    wrong_password = await attempt_sign_in(client, user.email, "not the password")
    wrong_email = await attempt_sign_in(client, "nobody@example.com", PASSWORD)

    for response in (wrong_password, wrong_email):
        assert response.status_code == 400
        assert WRONG in response.text
        assert "eventschema_session=" not in response.headers.get("set-cookie", "")
    assert await _sessions(db) == []


async def test_a_sign_in_without_the_forms_csrf_token_is_refused(client, db) -> None:
    user = await console_user(db)
    form = await client.get("/login/")
    token = login_csrf(form.text)

    missing = await client.post("/login/", data={"email": user.email, "password": PASSWORD})
    wrong = await client.post("/login/", data={"email": user.email, "password": PASSWORD, "csrf_token": token + "x"})
    client.cookies.clear()  # a page of another site posts the field, but cannot send the cookie's value
    no_cookie = await client.post("/login/", data={"email": user.email, "password": PASSWORD, "csrf_token": token})

    for response in (missing, wrong, no_cookie):
        assert response.status_code == 403
        assert "The sign-in form expired" in response.text
    assert await _sessions(db) == []


async def test_next_never_leaves_the_site(client, db) -> None:
    user = await console_user(db)
    for unsafe in (
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
    ):
        client.cookies.clear()
        response = await attempt_sign_in(client, user.email, PASSWORD, next_path=unsafe)
        assert response.headers["location"] == "/"


def _throttled_app(db: Database, **settings: object) -> FastAPI:
    app = create_app(app_settings(**settings), database=db)
    # A fixed clock, 20 seconds into a minute: five failures and the sixth attempt fall in the same minute.
    app.state.console_sign_in_throttle = SignInThrottle(clock=lambda: 1_000_040.0)
    return app


async def test_five_failures_for_one_email_then_429_even_from_other_addresses(db) -> None:
    user = await console_user(db)
    app = _throttled_app(db, trust_proxy_headers=True)
    async with app_client(app) as client:
        for attempt in range(5):
            headers = {"X-Forwarded-For": f"10.0.0.{attempt}"}
            response = await attempt_sign_in(client, user.email, "wrong password", headers=headers)
            assert response.status_code == 400
        throttled = await attempt_sign_in(client, user.email, PASSWORD, headers={"X-Forwarded-For": "10.0.1.1"})
        other_email = await attempt_sign_in(client, "other@example.com", "x", headers={"X-Forwarded-For": "10.0.1.2"})

    assert throttled.status_code == 429
    assert throttled.headers["retry-after"] == "40"
    assert "Too many failed sign-ins. Try again in 40 seconds." in throttled.text
    assert await _sessions(db) == []  # the right password did not help
    assert other_email.status_code == 400


async def test_five_failures_from_one_address_then_429_for_any_email(db) -> None:
    user = await console_user(db)
    app = _throttled_app(db)
    async with app_client(app) as client:
        for attempt in range(5):
            assert (await attempt_sign_in(client, f"guess{attempt}@example.com", "x")).status_code == 400
        throttled = await attempt_sign_in(client, user.email, PASSWORD)

    assert throttled.status_code == 429
    assert "Retry-After" in throttled.headers
    assert await _sessions(db) == []


async def test_sign_out_ends_the_session_and_needs_its_csrf_token(client, db) -> None:
    user = await console_user(db)
    csrf = await sign_in(client, user)

    refused = await client.post("/logout/", data={"csrf_token": "wrong"})
    assert refused.status_code == 403
    assert len(await _sessions(db)) == 1
    kept_cookie = client.cookies["eventschema_session"]

    response = await client.post("/logout/", data={"csrf_token": csrf})

    assert response.status_code == 303
    assert response.headers["location"] == "/login/"
    assert 'eventschema_session=""' in response.headers["set-cookie"]
    assert await _sessions(db) == []
    # The old cookie, sent again, signs nobody in.
    client.cookies.set("eventschema_session", kept_cookie)
    again = await client.get(user.page("events/"))
    assert again.status_code == 303
    assert again.headers["location"] == f"/login/?next={user.page('events/')}"


async def _refused(client: httpx.AsyncClient, user: ConsoleUser) -> None:
    page = await client.get(user.page("events/"))
    assert page.status_code == 303 and page.headers["location"].startswith("/login/")
    api = await client.get(f"/api/projects/{user.project_id}/event_definitions/")
    assert api.status_code == 401


async def test_an_expired_session_is_refused(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)
    async with db.session(write=True) as session:
        await session.execute(update(ConsoleSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        await session.commit()

    await _refused(client, user)


async def test_a_session_of_an_inactive_user_is_refused(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)
    async with db.session(write=True) as session:
        await session.execute(update(User).values(is_active=False))
        await session.commit()

    await _refused(client, user)


async def test_a_session_of_a_deleted_user_is_refused_and_gone(client, db) -> None:
    user = await console_user(db, email="leaving@example.com")
    await sign_in(client, user)
    async with db.session(write=True) as session:
        await session.execute(text("DELETE FROM personal_api_keys WHERE user_id = :id"), {"id": user.account.user_id})
        await session.execute(
            text("DELETE FROM organization_memberships WHERE user_id = :id"), {"id": user.account.user_id}
        )
        await session.execute(text("DELETE FROM users WHERE id = :id"), {"id": user.account.user_id})
        await session.commit()

    await _refused(client, user)
    assert await _sessions(db) == []


async def test_removing_a_member_signs_them_out(client, db) -> None:
    await console_user(db)
    user = await console_user(db, email="removed@example.com")
    await sign_in(client, user)
    async with db.session(write=True) as session:
        organization = await members_service.default_organization(session)
        member = await members_service.find_by_email(session, organization, user.email)
        await members_service.remove(session, organization, member.uuid, None)
        await session.commit()

    await _refused(client, user)
    assert await _sessions(db) == []


async def test_the_sign_in_page_sends_a_signed_in_user_on(client, db) -> None:
    user = await console_user(db)
    await sign_in(client, user)

    response = await client.get("/login/?next=/projects/1/events/")

    assert response.status_code == 303
    assert response.headers["location"] == "/projects/1/events/"
