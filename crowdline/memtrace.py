"""Memory tracing of a long-running process, for finding growth (off unless MEMTRACE_DIR is set;
never on in production by default).

With MEMTRACE_DIR=/some/dir a web process starts tracemalloc (MEMTRACE_FRAMES frames, default
15) and, every MEMTRACE_SECONDS (default 60), writes `<process>-<pid>-<n>.snap` (a tracemalloc
snapshot) and `<process>-<pid>-<n>.json` (object counts by type from `gc`, after a collection)
there. Compare two of them N tasks apart:

    python -m crowdline.memtrace DIR/web-123-2.snap DIR/web-123-9.snap
"""

from __future__ import annotations

import collections
import gc
import json
import logging
import os
import sys
import threading
import tracemalloc
from pathlib import Path

log = logging.getLogger(__name__)


def start_from_environment(environ, process: str) -> threading.Thread | None:
    """Start tracing when MEMTRACE_DIR is set; the dumping thread (a daemon), else None."""
    directory = environ.get("MEMTRACE_DIR")
    if not directory:
        return None
    frames = _number(environ, "MEMTRACE_FRAMES", 15, int)  # 0: object counts only
    every = max(1.0, _number(environ, "MEMTRACE_SECONDS", 60.0, float))
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    if frames:
        tracemalloc.start(frames)
    stop = threading.Event()
    thread = threading.Thread(target=_dump_every, args=(path, process, every, stop),
                              name="memtrace", daemon=True)  # fmt: skip
    thread.start()
    return thread


def _number(environ, name: str, default, kind):
    try:
        return kind(environ.get(name) or default)
    except ValueError:
        log.warning("%s=%r is not a number; using %s", name, environ.get(name), default)
        return default


def _dump_every(path: Path, process: str, every: float, stop: threading.Event) -> None:
    n = 0
    while not stop.wait(every):
        dump(path / f"{process}-{os.getpid()}-{n}", n)
        n += 1


def dump(stem: Path, n: int) -> None:
    """`stem`.json (object counts, Python's allocated blocks, the largest containers and what
    holds them) and, while tracing, `stem`.snap."""
    gc.collect()
    objects = gc.get_objects()
    counts = collections.Counter(type(o).__qualname__ for o in objects)
    types = dict(counts.most_common(300))
    largest = sorted((o for o in objects if isinstance(o, (dict, list, set, collections.deque))),
                     key=len, reverse=True)[:15]  # fmt: skip
    containers = [_describe(o) for o in largest]
    del objects, largest
    found = {"n": n, "blocks": sys.getallocatedblocks(), "types": types, "containers": containers}
    stem.with_suffix(".json").write_text(json.dumps(found))
    if tracemalloc.is_tracing():
        tracemalloc.take_snapshot().dump(str(stem.with_suffix(".snap")))


def _describe(container) -> str:
    """A big container: its size, a sample of its items and the chain of what holds it."""
    sample = list(container.items())[:2] if isinstance(container, dict) else list(container)[:3]
    return f"{type(container).__name__} len {len(container)} e.g. {repr(sample)[:200]} held by " + (
        " < ".join(_holders(container, depth=4))
    )


def _holders(thing, depth: int) -> list[str]:
    """Names of what refers to `thing`, walking up (functions holding a cell, modules)."""
    found = []
    for _ in range(depth):
        referrers = [r for r in gc.get_referrers(thing)
                     if not isinstance(r, list) and r is not sys._getframe()]  # fmt: skip
        if not referrers:
            break
        holder = referrers[0]
        if isinstance(holder, dict):
            owners = [m.__name__ for m in list(sys.modules.values())
                      if getattr(m, "__dict__", None) is holder]  # fmt: skip
            keys = [repr(k)[:40] for k, v in holder.items() if v is thing][:1]
            found.append(f"dict{keys}" + (f" of module {owners[0]}" if owners else ""))
            if owners:
                break
        elif type(holder).__name__ == "cell":
            functions = [f for f in gc.get_referrers(holder) if isinstance(f, tuple)]
            names = [getattr(g, "__qualname__", "?") for t in functions
                     for g in gc.get_referrers(t) if callable(g)]  # fmt: skip
            found.append(f"closure of {names[:2]}")
            break
        else:
            found.append(type(holder).__qualname__)
        thing = holder
    return found


def compare(before: str, after: str, top: int = 25) -> str:
    """The tracebacks whose memory grew most between two snapshots, and the object types whose
    counts grew most between their gc counts."""
    lines = []
    if Path(before).exists():
        old, new = tracemalloc.Snapshot.load(before), tracemalloc.Snapshot.load(after)
        for stat in new.compare_to(old, "traceback")[:top]:
            lines.append(f"{stat.size_diff / 1024:+.1f} KiB {stat.count_diff:+d} blocks")
            lines.extend(f"    {line}" for line in stat.traceback.format()[-12:])
    types_old = json.loads(Path(before).with_suffix(".json").read_text())["types"]
    types_new = json.loads(Path(after).with_suffix(".json").read_text())["types"]
    grown = sorted(((types_new[k] - types_old.get(k, 0), k) for k in types_new), reverse=True)
    blocks = [json.loads(Path(p).with_suffix(".json").read_text()).get("blocks") for p in
              (before, after)]  # fmt: skip
    lines.append(f"Python's allocated blocks: {blocks[0]} → {blocks[1]}")
    lines.append("object counts grown: " + ", ".join(f"{k} {d:+d}" for d, k in grown[:30]))
    lines.append("largest containers at the end:")
    lines.extend(f"    {c}" for c in json.loads(Path(after).with_suffix(".json").read_text()).get(
        "containers", []))  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    print(compare(sys.argv[1], sys.argv[2]))
