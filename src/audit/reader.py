"""Reading an opened audit's data, without judging it: the half of a check's context that
the runner uses too (it profiles the datasets while the kernels import great-expectations,
:mod:`audit.handoff`), so it never imports great-expectations.

>>> Reader.__dataclass_fields__["opened"].type
'dict[str, Opened]'
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from .config import AuditConfig
from .limits import cache_budget
from .sources import Opened, read_frame
from .sqlexpr import Dialect, dialect_for

if TYPE_CHECKING:
    from .handoff import Handoff


def _nbytes(s: pd.Series) -> int:
    """Memory of a column's values (Arrow buffers or NumPy; object text counted deeply)."""
    return int(s.memory_usage(index=False, deep=s.dtype == object))


class DataFault(RuntimeError):
    """Data a check needs cannot be read; the message names files or tables, never values."""


@dataclass
class Reader:
    """A configured audit's opened datasets: their columns, kept within the cache budget,
    queries on their engines, and values computed once per audit."""

    cfg: AuditConfig
    opened: dict[str, Opened]
    #: dataset -> column -> raw values, least recently used first (see :func:`cache_budget`)
    _frames: OrderedDict[str, dict[str, pd.Series]] = field(
        default_factory=OrderedDict, kw_only=True
    )
    _cache: dict[str, Any] = field(default_factory=dict, kw_only=True)
    #: what the runner read and profiled for this run (:mod:`audit.handoff`), if anything
    handoff: Handoff | None = field(default=None, kw_only=True)

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        """A value computed once per audit (an inventory of a dataset, say)."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def peek(self, key: str) -> Any:
        """A value :meth:`cached` has computed, or None (nothing is computed)."""
        return self._cache.get(key)

    def of_kind(self, kind: str) -> list[Opened]:
        return [self.opened[n] for n in self.cfg.datasets_of(kind)]

    def frame(self, ds: Opened, columns: Sequence[str]) -> pd.DataFrame:
        """The raw columns of a configured file dataset. Columns are kept for the checks that
        read them next, up to :func:`cache_budget` bytes (then the least recently used
        datasets go)."""
        if ds.unreadable_files:
            raise DataFault(
                f"{len(ds.unreadable_files)} file(s) of dataset {ds.name} cannot be read: "
                + ", ".join(ds.unreadable_files[:3])
            )
        cols = [c for c in dict.fromkeys(columns) if c]
        if not cols or self.opened.get(ds.name) is not ds:
            return read_frame(ds, cols)  # a discovered file is profiled once: never kept
        have = self._frames.pop(ds.name, {})
        self._frames[ds.name] = have  # most recently used last
        missing = [c for c in cols if c not in have]
        if missing:  # each column is read once and shared by the checks that read it
            if self.handoff is not None:  # the runner's reading of them, memory-mapped
                have.update(self.handoff.columns(ds.name, missing))
            unread = [c for c in missing if c not in have]
            if unread:
                got = read_frame(ds, unread)
                have.update({c: got[c] for c in unread})
            self._evict()  # only a read grows the cache
        return pd.DataFrame({c: have[c] for c in cols}, copy=False)

    def release(self, name: str) -> dict[str, pd.Series]:
        """The columns of a dataset read so far, taken out of the cache (the runner hands
        them over, :mod:`audit.handoff`, and keeps nothing)."""
        return self._frames.pop(name, {})

    def _evict(self) -> None:
        """Drop the least recently used datasets' columns while over the budget (the dataset
        in use stays: the checks of one dataset follow each other)."""
        budget = cache_budget()
        sizes = {n: sum(_nbytes(s) for s in cols.values()) for n, cols in self._frames.items()}
        total = sum(sizes.values())
        for name in list(self._frames)[:-1]:
            if total <= budget:
                break
            del self._frames[name]
            total -= sizes[name]

    def dialect(self, ds: Opened) -> Dialect:
        """The SQL dialect of a SQL or Spark dataset."""
        if ds.engine == "spark":
            return dialect_for("spark")
        assert ds.url is not None
        return dialect_for(ds.url.split(":", 1)[0].split("+", 1)[0], ds.times, ds.integers)

    def spark_session(self, ds: Opened) -> Any:
        """The Spark session of a Spark dataset's source."""
        from . import spark

        return spark.session(ds.source.spark_master, ds.source.spark_conf)

    def query(
        self,
        ds: Opened,
        sql: str,
        params: dict[str, Any] | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> pd.DataFrame:
        """Every row of a query on a SQL or Spark dataset's source (candidate rows and
        aggregates, never whole tables); ``params`` are bound (SQL: ``:name``), ``settings``
        are the session's (PostgreSQL)."""
        import sqlalchemy as sa

        from .sources import connect

        if ds.engine == "spark":
            from . import spark

            return spark.to_pandas(self.spark_session(ds).sql(sql))
        assert ds.url is not None
        with connect(ds.url, settings) as conn:
            result = conn.execute(sa.text(sql), params or {})
            return pd.DataFrame(result.fetchall(), columns=list(result.keys()))
