"""A team in one organization (owner, admin, member, a member to act on, a removed member, an admin to
demote) and a user of another organization, each with a personal API key, for the rights tests."""

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select

from eventschema.db import Database
from eventschema.members import service as members_service
from eventschema.models import Project, User
from tests.app.helpers import foreign_project
from tests.factories import Account, make_account, make_member


@dataclass
class Team:
    organization_id: UUID
    project_id: int
    owner: Account
    admin: Account
    member: Account
    target: Account
    removed: Account
    outsider: Account
    demoted: Account
    uuids: dict[str, UUID]

    def headers(self, who: str) -> dict[str, str]:
        return getattr(self, who).headers  # type: ignore[no-any-return]

    def members_url(self, user: str = "", organization: str | None = None) -> str:
        base = f"/api/organizations/{organization or self.organization_id}/members/"
        return base + (f"{self.uuids[user]}/" if user else "")


async def user_uuid(database: Database, user_id: int) -> UUID:
    async with database.session(write=False) as session:
        return (await session.execute(select(User.uuid).where(User.id == user_id))).scalar_one()


async def make_team(database: Database) -> Team:
    owner = await make_account(database)
    project_id = owner.project_id
    accounts = {
        "owner": owner,
        "admin": await make_member(database, project_id, "admin@example.com", 8),
        "member": await make_member(database, project_id, "member@example.com", 1),
        "target": await make_member(database, project_id, "target@example.com", 1),
        "removed": await make_member(database, project_id, "removed@example.com", 1),
        "outsider": await make_member(database, await foreign_project(database), "outsider@example.com", 15),
        "demoted": await make_member(database, project_id, "demoted@example.com", 8),
    }
    uuids = {name: await user_uuid(database, account.user_id) for name, account in accounts.items()}
    async with database.session(write=True) as session:
        organization_id = (
            await session.execute(select(Project.organization_id).where(Project.id == project_id))
        ).scalar_one()
        await members_service.remove(session, organization_id, uuids["removed"], None)
        await session.commit()
    return Team(organization_id=organization_id, project_id=project_id, uuids=uuids, **accounts)
