"""Remediation statements: the SQL that selects a finding's rows, and the SQL that fixes them.

For a finding on a database table, the data owner gets two statements in the table's own
dialect: ``select`` returns exactly what the finding counts, and ``fix`` (a ``DELETE`` or
an ``UPDATE``) removes it. The audit never runs either (its sessions are read-only). Each
statement is built from the same SQL expressions the check evaluated (:mod:`audit.sqlexpr`),
so its rows are the counted rows. Cutoffs are written as literals (UTC seconds since 1970,
with the date in a comment); no value read from the data appears in a statement.

>>> from audit.sqlexpr import SQLiteDialect
>>> s = expired(SQLiteDialect(), "logs", '"logs"', "ts", 86400.0, "1970-01-02", rows=3)
>>> s.fix.splitlines()[0]
'-- logs: rows with ts before the cutoff 1970-01-02 (UTC), past retention'
>>> s.fix.splitlines()[1].startswith('DELETE FROM "logs" WHERE ')
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from .sqlexpr import Dialect, quote


@dataclass(frozen=True)
class Statement:
    """One table's statements: ``select`` yields the finding's ``rows`` rows (or subjects);
    ``fix`` removes them; ``params`` names parameters to bind before running either."""

    dataset: str
    dialect: str
    select: str
    fix: str
    rows: int
    note: str = ""
    params: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _statement(
    d: Dialect,
    dataset: str,
    comment: str,
    select: str,
    fix: str,
    rows: int,
    note: str = "",
    params: str = "",
) -> Statement:
    head = f"-- {comment}\n"
    return Statement(dataset, d.name, head + select, head + fix, rows, note, params)


def expired(
    d: Dialect, dataset: str, table: str, anchor: str, limit: float, cutoff: str, rows: int
) -> Statement:
    """Rows whose ``anchor`` time is before the retention cutoff (``limit``, UTC seconds).

    >>> from audit.sqlexpr import PostgresDialect
    >>> expired(PostgresDialect(), "logs", '"logs"', "ts", 1.0, "1970-01-01", 3).select.endswith("< 1.0")
    True
    """
    where = f"{d.epoch(quote(anchor))} < {limit!r}"
    return _statement(
        d,
        dataset,
        f"{dataset}: rows with {anchor} before the cutoff {cutoff} (UTC), past retention",
        f"SELECT * FROM {table} WHERE {where}",
        f"DELETE FROM {table} WHERE {where}",
        rows,
        "delete them, or move them to an archive the policy allows",
    )


def closed_accounts(
    d: Dialect,
    dataset: str,
    table: str,
    closed: str,
    personal: Sequence[str],
    limit: float,
    cutoff: str,
    rows: int,
) -> Statement:
    """Accounts closed before the cutoff that still hold a value in a personal-data column;
    the fix empties those columns (the key and the close time stay)."""
    held = " OR ".join(f"NOT {d.is_empty(quote(c))}" for c in personal) or "1 = 0"
    where = f"{d.epoch(quote(closed))} < {limit!r} AND ({held})"
    sets = ", ".join(f"{quote(c)} = NULL" for c in personal)
    return _statement(
        d,
        dataset,
        f"{dataset}: accounts closed before {cutoff} (UTC) that still hold personal data",
        f"SELECT * FROM {table} WHERE {where}",
        f"UPDATE {table} SET {sets} WHERE {where}",
        rows,
        "empties the personal-data columns; the key and the close time stay",
    )


def _plaintext(
    d: Dialect, dataset: str, table: str, column: str, where: str, rows: int, what: str
) -> Statement:
    return _statement(
        d,
        dataset,
        f"{dataset}.{column}: {what}",
        f"SELECT * FROM {table} WHERE {where}",
        f"UPDATE {table} SET {quote(column)} = NULL WHERE {where}",
        rows,
        "revoke and rotate these keys first: a secret stored in plain text is exposed; "
        "store only a one-way hash",
    )


def unhashed_secret(
    d: Dialect, dataset: str, table: str, column: str, hashed: str, rows: int
) -> Statement:
    """Stored secrets that are not in a one-way hash format (``hashed``: its pattern); the
    fix empties them."""
    v = d.text(quote(column))
    where = f"{v} IS NOT NULL AND NOT {d.regex_match(v, hashed)}"
    return _plaintext(
        d, dataset, table, column, where, rows, "stored secrets not in a one-way hash format"
    )


def secret_in_text(
    d: Dialect, dataset: str, table: str, column: str, patterns: Sequence[str], rows: int
) -> Statement:
    """Values that contain a match of one of the policy's secret patterns; the fix empties
    them."""
    v = d.text(quote(column))
    tests = " OR ".join(d.regex_match(v, p) for p in patterns)
    return _plaintext(
        d,
        dataset,
        table,
        column,
        f"{v} IS NOT NULL AND ({tests})",
        rows,
        "values that contain a live API secret",
    )


def remaining_subjects(
    d: Dialect,
    dataset: str,
    table: str,
    key: str,
    subjects: str,
    requests: str,
    rows: int,
    bound: bool,
) -> Statement:
    """Subjects of completed deletion requests that still have rows in ``table``: ``select``
    lists them (one row per subject, as the finding counts them), ``fix`` deletes their rows.
    ``subjects`` is a query of their keys (``_key``): the requests' own query where they sit
    in the same database, else the keys bound as one parameter (``bound``)."""
    where = f"{key} IN (SELECT _key FROM ({subjects}) AS s)"
    return _statement(
        d,
        dataset,
        f"{dataset}: subjects of completed deletion requests (dataset {requests}) with rows left",
        f"SELECT DISTINCT {key} AS subject FROM {table} WHERE {where}",
        f"DELETE FROM {table} WHERE {where}",
        rows,
        "deletes every row of these subjects in this table",
        (
            f":subjects: a JSON array of the keys of completed deletion requests in dataset "
            f"{requests} (text, as stored)"
            if bound
            else ""
        ),
    )
