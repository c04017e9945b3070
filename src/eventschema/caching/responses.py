"""Generated code and plan documents, kept as the bytes sent, for the plan revision they were built from.

Building either for a 1,000-event plan takes most of a second; sending it again, a few milliseconds. Each
request reads the project's plan revision (`enforcement.repository.plan_revision`: one indexed statement) and
uses the kept body only if it was built at that revision, so every process serves what the database holds
now, whatever process made the change and whether or not a notification arrived. The revision is read before
the plan, so a change committed in between makes a kept body newer than its revision, never older; the next
request reads the new revision and builds again.
"""

from collections.abc import Awaitable, Callable, Hashable

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.caching.lru import ByteLRU
from eventschema.enforcement import changes
from eventschema.enforcement.repository import plan_revision

Body = tuple[bytes, str]  # the body and its media type
Key = tuple[int, Hashable]  # (project id, what variant of the representation)


class ResponseCache:
    def __init__(self, max_bytes: int) -> None:
        self._bodies: ByteLRU[Key, tuple[tuple[int, int], Body]] = ByteLRU(max_bytes)
        changes.subscribe(self)

    @property
    def entries(self) -> ByteLRU[Key, tuple[tuple[int, int], Body]]:
        return self._bodies

    async def body(
        self, session: AsyncSession, project_id: int, variant: Hashable, build: Callable[[], Awaitable[Body]]
    ) -> Body:
        key = (project_id, variant)
        revision = await plan_revision(session, project_id)
        kept = self._bodies.get(key)
        if kept is not None and kept[0] == revision:
            return kept[1]
        built = await build()
        self._bodies.put(key, (revision, built), len(built[0]) + 200)
        return built

    def invalidate(self, project_id: int) -> None:
        # Only frees memory early: a kept body is never used at another revision anyway.
        self._bodies.drop(lambda key: key[0] == project_id)
