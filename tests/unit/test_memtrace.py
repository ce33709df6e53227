"""The memory tracing of crowdline.memtrace: off unless MEMTRACE_DIR is set; two dumps compared
name the line whose allocations grew and the types whose counts grew."""

from __future__ import annotations

import tracemalloc

from crowdline import memtrace


class Grower:
    pass


def test_tracing_is_off_unless_memtrace_dir_is_set():
    assert memtrace.start_from_environment({}, "web") is None
    assert memtrace.start_from_environment({"MEMTRACE_DIR": ""}, "web") is None


def test_two_dumps_compared_name_what_grew(tmp_path):
    tracemalloc.start(1)
    try:
        memtrace.dump(tmp_path / "web-1-0", 0)
        kept = [Grower() for _ in range(5000)]  # the leak under study
        memtrace.dump(tmp_path / "web-1-1", 1)
    finally:
        tracemalloc.stop()
    report = memtrace.compare(str(tmp_path / "web-1-0.snap"), str(tmp_path / "web-1-1.snap"))
    assert "test_memtrace.py" in report.splitlines()[1]  # the top growth: the line above
    assert "Grower +5000" in report
    assert len(kept) == 5000
