"""users: invite people, list members, change their level, remove them, set passwords.

The command line acts for whoever runs the server: it is not held to a level, only to the organization's own
rule that it keeps an owner. It works on the first organization (the one `bootstrap` made) unless told another.
"""

import asyncio
import sys
from typing import Annotated, Any
from uuid import UUID

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.auth import repository as auth_repository
from eventschema.auth.passwords import check_strength, hash_password
from eventschema.auth.rights import LEVEL_NAMES, Level, parse_level
from eventschema.cli.common import (
    DatabaseURLOption,
    JSONOption,
    command_group,
    database_url,
    fail,
    migrated,
    print_json,
    run_in_transaction,
)
from eventschema.invites import mail
from eventschema.invites import service as invites_service
from eventschema.invites.schemas import InviteCreate
from eventschema.members import service as members_service
from eventschema.routing import parse
from eventschema.settings import DEFAULT_PUBLIC_URL, get_settings
from eventschema.users import service as users_service

users_app = command_group("Invite people, list members, change their level, remove them, set passwords.")

EmailArgument = Annotated[str, typer.Argument(metavar="EMAIL", help="The person's email address.")]
OrganizationOption = Annotated[
    UUID | None,
    typer.Option("--organization", metavar="ID", help="The organization's id; default: the first one (bootstrap's)."),
]


def _level(name: str) -> Level:
    try:
        return parse_level(name)
    except ValueError as exc:
        fail(str(exc), 2)
        raise  # unreachable: fail() exits


async def _organization(session: AsyncSession, organization: UUID | None) -> UUID:
    return organization or await members_service.default_organization(session)


def _member_line(member: dict[str, Any]) -> str:
    user = member["user"]
    name = f"{user['first_name']} {user['last_name']}".strip()
    return f"{user['email']}\t{LEVEL_NAMES[Level(member['level'])]}\t{member['joined_at']:%Y-%m-%d}\t{name}"


@users_app.command("invite")
def invite(
    email: EmailArgument,
    level: Annotated[str, typer.Option(metavar="LEVEL", help="member, admin or owner.")] = "member",
    first_name: Annotated[str, typer.Option(metavar="NAME", help="How to greet them.")] = "",
    organization: OrganizationOption = None,
    as_json: JSONOption = False,
    url: DatabaseURLOption = None,
) -> None:
    """Invite someone: prints a one-time link (valid 72 hours) to set a password and join; sent by email too
    when EVENTSCHEMA_SMTP_HOST is set."""
    settings = get_settings()
    data = parse(InviteCreate, {"target_email": email, "level": int(_level(level)), "first_name": first_name})

    async def work(session: AsyncSession) -> invites_service.CreatedInvite:
        return await invites_service.create(
            session,
            await _organization(session, organization),
            data,
            None,
            base_url=settings.public_url or DEFAULT_PUBLIC_URL,
            emailing=mail.enabled(settings),
        )

    created = run_in_transaction(migrated(database_url(url)), work)
    sent = mail.enabled(settings) and asyncio.run(mail.send(settings, mail.invitation(settings, created)))
    if as_json:
        print_json({**created.invite, "invite_link": created.link, "email_sent": sent})
        return
    typer.echo(f"invited {email} as {level}{' (email sent)' if sent else ''}; link (shown once):\n{created.link}")


@users_app.command("list")
def list_users(
    organization: OrganizationOption = None, as_json: JSONOption = False, url: DatabaseURLOption = None
) -> None:
    """List the organization's members with their levels."""

    async def work(session: AsyncSession) -> list[dict[str, Any]]:
        _count, members = await members_service.list_members(
            session, await _organization(session, organization), None, 0
        )
        return members

    members = run_in_transaction(migrated(database_url(url)), work)
    if as_json:
        print_json(members)
        return
    for member in members:
        typer.echo(_member_line(member))


@users_app.command("set-level")
def set_level(
    email: EmailArgument,
    level: Annotated[str, typer.Argument(metavar="LEVEL", help="member, admin or owner.")],
    organization: OrganizationOption = None,
    as_json: JSONOption = False,
    url: DatabaseURLOption = None,
) -> None:
    """Change a member's level; their keys act with the new level from their next request."""
    new_level = _level(level)

    async def work(session: AsyncSession) -> dict[str, Any]:
        organization_id = await _organization(session, organization)
        member = await members_service.find_by_email(session, organization_id, email)
        return await members_service.change_level(session, organization_id, member.uuid, new_level, None)

    member = run_in_transaction(migrated(database_url(url)), work)
    if as_json:
        print_json(member)
        return
    typer.echo(f"{email} is now {level}")


@users_app.command("remove")
def remove(
    email: EmailArgument,
    organization: OrganizationOption = None,
    url: DatabaseURLOption = None,
) -> None:
    """Remove a member from the organization and revoke their personal API keys."""

    async def work(session: AsyncSession) -> None:
        organization_id = await _organization(session, organization)
        member = await members_service.find_by_email(session, organization_id, email)
        await members_service.remove(session, organization_id, member.uuid, None)

    run_in_transaction(migrated(database_url(url)), work)
    typer.echo(f"removed {email}")


def _read_password() -> str:
    if sys.stdin.isatty():
        password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        return password
    return sys.stdin.readline().rstrip("\r\n")


@users_app.command("rename")
def rename(
    email: EmailArgument,
    first_name: Annotated[str | None, typer.Option(metavar="NAME", help="The new first name.")] = None,
    last_name: Annotated[str | None, typer.Option(metavar="NAME", help="The new last name.")] = None,
    url: DatabaseURLOption = None,
) -> None:
    """Change a user's name (as shown in created_by and /api/users/@me/)."""

    async def work(session: AsyncSession) -> None:
        await users_service.rename(session, email, first_name, last_name)

    run_in_transaction(migrated(database_url(url)), work)
    typer.echo(f"renamed {email}")


@users_app.command("set-password")
def set_password(email: EmailArgument, url: DatabaseURLOption = None) -> None:
    """Set a user's password, read from a prompt (or the first line of standard input when it is not a terminal)."""
    password = _read_password()
    try:
        check_strength(password)
    except ValueError as exc:
        fail(str(exc), 2)
    password_hash = hash_password(password)

    async def work(session: AsyncSession) -> None:
        user = await auth_repository.find_user_by_email(session, email)
        if user is None:
            raise errors.NotFound(f"No user with email {email!r}.")
        user.password_hash = password_hash

    run_in_transaction(migrated(database_url(url)), work)
    typer.echo(f"password set for {email}")
