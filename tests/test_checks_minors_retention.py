"""Minors and retention checks on a hand-written fixture, expected counts written by hand.

The same rows run on the pandas path (CSV files) and on the SQLite path (text columns).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from audit.checks import run_notebook
from audit.checks.base import Context
from audit.config import load_config

from .conftest import load_postgres, write_sqlite

USERS = pd.DataFrame(
    [
        # user_id, dob, age, is_minor, created_at, closed_at, email, full_name
        (
            "u1",
            "2013-11-27",
            "",
            "Y",
            "2026-11-20T08:00:00Z",
            "",
            "a@example.com",
            "Ann A",
        ),  # 12 at sign-up
        (
            "u2",
            "2010-06-15",
            "",
            "no",
            "2023-06-15T09:00:00Z",
            "",
            "b@example.com",
            "Bob B",
        ),  # 13 on the day; flag wrong (16 now)
        (
            "u3",
            "2008-02-29",
            "",
            "N",
            "2021-02-28T23:00:00Z",
            "",
            "c@example.com",
            "Cat C",
        ),  # leap day: 12 at sign-up
        (
            "u4",
            "2008-02-29",
            "",
            "",
            "2021-03-01T00:30:00+02:00",
            "",
            "d@example.com",
            "Dan D",
        ),  # UTC 28 Feb: 12
        (
            "u5",
            "1990-01-01",
            "",
            "1",
            "2020-01-01",
            "",
            "e@example.com",
            "Eve E",
        ),  # adult flagged minor
        ("u6", "", "", "Y", "2020-01-01", "", "f@example.com", "Fay F"),  # age unknown
        ("u7", "", "15", "N", "2025-01-01", "", "g@example.com", "Gus G"),  # age 15, flag wrong
        (
            "u8",
            "1985-05-05",
            "",
            "false",
            "",
            "2026-08-27T23:59:59Z",
            "h@example.com",
            "Hal H",
        ),  # closed before cutoff, data kept
        ("u9", "", "", "", "2019-01-01", "2025-01-01", "", ""),  # closed and emptied; age unknown
        (
            "u10",
            "1970-01-01",
            "",
            "no",
            "2019-01-01",
            "2026-08-28T00:00:00Z",
            "j@example.com",
            "Jo J",
        ),  # closed at the cutoff
        (
            "u11",
            "1980-01-01",
            "",
            "NO",
            "2019-01-01",
            "2026-08-28T01:00:00+02:00",
            "k@example.com",
            "Kim K",
        ),  # UTC 27 Aug
    ],
    columns=["user_id", "dob", "age", "is_minor", "created_at", "closed_at", "email", "full_name"],
)

EVENTS = pd.DataFrame(
    [
        ("u1", "2024-11-26T00:00:00Z"),  # at the cutoff: kept
        ("u1", "2024-11-25T23:59:59Z"),  # one second before: expired
        ("u2", "2024-11-26T01:00:00+02:00"),  # 25 Nov 23:00 UTC: expired
        ("u2", "2024-11-26"),  # a date is its midnight UTC: kept
        ("u3", "2024-11-25"),  # expired
        ("u3", ""),  # empty: not counted
        ("u4", "2026-01-01T10:00:00"),  # naive, recent
        ("u5", "2023-05-01 12:00:00"),  # expired
    ],
    columns=["user_id", "ts"],
)

KEYS = pd.DataFrame(
    [
        ("k1", "u1", "2024-11-25T10:00:00Z"),  # revoked 2 years and a bit ago: expired
        ("k2", "u2", ""),  # never revoked
        ("k3", "u3", "2025-01-01"),
    ],
    columns=["key_id", "user_id", "revoked_at"],
)

EXPECTED = {
    ("minors.under_minimum_age", "users"): (3, 9),  # (violations, rows_checked)
    ("minors.flag_mismatch", "users"): (3, 9),
    ("minors.age_unknown", "users"): (2, 11),
    ("retention.closed_account_data", "users"): (2, 3),
    ("retention.expired_records", "events"): (4, 7),
    ("retention.expired_records", "keys"): (1, 2),
}

DATASETS = """
datasets:
  users:
    source: {src_users}
    {where_users}
    kind: accounts
    key: user_id
    roles: {{date_of_birth: dob, age: age, minor_flag: is_minor, created_at: created_at, closed_at: closed_at}}
  events:
    source: {src_logs}
    {where_events}
    kind: usage_log
    key: user_id
    roles: {{event_time: ts}}
  keys:
    source: {src_logs}
    {where_keys}
    kind: api_keys
    key: user_id
    roles: {{revoked_at: revoked_at}}
"""


def make_fixture(
    tmp_path: Path,
    engine: str,
    users: pd.DataFrame = USERS,
    events: pd.DataFrame = EVENTS,
    pg_url: str | None = None,
) -> Path:
    """The fixture as CSV files (pandas), SQLite or PostgreSQL tables (text), and its config."""
    as_of = "as_of: 2026-11-26\n"
    if engine in ("pandas", "spark"):
        d = tmp_path / "files"
        d.mkdir()
        users.to_csv(d / "users.csv", index=False)
        # the log split over two files, as stores do
        events.iloc[:4].to_csv(d / "events-1.csv", index=False)
        events.iloc[4:].to_csv(d / "events-2.csv", index=False)
        KEYS.to_csv(d / "keys.csv", index=False)
        text = (
            as_of
            + "sources:\n  files: {path: files"
            + (', engine: spark, master: "local[2]"' if engine == "spark" else "")
            + "}\n"
            + DATASETS.format(
                src_users="files",
                where_users="files: users.csv",
                src_logs="files",
                where_events='files: "events-*.csv"',
                where_keys="files: keys.csv",
            )
        )
    else:
        tables = {"users": users, "events": events, "api_keys": KEYS}
        if engine == "postgres":
            assert pg_url is not None
            load_postgres(pg_url, tables)
            url = pg_url
        else:
            write_sqlite(tmp_path / "app.db", tables)
            url = "sqlite:///app.db"
        text = (
            as_of
            + f'sources:\n  app: {{url: "{url}"}}\n'
            + DATASETS.format(
                src_users="app",
                where_users="table: users",
                src_logs="app",
                where_events="table: events",
                where_keys="table: api_keys",
            )
        )
    cfg = tmp_path / "audit.yml"
    cfg.write_text(text)
    return cfg


def run_checks(cfg_path: Path) -> dict[tuple[str, str | None], object]:
    ctx = Context.open(load_config(cfg_path))
    found = run_notebook(ctx, "minors") + run_notebook(ctx, "retention")
    return {(f.check, f.dataset): f for f in found}


ENGINES = ["pandas", "sqlite", "postgres", "spark"]


def _pg_url(request, engine: str) -> str | None:
    if engine == "spark":
        request.getfixturevalue("spark")
    if engine != "postgres":
        return None
    return request.getfixturevalue("pg").create_db(
        request.node.name[-40:].replace("[", "_").replace("]", "").lower()
    )


@pytest.mark.parametrize("engine", ENGINES)
def test_hand_written_fixture(tmp_path, engine, request):
    got = run_checks(make_fixture(tmp_path, engine, pg_url=_pg_url(request, engine)))
    for key, (violations, checked) in EXPECTED.items():
        f = got[key]
        assert (f.violations, f.rows_checked, f.rows_unreadable) == (violations, checked, 0), key
        assert f.status == "fail"
    under = got[("minors.under_minimum_age", "users")]
    assert {e["key"] for e in under.examples} == {"u1", "u3", "u4"}
    assert all(e["value"] == "age at sign-up 12" for e in under.examples)
    assert {e["key"] for e in got[("retention.closed_account_data", "users")].examples} == {
        "u8",
        "u11",
    }


@pytest.mark.parametrize("engine", ENGINES)
def test_unreadable_values_make_an_error_and_are_never_counted_as_passing(
    tmp_path, engine, request
):
    users = USERS.copy()
    users.loc[0, "dob"] = "27/11/2013"  # u1: unreadable date of birth
    users.loc[4, "is_minor"] = "maybe"  # u5: unreadable flag
    events = pd.concat([EVENTS, pd.DataFrame([("u9", "yesterday")], columns=["user_id", "ts"])])
    got = run_checks(make_fixture(tmp_path, engine, users, events, pg_url=_pg_url(request, engine)))
    under = got[("minors.under_minimum_age", "users")]
    assert (under.status, under.violations, under.rows_unreadable) == ("error", 2, 1)
    flag = got[("minors.flag_mismatch", "users")]
    assert (flag.status, flag.violations, flag.rows_unreadable) == ("error", 2, 2)
    expired = got[("retention.expired_records", "events")]
    assert (expired.status, expired.violations, expired.rows_unreadable) == ("error", 4, 1)
    assert "could not be read" in under.message or "unreadable" in expired.message


@pytest.mark.parametrize("engine", ENGINES)
def test_zero_rows_give_findings_with_nothing_checked(tmp_path, engine, request):
    got = run_checks(
        make_fixture(
            tmp_path, engine, USERS.iloc[0:0], EVENTS.iloc[0:0], pg_url=_pg_url(request, engine)
        )
    )
    assert got[("minors.under_minimum_age", "users")].rows_checked == 0
    assert got[("retention.expired_records", "events")].status == "pass"


def test_unmapped_roles_skip_and_missing_kinds_say_so(tmp_path):
    (tmp_path / "f").mkdir()
    USERS[["user_id", "email"]].to_csv(tmp_path / "f" / "u.csv", index=False)
    cfg = tmp_path / "audit.yml"
    cfg.write_text(
        "as_of: 2026-11-26\nsources: {f: {path: f}}\n"
        "datasets: {u: {source: f, files: u.csv, kind: accounts, key: user_id}}\n"
    )
    got = run_checks(cfg)
    assert got[("minors.under_minimum_age", "u")].status == "skipped"
    assert "date_of_birth" in got[("minors.under_minimum_age", "u")].message
    assert got[("retention.closed_account_data", "u")].status == "skipped"
    assert got[("retention.expired_records", None)].status == "skipped"
    assert got[("minors.age_unknown", "u")].violations == len(USERS)


@pytest.mark.parametrize("engine", ["sqlite", "postgres", "spark"])
def test_with_only_an_age_mapped_every_engine_counts_as_pandas_does(tmp_path, engine, request):
    """No date of birth, sign-up time or flag: the SQL relation types its missing values
    (an untyped NULL in a subquery is text, and age arithmetic on it fails)."""

    def only_age(folder: Path, engine: str, pg_url: str | None = None) -> Path:
        cfg = make_fixture(folder, engine, pg_url=pg_url)
        roles = "roles: {{date_of_birth: dob, age: age, minor_flag: is_minor, created_at: created_at, closed_at: closed_at}}"
        cfg.write_text(cfg.read_text().replace(roles.format(), "roles: {age: age}"))
        return cfg

    (tmp_path / "p").mkdir()
    (tmp_path / "e").mkdir()
    want = run_checks(only_age(tmp_path / "p", "pandas"))
    got = run_checks(only_age(tmp_path / "e", engine, _pg_url(request, engine)))
    for check in ("minors.under_minimum_age", "minors.age_unknown", "minors.flag_mismatch"):
        w, g = want[(check, "users")], got[(check, "users")]
        assert (g.status, g.violations, g.rows_checked) == (w.status, w.violations, w.rows_checked)
    assert want[("minors.under_minimum_age", "users")].rows_checked > 0
