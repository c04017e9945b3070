"""Compiled plans per project, kept by each process and trusted only while they are known to be current.

A plan is current while its schema version is the project's. While the PostgreSQL listener is connected
(`notified`), every committed change reaches `invalidate`, so a cached plan is used without asking the
database; otherwise (SQLite, or the listener reconnecting) each use costs one cheap version query.

A load that overlaps an invalidation must not store what it read, as it may predate the change: every
invalidation bumps a generation counter, and a load stores its plan only if the counter did not move.
"""

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema import errors
from eventschema.enforcement import changes, repository
from eventschema.enforcement.plan import ProjectPlan, build_plan


class PlanCache:
    def __init__(self) -> None:
        self._plans: dict[int, ProjectPlan] = {}
        self._locks: dict[int, asyncio.Lock] = {}
        self._generation = 0
        self.notified = False
        changes.subscribe(self)

    async def get(self, session: AsyncSession, project_id: int) -> ProjectPlan:
        plan = self._plans.get(project_id)
        if plan is not None and (self.notified or await repository.schema_version(session, project_id) == plan.version):
            return plan
        return await self._load(session, project_id, plan)

    async def _load(self, session: AsyncSession, project_id: int, stale: ProjectPlan | None) -> ProjectPlan:
        # One load per project at a time: concurrent requests after a change wait for it instead of compiling too.
        async with self._locks.setdefault(project_id, asyncio.Lock()):
            loaded = self._plans.get(project_id)
            if loaded is not None and loaded is not stale:
                return loaded
            generation = self._generation
            plan = await _read_plan(session, project_id)
            if generation == self._generation:
                self._plans[project_id] = plan
            return plan

    def versions(self) -> dict[int, int]:
        """The schema version each cached plan was built from, by project."""
        return {project_id: plan.version for project_id, plan in self._plans.items()}

    def invalidate(self, project_id: int) -> None:
        self._generation += 1
        self._plans.pop(project_id, None)

    def clear(self) -> None:
        self._generation += 1
        self._plans.clear()


async def _read_plan(session: AsyncSession, project_id: int) -> ProjectPlan:
    """Three statements, whatever the size of the tracking plan."""
    project = await repository.project_row(session, project_id)
    if project is None:
        raise errors.project_not_found()
    definitions = await repository.definitions(session, project_id)
    properties = await repository.linked_properties(session, project_id)
    return build_plan(project.schema_version, project.validation_mode, definitions, properties)
