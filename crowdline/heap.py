"""The native (C) heap of a long-running process, on glibc.

A web process serves every request and every Socket.IO event on a thread (gunicorn's gthread
pool, plus a new thread per socket event), and glibc gives threads their own malloc arenas (up
to 8 per core). Memory freed in an arena stays in the process until its top chunk happens to be
free, so the resident size crept up ~30 KiB per task handled although the Python heap did not
grow (tracemalloc flat; `malloc_trim(0)` gave back 20 MiB of a 195 MiB process). So each
process caps its arenas (MALLOC_ARENA_MAX, default 2, unless the operator set the variable) and
a `HeapTrimmer` thread hands freed memory back to the system every minute. Elsewhere than on
glibc both are no-ops.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import tempfile
import threading
from pathlib import Path

log = logging.getLogger(__name__)
ARENA_MAX = 2
M_ARENA_MAX = -8  # glibc's mallopt parameter
TRIM_EVERY = 60.0


def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    needed = ("mallopt", "malloc_trim", "malloc_info", "fopen", "fclose")
    return libc if all(hasattr(libc, name) for name in needed) else None


_LIBC = _libc()
if _LIBC is not None:
    _LIBC.fopen.restype = ctypes.c_void_p
    _LIBC.fopen.argtypes = (ctypes.c_char_p, ctypes.c_char_p)
    _LIBC.fclose.argtypes = (ctypes.c_void_p,)
    _LIBC.malloc_info.argtypes = (ctypes.c_int, ctypes.c_void_p)


def cap_arenas(environ=os.environ, default: int = ARENA_MAX) -> bool:
    """Limit this process's malloc arenas (before its threads start); MALLOC_ARENA_MAX in the
    environment wins (glibc reads it itself). True when a cap was set here."""
    if _LIBC is None or environ.get("MALLOC_ARENA_MAX"):
        return False
    return bool(_LIBC.mallopt(M_ARENA_MAX, default))


def trim() -> bool:
    """Give the free memory of every arena back to the system; True when some was."""
    return bool(_LIBC.malloc_trim(0)) if _LIBC is not None else False


def arena_count() -> int | None:
    """How many malloc arenas this process has (glibc's malloc_info), None when unknown."""
    if _LIBC is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "malloc.xml"
        stream = _LIBC.fopen(str(path).encode(), b"w")
        if not stream:
            return None
        try:
            _LIBC.malloc_info(0, stream)
        finally:
            _LIBC.fclose(stream)
        return path.read_text().count("<heap nr=")


class HeapTrimmer:
    """The loop started by an entry point (with the process's other loops): trims every
    `every` seconds."""

    def __init__(self, *, every: float = TRIM_EVERY) -> None:
        self.every = every
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> HeapTrimmer:
        if _LIBC is not None:
            self.thread = threading.Thread(target=self.run, name="heap-trim", daemon=True)
            self.thread.start()
        return self

    def run(self) -> None:
        while not self.stop_event.wait(self.every):
            try:
                trim()
            except Exception:  # never take the process down for this
                log.warning("heap trim failed", exc_info=True)

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(5)
