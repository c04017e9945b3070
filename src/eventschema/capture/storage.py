"""Writing what capture requests produced: several requests' work in one transaction, one statement per table.

Definitions of the event names due for a `last_seen_at` update are written first (created when new), then the
accepted events (event log or outbox), the quarantined ones, and the violation counters.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from eventschema.capture import repository
from eventschema.capture.delivery import Delivery, deliver
from eventschema.capture.triage import Triage
from eventschema.enforcement import repository as enforcement_repository
from eventschema.enforcement.service import current_hour
from eventschema.quarantine import repository as quarantine_repository
from eventschema.settings import Settings


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


async def store(session: AsyncSession, settings: Settings, works: Sequence[Work]) -> None:
    seen = {(work.project_id, name): work.received_at for work in works for name in work.due}
    await repository.touch_definitions(session, seen)
    deliveries = [Delivery(w.project_id, w.token, w.received_at, w.triage.accepted) for w in works]
    await deliver(session, settings, deliveries)
    rejected = [(work.project_id, work.received_at, item) for work in works for item in work.triage.rejected]
    await quarantine_repository.add(session, rejected)
    counts: Counter[tuple[int, datetime, str, str, str]] = Counter()
    for work in works:
        hour = current_hour(work.received_at)
        for (event, prop, reason), count in work.triage.counts.items():
            counts[work.project_id, hour, event, prop, reason] += count
    await enforcement_repository.add_violation_counts(session, counts)
