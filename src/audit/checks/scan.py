"""Column scans: every text (or integer) column of a dataset validated for one kind of value.

On pandas the frame of those columns is validated at once. On SQL, a regular-expression
pre-filter runs in the database and only candidate rows come back for the validator
(``candidates``), or the expectation runs in the database itself (``in_database``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from great_expectations.expectations import Expectation

from ..findings import Finding
from ..judge import Outcome
from ..limits import scan_cells
from ..sources import Opened
from ..sqlexpr import Dialect, quote
from ..values import text
from .base import KEY, Context, Relation, key_expr, key_series

MakeExpectation = Callable[[str], Expectation]


@dataclass(frozen=True)
class ColumnResult:
    """One column's outcome: non-empty values scanned, and the expectation's verdict."""

    column: str
    scanned: int
    outcome: Outcome


def column_finding(
    ctx: Context,
    check: tuple[str, str],
    ds: Opened,
    r: ColumnResult,
    category: str,
    example: Callable[[object, object], dict[str, str]],
    message: str,
) -> Finding:
    """The finding of one scanned column: its count, examples (``example(key, value)`` masks
    them) and message."""
    return ctx.finding(
        *check,
        ds.name,
        r.column,
        category=category,
        rows_checked=r.scanned,
        violations=r.outcome.unexpected_count,
        examples=[example(e.get(KEY), e.get(r.column)) for e in r.outcome.examples],
        message=message,
    )


def clean_finding(
    ctx: Context, check: tuple[str, str], ds: Opened, results: list[ColumnResult], message: str
) -> Finding:
    """The passing finding of a dataset whose scanned columns hold nothing."""
    return ctx.finding(
        *check,
        ds.name,
        None,
        rows_checked=max((r.scanned for r in results), default=0),
        message=message,
    )


def _frame_relation(ds: Opened, columns: list[str], name: str) -> Relation:
    def pandas(df: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame({KEY: key_series(ds, df)})
        for c in columns:
            out[c] = text(df[c])  # trimmed text, empty as missing: as in SQL
        return out

    def sql(d: Dialect, table: str) -> str:
        cols = ", ".join(f"{d.text(quote(c))} AS {quote(c)}" for c in columns)  # empty is NULL
        return f"SELECT {key_expr(ds, d)} AS {KEY}, {cols} FROM {table}"

    return Relation(name, tuple(c for c in (ds.key, *columns) if c), pandas, sql)


def scan(
    ctx: Context,
    ds: Opened,
    columns: list[str],
    make: MakeExpectation,
    name: str,
    prefilter: str | None = None,
) -> list[ColumnResult]:
    """Validate ``make(column)`` on every column; ``prefilter`` (a regex) selects SQL candidates."""
    if not columns:
        return []
    if ds.engine == "pandas":  # columns in groups of at most scan_cells() values, never split
        rows = max(1, len(ctx.frame(ds, [ds.key or columns[0]])))
        per = max(1, scan_cells() // rows)
        return [
            r
            for i in range(0, len(columns), per)
            for r in _scan_frame(ctx, ds, columns[i : i + per], make, name)
        ]
    if prefilter is None:  # the expectation runs in the database
        rel = _frame_relation(ds, columns, name)
        outcomes = ctx.evaluate(ds, rel, [make(c) for c in columns])
        return [
            ColumnResult(c, o.element_count - o.missing_count, o)
            for c, o in zip(columns, outcomes, strict=True)
        ]
    return [_candidates(ctx, ds, c, make, name, prefilter) for c in columns]


def _scan_frame(
    ctx: Context, ds: Opened, columns: list[str], make: MakeExpectation, name: str
) -> list[ColumnResult]:
    """One validation of a file dataset's columns (trimmed text, empty as missing)."""
    frame = ctx.relation_frame(ds, _frame_relation(ds, columns, name))
    outcomes = ctx.judge.frame(f"{name}__{ds.name}", frame, [make(c) for c in columns], KEY)
    scanned = {c: int(frame[c].notna().sum()) for c in columns}
    return [ColumnResult(c, scanned[c], o) for c, o in zip(columns, outcomes, strict=True)]


def _candidates(
    ctx: Context, ds: Opened, column: str, make: MakeExpectation, name: str, prefilter: str
) -> ColumnResult:
    """The database finds candidate rows; the validator (in pandas) judges only those."""
    d = ctx.dialect(ds)
    col = quote(column)
    text = d.as_text(col)
    assert ds.table_sql is not None
    scanned = ctx.query(
        ds, f"SELECT COUNT(*) AS n FROM {ds.table_sql} WHERE NOT {d.is_empty(col)}"
    )["n"].iloc[0]
    rows = ctx.query(
        ds,
        f"SELECT {key_expr(ds, d)} AS {KEY}, {text} AS {col} FROM {ds.table_sql} "
        f"WHERE {d.regex_match(text, prefilter)}",
    )
    outcome = ctx.judge.frame(f"{name}__{ds.name}__{column}", rows, [make(column)], KEY)[0]
    return ColumnResult(column, int(scanned), outcome)


def _count_present(ctx: Context, ds: Opened, column: str) -> int:
    """Non-empty values of a SQL column."""
    d = ctx.dialect(ds)
    sql = f"SELECT COUNT(*) AS n FROM {ds.table_sql} WHERE NOT {d.is_empty(quote(column))}"
    return int(ctx.query(ds, sql)["n"].iloc[0])
