"""Text times read alike on every engine: the instant, month, day and unreadable flag that
each SQL dialect computes for a text time equal what pandas reads (``audit.values``), for
every shape the audit reads and some it must not: a zone without a time of day is
unreadable everywhere (PostgreSQL's cast refused "2024-11-26-05:00" with an error that
stopped the whole statement), an offset of hours alone is read everywhere (SQLite's date
functions read it as no time at all).

Fractions of a second are left out: SQLite's ``strftime('%s')`` gives whole seconds (a
known difference, named in the README; the other engines keep them)."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

from audit import values
from audit.sources import readonly_url
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
    "2024-11-26Z",
    "2024-11-26+02",
    "2024-11-26-05:00",
]


def _pandas() -> list[tuple[object, ...]]:
    p = values.timestamp(pd.Series(EDGE_TIMES))
    epochs = values.epoch_seconds(p.values)
    return [
        (
            i,
            None if pd.isna(epochs[i]) else float(epochs[i]),
            None if pd.isna(p.values[i]) else p.values[i].strftime("%Y-%m"),
            None if pd.isna(p.values[i]) else int(p.values[i].strftime("%Y%m%d")),
            bool(p.unreadable[i]),
        )
        for i in range(len(EDGE_TIMES))
    ]


@pytest.mark.parametrize("engine", ["sqlite", "postgres", "mariadb"])
def test_text_times_read_as_pandas_reads_them(engine, request):
    if engine == "sqlite":
        d, url = SQLiteDialect(), "sqlite://"
    elif engine == "postgres":
        d, url = PostgresDialect(), request.getfixturevalue("pg").create_db("text_times")
    else:
        d, url = MariaDBDialect(), request.getfixturevalue("mariadb").create_db("text_times")
    rows = " UNION ALL ".join(
        f"SELECT {i} AS i, {d.literal(v)} AS ts" for i, v in enumerate(EDGE_TIMES)
    )
    query = (
        f"SELECT i, {d.epoch('ts')} AS e, {d.month('ts')} AS m, {d.ymd('ts')} AS y, "
        f"{d.time_unreadable('ts')} AS u FROM ({rows}) x ORDER BY i"
    )
    engine_ = sa.create_engine(readonly_url(url))
    try:
        with engine_.connect() as con:
            got = [
                (i, None if e is None else float(e), m, None if y is None else int(y), bool(u))
                for i, e, m, y, u in con.execute(sa.text(query))
            ]
    finally:
        engine_.dispose()
    assert got == _pandas()
    assert [u for *_, u in got][-3:] == [True, True, True]
