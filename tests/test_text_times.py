"""Text times read alike on every engine: the instant, month, day and unreadable flag that
each SQL dialect computes for a text time equal what pandas reads (``audit.values``), for
every shape the audit reads and some it must not: a zone without a time of day is
unreadable everywhere (PostgreSQL's cast refused "2024-11-26-05:00" with an error that
stopped the whole statement), an offset of hours alone is read everywhere (SQLite's date
functions read it as no time at all, Spark's cast too), offsets up to 23:59 everywhere
(PostgreSQL's casts stopped the statement past 15:59, SQLite and Spark read none past
14:59 and 18:00), a zone after a time without seconds (Spark's cast read none) — on
SQLite, PostgreSQL (as the audit reads and as remediation statements read), MariaDB and
Spark in local mode.

Fractions of a second are read apart: SQLite's ``strftime('%s')`` gives whole seconds (a
known difference, named in the README; the other engines keep them)."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from audit import values
from audit.sources import readonly_url
from audit.sqlexpr import Dialect
from audit.sqlexpr.mariadb import MariaDBDialect
from audit.sqlexpr.postgres import PostgresDialect
from audit.sqlexpr.sqlite import SQLiteDialect

#: text times of every shape, some not times; the last ones have a zone but no time of day
EDGE_TIMES = [
    "2024-11-26",
    "2024-11-26T10:00",
    "2024-11-26 10:00:00",
    "2024-11-26T10:00:00Z",
    "2024-11-26T10:00:00+05:30",
    "2024-11-26 23:59:59-0800",
    "2024-11-26T10:00-03",
    "2024-11-26 22:30:00+11",
    "2024-02-29T00:00Z",
    "2023-02-29",
    "2024-04-31",
    "2024-04-30 12:00+01",
    "2100-02-29",
    " \t2024-01-28\n",
    "2024-11-26T25:00",
    "x",
    "2024-11-26T10:00:00+23:00",
    "2024-11-26 10:00-1630",
    "2024-11-26T10:00:00+24:00",
    "2024-11-26T10:00:00+05:60",
    "2024-11-26T10:00:60",
    "2024-11-26T10:60",
    "2024-11-26x",
    "2024-11-26T10:00x",
    "2000-02-29T12:00",
    "1900-02-29",
    "2100-02-28T23:59:59+01:00",
    "1899-12-31 23:00-02",
    "2200-02-29",
    "2400-02-29T00:00Z",
    "1815-06-18",
    "9999-12-31",
    "2024-11-31",
    "2024-11-26Z",
    "2024-11-26+02",
    "2024-11-26-05:00",
]


#: times with a fraction of a second (SQLite keeps whole seconds: not read there), the
#: fractions exact in binary, so that an epoch is the same double everywhere
FRACTION_TIMES = [
    "2024-11-26T10:00:00.5",
    "2024-11-26T10:00:00.25Z",
    "2024-11-26 10:00:00.125+05:30",
    "2024-11-26T23:59:59.5-0800",
    "2024-11-26T10:00:00.750000+23",
    "2024-11-26T10:00:00.5x",
    "2024-11-26T10:00.5",
    "2024-11-26T10:00:00.5+25:00",
]


def _pandas(times: list[str]) -> list[tuple[object, ...]]:
    p = values.timestamp(pd.Series(times))
    epochs = values.epoch_seconds(p.values)
    return [
        (
            i,
            None if pd.isna(epochs[i]) else float(epochs[i]),
            None if pd.isna(p.values[i]) else p.values[i].strftime("%Y-%m"),
            None if pd.isna(p.values[i]) else int(p.values[i].strftime("%Y%m%d")),
            bool(p.unreadable[i]),
        )
        for i in range(len(times))
    ]


def _read(
    engine: str, request: pytest.FixtureRequest, times: list[str]
) -> list[tuple[object, ...]]:
    """Each time's epoch, month, day and unreadable flag as ``engine`` reads them: the
    epoch, day and flag as the checks read them (:meth:`audit.sqlexpr.Dialect.times_once`),
    the month as the inventory's records per month do."""
    if engine == "spark":
        from audit import spark as audit_spark
        from audit.sqlexpr.spark import SparkDialect

        d: Dialect = SparkDialect()
    elif engine == "sqlite":
        d, url = SQLiteDialect(), "sqlite://"
    elif engine.startswith("postgres"):
        # the dialect of remediation statements reads them as the audit's does
        d = PostgresDialect().readable() if engine == "postgres_readable" else PostgresDialect()
        url = request.getfixturevalue("pg").create_db("text_times")
    else:
        d, url = MariaDBDialect(), request.getfixturevalue("mariadb").create_db("text_times")
    rows = " UNION ALL ".join(f"SELECT {i} AS i, {d.literal(v)} AS ts" for i, v in enumerate(times))
    once = d.times_once(
        f"({rows}) x", {"i": "i", "m": d.month("ts")}, {"e": ("ts", "epoch"), "y": ("ts", "ymd")}
    )
    query = f"SELECT i, e, m, y, e_bad FROM ({once}) t ORDER BY i"

    def row(i, e, m, y, u):  # noqa: ANN001, ANN202
        return (i, None if e is None else float(e), m, None if y is None else int(y), bool(u))

    if engine == "spark":
        session = audit_spark.session(request.getfixturevalue("spark"))
        return [row(*r) for r in session.sql(query).collect()]
    engine_ = sa.create_engine(readonly_url(url))
    try:
        with engine_.connect() as con:
            return [row(*r) for r in con.execute(sa.text(query))]
    finally:
        engine_.dispose()


@pytest.mark.parametrize("engine", ["sqlite", "postgres", "postgres_readable", "mariadb", "spark"])
def test_text_times_read_as_pandas_reads_them(engine, request):
    got = _read(engine, request, EDGE_TIMES)
    assert got == _pandas(EDGE_TIMES)
    assert [u for *_, u in got][-3:] == [True, True, True]


@pytest.mark.parametrize("engine", ["postgres", "postgres_readable", "mariadb", "spark"])
def test_fractions_of_a_second_read_as_pandas_reads_them(engine, request):
    got = _read(engine, request, FRACTION_TIMES)
    assert got == _pandas(FRACTION_TIMES)
    assert [u for *_, u in got][-3:] == [True, True, True]


@pytest.mark.parametrize("engine", ["postgres", "postgres_readable"])
def test_year_zero_is_unreadable_on_postgresql_not_an_error(engine, request):
    """PostgreSQL's calendar has no year 0: its casts refused such a time with an error that
    stopped the whole statement. It reads as unreadable there (pandas reads year 0, a known
    difference); the year 1 beside it still reads."""
    got = _read(engine, request, ["0000-01-01", "0000-06-30T10:00Z", "0001-01-01"])
    assert [(e, u) for _, e, _, _, u in got] == [
        (None, True),
        (None, True),
        (-62135596800.0, False),
    ]
