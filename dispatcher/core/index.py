"""An ordered index of ids by key, for "first eligible in strategy order" walks without a scan."""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator
from random import Random
from typing import Any


class OrderedIndex:
    """Ids kept sorted by (*key, id); add/discard are O(log n) searches plus a list shift.

    Walk it with iteration and stop before changing it: the walk reads the live list.
    """

    __slots__ = ("_entries", "_keys")

    def __init__(self) -> None:
        self._entries: list[tuple] = []  # (*key, item): flat tuples compare fastest
        self._keys: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def __bool__(self) -> bool:
        return bool(self._keys)

    def __contains__(self, item: str) -> bool:
        return item in self._keys

    def __iter__(self) -> Iterator[str]:
        for entry in self._entries:
            yield entry[-1]

    def entries(self) -> list[tuple]:
        """The live sorted list of (*key, item) tuples: the fastest walk (do not change it)."""
        return self._entries

    def key_of(self, item: str) -> Any:
        return self._keys[item]

    def add(self, item: str, key: tuple) -> None:
        """Insert `item` at `key` (a tuple), moving it if already present."""
        if item in self._keys:
            self.discard(item)
        self._keys[item] = key
        insort(self._entries, (*key, item))

    def discard(self, item: str) -> bool:
        key = self._keys.pop(item, None)
        if key is None:
            return False
        entries = self._entries
        del entries[bisect_left(entries, (*key, item))]
        return True

    def first(self) -> str | None:
        return self._entries[0][-1] if self._entries else None

    def shuffled_runs(self, rng: Random) -> Iterator[str]:
        """Runs of equal keys in key order, each run walked in a uniformly random order.

        Each run is a lazy Fisher-Yates shuffle (O(1) per member yielded, no copy), so the
        first member that passes any filter is uniform among those that pass: skipping an
        ineligible member does not hand its share to a neighbour.
        """
        entries = self._entries
        start, n = 0, len(entries)
        while start < n:
            key = entries[start][:-1]
            end = bisect_right(entries, key, lo=start, key=_entry_key)
            size = end - start
            moved: dict[int, int] = {}  # position -> member index swapped there
            for i in range(size):
                j = rng.randrange(i, size) if i < size - 1 else i
                pick = moved.get(j, j)
                moved[j] = moved.get(i, i)
                yield entries[start + pick][-1]
            start = end


def _entry_key(entry: tuple) -> tuple:
    return entry[:-1]
