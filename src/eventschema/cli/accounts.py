"""bootstrap, projects and keys: setting up who may use the API."""

from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.auth import service as auth_service
from eventschema.auth.passwords import generate_password, hash_password
from eventschema.auth.scopes import parse_scopes
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
from eventschema.projects import service as projects_service

projects_app = command_group("Create and list projects, rotate their API keys.")
SCOPES_HELP = "Comma-separated, e.g. 'event_definition:read,event_definition:write', or '*' for everything."
keys_app = command_group("Create, list and revoke personal API keys.")


def bootstrap(
    email: Annotated[str, typer.Option(metavar="EMAIL", help="The user to create (or reuse).")] = "admin@localhost",
    project: Annotated[str, typer.Option(metavar="NAME", help="The project to create (or reuse).")] = "Default project",
    as_json: JSONOption = False,
    url: DatabaseURLOption = None,
) -> None:
    """Create (idempotently) an organization, a project, a user, and a NEW personal API key with scope '*'.

    A user without a password (the one it creates) gets a generated one for the web console, printed once."""
    password = generate_password()
    password_hash = hash_password(password)

    async def work(session: AsyncSession) -> tuple[int, str, bool]:
        account = await projects_service.ensure_account(session, email=email, project_name=project)
        key = await auth_service.create_key(session, email=email, scopes=["*"], projects=None, label="bootstrap")
        password_set = await auth_service.set_password_if_none(session, account.user.id, password_hash)
        return account.project.id, key.value, password_set

    project_id, api_key, password_set = run_in_transaction(migrated(database_url(url)), work)
    if as_json:
        print_json(
            {
                "project_id": project_id,
                "api_key": api_key,
                "email": email,
                "password": password if password_set else None,
            }
        )
        return
    typer.echo(f"project id: {project_id}\nuser:       {email}\napi key:    {api_key}  (shown once; store it now)")
    if password_set:
        typer.echo(f"password:   {password}  (shown once; sign in to the console with it)")
    else:
        typer.echo(f"password:   unchanged (set a new one with: eventschema users set-password {email})")


@projects_app.command("create")
def create_project(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The new project's name.")],
    as_json: JSONOption = False,
    url: DatabaseURLOption = None,
) -> None:
    """Create a project in the bootstrap organization."""

    async def work(session: AsyncSession) -> tuple[int, str, str]:
        created = await projects_service.create_project(session, name)
        return created.id, created.name, created.api_token

    project_id, project_name, _token = run_in_transaction(migrated(database_url(url)), work)
    if as_json:
        print_json({"id": project_id, "name": project_name})
        return
    typer.echo(f"created project {project_id}: {project_name}")


@projects_app.command("list")
def list_projects(as_json: JSONOption = False, url: DatabaseURLOption = None) -> None:
    """List every project with its id and public project API key."""

    async def work(session: AsyncSession) -> list[dict[str, object]]:
        return [
            {"id": p.id, "name": p.name, "api_token": p.api_token, "organization": str(p.organization_id)}
            for p in await projects_service.all_projects(session)
        ]

    projects = run_in_transaction(migrated(database_url(url)), work)
    if as_json:
        print_json(projects)
        return
    for item in projects:
        typer.echo(f"{item['id']}\t{item['name']}\t{item['api_token']}")


@projects_app.command("rotate-token")
def rotate_token(
    project_id: Annotated[int, typer.Argument(metavar="ID", help="The project's id.")],
    as_json: JSONOption = False,
    url: DatabaseURLOption = None,
) -> None:
    """Give a project a new public project API key (phc_...); the old one is refused from then on."""

    async def work(session: AsyncSession) -> str:
        return (await projects_service.rotate_token(session, project_id)).api_token

    token = run_in_transaction(migrated(database_url(url)), work)
    if as_json:
        print_json({"id": project_id, "api_token": token})
        return
    typer.echo(f"project {project_id}: new api token {token}")


@keys_app.command("create")
def create_key(
    email: Annotated[str, typer.Option(metavar="EMAIL", help="The key's owner.")],
    scopes: Annotated[
        str,
        typer.Option(
            metavar="SCOPES", help="Comma-separated, e.g. 'event_definition:read,event_definition:write' or '*'."
        ),
    ],
    project: Annotated[
        list[int] | None,
        typer.Option("--project", metavar="ID", help="Limit the key to this project (repeatable)."),
    ] = None,
    label: Annotated[str, typer.Option(metavar="LABEL", help="A name to recognise the key by.")] = "",
    as_json: JSONOption = False,
    url: DatabaseURLOption = None,
) -> None:
    """Create a personal API key; its value is printed once."""
    try:
        parsed = parse_scopes(scopes)
    except ValueError as exc:
        fail(str(exc), 2)
        return

    async def work(session: AsyncSession) -> auth_service.CreatedKey:
        return await auth_service.create_key(session, email=email, scopes=parsed, projects=project, label=label)

    key = run_in_transaction(migrated(database_url(url)), work)
    if as_json:
        print_json({"id": key.id, "api_key": key.value, "scopes": key.scopes})
        return
    limits = f" (projects {', '.join(map(str, key.scoped_teams))})" if key.scoped_teams else ""
    typer.echo(f"key {key.id}: {key.value}  scopes {','.join(key.scopes)}{limits}  (shown once; store it now)")


@keys_app.command("list")
def list_keys(as_json: JSONOption = False, url: DatabaseURLOption = None) -> None:
    """List keys (masked) with their owners, scopes and last use."""
    keys = run_in_transaction(migrated(database_url(url)), auth_service.list_keys)
    if as_json:
        print_json(keys)
        return
    for key in keys:
        scoped = key["scoped_teams"] or "all"
        typer.echo(
            f"{key['id']}\t{key['mask_value']}\t{key['email']}\t{','.join(key['scopes'])}\tprojects={scoped}"  # type: ignore[arg-type]
            f"\tlast_used={key['last_used_at'] or 'never'}\t{key['label']}"
        )


@keys_app.command("update")
def update_key(
    key_id: Annotated[str, typer.Argument(metavar="ID", help="The key's id (from keys list).")],
    scopes: Annotated[
        str | None, typer.Option(metavar="SCOPES", help="New comma-separated scopes (replacing the old ones).")
    ] = None,
    project: Annotated[
        list[int] | None,
        typer.Option("--project", metavar="ID", help="Limit the key to these projects instead (repeatable)."),
    ] = None,
    all_projects: Annotated[bool, typer.Option("--all-projects", help="Lift the key's project limit.")] = False,
    url: DatabaseURLOption = None,
) -> None:
    """Change a key's scopes or projects; every server applies them from its next request."""
    if project and all_projects:
        fail("give --project or --all-projects, not both", 2)
    try:
        parsed = parse_scopes(scopes) if scopes is not None else None
    except ValueError as exc:
        fail(str(exc), 2)
        return

    async def work(session: AsyncSession) -> None:
        await auth_service.update_key(session, key_id, scopes=parsed, projects=project, all_projects=all_projects)

    run_in_transaction(migrated(database_url(url)), work)
    typer.echo(f"updated key {key_id}")


@keys_app.command("revoke")
def revoke_key(
    key_id: Annotated[str, typer.Argument(metavar="ID", help="The key's id (from keys list).")],
    url: DatabaseURLOption = None,
) -> None:
    """Delete a key; requests using it are refused from then on."""

    async def work(session: AsyncSession) -> None:
        await auth_service.revoke_key(session, key_id)

    run_in_transaction(migrated(database_url(url)), work)
    typer.echo(f"revoked key {key_id}")
