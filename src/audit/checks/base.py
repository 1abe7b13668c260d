"""What every check shares: the context it runs in and the relation it hands the judge.

A :class:`Relation` is the rows a rule is about with the derived columns it reads, written
once for pandas and once as SQL, so the same expectations run on either engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.expectations import Expectation

from ..config import AuditConfig
from ..findings import Finding
from ..judge import Judge, Outcome
from ..reader import Reader
from ..remediation import Statement
from ..sources import Opened, preflight
from ..sqlexpr import Dialect, quote
from ..timeutil import ymd

KEY = "_key"


@dataclass(frozen=True)
class Relation:
    """The rows of one dataset a rule reads, for both engines.

    ``pandas`` maps the raw frame (only ``columns``) to the relation; ``sql`` maps
    (dialect, quoted table) to a SELECT the database runs. Both yield ``_key``. ``joins``:
    the SQL joins derived tables on computed keys (its engine may need session settings for
    that, :meth:`audit.sqlexpr.Dialect.join_settings`).
    """

    name: str
    columns: tuple[str, ...]
    pandas: Callable[[pd.DataFrame], pd.DataFrame]
    sql: Callable[[Dialect, str], str]
    joins: bool = False


@dataclass
class Context(Reader):
    """A configured audit, opened: what checks read (:class:`audit.reader.Reader`), how they
    are judged and where results go."""

    judge: Judge
    #: the last relation computed from a file dataset: (dataset, relation, rows)
    _last: tuple[Opened, Relation, pd.DataFrame] | None = field(
        default=None, kw_only=True, repr=False
    )

    @classmethod
    def open(cls, cfg: AuditConfig, validations: Path | None = None) -> Context:
        return cls(cfg, preflight(cfg), Judge(validations))

    @property
    def as_of(self) -> date:
        return self.cfg.as_of

    @property
    def as_of_ymd(self) -> int:
        return ymd(self.cfg.as_of)

    def severity(self, check: str, default: str) -> str:
        return self.cfg.policy.severities.get(check, default)

    def finding(
        self,
        check: str,
        default_severity: str,
        dataset: str | None,
        column: str | None = None,
        **kw: Any,
    ) -> Finding:
        """A finding with its clause and severity taken from the policy."""
        return Finding.make(
            check,
            self.cfg.policy.clause_of(check),
            self.severity(check, default_severity),
            dataset,
            column,
            **kw,
        )

    def relation_frame(self, ds: Opened, rel: Relation) -> pd.DataFrame:
        """A relation's rows from a file dataset. The last relation computed is kept, so the
        check and the chart that read the same relation one after the other compute it once
        (the W10 cookie consent relation, 9 s); its rows are only ever read."""
        if self._last is not None and self._last[0] is ds and self._last[1] is rel:
            return self._last[2]
        self._last = None  # the rows it held can go before the next are computed
        rows = rel.pandas(self.frame(ds, rel.columns))
        self._last = (ds, rel, rows)
        return rows

    def relation_sql(self, ds: Opened, rel: Relation) -> str:
        assert ds.table_sql is not None
        return rel.sql(self.dialect(ds), ds.table_sql)

    def evaluate(
        self,
        ds: Opened,
        rel: Relation,
        expectations: Sequence[Expectation],
        examples: Sequence[int] | None = None,
    ) -> list[Outcome]:
        """Run the expectations on the relation, on the dataset's own engine; ``examples``:
        the expectations whose failing rows are wanted as examples (default: all)."""
        name = f"{rel.name}__{ds.name}"
        if ds.engine == "pandas":
            frame = self.relation_frame(ds, rel)
            return self.judge.frame(name, frame, expectations, KEY)
        query = self.relation_sql(ds, rel)
        if ds.engine == "spark":
            frame = self.spark_session(ds).sql(query)
            return self.judge.spark(name, frame, expectations, KEY, examples)
        assert ds.url is not None
        settings = self.dialect(ds).join_settings() if rel.joins else None
        return self.judge.sql(name, ds.url, query, expectations, KEY, examples, settings)

    def carry_to_spark(self, ds: Opened, keys: pd.Series) -> str:
        """Keys from another engine as a temporary view of ``ds``'s Spark session (one column
        ``_key``); returns a query of them."""
        from .. import spark

        view = spark.carry(self.spark_session(ds), pd.DataFrame({KEY: keys.astype("str")}))
        return f"SELECT {KEY} FROM {quote(view)}"

    def remediation(
        self, ds: Opened, violations: int, build: Callable[[Dialect, str, str], Statement]
    ) -> list[dict[str, Any]] | None:
        """The statements of a failing finding on a database table, ``build(dialect,
        dataset, table)`` (a builder of :mod:`audit.remediation` with its other arguments
        bound); None on files and Spark, or when nothing fails."""
        if not violations or ds.engine != "sql":
            return None
        return [build(self.dialect(ds).readable(), ds.name, ds.table_sql or "").to_json()]

    def bucket_counts(
        self, ds: Opened, rel: Relation, column: str, width: float | None = 1.0
    ) -> pd.Series:
        """Rows per bucket ``floor(value / width) * width`` of a relation column (per value
        when ``width`` is None).

        An aggregate, computed by the dataset's engine: for charts, never raw values.
        """
        return self.split_bucket_counts(ds, rel, column, width).get(
            None, pd.Series([], dtype="int64")
        )

    def joint_bucket_counts(
        self, ds: Opened, rel: Relation, buckets: list[tuple[str, float | None]]
    ) -> list[pd.Series]:
        """:meth:`bucket_counts` of several relation columns (``(column, width)``) in one
        evaluation of the relation: rows per combination of their buckets, summed per
        column (rows where a column is missing left out of its counts). For columns of few
        buckets each: the combinations are the rows the engine returns."""
        if ds.engine == "pandas":
            frame = self.relation_frame(ds, rel)
            return [
                split_buckets(frame, c, w).get(None, pd.Series([], dtype="int64"))
                for c, w in buckets
            ]
        d = self.dialect(ds)
        values = ", ".join(f"{_bucket(d, c, w)} AS v{i}" for i, (c, w) in enumerate(buckets))
        groups = ", ".join(str(i + 1) for i in range(len(buckets)))
        rows = self.query(
            ds,
            f"SELECT {values}, COUNT(*) AS n FROM ({self.relation_sql(ds, rel)}) r GROUP BY {groups}",
        )
        return [joint_marginal(rows, f"v{i}", w) for i, (_, w) in enumerate(buckets)]

    def split_bucket_counts(
        self, ds: Opened, rel: Relation, column: str, width: float | None, by: str | None = None
    ) -> dict[Any, pd.Series]:
        """:meth:`bucket_counts` for each value of the relation column ``by`` (one
        evaluation of the relation for all of them; rows where ``by`` is missing are left
        out); without ``by``, one series under the key None."""
        if ds.engine == "pandas":
            return split_buckets(self.relation_frame(ds, rel), column, width, by)
        col = quote(column)
        v = _bucket(self.dialect(ds), column, width)
        g = quote(by) if by is not None else "0"
        rows = self.query(
            ds,
            f"SELECT {v} AS v, {g} AS g, COUNT(*) AS n FROM ({self.relation_sql(ds, rel)}) r "
            f"WHERE {col} IS NOT NULL GROUP BY 1, 2 ORDER BY 2, 1",
        )
        return _series_by_group(rows[rows["g"].notna()], width, by)


def split_buckets(
    frame: pd.DataFrame, column: str, width: float | None, by: str | None = None
) -> dict[Any, pd.Series]:
    """:meth:`Context.split_bucket_counts` of relation rows already in pandas.

    >>> f = pd.DataFrame({"t": [1.0, 5.0, 12.0, None], "c": [1.0, 1.0, 0.0, 1.0]})
    >>> {k: v.to_dict() for k, v in split_buckets(f, "t", 10, "c").items()}
    {0.0: {10.0: 1}, 1.0: {0.0: 2}}
    """
    s = frame[column]
    b = s if width is None else (s // width) * width
    g = frame[by] if by is not None else pd.Series(0, index=frame.index)
    kept = pd.DataFrame({"g": g, "v": b})[s.notna()]
    return _series_by_group(kept.groupby(["g", "v"]).size().rename("n").reset_index(), width, by)


def _bucket(d: Dialect, column: str, width: float | None) -> str:
    """A relation column's bucket in SQL: ``floor(value / width) * width``, or the value."""
    return quote(column) if width is None else d.floor_div(quote(column), width)


def joint_marginal(rows: pd.DataFrame, column: str, width: float | None) -> pd.Series:
    """Counts (``n``) per bucket of one column of joint bucket rows, its missing left out.

    >>> rows = pd.DataFrame({"a": [0.0, 0.0, 5.0, None], "b": [1, 2, 1, 1], "n": [3, 4, 5, 6]})
    >>> joint_marginal(rows, "a", 5).to_dict()
    {0.0: 7, 5.0: 5}
    """
    kept = rows[rows[column].notna()]
    summed = kept.groupby(column)["n"].sum()
    index = summed.index if width is None else summed.index.astype("float64")
    return pd.Series(summed.astype("int64").values, index=index.values).sort_index()


def _series_by_group(
    rows: pd.DataFrame, width: float | None, by: str | None
) -> dict[Any, pd.Series]:
    """Rows (``g``, ``v``, ``n``) as one series of counts per group (under None without ``by``)."""
    out = {}
    for key, part in rows.groupby("g", sort=True):
        index = part["v"] if width is None else part["v"].astype("float64")
        series = pd.Series(part["n"].astype("int64").values, index=index.values)
        out[key if by is not None else None] = series.sort_index()
    return out


def elapsed_relation(
    name: str, ds: Opened, start: str, end: str | None, as_of: float, column: str
) -> Relation:
    """Rows with a start time: ``column`` = seconds from start to end (to ``as_of`` when the
    end is empty, or not mapped); ``_bad`` where either time cannot be read."""
    from .. import values as v

    def pandas(df: pd.DataFrame) -> pd.DataFrame:
        s = v.timestamp(df[start])
        nat = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns, UTC]")
        e = v.timestamp(df[end]) if end else v.Parsed(nat, pd.Series(False, index=df.index))
        bad = s.unreadable | e.unreadable
        took = v.epoch_seconds(e.values).fillna(as_of) - v.epoch_seconds(s.values)
        out = pd.DataFrame(
            {KEY: key_series(ds, df), column: took.where(~bad), "_bad": bad.astype("int64")}
        )
        return out[~v.is_empty(df[start])].reset_index(drop=True)

    def sql(d: Dialect, table: str) -> str:
        st = quote(start)
        times = {"_s": (st, "epoch"), **({"_f": (quote(end), "epoch")} if end else {})}
        once = d.times_once(table, {KEY: key_expr(ds, d)}, times, where=f"NOT {d.is_empty(st)}")
        bad = "(_s_bad = 1" + (" OR _f_bad = 1)" if end else ")")
        return (
            f"SELECT {KEY}, (CASE WHEN {bad} THEN NULL "
            f"ELSE COALESCE({'_f' if end else 'NULL'}, {as_of!r}) - _s END) AS {column}, "
            f"{d.bool_int(bad)} AS _bad FROM ({once}) AS timed"
        )

    return Relation(name, tuple(c for c in (ds.key, start, end) if c), pandas, sql)


def elapsed_finding(
    ctx: Context,
    check: tuple[str, str],
    ds: Opened,
    rel: Relation,
    column: str,
    limit: float,
    unit: float,
    texts: tuple[str, str, str],
    interpretation: bool,
) -> Finding:
    """Judge an :func:`elapsed_relation` (its ``column``) against ``limit`` seconds.

    ``unit`` is the seconds per unit the examples count in; ``texts`` are the example
    wording (``{n}``: elapsed units), the failing message (``{n}``: violations) and the
    passing message.
    """
    from ..mask import mask_key

    late, bad = ctx.evaluate(
        ds,
        rel,
        [
            gxe.ExpectColumnValuesToBeBetween(column=column, max_value=limit),
            gxe.ExpectColumnValuesToBeInSet(column="_bad", value_set=[0]),
        ],
    )
    n = late.unexpected_count
    example, failing, passing = texts
    return ctx.finding(
        *check,
        ds.name,
        rows_checked=in_scope(late),
        violations=n,
        rows_unreadable=bad.unexpected_count,
        interpretation=interpretation,
        examples=[
            {
                "key": mask_key(e.get(KEY)),
                "value": example.format(n=f"{float(str(e[column])) / unit:.0f}"),
            }
            for e in late.examples
            if e.get(column) is not None
        ],
        message=(failing.format(n=n) if n else passing) + unreadable_note(bad.unexpected_count),
    )


def key_expr(ds: Opened, d: Dialect) -> str:
    """SQL for the subject key as trimmed text (row number when the dataset has no key)."""
    return d.text(quote(ds.key)) if ds.key else d.row_id()


def key_series(ds: Opened, df: pd.DataFrame) -> pd.Series:
    """The subject key as trimmed text (row number when the dataset has no key)."""
    from ..values import text

    if ds.key:
        return text(df[ds.key])
    return pd.Series(range(1, len(df) + 1), index=df.index).astype("str")


def in_scope(o: Outcome) -> int:
    """Rows an expectation judged: the relation's rows less those with no value."""
    return o.element_count - o.missing_count


def unreadable_note(n: int) -> str:
    """The message tail for rows whose values could not be read."""
    return f"; {n} row(s) hold values that could not be read (fix them and re-run)" if n else ""


def skipped(ctx: Context, check: str, severity: str, ds: Opened, role: str) -> Finding:
    return ctx.finding(
        check,
        severity,
        ds.name,
        status="skipped",
        message=f"role '{role}' is not mapped in dataset {ds.name}; map it to run this check",
    )


def no_dataset(ctx: Context, check: str, severity: str, kinds: str) -> Finding:
    return ctx.finding(
        check, severity, None, status="skipped", message=f"no dataset of kind {kinds} in the config"
    )
