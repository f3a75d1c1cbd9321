"""How a process that trains small networks live is set up: one BLAS thread, freed memory kept for reuse, and
(a server's worker) an end when its supervisor ends.

Both settings are process-wide, so the library never makes them on import: the server's workers make them as
they start, and so do the benchmarks that compare against the server.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
from typing import Any

from threadpoolctl import threadpool_limits

# prctl's request to be sent a signal when the parent process ends (linux/prctl.h).
_PR_SET_PDEATHSIG = 1
# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Arrays up to this size come from the heap, not from pages mapped for each one.
MMAP_THRESHOLD_BYTES = 4 * 1024 * 1024
# Freed memory at the top of the heap is handed back to the system only beyond this.
TRIM_THRESHOLD_BYTES = 32 * 1024 * 1024


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def pin_blas_threads() -> None:
    """One BLAS thread in this process. The server's products are small (a minibatch through a layer of a
    few dozen units): more threads only spin waiting for each other, taking the processor from the work
    they were meant to speed up (on 2 cores, one thread doubled live training's steps a second)."""
    threadpool_limits(limits=1, user_api="blas")


def keep_freed_memory() -> bool:
    """Let glibc's allocator keep freed arrays for reuse. By default an array above 128 KiB gets pages
    mapped for it alone, and the heap's freed top goes back to the system; an evaluation pass keeps several
    such arrays (200 points × 64 units × 2 networks is 200 KiB), so each pass touched fresh pages, one
    page fault every 4 KiB: the sine's held-out loss took 1.05 ms, and takes 0.3 ms with this. Memory that
    a pass frees is reused by the next one instead (at most ``TRIM_THRESHOLD_BYTES`` stays with the
    process). Returns whether the setting was made: other C libraries (macOS, Windows, musl) have no
    mallopt, and manage their memory as they do."""
    mallopt = _linux_libc_function("mallopt", [ctypes.c_int, ctypes.c_int])
    if mallopt is None:
        return False
    # mallopt returns 1 on success; both or neither, so that the pair's reasoning holds.
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)
    )


def end_with_parent() -> bool:
    """Have Linux send this process SIGTERM when its parent ends. A server's supervisor killed outright
    (kill -9, the out-of-memory killer) cannot stop its workers: without this they would serve on, orphaned,
    holding the port. uvicorn takes the SIGTERM as a request to stop. Returns whether it was arranged (other
    systems have no such request)."""
    prctl = _linux_libc_function("prctl", [ctypes.c_int, ctypes.c_ulong])
    if prctl is None or prctl(_PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
        return False
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:  # it ended before the request was made
        os.kill(os.getpid(), signal.SIGTERM)
    return True


def tune_process() -> None:
    """Both settings for computing, as a server worker makes them."""
    pin_blas_threads()
    keep_freed_memory()


def _linux_libc_function(name: str, argtypes: list[Any]) -> Any:
    """The C library's function ``name`` (returning an int) on Linux; ``None`` elsewhere, or where the C
    library has no such function."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = getattr(ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6"), name)
    except (OSError, AttributeError):
        return None
    function.argtypes = argtypes
    function.restype = ctypes.c_int
    return function
