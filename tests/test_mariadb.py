"""What MariaDB does its own way: zero dates, case-insensitive key collations, and sessions
that must stay read-only whatever the user may do.

The parity and truth tests run every check on MariaDB beside the other engines; these pin the
semantics only MariaDB (and MySQL) have.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from audit.checks import run_notebook
from audit.checks.base import Context
from audit.config import load_config
from audit.sources import connect

AS_OF = "2028-02-29"  # the 2-year cutoff: 2026-02-28 00:00 UTC


def _load(server, db: str, statements: list[str]) -> str:
    """Run ``statements`` as root in a session that accepts zero dates (as legacy MySQL
    schemas hold them); returns the read-only user's URL."""
    root = server.create_db(db)
    engine = sa.create_engine(root)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("SET SESSION sql_mode = ''")
            for s in statements:
                conn.exec_driver_sql(s)
    finally:
        engine.dispose()
    return server.url(db)


def _findings(tmp_path: Path, url: str, datasets: str, notebook: str) -> dict:
    cfg = tmp_path / "audit.yml"
    cfg.write_text(f'as_of: {AS_OF}\nsources:\n  db: {{url: "{url}"}}\ndatasets:\n{datasets}')
    ctx = Context.open(load_config(cfg))
    return {(f.check, f.dataset): f for f in run_notebook(ctx, notebook)}


def test_zero_dates_are_unreadable_never_a_time(tmp_path, mariadb):
    url = _load(
        mariadb,
        "zero_dates",
        [
            "CREATE TABLE events (uid VARCHAR(20), at DATETIME, day DATE)",
            "INSERT INTO events VALUES "
            "('a', '0000-00-00 00:00:00', '0000-00-00'),"  # zero date: unreadable
            "('b', '2026-02-00 10:00:00', '2026-02-00'),"  # zero day: unreadable
            "('c', '2026-02-27 23:59:59', '2026-02-27'),"  # expired
            "('d', '2026-02-28 00:00:00', '2026-02-28'),"  # at the cutoff: kept
            "('e', NULL, NULL)",  # no time: not in scope
        ],
    )
    for column in ("at", "day"):
        got = _findings(
            tmp_path,
            url,
            f"  events:\n    source: db\n    table: events\n    kind: usage_log\n"
            f"    key: uid\n    roles: {{event_time: {column}}}\n",
            "retention",
        )
        f = got[("retention.expired_records", "events")]
        # unreadable rows make the finding an error to fix, with both counts exact
        assert (f.violations, f.rows_unreadable) == (1, 2), (column, f.message)
        assert "2 row(s) have an unreadable event_time" in f.message


def test_keys_differing_in_case_are_different_subjects(tmp_path, mariadb):
    """A table's default collation is case-insensitive (``utf8mb4_general_ci`` here): the
    audit compares keys byte for byte, as every other engine does."""
    url = _load(
        mariadb,
        "key_case",
        [
            "CREATE TABLE users (uid VARCHAR(20)) COLLATE utf8mb4_general_ci",
            "INSERT INTO users VALUES ('u1'), ('U1'), ('u2'), ('Stra\u00dfe')",
            "CREATE TABLE rights (uid VARCHAR(20), type VARCHAR(20), received_at VARCHAR(20),"
            " completed_at VARCHAR(20)) COLLATE utf8mb4_general_ci",
            # U1 and u2 asked for deletion; u1, and STRASSE (equal to Stra\u00dfe in some
            # collations) did not
            "INSERT INTO rights VALUES ('U1', 'deletion', '2028-01-02', '2028-01-05'),"
            " ('u2', 'deletion', '2028-01-02', '2028-01-05'),"
            " ('STRASSE', 'access', '2028-01-02', '2028-01-05')",
        ],
    )
    got = _findings(
        tmp_path,
        url,
        "  users:\n    source: db\n    table: users\n    kind: accounts\n    key: uid\n"
        "  rights:\n    source: db\n    table: rights\n    kind: rights_requests\n    key: uid\n"
        "    roles: {request_type: type, received_at: received_at, completed_at: completed_at}\n",
        "rights_sharing_cookies",
    )
    f = got[("rights.deletion_not_honoured", "rights")]
    # U1 and u2 are both still in users, each once; u1 is another subject
    assert (f.status, f.violations, f.rows_checked) == ("fail", 2, 2), f.message


def test_the_audit_session_is_read_only_even_for_a_user_who_may_write(mariadb):
    root = mariadb.create_db("writable")
    engine = sa.create_engine(root)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (v INT)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
    with connect(root) as conn:  # the audit's own session, as root
        assert conn.exec_driver_sql("SELECT @@session.time_zone").scalar() == "+00:00"
        with pytest.raises(sa.exc.DBAPIError, match="READ ONLY"):
            conn.exec_driver_sql("INSERT INTO t VALUES (2)")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM t").scalar() == 1
    engine.dispose()


def test_a_statement_over_the_timeout_is_an_error_never_a_partial_count(
    tmp_path, mariadb, monkeypatch
):
    """``max_statement_time``, as PostgreSQL's ``statement_timeout``: the finding is
    ``error``, never a count of the rows read before the statement was stopped."""
    from audit import sources

    url = _load(
        mariadb,
        "timeouts",
        [
            "CREATE TABLE events (uid VARCHAR(20), ts VARCHAR(30))",
            "INSERT INTO events VALUES ('a', '2020-01-01'), ('b', '2020-01-01')",
            # every row read costs half a second
            "CREATE VIEW slow AS SELECT uid, ts FROM events WHERE SLEEP(0.5) = 0",
        ],
    )
    monkeypatch.setattr(sources, "MARIADB_STATEMENT_TIMEOUT", 0.2)
    got = _findings(
        tmp_path,
        url,
        "  events:\n    source: db\n    table: slow\n    kind: usage_log\n    key: uid\n"
        "    roles: {event_time: ts}\n",
        "retention",
    )
    (f,) = [f for (check, _), f in got.items() if check == "retention.expired_records"]
    assert (f.status, f.violations) == ("error", 0), (f.status, f.message)
