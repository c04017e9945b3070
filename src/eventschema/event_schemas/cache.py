"""Pages of event schemas (the rows a list page shows), kept by each process and used while they are current.

Every write that changes a project's links, its groups or its definitions is a schema change
(`enforcement.changes.schema_changed`), which moves the project's schema version. Each use of a kept page is given
that version as the request read it (`caching.revisions`: one statement, shared by concurrent requests, instead of
the page's) and uses the page only if it was read at the same version; so a write is seen by the next request
on every process, whether or not a notification reached it (notifications only free the memory early). Each page
is stored with the version read before its rows, so a change that commits in between makes it stale rather than
wrong.

A load that overlaps an invalidation does not store what it read. The pages kept are bounded in bytes (about
what their rows take); past the bound, the least recently used pages go.
"""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.caching.lru import ByteLRU, size_of
from eventschema.db import AnyRow
from eventschema.enforcement import changes
from eventschema.event_schemas import repository

Key = tuple[int, UUID | None, int, int]


class PageCache:
    def __init__(self, max_bytes: int) -> None:
        self._pages: ByteLRU[Key, tuple[int, Sequence[AnyRow]]] = ByteLRU(max_bytes)
        self._generation = 0
        changes.subscribe(self)

    @property
    def pages(self) -> ByteLRU[Key, tuple[int, Sequence[AnyRow]]]:
        return self._pages

    async def rows(
        self,
        session: AsyncSession,
        version: int,
        project_id: int,
        event_definition_id: UUID | None,
        limit: int,
        offset: int,
    ) -> Sequence[AnyRow]:
        """The page, read now or kept from a read at schema version `version` (read before this call)."""
        key = (project_id, event_definition_id, limit, offset)
        kept = self._pages.get(key)
        if kept is not None and kept[0] == version:
            return kept[1]
        generation = self._generation
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
