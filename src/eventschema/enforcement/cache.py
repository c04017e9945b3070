"""Compiled plans per project, kept by each process and used only while they are current.

A plan is current while its schema version is the project's. Each use is given the version the caller read
(capture and the API read it with the credentials revision, in the statement `caching.revisions` shares among
the requests waiting together), or reads it itself (one indexed statement): so a change committed by any process
is applied to the next batch, whether or not its notification arrived. Notifications only free memory early.

A load that overlaps an invalidation must not store what it read, as it may predate the change: every
invalidation bumps a generation counter, and a load stores its plan only if the counter did not move.

The plans kept are bounded in bytes, each counted as what the rows it was compiled from take; past the bound,
the least recently used plans go. A plan larger than the whole bound is compiled for each use.
"""

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.caching.lru import ByteLRU, size_of
from eventschema.enforcement import changes, repository
from eventschema.enforcement.plan import ProjectPlan, build_plan


class PlanCache:
    def __init__(self, max_bytes: int) -> None:
        self._plans: ByteLRU[int, ProjectPlan] = ByteLRU(max_bytes)
        self._locks: dict[int, asyncio.Lock] = {}
        self._generation = 0
        # Whether this app's listener is connected (notifications arrive). Nothing trusts it in place of a check.
        self.notified = False
        changes.subscribe(self)

    def kept(self, project_id: int, version: int) -> ProjectPlan | None:
        """The project's plan if one is kept for `version` (its schema version, read before this call)."""
        plan = self._plans.get(project_id)
        return plan if plan is not None and plan.version == version else None

    async def get(self, session: AsyncSession, project_id: int, version: int | None = None) -> ProjectPlan:
        """The project's plan; `version` is its schema version read before this call, if the caller has it."""
        plan = self._plans.get(project_id)
        if plan is not None:
            if version is None:
                version = await repository.schema_version(session, project_id)
            if plan.version == version:
                return plan
        return await self._load(session, project_id, plan)

    async def _load(self, session: AsyncSession, project_id: int, stale: ProjectPlan | None) -> ProjectPlan:
        # One load per project at a time: concurrent requests after a change wait for it instead of compiling too.
        async with self._locks.setdefault(project_id, asyncio.Lock()):
            loaded = self._plans.get(project_id)
            if loaded is not None and loaded is not stale:
                return loaded
            generation = self._generation
            plan, size = await _read_plan(session, project_id)
            if generation == self._generation:
                self._plans.put(project_id, plan, size)
            return plan

    def versions(self) -> dict[int, int]:
        """The schema version each cached plan was built from, by project."""
        return {project_id: plan.version for project_id, plan in self._plans.items()}

    @property
    def plans(self) -> ByteLRU[int, ProjectPlan]:
        return self._plans

    def invalidate(self, project_id: int) -> None:
        self._generation += 1
        self._plans.pop(project_id)

    def clear(self) -> None:
        self._generation += 1
        self._plans.clear()


async def _read_plan(session: AsyncSession, project_id: int) -> tuple[ProjectPlan, int]:
    """The plan and about the bytes it takes; three statements, whatever the size of the tracking plan."""
    project = await repository.project_row(session, project_id)
    if project is None:
        raise errors.project_not_found()
    definitions = await repository.definitions(session, project_id)
    properties = await repository.linked_properties(session, project_id)
    plan = build_plan(project.schema_version, project.validation_mode, definitions, properties)
    return plan, size_of(definitions) + size_of(properties)
