"""Pages of event schemas (the rows a list page shows), kept by each process while they are known to be current.

The same rules as the compiled plans (`enforcement.cache`): every write that changes a project's links, its groups
or its definitions is a schema change (`enforcement.changes.schema_changed`), which drops the project's pages at
once in the process that made it and, through the schema listener, in the others. While the listener is connected
a kept page is used without asking the database; otherwise (SQLite, or the listener reconnecting) each use costs
one schema version query instead of the page's. Each page is stored with the version read before its rows, so a
change that commits in between makes it stale rather than wrong, and the listener's periodic version check
covers a notification that was lost.

A load that overlaps an invalidation does not store what it read. The pages kept are bounded in bytes (about
what their rows take); past the bound, the least recently used pages go.
"""

from collections.abc import Callable, Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.caching.lru import ByteLRU, size_of
from eventschema.db import AnyRow
from eventschema.enforcement import changes
from eventschema.enforcement.repository import schema_version
from eventschema.event_schemas import repository

Key = tuple[int, UUID | None, int, int]


class PageCache:
    def __init__(self, trusted: Callable[[], bool], max_bytes: int) -> None:
        """`trusted` tells whether every committed change is being heard (the schema listener is connected)."""
        self._trusted = trusted
        self._pages: ByteLRU[Key, tuple[int, Sequence[AnyRow]]] = ByteLRU(max_bytes)
        self._generation = 0
        changes.subscribe(self)

    @property
    def pages(self) -> ByteLRU[Key, tuple[int, Sequence[AnyRow]]]:
        return self._pages

    async def rows(
        self, session: AsyncSession, project_id: int, event_definition_id: UUID | None, limit: int, offset: int
    ) -> Sequence[AnyRow]:
        key = (project_id, event_definition_id, limit, offset)
        kept = self._pages.get(key)
        if kept is not None and (self._trusted() or await schema_version(session, project_id) == kept[0]):
            return kept[1]
        generation = self._generation
        version = await schema_version(session, project_id)
        found = await repository.page(session, project_id, event_definition_id, limit, offset)
        if generation == self._generation:
            self._pages.put(key, (version, found), size_of(found))
        return found

    def versions(self) -> dict[int, int]:
        """The oldest schema version a kept page of each project was read at."""
        oldest: dict[int, int] = {}
        for (project_id, *_rest), (version, _found) in self._pages.items():
            oldest[project_id] = min(version, oldest.get(project_id, version))
        return oldest

    def invalidate(self, project_id: int) -> None:
        self._generation += 1
        self._pages.drop(lambda key: key[0] == project_id)
