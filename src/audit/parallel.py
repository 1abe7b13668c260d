"""Pure CPU work over independent items, shared between this process and forked helpers.

The inventory classifies thousands of sampled values per column in pure Python; on a
machine with two cores, half the columns go to a helper process while this one classifies
the rest. The helpers are forked once (:func:`start`: a run's kernels fork them while they
warm up, before any data is read, so they share little memory) and live as long as this
process. The work must be a module-level function of picklable items, and its results
are the same in either process: only the time changes.

>>> pmap(abs, [-1, 2, -3])
[1, 2, 3]
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

from .limits import processes

T = TypeVar("T")
R = TypeVar("R")

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()


def start(prepare: Callable[[], object] | None = None) -> ProcessPoolExecutor | None:
    """Fork the helpers now (``processes() - 1`` of them; none where forking is not
    available or one process is asked for); each runs ``prepare`` (loading tables, say)
    in the background, before its first task."""
    global _pool
    with _lock:
        helpers = processes() - 1
        if _pool is None and helpers > 0 and "fork" in multiprocessing.get_all_start_methods():
            _pool = ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("fork"))
            # fork them now, while this process is small, not at the first task
            list(_pool.map(int, range(helpers)))
            for _ in range(helpers if prepare is not None else 0):
                _pool.submit(prepare)  # type: ignore[arg-type]
        return _pool


def pmap(fn: Callable[[T], R], items: Sequence[T], at_least: int = 2) -> list[R]:
    """``[fn(x) for x in items]``, every ``processes()``-th item here and the others in the
    helpers (in this process alone when there are fewer than ``at_least`` items)."""
    n = processes()
    pool = start() if n > 1 and len(items) >= max(2, at_least) else None
    if pool is None:
        return [fn(x) for x in items]
    theirs: dict[int, Future[Any]] = {
        i: pool.submit(fn, x) for i, x in enumerate(items) if i % n != 0
    }
    mine = {i: fn(x) for i, x in enumerate(items) if i % n == 0}
    return [mine[i] if i in mine else theirs[i].result() for i in range(len(items))]
