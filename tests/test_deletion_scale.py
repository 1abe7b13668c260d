"""``rights.deletion_not_honoured`` past every cap, on every engine and every mix of engines.

great-expectations cuts every list it returns at 200 values; the finding must count from
counts, not lists. Subjects are carried between engines as one bound parameter or a view,
never one literal per subject, so the check also holds with a million deleted subjects.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from great_expectations.constants import MAX_RESULT_RECORDS

from audit.checks import deletion, rights
from audit.checks.base import Context
from audit.config import load_config

from .conftest import load_mariadb, load_postgres, write_sqlite

#: deleted subjects S0..S{DELETED-1}; where rows remain (ranges of subject numbers)
DELETED = 2_500
IN_USERS = range(0, 1_234)  # one row each
IN_EVENTS = range(1_000, 1_900)  # three rows each
IN_PAYMENTS = range(2_400, 2_403)
REMAINING = len(set(IN_USERS) | set(IN_EVENTS) | set(IN_PAYMENTS))  # 1,903


def subject(i: int) -> str:
    return f"S{i:07d}"


def tables(deleted: int = DELETED) -> dict[str, pd.DataFrame]:
    """Requests (deletions, in several spellings, plus open ones and other types that do not
    count), accounts, a usage log and payments."""
    n = deleted
    words = ["deletion", " Erasure ", "DELETE"]
    rights_rows = pd.DataFrame(
        {
            "uid": [subject(i) for i in range(n)] + ["X1", "X2", subject(0)],
            "type": [words[i % 3] for i in range(n)] + ["deletion", "access", "deletion"],
            "received_at": ["2026-01-02"] * (n + 3),
            # X1's deletion is still open; S0 asked twice
            "completed_at": ["2026-01-09"] * n + ["", "2026-01-03", "2026-01-04"],
        }
    )
    users = pd.DataFrame(
        {"uid": [subject(i) for i in IN_USERS] + [f"K{i}" for i in range(500)] + ["X1"]}
    )
    events = pd.DataFrame(
        {
            "uid": [f" {subject(i)}\t" for i in IN_EVENTS for _ in range(3)]
            + [f"K{i}" for i in range(700)]
            + [None, ""],
            "ts": "2026-03-01T00:00:00Z",
        }
    )
    payments = pd.DataFrame({"uid": [subject(i) for i in IN_PAYMENTS] + ["K1"]})
    return {"rights": rights_rows, "users": users, "events": events, "payments": payments}


KINDS = {
    "rights": "kind: rights_requests\n    key: uid\n    roles: {request_type: type, received_at: received_at, completed_at: completed_at}",
    "users": "kind: accounts\n    key: uid",
    "events": "kind: usage_log\n    key: uid\n    roles: {event_time: ts}",
    "payments": "kind: payments\n    key: uid",
}

#: layout -> where each dataset lives: files (pandas), sqlite, pg, mdb (MariaDB), spark
LAYOUTS = {
    "pandas": dict.fromkeys(KINDS, "files"),
    "sqlite": dict.fromkeys(KINDS, "sqlite"),
    "postgres": dict.fromkeys(KINDS, "pg"),
    "mariadb": dict.fromkeys(KINDS, "mdb"),
    "spark": dict.fromkeys(KINDS, "spark"),
    # requests in files: the subjects are carried to SQLite (JSON), PostgreSQL (JSON), Spark
    "carried": {"rights": "files", "users": "sqlite", "events": "pg", "payments": "spark"},
    # requests in SQLite beside the accounts (joined there), the rest elsewhere
    "partly": {"rights": "sqlite", "users": "sqlite", "events": "pg", "payments": "files"},
    "from_pg": {"rights": "pg", "users": "files", "events": "sqlite", "payments": "pg"},
    # requests in PostgreSQL: the subjects carried into MariaDB (JSON_TABLE of one parameter)
    "to_mariadb": {"rights": "pg", "users": "mdb", "events": "mdb", "payments": "files"},
}


def write(tmp_path: Path, layout: dict[str, str], data: dict[str, pd.DataFrame], request) -> Path:
    """The datasets where ``layout`` puts them, and the config."""
    sources, places = {}, {}
    if "files" in layout.values() or "spark" in layout.values():
        (tmp_path / "f").mkdir()
        (tmp_path / "s").mkdir()
    sqlite = {n: df for n, df in data.items() if layout[n] == "sqlite"}
    if sqlite:
        write_sqlite(tmp_path / "db.sqlite", sqlite)
        sources["db"] = '{url: "sqlite:///db.sqlite"}'
    pg = {n: df for n, df in data.items() if layout[n] == "pg"}
    if pg:
        url = request.getfixturevalue("pg").create_db(f"deletion_{tmp_path.name[-20:]}".lower())
        load_postgres(url, pg)
        sources["pg"] = f'{{url: "{url}"}}'
    mdb = {n: df for n, df in data.items() if layout[n] == "mdb"}
    if mdb:
        url = load_mariadb(request.getfixturevalue("mariadb"), f"del_{tmp_path.name[-20:]}", mdb)
        sources["mdb"] = f'{{url: "{url}"}}'
    for name, df in data.items():
        where = layout[name]
        if where in ("files", "spark"):
            folder = "f" if where == "files" else "s"
            pq.write_table(
                pa.Table.from_pandas(df, preserve_index=False),
                tmp_path / folder / f"{name}.parquet",
            )
            places[name] = f"source: {where}\n    files: {name}.parquet"
        else:
            source = {"sqlite": "db"}.get(where, where)
            places[name] = f"source: {source}\n    table: {name}"
    if "files" in layout.values():
        sources["files"] = "{path: f}"
    if "spark" in layout.values():
        master = request.getfixturevalue("spark")
        sources["spark"] = f'{{path: s, engine: spark, master: "{master}"}}'
    lines = ["as_of: 2026-11-26", "sources:"]
    lines += [f"  {k}: {v}" for k, v in sources.items()]
    lines += ["datasets:"] + [f"  {n}:\n    {places[n]}\n    {KINDS[n]}" for n in data]
    cfg = tmp_path / "audit.yml"
    cfg.write_text("\n".join(lines) + "\n")
    return cfg


def deletion_finding(cfg: Path):
    ctx = Context.open(load_config(cfg))
    return rights.deletion_finding(ctx, ctx.opened["rights"])


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_every_remaining_subject_is_counted_past_the_cap(tmp_path, layout, request):
    assert REMAINING > 1_000 > MAX_RESULT_RECORDS
    f = deletion_finding(write(tmp_path, LAYOUTS[layout], tables(), request))
    assert (f.status, f.violations, f.rows_checked) == ("fail", REMAINING, DELETED), f.message
    # per dataset, in the message: subjects with rows there
    assert "users (1,234)" in f.message and "events (900)" in f.message, f.message
    assert "payments (3)" in f.message, f.message
    assert len(f.examples) == 5
    assert all(e["value"].startswith("rows remain in ") for e in f.examples)


@pytest.mark.parametrize(
    "layout",
    [
        # requests in files: the subjects carried into SQLite and PostgreSQL, one parameter
        # each, and into Spark as one view (a million rows through Arrow)
        {"rights": "files", "users": "sqlite", "events": "pg", "payments": "spark"},
        # everything in PostgreSQL: one statement (its hash aggregate once took minutes here)
        dict.fromkeys(KINDS, "pg"),
    ],
    ids=["carried", "postgres"],
)
def test_a_million_deleted_subjects(tmp_path, layout, request):
    """One million completed deletions, 600,000 of them still in the accounts table."""
    n = 1_000_000
    ids = pd.Series([subject(i) for i in range(n)])
    data = {
        "rights": pd.DataFrame(
            {
                "uid": ids,
                "type": "deletion",
                "received_at": "2026-01-02",
                "completed_at": "2026-01-09",
            }
        ),
        "users": pd.DataFrame({"uid": ids[ids.index % 5 < 3]}),
        "events": pd.DataFrame({"uid": ids[ids.index % 10 == 0], "ts": "2026-03-01"}),
        "payments": pd.DataFrame({"uid": ["K1"]}),
    }
    expected = int(((ids.index % 5 < 3) | (ids.index % 10 == 0)).sum())
    f = deletion_finding(write(tmp_path, layout, data, request))
    assert (f.violations, f.rows_checked) == (expected, n), f.message
    assert "users (600,000)" in f.message and "events (100,000)" in f.message


def test_subjects_travel_as_one_parameter_never_as_literals(tmp_path, request):
    """The statements sent to a database carry no subject: the keys go in one bound value."""
    import sqlalchemy as sa

    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    cfg = write(tmp_path, LAYOUTS["carried"], tables(), request)
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        f = deletion_finding(cfg)
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
    assert f.violations == REMAINING
    statements = " ".join(s for s, _ in seen)
    assert subject(1_500) not in statements and subject(10) not in statements
    bound = [p for s, p in seen if deletion.PARAM in s or "json" in s.lower()]
    assert bound, "the subjects are bound as a parameter"
