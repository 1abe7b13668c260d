"""Work run beside other work, on a server that runs a client's statements side by side.

PostgreSQL runs a statement that reads a materialized common table expression (the cookie
consent relation) on one core; another statement of the same client runs on the other
(the consent chart's counts beside the consent check's, W10: 15.6 s and 14.2 s one after
the other). What runs beside keeps its results in the audit's cache (:meth:`Reader.cached`);
a failure is met again, and reported, where its result is read.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from .reader import Reader
from .sources import Opened

T = TypeVar("T")


def side_by_side(ctx: Reader, ds: Opened) -> bool:
    """Whether a dataset is a table of a server that runs a client's statements side by
    side, each on a core of its own (PostgreSQL, MariaDB)."""
    return ds.engine == "sql" and ctx.dialect(ds).concurrent


def alongside(
    ctx: Reader, ds: Opened, main: Callable[[], T], beside: Callable[[], object] | None
) -> T:
    """``main()``, with ``beside()`` run at the same time where the dataset's server runs
    statements side by side (else ``main`` alone: ``beside`` is left to whoever reads its
    result).

    >>> class Files:
    ...     def dialect(self, ds): raise AssertionError("a file dataset has no server")
    >>> class Ds:
    ...     engine = "pandas"
    >>> alongside(Files(), Ds(), lambda: 1, lambda: 1 / 0)
    1
    """
    if beside is None or not side_by_side(ctx, ds):
        return main()
    with ThreadPoolExecutor(max_workers=1) as pool:
        done = pool.submit(beside)
        result = main()
        done.exception()  # a failure is met again, and reported, where its result is read
    return result
