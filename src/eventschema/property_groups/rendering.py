"""Property groups rendered to JSON once per revision and reused across pages and requests.

A page of 100 event schemas nests about 100 groups of 12 properties each (~450 KB). Rendering each
group from rows on every request is most of the cost of such a page, and groups change rarely;
so each process keeps a group's JSON keyed by (id, revision) and only fetches and renders the groups
whose revision it has not seen. `revision` is bumped by every write that changes what a group shows. The JSON
kept is bounded in bytes; past the bound, the least recently used groups go (and are rendered again if asked).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.auth.principal import user_basic
from eventschema.caching.lru import ByteLRU
from eventschema.property_groups import repository
from eventschema.rendering import dumps


def property_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "property_type": row.property_type,
        "is_required": row.is_required,
        "is_optional_in_types": row.is_optional_in_types,
        "description": row.description,
        "validation_rules": row.validation_rules,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def group_dict(group: Any, properties: Iterable[Any], events: Iterable[Any]) -> dict[str, Any]:
    return {
        "id": group.group_id,
        "name": group.group_name,
        "description": group.group_description,
        "properties": [property_dict(p) for p in sorted(properties, key=lambda p: p.name)],
        "events": [{"id": e.id, "name": e.name} for e in sorted(events, key=lambda e: (e.name.lower(), e.name))],
        "created_at": group.group_created_at,
        "updated_at": group.group_updated_at,
        "created_by": user_basic(group),
    }


ENTRY_OVERHEAD = 200  # the key, the revision, the fragment and the entry around the bytes


class GroupRenderer:
    """Renders groups to orjson fragments, caching them per (id, revision) in this process."""

    def __init__(self, max_bytes: int) -> None:
        self._cache: ByteLRU[UUID, tuple[int, orjson.Fragment]] = ByteLRU(max_bytes)

    @property
    def cache(self) -> ByteLRU[UUID, tuple[int, orjson.Fragment]]:
        return self._cache

    async def render(self, session: AsyncSession, wanted: Sequence[tuple[UUID, int]]) -> dict[UUID, orjson.Fragment]:
        """Fragments for the (group id, revision) pairs asked for; at most three statements for the misses."""
        found: dict[UUID, orjson.Fragment] = {}
        missing: list[UUID] = []
        cache = self._cache
        for group_id, revision in wanted:
            entry = cache.get(group_id)
            if entry is not None and entry[0] == revision:
                found[group_id] = entry[1]
            elif group_id not in found:
                missing.append(group_id)
        if missing:
            found.update(await self._render_missing(session, list(dict.fromkeys(missing))))
        return found

    async def _render_missing(self, session: AsyncSession, group_ids: list[UUID]) -> dict[UUID, orjson.Fragment]:
        groups, properties, events = await repository.render_rows(session, group_ids)
        properties_by_group: dict[UUID, list[Any]] = defaultdict(list)
        for row in properties:
            properties_by_group[row.property_group_id].append(row)
        events_by_group: dict[UUID, list[Any]] = defaultdict(list)
        for row in events:
            events_by_group[row.property_group_id].append(row)
        rendered: dict[UUID, orjson.Fragment] = {}
        for group in groups:
            group_id = group.group_id
            rendered_bytes = dumps(group_dict(group, properties_by_group[group_id], events_by_group[group_id]))
            fragment = orjson.Fragment(rendered_bytes)
            self._cache.put(group_id, (group.revision, fragment), len(rendered_bytes) + ENTRY_OVERHEAD)
            rendered[group_id] = fragment
        return rendered

    async def render_one(self, session: AsyncSession, project_id: int, group_id: UUID) -> orjson.Fragment | None:
        rows = await repository.revisions(session, project_id, [group_id])
        if not rows:
            return None
        return (await self.render(session, [(rows[0].id, rows[0].revision)])).get(group_id)
