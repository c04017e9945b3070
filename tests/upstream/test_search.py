"""The search for refused events in a refused batch: what it settles and how many requests it costs."""

import math
import random
from collections import Counter
from collections.abc import Sequence

import pytest

from eventschema.upstream.answers import DELIVERED, REFUSED, RETRY, Answer
from eventschema.upstream.search import Search


class Upstream:
    """Refuses any batch holding a bad item; answers "later" from request number `stop_at` on."""

    def __init__(self, bad: set[int], stop_at: int | None = None) -> None:
        self.bad = bad
        self.stop_at = stop_at
        self.requests: list[list[int]] = []
        self.accepted: Counter[int] = Counter()

    async def send(self, items: Sequence[int]) -> Answer:
        self.requests.append(list(items))
        if self.stop_at is not None and len(self.requests) >= self.stop_at:
            return Answer(RETRY, 503)
        if self.bad.intersection(items):
            return Answer(REFUSED, 400, detail="bad")
        self.accepted.update(items)
        return Answer(DELIVERED, 200)


async def _search(n: int, bad: set[int], stop_at: int | None = None) -> tuple[Search[int], Upstream]:
    upstream = Upstream(bad, stop_at)
    items = list(range(n))
    first = await upstream.send(items)
    assert first.kind == REFUSED
    search: Search[int] = Search(upstream.send)
    await search.isolate(items, first)
    return search, upstream


@pytest.mark.parametrize("k", [1, 2, 3, 5, 8])
async def test_k_bad_events_in_500_cost_about_2_k_log2_n_requests(k: int) -> None:
    rng = random.Random(k)
    for _ in range(20):
        bad = set(rng.sample(range(500), k))
        search, upstream = await _search(500, bad)
        assert sorted(item for item, _ in search.refused) == sorted(bad)
        assert sorted(search.delivered) == sorted(set(range(500)) - bad)
        assert set(upstream.accepted.values()) == {1}
        assert search.left == [] and search.stopped is None
        assert all([item] in upstream.requests for item in bad)  # each refused alone
        assert len(upstream.requests) <= 2 * k * math.ceil(math.log2(500)) + 2


@pytest.mark.parametrize("n", [1, 2, 3, 17, 40, 500])
async def test_a_batch_refused_entirely_costs_at_most_one_and_a_half_requests_per_event(n: int) -> None:
    search, upstream = await _search(n, set(range(n)))
    assert sorted(item for item, _ in search.refused) == list(range(n))
    assert search.delivered == []
    assert sum(1 for request in upstream.requests if len(request) == 1) == n
    assert len(upstream.requests) <= 1.5 * n + 1


async def test_an_answer_that_says_later_stops_the_search_and_leaves_the_rest_unsettled() -> None:
    search, upstream = await _search(100, {3, 60}, stop_at=6)
    assert search.stopped is not None and search.stopped.status == 503
    assert len(upstream.requests) == 6
    settled = [*search.delivered, *(item for item, _ in search.refused), *search.left]
    assert sorted(settled) == list(range(100))
    assert {3, 60}.isdisjoint(search.delivered)
