"""Numbered plan versions: given in commit order by whoever first needs them, and rebuilt from entity states.

Writers append states without a number (see `recorder`). `seal` numbers, under the project's row lock, every
change set committed since the last one, in the order they were written: a change set still uncommitted is
invisible, and gets the next number once it commits and someone looks. A version's number, time, author and
content therefore never change once it has been shown.
"""

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.history import repository
from eventschema.history.states import States, live


def is_number(text: str) -> bool:
    """Digits 0-9 only (str.isdigit also takes "¹", which int() refuses)."""
    return text.isascii() and text.isdigit()


async def seal(session: AsyncSession, project_id: int) -> int:
    """Numbers what is pending and returns the project's latest version (0: none yet)."""
    if not await repository.lock_project(session, project_id):
        raise errors.project_not_found()
    pending = await repository.unsealed(session, project_id)
    latest = await repository.latest_version(session, project_id)
    for change_set in pending:
        latest += 1
        actor = await repository.actor_of(session, change_set.first_id)
        await repository.number(session, project_id, change_set.change_key, latest, actor, change_set.created_at)
    return latest


async def states_at(session: AsyncSession, project_id: int, version: int) -> States:
    """Every live entity of version `version`, as it was then."""
    found: dict[tuple[str, str], dict[str, object] | None] = {}
    for row in await repository.states_up_to(session, project_id, version):
        found[(row.kind, row.entity_id)] = row.state
    return live({key: state for key, state in found.items() if state is not None})


async def resolve(session: AsyncSession, project_id: int, at: str, latest: int) -> int:
    """`at` as a version number, or as a moment (ISO 8601): the latest version made at or before it."""
    if is_number(at):
        version = int(at)
        if version > latest:
            raise errors.NotFound(f"Version {version} does not exist; the latest is {latest}.")
        return version
    try:
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        raise errors.ValidationError("Must be a version number or an ISO 8601 time.", attr="at") from None
    if moment.tzinfo is None:
        raise errors.ValidationError("A time needs its offset (Z for UTC).", attr="at")
    return await repository.version_at(session, project_id, moment)
