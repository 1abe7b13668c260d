"""Column scans: every text (or integer) column of a dataset validated for one kind of value.

Where a scan has a pre-filter (a regular expression every flagged value matches) or needles
(texts every flagged value contains), only candidate rows reach the validator: on SQL the
database finds them (:func:`_candidates`), from files Arrow does (:func:`_frame_candidates`),
and the values scanned are counted apart. Without either, the expectation judges every value:
on pandas the frame of those columns is validated at once, on SQL the expectation runs in the
database itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from great_expectations.expectations import Expectation

from ..candidates import Filter, positions
from ..findings import Finding
from ..inventory import count_present, present_counts
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


def _frame_relation(
    ds: Opened, columns: list[str], name: str, needles: frozenset[str] | None = None
) -> Relation:
    def pandas(df: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame({KEY: key_series(ds, df)})
        for c in columns:
            out[c] = text(df[c])  # trimmed text, empty as missing: as in SQL
        return out

    def sql(d: Dialect, table: str) -> str:
        cols = ", ".join(f"{_value(d, quote(c), needles)} AS {quote(c)}" for c in columns)
        return f"SELECT {key_expr(ds, d)} AS {KEY}, {cols} FROM {table}"

    return Relation(name, tuple(c for c in (ds.key, *columns) if c), pandas, sql)


def scan(
    ctx: Context,
    ds: Opened,
    columns: list[str],
    make: MakeExpectation,
    name: str,
    prefilter: str | None = None,
    shortest: int = 0,
    needles: frozenset[str] | None = None,
) -> list[ColumnResult]:
    """Validate ``make(column)`` on every column; ``prefilter`` (a regex) selects SQL candidates
    (``shortest``: no text shorter than that many characters matches it). ``needles``: texts
    one of which every value the expectation flags contains (:mod:`audit.needles`); in a
    database, the expectation then judges only the values that hold one, and the values
    scanned are counted apart (:func:`_present`)."""
    if not columns:
        return []
    if ds.engine == "pandas" and (prefilter is not None or needles):
        return _frame_candidates(ctx, ds, columns, make, name, prefilter, needles)
    if ds.engine == "pandas":  # columns in groups of at most scan_cells() values, never split
        rows = max(1, len(ctx.frame(ds, [ds.key or columns[0]])))
        per = max(1, scan_cells() // rows)
        return [
            r
            for i in range(0, len(columns), per)
            for r in _scan_frame(ctx, ds, columns[i : i + per], make, name)
        ]
    if prefilter is None:  # the expectation runs in the database
        rel = _frame_relation(ds, columns, name, needles)
        outcomes = ctx.evaluate(ds, rel, [make(c) for c in columns])
        scanned = (
            _present(ctx, ds, columns)
            if needles
            else [o.element_count - o.missing_count for o in outcomes]
        )
        return [ColumnResult(c, n, o) for c, n, o in zip(columns, scanned, outcomes, strict=True)]
    return _candidates(ctx, ds, columns, make, name, prefilter, shortest)


def _scan_frame(
    ctx: Context, ds: Opened, columns: list[str], make: MakeExpectation, name: str
) -> list[ColumnResult]:
    """One validation of a file dataset's columns (trimmed text, empty as missing)."""
    frame = ctx.relation_frame(ds, _frame_relation(ds, columns, name))
    outcomes = ctx.judge.frame(f"{name}__{ds.name}", frame, [make(c) for c in columns], KEY)
    scanned = {c: int(frame[c].notna().sum()) for c in columns}
    return [ColumnResult(c, scanned[c], o) for c, o in zip(columns, outcomes, strict=True)]


def _frame_candidates(
    ctx: Context,
    ds: Opened,
    columns: list[str],
    make: MakeExpectation,
    name: str,
    prefilter: str | None,
    needles: frozenset[str] | None,
) -> list[ColumnResult]:
    """A file dataset's columns, one at a time: the candidate values (:mod:`audit.candidates`,
    as the runner found them where it did), and the validator judges those rows alone,
    trimmed as every scan reads them (the W10 log's values were trimmed and judged in full
    before, by the secret and card scans each). The values scanned: :func:`_present`."""
    flt = Filter(prefilter, needles)
    found = ctx.handoff.candidates(ds.name, flt.key) if ctx.handoff is not None else None
    out = []
    for column, scanned in zip(columns, _present(ctx, ds, columns), strict=True):
        df = ctx.frame(ds, [c for c in (ds.key, column) if c])
        picked = (found or {}).get(column)
        if picked is None:
            picked = positions(df[column], flt)
        # (taking no rows of a column read in many chunks copied it whole: 0.6 s per W10 column)
        rows = df.iloc[picked] if len(picked) else df.iloc[:0]
        keys = (
            text(rows[ds.key]) if ds.key else pd.Series(picked + 1, index=rows.index).astype("str")
        )
        part = pd.DataFrame({KEY: keys, column: text(rows[column])}).reset_index(drop=True)
        outcome = ctx.judge.frame(f"{name}__{ds.name}__{column}", part, [make(column)], KEY)[0]
        out.append(ColumnResult(column, scanned, outcome))
    return out


def _present(ctx: Context, ds: Opened, columns: list[str]) -> list[int]:
    """Non-empty values of each column: as the inventory counted them in this run
    (:func:`audit.inventory.present_counts`), else counted here (in one read of a table, or
    from a file dataset's columns as every scan reads them)."""
    known = present_counts(ctx, ds) or {}
    if all(c in known for c in columns):
        return [known[c] for c in columns]
    if ds.engine == "pandas":  # a file dataset's columns, one at a time
        return [
            known[c] if c in known else int(text(ctx.frame(ds, [c])[c]).notna().sum())
            for c in columns
        ]
    return count_present(ctx, ds, columns)[1]


def _value(d: Dialect, col: str, needles: frozenset[str] | None) -> str:
    """A scanned value: trimmed text, NULL when empty (as :func:`audit.values.text`); with
    ``needles``, NULL too where the value holds none of them, so the expectation's pattern
    runs only on the values that can match it (PostgreSQL runs a pattern even on an empty
    text at a cost: the W10 log's five columns, one core, 62 s with an empty text for the
    values without a needle, 10.9 s with NULL).

    >>> from audit.sqlexpr import PostgresDialect
    >>> print(_value(PostgresDialect(), "c", frozenset({"sk_"})))
    (CASE WHEN (strpos(CAST(c AS TEXT), 'sk_') > 0) THEN NULLIF(btrim(CAST(c AS TEXT), ' ' || chr(9) || chr(10) || chr(13)), '') END)
    """
    if not needles:
        return d.text(col)
    held = " OR ".join(d.contains(d.as_text(col), n) for n in sorted(needles))
    return f"(CASE WHEN {held} THEN {d.text(col)} END)"


def _candidates(
    ctx: Context,
    ds: Opened,
    columns: list[str],
    make: MakeExpectation,
    name: str,
    prefilter: str,
    shortest: int,
) -> list[ColumnResult]:
    """The database finds candidate rows; the validator (in pandas) judges only those.

    Two statements for all the columns, each reading the table once: the non-empty values
    of every column (unless the inventory counted them: :func:`_present`), then the rows
    where any column matches ``prefilter`` (each column's text where it matches, NULL where
    it does not). The length test spares the regular expression the values too short to
    match it."""
    d = ctx.dialect(ds)
    table = ds.table_sql
    assert table is not None
    scanned = _present(ctx, ds, columns)
    texts = [d.as_text(quote(c)) for c in columns]
    matches = [
        (f"LENGTH({t}) >= {shortest} AND " if shortest > 1 else "") + d.regex_match(t, prefilter)
        for t in texts
    ]
    picked = ", ".join(
        f"(CASE WHEN {m} THEN {t} END) AS v{i}"
        for i, (t, m) in enumerate(zip(texts, matches, strict=True))
    )
    rows = ctx.query(
        ds,
        f"SELECT {key_expr(ds, d)} AS {KEY}, {picked} FROM {table} "
        f"WHERE {' OR '.join(f'({m})' for m in matches)}",
    )
    out = []
    for i, column in enumerate(columns):
        part = rows.loc[rows[f"v{i}"].notna(), [KEY, f"v{i}"]].rename(columns={f"v{i}": column})
        part = part.reset_index(drop=True)
        outcome = ctx.judge.frame(f"{name}__{ds.name}__{column}", part, [make(column)], KEY)[0]
        out.append(ColumnResult(column, scanned[i], outcome))
    return out
