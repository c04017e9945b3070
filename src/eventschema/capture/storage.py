"""Writing what capture requests produced: several requests' work in one transaction, one statement per table.

`Batch` turns the work of several requests into the rows of each table. They are written, in this order, by
`store` through the SQLAlchemy session (SQLite), or by `capture.postgres.PostgresWriter` straight on asyncpg
(PostgreSQL, the hot path): definitions of the event names due for a `last_seen_at` update (created when new),
the accepted events (event log or outbox), the quarantined ones, and the violation counters.
"""

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.capture import repository
from eventschema.capture.delivery import Delivery, deliver
from eventschema.capture.triage import Rejected, Triage
from eventschema.enforcement import repository as enforcement_repository
from eventschema.enforcement.service import current_hour
from eventschema.quarantine import repository as quarantine_repository
from eventschema.settings import Settings

# (project id, hour, event, property, reason)
CounterKey = tuple[int, datetime, str, str, str]


class UnknownProject(LookupError):
    """Some of the works are for projects that no longer exist (deleted after their API key was looked up).

    The event log, quarantine and outbox have no foreign key to projects, so every commit checks its projects
    first, and on PostgreSQL locks them (FOR KEY SHARE) until it commits, so that none can be deleted meanwhile.
    """

    def __init__(self, missing: set[int]) -> None:
        super().__init__(f"no such project: {', '.join(map(str, sorted(missing)))}")
        self.missing = missing


@dataclass(slots=True)
class Work:
    """What one capture request has to write."""

    project_id: int
    token: str
    received_at: datetime
    triage: Triage
    # Event names whose definitions are to be created or marked as seen.
    due: list[str]

    @property
    def size(self) -> int:
        return len(self.triage.accepted) + len(self.triage.rejected)


@dataclass(frozen=True, slots=True)
class Batch:
    """The rows that the work of several requests adds, table by table."""

    projects: list[int]
    # (project id, event name) -> when it was seen.
    seen: dict[tuple[int, str], datetime]
    deliveries: list[Delivery]
    rejected: list[tuple[int, datetime, Rejected]]
    counts: Counter[CounterKey]

    @classmethod
    def of(cls, works: Sequence[Work]) -> "Batch":
        counts: Counter[CounterKey] = Counter()
        for work in works:
            hour = current_hour(work.received_at)
            for (event, prop, reason), count in work.triage.counts.items():
                counts[work.project_id, hour, event, prop, reason] += count
        return cls(
            projects=sorted({work.project_id for work in works}),
            seen={(work.project_id, name): work.received_at for work in works for name in work.due},
            deliveries=[Delivery(w.project_id, w.token, w.received_at, w.triage.accepted) for w in works],
            rejected=[(work.project_id, work.received_at, item) for work in works for item in work.triage.rejected],
            counts=counts,
        )

    def require_projects(self, found: Iterable[int]) -> None:
        """Raise UnknownProject unless all of the batch's projects were `found` (and locked) in the database."""
        if missing := set(self.projects).difference(found):
            raise UnknownProject(missing)


async def store(session: AsyncSession, settings: Settings, works: Sequence[Work]) -> None:
    batch = Batch.of(works)
    batch.require_projects(await repository.lock_projects(session, batch.projects))
    await repository.touch_definitions(session, batch.seen)
    await deliver(session, settings, batch.deliveries)
    await quarantine_repository.add(session, batch.rejected)
    await enforcement_repository.add_violation_counts(session, batch.counts)
