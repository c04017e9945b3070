"""A mapping bounded by the bytes its values take, dropping the least recently used entries past its limit.

Sizes are what each cache says its values cost (the bytes of a rendered body, or an estimate for rows and
compiled plans); the bound is on their sum. An entry larger than the whole limit is not kept at all.
"""

import sys
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence, Set
from typing import Generic, TypeVar
from uuid import UUID

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ByteLRU(Generic[K, V]):
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._bytes = 0

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def keys(self) -> Iterator[K]:
        return iter(list(self._entries))

    def items(self) -> Iterator[tuple[K, V]]:
        return iter([(key, entry[0]) for key, entry in self._entries.items()])

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return entry[0]

    def put(self, key: K, value: V, size: int) -> None:
        self.pop(key)
        if size > self.max_bytes:
            return
        self._entries[key] = (value, size)
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, (_, dropped) = self._entries.popitem(last=False)
            self._bytes -= dropped

    def pop(self, key: K) -> V | None:
        entry = self._entries.pop(key, None)
        if entry is None:
            return None
        self._bytes -= entry[1]
        return entry[0]

    def drop(self, predicate: Callable[[K], bool]) -> None:
        for key in [key for key in self._entries if predicate(key)]:
            self.pop(key)

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0


def size_of(value: object) -> int:
    """About the bytes `value` takes with what it holds (rows, tuples, lists, dicts, strings, numbers), for the
    caches that keep objects rather than bytes; shared objects are counted at each place they appear."""
    size = sys.getsizeof(value)
    if isinstance(value, str | bytes | int | float | bool) or value is None:
        return size
    if isinstance(value, UUID):
        return size + 44  # its 128-bit int
    if isinstance(value, dict):
        return size + sum(size_of(k) + size_of(v) for k, v in value.items())
    if isinstance(value, Sequence | Set):
        return size + sum(size_of(item) for item in value)
    return size
