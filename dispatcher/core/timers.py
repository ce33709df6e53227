"""A deadline heap: timers fire in deadline order without scanning the routing state."""

from __future__ import annotations

import heapq
from collections.abc import Hashable


class TimerHeap:
    """Timers keyed by a hashable key; scheduling a key again replaces it, cancel is O(1).

    Canceled entries stay in the heap until they surface or the heap is compacted.
    """

    __slots__ = ("_heap", "_live", "_seq")

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Hashable]] = []
        self._live: dict[Hashable, int] = {}
        self._seq = 0

    def __len__(self) -> int:
        return len(self._live)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._live

    def schedule(self, key: Hashable, at: float) -> None:
        """Fire `key` at time `at` (seconds), replacing any earlier schedule of it."""
        self._seq += 1
        self._live[key] = self._seq
        heapq.heappush(self._heap, (at, self._seq, key))
        if len(self._heap) > 64 and len(self._heap) > 4 * len(self._live):
            self._compact()

    def cancel(self, key: Hashable) -> None:
        self._live.pop(key, None)

    def next_deadline(self) -> float | None:
        """Earliest live deadline, or None when nothing is scheduled."""
        self._drop_dead()
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now: float) -> Hashable | None:
        """Remove and return the earliest live key due at or before `now`, else None."""
        self._drop_dead()
        heap = self._heap
        if not heap or heap[0][0] > now:
            return None
        _, _, key = heapq.heappop(heap)
        del self._live[key]
        return key

    def _drop_dead(self) -> None:
        heap, live = self._heap, self._live
        while heap and live.get(heap[0][2]) != heap[0][1]:
            heapq.heappop(heap)

    def _compact(self) -> None:
        live = self._live
        self._heap = [entry for entry in self._heap if live.get(entry[2]) == entry[1]]
        heapq.heapify(self._heap)
