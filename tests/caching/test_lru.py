"""ByteLRU keeps at most its bytes, dropping the least recently used first; size_of counts what values hold."""

from uuid import uuid4

from eventschema.caching.lru import ByteLRU, size_of


def test_past_the_limit_the_least_recently_used_go() -> None:
    cache: ByteLRU[str, str] = ByteLRU(100)
    for key in "abcd":
        cache.put(key, key.upper(), 30)
    assert list(cache.keys()) == ["b", "c", "d"] and cache.bytes == 90
    assert cache.get("b") == "B"  # now the most recently used
    cache.put("e", "E", 30)
    assert list(cache.keys()) == ["d", "b", "e"] and cache.bytes == 90
    cache.put("b", "B2", 70)  # replacing an entry counts only its new size
    assert list(cache.keys()) == ["e", "b"] and cache.bytes == 100 and cache.get("b") == "B2"


def test_an_entry_larger_than_the_limit_is_not_kept_and_drop_and_pop_free_bytes() -> None:
    cache: ByteLRU[tuple[int, str], int] = ByteLRU(100)
    cache.put((1, "a"), 1, 40)
    cache.put((2, "a"), 2, 40)
    cache.put((1, "big"), 3, 101)
    assert (1, "big") not in cache and len(cache) == 2
    cache.drop(lambda key: key[0] == 1)
    assert list(cache.items()) == [((2, "a"), 2)] and cache.bytes == 40
    assert cache.pop((2, "a")) == 2 and cache.pop((2, "a")) is None and cache.bytes == 0
    nothing: ByteLRU[str, int] = ByteLRU(0)
    nothing.put("a", 1, 1)
    assert len(nothing) == 0


def test_size_of_grows_with_what_a_value_holds() -> None:
    small = [("a", 1, uuid4())]
    large = small * 100
    assert size_of(large) > 50 * size_of(small)
    assert size_of({"key": "x" * 1000}) > 1000
    assert size_of(uuid4()) > size_of(1)
