"""Finding the events an upstream refuses in a batch it refused, so that the others are delivered.

The batch is split in halves and each half sent; a half the upstream accepts is delivered, a refused one is
split again, until each refused event stands alone. When one half is accepted the other must hold a culprit,
so it is split without being sent whole. Each culprit costs at most two requests per halving (about
2·k·log2(n) requests for k bad events in n). Once both halves of a group of at most ONE_BY_ONE_AT events are
refused, its events are sent one by one: there, culprits are dense enough that halving costs more requests
than it saves, and a batch refused entirely costs about 1.4 requests per event instead of 2.

An event is only declared refused when the upstream refused it alone. An answer that says "later" (5xx, 408,
429, no connection) stops the search; what it had not settled is left to be retried whole.
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

from eventschema.upstream.answers import DELIVERED, REFUSED, Answer

T = TypeVar("T")
ONE_BY_ONE_AT = 16


class Search(Generic[T]):
    def __init__(self, send: Callable[[Sequence[T]], Awaitable[Answer]]) -> None:
        self._send = send
        self.delivered: list[T] = []
        self.refused: list[tuple[T, Answer]] = []
        self.left: list[T] = []
        # The answer that stopped the search, when one did.
        self.stopped: Answer | None = None

    async def isolate(self, items: Sequence[T], refusal: Answer | None = None) -> None:
        """Settle `items`, which hold at least one refused event: `refusal` is the upstream's answer when they
        were sent together, None when that is only inferred."""
        if self.stopped is not None:
            self.left.extend(items)
            return
        if len(items) == 1:
            if refusal is None:
                refusal = await self._try(items)
            if refusal is not None:
                self.refused.append((items[0], refusal))
            return
        middle = len(items) // 2
        first, second = items[:middle], items[middle:]
        first_refusal = await self._try(first)
        if first_refusal is None:
            await self.isolate(second)
            return
        second_refusal = await self._try(second)
        if second_refusal is None:
            await self.isolate(first, first_refusal)
        elif len(items) <= ONE_BY_ONE_AT:
            await self._one_by_one(first, first_refusal)
            await self._one_by_one(second, second_refusal)
        else:
            await self.isolate(first, first_refusal)
            await self.isolate(second, second_refusal)

    async def _one_by_one(self, items: Sequence[T], refusal: Answer) -> None:
        if len(items) == 1:
            await self.isolate(items, refusal)
            return
        for item in items:
            await self.isolate([item])

    async def _try(self, items: Sequence[T]) -> Answer | None:
        """Send `items`: their refusal, or None when they were delivered or set aside for a later retry."""
        if self.stopped is not None:
            self.left.extend(items)
            return None
        answer = await self._send(items)
        if answer.kind == DELIVERED:
            self.delivered.extend(items)
        elif answer.kind == REFUSED:
            return answer
        else:
            self.stopped = answer
            self.left.extend(items)
        return None
