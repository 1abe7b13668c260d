"""``rights.deletion_not_honoured``, exact at any size: the deleted subjects, and where rows remain.

The relation great-expectations judges has one row per subject of a completed deletion
request (``_key``), a 0/1 column per searched dataset (``_in0``, ``_in1``, ...: the subject
still has rows there) and ``_where`` (the indexes of those datasets, ``"0,2"``; NULL when
none). The finding's count is great-expectations' ``unexpected_count`` of
``ExpectColumnValuesToBeNull("_where")``, and the per-dataset counts of the message are those
of ``ExpectColumnValuesToBeInSet("_inN", [0])``: counts, never a returned list of values
(great-expectations cuts every list it returns at 200 values).

Where the requests and every searched dataset sit in one database, or one Spark session, the
whole relation is one query there: the subjects joined to each table's keys, the subjects
being the small side of the join (no ``DISTINCT`` over a log). Otherwise each place finds
which of the subjects it holds, with the subjects carried to it as one bound parameter (JSON
text in SQL), a temporary view (Spark) or a set (pandas), never one literal per subject, and
at most one row per subject comes back; the relation is then judged in pandas.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import great_expectations.expectations as gxe
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..judge import Outcome
from ..sources import Opened
from ..sqlexpr import Dialect
from .base import KEY, Context, key_expr, key_series

WHERE = "_where"
#: the bound parameter that carries the subjects into a database (JSON text)
PARAM = "subjects"


def flag(i: int) -> str:
    """The column of the ``i``-th searched dataset."""
    return f"_in{i}"


def presence_sql(
    d: Dialect, subjects: str, tables: Sequence[tuple[int, str, str]], labelled: bool = True
) -> str:
    """The relation in one engine: every row of ``subjects`` (a query yielding distinct
    ``_key``) with the flags of ``tables``, given as (index, key expression, table).

    One aggregate over the subjects (``_d`` -1) and, per table, the rows of subjects found
    there (the table joined to the subjects on its key): no outer join whose plan a
    database could get wrong (PostgreSQL, misjudging the sizes, once nested two
    million-row sides). ``labelled`` adds ``_where``.

    >>> from audit.sqlexpr import SQLiteDialect
    >>> print(presence_sql(SQLiteDialect(), "SELECT 'a' AS _key", [(0, '"k"', '"t"')]))
    ... # doctest: +NORMALIZE_WHITESPACE
    SELECT * FROM (WITH s AS (SELECT 'a' AS _key), g AS (SELECT _key, MAX(CASE WHEN _d = 0
    THEN 1 ELSE 0 END) AS _in0 FROM (SELECT _key, -1 AS _d FROM s UNION ALL SELECT s._key AS
    _key, 0 AS _d FROM s JOIN (SELECT "k" AS k FROM "t") r ON r.k = s._key) h GROUP BY _key)
    SELECT _key, _in0, NULLIF(SUBSTR((CASE WHEN _in0 = 1 THEN ',0' ELSE '' END), 2), '')
    AS _where FROM g) AS deletion
    """
    hits = [f"SELECT {KEY}, -1 AS _d FROM s"] + [
        f"SELECT s.{KEY} AS {KEY}, {i} AS _d FROM s JOIN (SELECT {k} AS k FROM {t}) r "
        f"ON r.k = s.{KEY}"
        for i, k, t in tables
    ]
    maxes = "".join(
        f", MAX(CASE WHEN _d = {i} THEN 1 ELSE 0 END) AS {flag(i)}" for i, _, _ in tables
    )
    g = f"g AS (SELECT {KEY}{maxes} FROM ({' UNION ALL '.join(hits)}) h GROUP BY {KEY})"
    cols = [KEY] + [flag(i) for i, _, _ in tables]
    if labelled:
        parts = [f"CASE WHEN {flag(i)} = 1 THEN ',{i}' ELSE '' END" for i, _, _ in tables]
        where = f"NULLIF(SUBSTR({d.concat(parts)}, 2), '')" if parts else d.as_text("NULL")
        cols.append(f"{where} AS {WHERE}")
    # great-expectations takes only queries that start with SELECT
    return (
        f"SELECT * FROM (WITH {d.cte('s', subjects)}, {g} SELECT {', '.join(cols)} FROM g) "
        "AS deletion"
    )


@dataclass(frozen=True)
class Judged:
    """What great-expectations found: the subjects in scope, those with rows left (with up to
    5 examples), and per searched dataset the subjects with rows there."""

    subjects: int
    remaining: Outcome
    per_dataset: list[int]


def expectations(n: int) -> list[gxe.ExpectColumnValuesToBeNull | gxe.ExpectColumnValuesToBeInSet]:
    """``_where`` empty (no rows left anywhere), then each dataset's flag 0."""
    return [
        gxe.ExpectColumnValuesToBeNull(column=WHERE),
        *(gxe.ExpectColumnValuesToBeInSet(column=flag(i), value_set=[0]) for i in range(n)),
    ]


def _judged(outcomes: list[Outcome]) -> Judged:
    remaining, *flags = outcomes
    return Judged(remaining.element_count, remaining, [o.unexpected_count for o in flags])


def colocated(requests: Opened, searched: Sequence[Opened]) -> bool:
    """Whether the requests and every searched dataset sit in one database or Spark session."""
    return requests.engine != "pandas" and all(
        o.engine == requests.engine and o.url == requests.url for o in searched
    )


def judge_in_place(
    ctx: Context, requests: Opened, subjects_sql: str, searched: Sequence[Opened]
) -> Judged:
    """The whole relation as one query in the requests' database or Spark session."""
    d = ctx.dialect(requests)
    tables = [(i, key_expr(o, d), o.table_sql or "") for i, o in enumerate(searched)]
    sql = presence_sql(d, subjects_sql, tables)
    name = f"rights_deletion__{requests.name}"
    exps = expectations(len(searched))
    if requests.engine == "spark":
        frame = ctx.spark_session(requests).sql(sql)
        return _judged(ctx.judge.spark(name, frame, exps, KEY, examples=[0]))
    assert requests.url is not None
    return _judged(
        ctx.judge.sql(name, requests.url, sql, exps, KEY, examples=[0], settings=_settings(d))
    )


def judge_carried(
    ctx: Context,
    requests: Opened,
    subjects: pd.Series,
    subjects_sql: str | None,
    searched: Sequence[Opened],
) -> Judged:
    """Each place finds which subjects it holds; the flags are judged in pandas.

    ``subjects`` are every deleted subject (distinct trimmed text); ``subjects_sql`` their
    query where the requests are in a database or Spark (datasets there join it directly).
    """
    frame = pd.DataFrame({KEY: subjects.astype("str").reset_index(drop=True)})
    groups: dict[tuple[str, str | None], list[int]] = {}
    for i, o in enumerate(searched):
        frame[flag(i)] = 0
        if o.engine == "pandas":
            keys = key_series(o, ctx.frame(o, [o.key or ""])).dropna()
            frame[flag(i)] = held_of(frame[KEY], keys)
        else:
            groups.setdefault((o.engine, o.url), []).append(i)
    for members in groups.values():
        if len(frame):
            found = _held(ctx, requests, frame[KEY], subjects_sql, searched, members)
            for i in members:
                hit = found.loc[found[flag(i)].astype("int64") == 1, KEY].astype("str")
                frame[flag(i)] = held_of(frame[KEY], hit)
    where = np.full(len(frame), "", dtype=object)
    for i in range(len(searched)):
        where = where + np.where(frame[flag(i)].to_numpy() == 1, f",{i}", "")
    frame[WHERE] = pd.Series([w[1:] or None for w in where], dtype="object")
    name = f"rights_deletion__{requests.name}"
    return _judged(ctx.judge.frame(name, frame, expectations(len(searched)), KEY))


def held_of(subjects: pd.Series, keys: pd.Series) -> np.ndarray:
    """1 where a subject is one of ``keys`` (exact text), else 0: hashed in Arrow, no Python
    object per key (a log holds millions of them).

    >>> held_of(pd.Series(["a", "b", "c"]), pd.Series(["c", "a", "a", None])).tolist()
    [1, 0, 1]
    """

    def arrow(s: pd.Series) -> pa.Array:
        return pa.array(s.astype("str"), from_pandas=True).cast(pa.large_string())

    found = pc.is_in(arrow(subjects), value_set=pc.unique(arrow(keys.dropna())))
    return np.asarray(found.fill_null(False).to_numpy(zero_copy_only=False), dtype="int64")


def _held(
    ctx: Context,
    requests: Opened,
    subjects: pd.Series,
    subjects_sql: str | None,
    searched: Sequence[Opened],
    members: list[int],
) -> pd.DataFrame:
    """The subjects that datasets of one database or Spark session hold: one row per subject
    found, with the flags of ``members``."""
    first = searched[members[0]]
    d = ctx.dialect(first)
    tables = [(i, key_expr(searched[i], d), searched[i].table_sql or "") for i in members]
    here = subjects_sql is not None and colocated(requests, [first])
    if here:
        assert subjects_sql is not None
        inner, params = subjects_sql, None
    elif first.engine == "spark":
        inner, params = ctx.carry_to_spark(first, subjects), None
    else:
        inner = d.bound_keys(PARAM)
        params = {PARAM: json.dumps(subjects.tolist())}
    sql = (
        f"SELECT * FROM ({presence_sql(d, inner, tables, labelled=False)}) AS p "
        f"WHERE {' OR '.join(f'{flag(i)} = 1' for i in members)}"
    )
    return ctx.query(first, sql, params, _settings(d))


def _settings(d: Dialect) -> dict[str, str]:
    """The subjects are grouped, and joined to tables on computed keys."""
    return {**d.grouping_settings(), **d.join_settings()}
