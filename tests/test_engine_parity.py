"""One adversarial fixture on every engine: the same counts, written by hand.

Where engines tend to differ: NULL against empty and blank strings, leap-day birthdays and a
leap-day retention cutoff, mixed time-zone offsets that move a date across midnight UTC,
regular-expression and string-literal hazards (quotes, backslashes, ``$``), 19-digit integer
keys and card numbers stored as integers, tabs and newlines around values, and reserved
words as column names (``user``, ``select``, ``order``, ``group``, ``from``, ``table``).

Files are Parquet (pandas and Spark), so NULL and ``""`` stay distinct there too; SQLite
holds loosely typed values, PostgreSQL typed columns (``bigint`` keys and cards).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from audit.checks import run_notebook
from audit.checks.base import Context
from audit.config import load_config

from .conftest import load_mariadb, load_postgres, write_sqlite

U1, U2, U3, U4 = 1000000000000000001, 1000000000000000002, 1000000000000000003, 9223372036854775807
U5, U6, U7 = 1000000000000000005, 1000000000000000006, 1000000000000000007
SHA256_UPPER = "2D711642B726B04401627CA9FBAC32F5C8530FB1903CC4DB02258717921A4881"

#: as_of is a leap day: the 2-year cutoff is 2026-02-28 00:00 UTC; the minor age is 18
AS_OF = "2028-02-29"

USERS = pd.DataFrame(
    {
        "user": pd.array([U1, U2, U3, U4, U5, U6, U7], dtype="int64"),
        "select": ["2012-02-29", "2012-02-29", "2012-02-29", "", None, " \t", "2000-01-01"],
        "order": [
            "2025-02-28T23:30:00-01:00",  # 1 Mar 00:30 UTC: 13 at sign-up
            "2025-02-28T23:30:00+00:00",  # 28 Feb UTC: 12, under 13
            "2025-03-01T00:30:00+01:00",  # 28 Feb 23:30 UTC: 12, under 13
            None,
            "",
            "2020-01-01",
            "2020-01-01T00:00:00Z",
        ],
        # 16 on as_of (a minor) for the first three; an adult last
        "group": ["yes", "0", None, "Y", "", "1", "1"],
    }
)

EVENTS = pd.DataFrame(
    {
        "user": pd.array([U1, U2, U2, U3, U3, U7, U7, U7, U1], dtype="int64"),
        "from": [
            "2026-02-28T00:00:00Z",  # at the cutoff: kept
            "2026-02-27T23:59:59Z",  # expired
            "2026-02-28T00:30:00+01:00",  # 27 Feb 23:30 UTC: expired
            "2026-02-27T23:30:00-01:00",  # 28 Feb 00:30 UTC: kept
            "2026-02-28",  # midnight UTC: kept
            "2026-02-27",  # expired
            None,  # no time: not in scope
            "",  # no time: not in scope
            "\t2026-02-28 00:00:00.000001+00:00\n",  # trimmed: kept
        ],
    }
)

KEYS = pd.DataFrame(
    {
        "user": pd.array([U1, U2, U3, U5, U6, U7], dtype="int64"),
        "table": [
            "$2b$12$" + "a" * 53,  # bcrypt: hashed
            SHA256_UPPER,  # upper-case hex digest: hashed
            "sk_live_ABCDEFGHIJKLMNOP1234",  # plain text
            "it's a \\ backslash $ and (paren",  # plain text with literal hazards
            "",  # empty: not counted
            None,
        ],
    }
)

PAYMENTS = pd.DataFrame(
    {
        "user": pd.array([U1, U2, U3, U5, U6], dtype="int64"),
        "check": pd.array(
            [4111111111111111, 4012888888881881, 4000000000000000006, 1234567890123456789, None],
            dtype="Int64",
        ),  # two cards, a 19-digit Visa, 19 digits with no issuer, NULL
    }
)

RIGHTS = pd.DataFrame(
    {
        "user": pd.array([U2, U4, None], dtype="Int64"),  # a NULL key beside 19-digit keys
        "type": ["deletion", "erasure", "access"],
        "received_at": ["2028-01-02", "2028-01-02", "2028-01-02"],
        "completed_at": ["2028-01-05", "2028-01-06", "2028-01-03"],
    }
)

TABLES = {"users": USERS, "events": EVENTS, "keys": KEYS, "payments": PAYMENTS, "rights": RIGHTS}
DATASETS = {
    "users": "kind: accounts\n    key: user\n    roles: {date_of_birth: select, created_at: order, minor_flag: group}",
    "events": "kind: usage_log\n    key: user\n    roles: {event_time: from}",
    "keys": "kind: api_keys\n    key: user\n    roles: {secret: table}",
    "payments": "kind: payments\n    key: user\n    roles: {card_number: check}",
    "rights": "kind: rights_requests\n    key: user\n    roles: {request_type: type, received_at: received_at, completed_at: completed_at}",
}

EXPECTED = {  # (check, dataset, column): (violations, rows_checked), counted by hand
    ("minors.under_minimum_age", "users", None): (2, 4),
    ("minors.flag_mismatch", "users", None): (3, 4),  # "0", NULL (= not set), adult with "1"
    ("minors.age_unknown", "users", None): (3, 7),  # "", NULL, blank
    ("retention.expired_records", "events", None): (3, 7),
    ("credentials.plaintext_secret", "keys", "table"): (2, 4),
    ("payment.full_card_number", "payments", "check"): (3, 4),
    # U2 is deleted and still in users, events, keys, payments; U4 is deleted and in users
    ("rights.deletion_not_honoured", "rights", None): (2, 2),
}


def _parquet(df: pd.DataFrame, path: Path) -> None:
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path)


def make(
    tmp_path: Path, engine: str, pg_url: str | None = None, master: str = "", maria=None
) -> Path:
    if engine in ("pandas", "spark"):
        folder = tmp_path / "f"
        folder.mkdir()
        for name, df in TABLES.items():
            _parquet(df, folder / f"{name}.parquet")
        extra = f', engine: spark, master: "{master}"' if engine == "spark" else ""
        source = f"  files: {{path: f{extra}}}"
        where = {n: f"source: files\n    files: {n}.parquet" for n in TABLES}
    else:
        if engine == "postgres":
            assert pg_url is not None
            load_postgres(pg_url, TABLES)
            url = pg_url
        elif engine == "mariadb":  # bigint keys and cards, text elsewhere
            url = load_mariadb(maria, "parity", TABLES)
        else:
            write_sqlite(tmp_path / "db.sqlite", {n: _plain(df) for n, df in TABLES.items()})
            url = "sqlite:///db.sqlite"
        source = f'  db: {{url: "{url}"}}'
        where = {n: f"source: db\n    table: {n}" for n in TABLES}
    lines = [f"as_of: {AS_OF}", "sources:", source, "datasets:"]
    lines += [f"  {n}:\n    {where[n]}\n    {DATASETS[n]}" for n in TABLES]
    cfg = tmp_path / "audit.yml"
    cfg.write_text("\n".join(lines) + "\n")
    return cfg


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """Python ints and None, as a loosely typed store holds them (no float round trip)."""
    return df.astype(object).where(df.notna(), None)


def findings(cfg: Path) -> dict[tuple[str, str | None, str | None], object]:
    ctx = Context.open(load_config(cfg))
    found = [
        f
        for nb in ("minors", "retention", "credentials_payment", "rights_sharing_cookies")
        for f in run_notebook(ctx, nb)
    ]
    return {(f.check, f.dataset, f.column): f for f in found}


@pytest.mark.parametrize("engine", ["pandas", "sqlite", "postgres", "mariadb", "spark"])
def test_adversarial_fixture_gives_the_same_counts_on_every_engine(tmp_path, engine, request):
    pg_url = request.getfixturevalue("pg").create_db("parity") if engine == "postgres" else None
    master = request.getfixturevalue("spark") if engine == "spark" else ""
    maria = request.getfixturevalue("mariadb") if engine == "mariadb" else None
    got = findings(make(tmp_path, engine, pg_url, master, maria))
    errors = {k: f.message for k, f in got.items() if f.status == "error"}
    assert not errors, errors
    for key, (violations, checked) in EXPECTED.items():
        f = got[key]
        assert (f.violations, f.rows_checked, f.rows_unreadable) == (violations, checked, 0), (
            key,
            f.message,
        )
    failing = {k for k, f in got.items() if f.status == "fail"}
    assert failing == set(EXPECTED), failing ^ set(EXPECTED)
    deleted = got[("rights.deletion_not_honoured", "rights", None)]
    assert "keys" in deleted.message and "payments" in deleted.message


@pytest.mark.parametrize("engine", ["pandas", "sqlite", "postgres", "mariadb", "spark"])
def test_joint_bucket_counts_are_each_columns_own(tmp_path, engine, request):
    """The age charts' two histograms from one evaluation of the relation: each the counts
    the column's own bucket query gives (ages missing left out), on every engine."""
    from audit.checks.minors import relation

    pg_url = request.getfixturevalue("pg").create_db("joint") if engine == "postgres" else None
    master = request.getfixturevalue("spark") if engine == "spark" else ""
    maria = request.getfixturevalue("mariadb") if engine == "mariadb" else None
    ctx = Context.open(load_config(make(tmp_path, engine, pg_url, master, maria)))
    ds = ctx.opened["users"]
    rel = relation(ctx, ds)
    buckets = [("_age_now", 5.0), ("_age_signup", 1.0)]
    joint = ctx.joint_bucket_counts(ds, rel, buckets)
    alone = [ctx.bucket_counts(ds, rel, c, w) for c, w in buckets]
    assert [s.to_dict() for s in joint] == [s.to_dict() for s in alone]
    # by hand: ages today 16 (three), 28, and none for the rest; at sign-up 12 (two), 13, 20
    assert joint[0].to_dict() == {15.0: 3, 25.0: 1}
    assert joint[1].to_dict() == {12.0: 2, 13.0: 1, 20.0: 1}
