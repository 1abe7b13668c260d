"""What runs in PostgreSQL stays there and stays cheap.

- Time-typed columns are read as times (no text round trip) with the same results as the
  same values stored as text: offsets, naive times read as UTC, dates as their midnight
  UTC, the cutoff day itself, NULL, and infinity (unreadable: no date).
- great-expectations never runs a relation's query unbounded (it would fetch every row into
  the audit's process to learn the column names).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import great_expectations.expectations as gxe
import psycopg
import pytest
import sqlalchemy as sa

from audit.checks import retention
from audit.checks.base import Context
from audit.config import load_config
from audit.judge import Judge

AS_OF = "2028-02-29"  # the two-year cutoff is 2026-02-28 00:00 UTC

# (timestamptz, timestamp, date), 4 readable of 5 present: expired, expired (the offset moves it to the 27th),
# the cutoff itself (kept), kept, no value, infinity
ROWS = [
    ("2026-02-27 23:00:00+00", "2026-02-27 23:00:00", "2026-02-27"),
    ("2026-02-28 01:00:00+02", "2026-02-27 23:59:59", "2026-02-27"),
    ("2026-02-28 00:00:00+00", "2026-02-28 00:00:00", "2026-02-28"),
    ("2027-01-01 12:00:00-05", "2027-01-01 12:00:00", "2027-01-01"),
    (None, None, None),
    ("infinity", "-infinity", "infinity"),
]
COLUMNS = {"at": "timestamptz", "local": "timestamp", "day": "date"}


@contextmanager
def statements() -> Iterator[list[tuple[str, object]]]:
    """Every statement SQLAlchemy sends while in the block (whitespace folded), with its
    parameters."""
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((" ".join(statement.split()), parameters))

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)


def _load(url: str) -> None:
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    typed = ", ".join(f'"{c}" {t}, "{c}_text" text' for c, t in COLUMNS.items())
    with psycopg.connect(plain, autocommit=True) as con:
        con.execute(f'CREATE TABLE "events" ("user" text, {typed})')
        for n, row in enumerate(ROWS):
            values = [f"u{n}"] + [v for value in row for v in (value, value)]
            con.execute(f'INSERT INTO "events" VALUES ({", ".join(["%s"] * len(values))})', values)


@pytest.fixture(scope="module")
def findings(pg, tmp_path_factory):
    url = pg.create_db("typed_times")
    _load(url)
    folder = tmp_path_factory.mktemp("typed")
    datasets = "".join(
        f"  {c}:\n    source: db\n    table: events\n    kind: usage_log\n    key: user\n"
        f"    roles: {{event_time: {c}}}\n"
        for col in COLUMNS
        for c in (col, f"{col}_text")
    )
    cfg = folder / "audit.yml"
    cfg.write_text(f'as_of: {AS_OF}\nsources:\n  db: {{url: "{url}"}}\ndatasets:\n{datasets}')
    ctx = Context.open(load_config(cfg))
    assert ctx.opened["at"].times == {"at": "tz", "local": "naive", "day": "date"}
    return {f.dataset: f for f in retention.run(ctx) if f.check == retention.EXPIRED[0]}


@pytest.mark.parametrize("column", list(COLUMNS))
def test_typed_times_read_as_their_text_does(findings, column):
    typed, text = findings[column], findings[f"{column}_text"]
    assert (typed.violations, typed.rows_checked, typed.rows_unreadable) == (2, 4, 1)
    assert (text.violations, text.rows_checked, text.rows_unreadable) == (2, 4, 1)


#: a relation with one missing value (u4), judged by one expectation that fails
NOT_NULL_QUERY = 'SELECT "user" AS _key, "at_text" AS v FROM "events"'


@pytest.fixture(scope="module")
def not_null(findings, pg):
    """The outcome of ``v`` not null on :data:`NOT_NULL_QUERY`, and the statements sent."""
    with statements() as sent:
        (o,) = Judge().sql(
            "bounded",
            pg.url("typed_times"),
            NOT_NULL_QUERY,
            [gxe.ExpectColumnValuesToNotBeNull(column="v")],
            "_key",
        )
    assert (o.element_count, o.unexpected_count) == (6, 1)
    return o, [s for s, _ in sent]


def test_a_relation_is_never_fetched_whole(not_null):
    query = NOT_NULL_QUERY
    _, seen = not_null
    wrapped = [s for s in seen if query in s]
    assert wrapped, seen
    # every statement that reads the relation aggregates it, limits it, or filters it to
    # unexpected rows (at most the examples, which GX limits)
    unbounded = [
        s
        for s in wrapped
        if s == query
        or ("LIMIT" not in s and "sum(" not in s.lower() and "count(" not in s.lower())
    ]
    assert not unbounded, unbounded


def test_an_expectation_that_holds_fetches_no_examples(findings, pg):
    """Examples cost a relation evaluation and, for an expectation that holds, find nothing:
    they are asked for only where something failed."""
    url = pg.url("typed_times")
    query = 'SELECT "user" AS _key, "user" AS u, "at_text" AS v FROM "events"'
    with statements() as seen:
        held, failed = Judge().sql(
            "examples",
            url,
            query,
            [gxe.ExpectColumnValuesToNotBeNull(column=c) for c in ("u", "v")],
            "_key",
        )
    assert (held.unexpected_count, failed.unexpected_count) == (0, 1)
    assert held.examples == [] and failed.examples == [{"_key": "u4", "v": None}]
    rows_of = {
        c: [
            (s, p)
            for s, p in seen
            if query in s and s.startswith((f"SELECT {c} ", f"SELECT _key, {c} "))
        ]
        for c in ("u", "v")
    }
    assert all("LIMIT" in s and 0 in dict(p or {}).values() for s, p in rows_of["u"]), rows_of["u"]
    assert any(5 in dict(p or {}).values() for s, p in rows_of["v"]), rows_of["v"]


def test_examples_of_a_failed_expectation_cost_one_query(not_null):
    """The examples of a failed expectation come from one statement (its keys and values,
    limited): the counts are not asked for again, nor the unexpected values apart."""
    o, seen = not_null
    query = NOT_NULL_QUERY
    assert o.examples == [{"_key": "u4", "v": None}]
    reads = [s for s in seen if query in s]
    assert len([s for s in reads if s.startswith("SELECT _key, v ")]) == 1, reads
    # the row count is counted once, with the unexpected count (given to the examples)
    counts = [s for s in reads if "unexpected_count" in s]
    assert len(counts) == 1 and [s for s in reads if "table.row_count" in s] == counts, reads
    # the counts pass asks for no unexpected value (LIMIT 0); the examples ask for none apart
    assert len([s for s in reads if "AS unexpected_values" in s]) == 1, reads


def test_the_counts_of_a_relation_are_one_evaluation_of_it(pg):
    """The relation's row count, and each expectation's unexpected and missing counts, come
    from one statement: great-expectations 1.24.1 alone sends the row count apart first (a
    second full evaluation of a relation that joins or aggregates a large table)."""
    with statements() as sent:
        outcomes = Judge().sql(
            "counts",
            pg.url("typed_times"),
            NOT_NULL_QUERY,
            [
                gxe.ExpectColumnValuesToNotBeNull(column="v"),
                gxe.ExpectColumnValuesToBeInSet(column="_key", value_set=["u1", "u2"]),
                gxe.ExpectColumnValueLengthsToBeBetween(column="v", max_value=10),
            ],
            None,
        )
    at = [row[0] for row in ROWS]
    long = sum(v is not None and len(v) > 10 for v in at)
    assert [(o.element_count, o.unexpected_count, o.missing_count) for o in outcomes] == [
        (6, at.count(None), 0),
        (6, 4, 0),  # u0, u3, u4, u5
        (6, long, at.count(None)),
    ]
    evaluated = [s for s, _ in sent if NOT_NULL_QUERY in s and "LIMIT" not in s]
    assert len(evaluated) == 1, "\n".join(evaluated)
    assert "table.row_count" in evaluated[0] and "unexpected_count" in evaluated[0]


def _text_table(
    pg,
    tmp_path,
    db: str,
    columns: list[str],
    rows: list[tuple[str | None, ...]],
    types: dict[str, str] | None = None,
) -> Context:
    """A database ``db`` with one table ``t`` of text columns (``user`` and ``columns``; or
    of the SQL ``types`` named) holding ``rows``, configured as a usage log keyed by
    ``user``, opened."""
    url = pg.create_db(db)
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    names = ["user", *columns]
    with psycopg.connect(plain, autocommit=True) as con:
        typed = ", ".join(f'"{c}" {(types or {}).get(c, "text")}' for c in names)
        con.execute(f'CREATE TABLE "t" ({typed})')
        for row in rows:
            con.execute(f'INSERT INTO "t" VALUES ({", ".join(["%s"] * len(names))})', row)
    cfg = tmp_path / "audit.yml"
    cfg.write_text(
        f'as_of: {AS_OF}\nsources:\n  db: {{url: "{url}"}}\ndatasets:\n'
        "  t:\n    source: db\n    table: t\n    kind: usage_log\n    key: user\n"
    )
    return Context.open(load_config(cfg))


def test_a_card_scan_reads_a_table_twice_whatever_its_columns(pg, tmp_path):
    """The card scan of a table is two statements for all its columns (the non-empty values,
    then the candidate rows of every column), with each column's own counts."""
    from audit.checks import payment

    rows = [  # (key, note, ref, code): one card in free text, one 16-digit non-card
        ("u1", "paid with 4111 1111 1111 1111 today", "1234567890123456", "ab"),
        ("u2", "no card", "  ", "7"),
        ("u3", "", "x", None),
        ("u4", "4111-1111-1111-1112", None, "4111111111111111"),
    ]
    ctx = _text_table(pg, tmp_path, "card_scan", ["note", "ref", "code"], rows)
    with statements() as sent:
        found = payment._cards(ctx)
    seen = [s for s, _ in sent]
    assert sorted((f.column, f.violations, f.rows_checked) for f in found) == [
        ("code", 1, 3),
        ("note", 1, 3),
    ]
    assert len([s for s in seen if 'FROM "t"' in s]) == 2, seen


def test_a_sample_reads_a_table_in_its_stored_order_whatever_read_it_before(pg, tmp_path):
    """PostgreSQL starts a scan of a large table where the last scan of it reported its
    position (synchronized scans), so a sample numbering values "in the order they are
    read" depended on what had read the table before: the inventory's samples read it from
    its first row, every time."""
    from audit import inventory

    url = pg.create_db("scan_order")
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    rows = 400_000  # over a quarter of shared_buffers (128 MB): scans of it are synchronized
    with psycopg.connect(plain, autocommit=True) as con:
        con.execute('CREATE TABLE "big" ("k" text, "pad" text)')
        with con.cursor().copy('COPY "big" FROM STDIN') as copy:
            for i in range(rows):
                copy.write_row((f"k{i}", "x" * 80))
        # a scan that stops half-way leaves its position behind for the next one
        con.execute("SET max_parallel_workers_per_gather = 0")
        con.execute("SELECT k FROM \"big\" WHERE k = 'k250000' LIMIT 1").fetchall()
        first = con.execute('SELECT k FROM "big" LIMIT 1').fetchone()
    assert first != ("k0",), "PostgreSQL no longer synchronizes scans: the test proves nothing"
    cfg = tmp_path / "audit.yml"
    cfg.write_text(
        f'as_of: {AS_OF}\nsources:\n  db: {{url: "{url}"}}\ndatasets:\n'
        "  big:\n    source: db\n    table: big\n    kind: usage_log\n    key: k\n"
    )
    ctx = Context.open(load_config(cfg))
    (sample,) = inventory._samples_sql(ctx, ctx.opened["big"], ["k"], [1000], 50)
    assert sample == [f"k{i}" for i in range(0, 50_000, 1000)]


def test_a_card_scan_takes_the_values_scanned_from_the_inventory(pg, tmp_path):
    """Where the inventory has profiled a table in this run, the card scan takes each
    column's non-empty values from it (the same counts) and reads the table once."""
    from audit.checks import payment
    from audit.inventory import configured_profile, present_counts

    # empty or not, whether or not a value starts with a space, tab or line break
    rows = [
        ("u1", "4111 1111 1111 1111", "\n x "),
        ("u2", "\t", " "),
        ("u3", None, "4012888888881881"),
    ]
    ctx = _text_table(pg, tmp_path, "card_scan_profiled", ["note", "code"], rows)
    assert present_counts(ctx, ctx.opened["t"]) is None  # nothing profiled, nothing counted
    configured_profile(ctx, ctx.opened["t"])
    assert present_counts(ctx, ctx.opened["t"]) == {"user": 3, "note": 1, "code": 2}
    with statements() as sent:
        found = payment._cards(ctx)
    assert sorted((f.column, f.violations, f.rows_checked) for f in found) == [
        ("code", 1, 2),
        ("note", 1, 1),
    ]
    assert len([s for s, _ in sent if 'FROM "t"' in s]) == 1


def test_typed_columns_count_as_many_distinct_values_as_their_text(pg, tmp_path):
    """The inventory counts integers and times typed (a cheaper sort): each column's distinct
    share is that of its text, one instant written with two offsets included; an interval,
    whose equal values have different texts, is counted as text."""
    from audit.inventory import profile_dataset

    types = {"at": "timestamptz", "local": "timestamp", "day": "date", "n": "bigint"}
    types |= {"i": "integer", "span": "interval"}
    rows = [
        ("u1", "2026-02-28 01:00:00+02", "2026-02-27 23:00", "2026-02-27", "-1", "7", "1 day"),
        ("u2", "2026-02-27 23:00:00+00", "2026-02-27 23:00", "2026-02-27", "1", "7", "24 hours"),
        ("u3", "2026-02-27 23:00:00.5Z", "infinity", "infinity", "10", "-7", "1 day"),
        ("u4", None, None, None, None, None, None),
        ("u5", "infinity", "-infinity", "2000-01-01", "9223372036854775807", "0", "0"),
    ]
    ctx = _text_table(pg, tmp_path, "typed_distinct", list(types), rows, types)
    ds = ctx.opened["t"]
    assert ds.integers == ["n", "i"]
    plain = ds.url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain) as con:  # the text's distinct values, counted as text
        expected = {
            c: con.execute(
                f"SELECT COUNT(DISTINCT NULLIF(btrim(CAST({q} AS TEXT)), '')), COUNT({q}) FROM t"
            ).fetchone()
            for c in types
            for q in [f'"{c}"']
        }
    assert expected["at"] == (3, 4) and expected["span"] == (3, 4)  # "1 day" = "24 hours"
    with statements() as sent:
        entries = {e.column: e for e in profile_dataset(ctx, ds, True)}
    for c, (distinct, present) in expected.items():
        assert entries[c].distinct_share == round(distinct / present, 4), c
    # two statements of about equal cost (halves), each column counted in exactly one
    spreads = [s for s, _ in sent if "COUNT(DISTINCT" in s]
    assert len(spreads) == 2
    spread = " ".join(spreads)
    assert all(spread.count(f" AS d{i},") == 1 for i in range(len(ds.columns)))
    typed = [i for i, c in enumerate(ds.columns) if c in ("at", "local", "day", "n", "i")]
    assert all(f"COUNT(DISTINCT u{i})" in spread for i in typed)
    assert f"COUNT(DISTINCT v{ds.columns.index('span')})" in spread


def test_columns_full_of_values_are_sampled_as_when_each_is_counted(pg, tmp_path):
    """A sample numbers a column with no empty value by the rows' one running count: the
    same values as numbering its own values, beside a column with empty values."""
    from audit import inventory

    rows = [
        (f"u{i}", f" x{i}\t" if i % 7 else " ", str(i - 50)) for i in range(1, 200)
    ]  # note: empty every 7th row; n: an integer in every row
    ctx = _text_table(pg, tmp_path, "full_samples", ["note", "n"], rows, {"n": "bigint"})
    ds = ctx.opened["t"]
    columns, steps = ["user", "note", "n"], [9, 4, 13]
    each = inventory._samples_sql(ctx, ds, columns, steps, 12)
    with statements() as sent:
        shared = inventory._samples_sql(ctx, ds, columns, steps, 12, [True, False, True])
    assert shared == each
    # every 4th non-empty note: x7 is empty, so the 9th value is x10
    assert each[1][:3] == ["x1", "x5", "x10"] and len(each[0]) == 12 and each[2][0] == "-49"
    (statement,) = [s for s, _ in sent if 'FROM "t"' in s]
    assert statement.count("OVER (") == 2  # the rows' running count and the note's
