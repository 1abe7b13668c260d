"""The hand-written SQL baseline: the audit's violation counts in plain PostgreSQL.

The limit the audit's PostgreSQL path is measured against: for each rule the shortest SQL
that computes the pandas baseline's count (``benchmarks/baseline.py``) on the same server,
with no great-expectations, no examples and no profile. Each table's column scans (card
numbers with their Luhn check, secrets, security codes) are one statement that reads the
table once. Text is trimmed of spaces, tabs and line breaks and is NULL when empty; times
are read in UTC, as the audit reads them.

It reads a workload whose datasets are all tables of one PostgreSQL database (the bench's
``postgres.yml``) and prints ``{"seconds": ..., "violations": {check: {place: n}}}`` as
JSON, places as the pandas baseline writes them.

Usage: ``python -m benchmarks.sql_baseline WORKLOAD/postgres.yml``

>>> luhn("d")[:40]
'(SELECT sum(CASE WHEN i % 2 = 1 THEN 2 *'
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from audit.detect import CARD_PREFILTER, CARD_RUN, HASHED, SECURITY_CODE_VALUE
from audit.detect import is_security_code_column as is_code_column

from .baseline import APPROVED, DELETION, PROHIBITED, SECRET, main

#: the places a statement counts, in the order of its one row, and the statement
Count = tuple[list[tuple[str, str]], str]


def q(name: str) -> str:
    """A quoted identifier.

    >>> q('type')
    '"type"'
    """
    return '"' + name.replace('"', '""') + '"'


def lit(value: str) -> str:
    """A string literal (``standard_conforming_strings``: backslashes are literal).

    >>> lit("it's")
    "'it''s'"
    """
    return "'" + value.replace("'", "''") + "'"


def words(items: set[str]) -> str:
    return ", ".join(lit(w) for w in sorted(items))


def t(col: str) -> str:
    """Trimmed text, NULL when empty."""
    return f"NULLIF(btrim({col}::text, ' ' || chr(9) || chr(10) || chr(13)), '')"


def ts(col: str) -> str:
    """A time read from text (the session is in UTC: a time without a zone is UTC)."""
    return f"{t(col)}::timestamptz"


def ymd(col: str) -> str:
    return f"to_char({ts(col)}, 'YYYYMMDD')::int"


def luhn(d: str) -> str:
    """Whether the digits ``d`` pass the Luhn check (digits counted from the right)."""
    x = f"substr({d}, length({d}) - i, 1)::int"
    return (
        f"(SELECT sum(CASE WHEN i % 2 = 1 THEN 2 * {x} - CASE WHEN {x} > 4 THEN 9 ELSE 0 END "
        f"ELSE {x} END) % 10 = 0 FROM generate_series(0, length({d}) - 1) AS i)"
    )


def holds_card(text: str) -> str:
    """A run of 13-19 digits with an issuer's prefix that passes Luhn, in a value that is
    not a one-way hash (as ``audit.detect.holds_card_number``)."""
    d = "regexp_replace(m[1], '[ -]', '', 'g')"
    issuer = (
        f"(left({d}, 1) IN ('3', '4', '5', '6') "
        f"OR (left({d}, 1) = '2' AND left({d}, 4)::int BETWEEN 2221 AND 2720) "
        f"OR (left({d}, 1) = '1' AND length({d}) = 15))"
    )
    # CASE, not AND: the cheap tests first, the regular expressions only where they pass
    return (
        f"CASE WHEN length({text}) >= 13 AND {text} ~ {lit(CARD_PREFILTER)} THEN {text} !~ "
        f"{lit(HASHED)} AND EXISTS (SELECT 1 FROM regexp_matches({text}, {lit(CARD_RUN.pattern)}, "
        f"'g') AS m WHERE {issuer} AND {luhn(d)}) ELSE FALSE END"
    )


def statements(cfg: dict[str, Any], types: dict[str, dict[str, str]]) -> list[Count]:
    """Every count as ``([(check, place), ...], SELECT)``, the SELECT's one row holding the
    counts in that order: ``types`` maps each table's columns to
    their PostgreSQL type (``text``, ``bigint``, ``timestamp with time zone``)."""
    import pandas as pd

    as_of = pd.Timestamp(str(cfg["as_of"]), tz="UTC")
    now = f"TIMESTAMPTZ {lit(as_of.isoformat())}"
    now_ymd = as_of.year * 10000 + as_of.month * 100 + as_of.day
    day = as_of.day if as_of.month != 2 else min(as_of.day, 28)
    two_years = (
        f"TIMESTAMPTZ {lit(pd.Timestamp(as_of.year - 2, as_of.month, day, tz='UTC').isoformat())}"
    )
    ds = cfg["datasets"]
    kind: dict[str, list[str]] = defaultdict(list)
    for n, d in ds.items():
        kind[d["kind"]].append(n)
    out: list[Count] = []

    def one(check: str, place: str, sql: str) -> None:
        out.append(([(check, place)], sql))

    def tab(name: str) -> str:
        return q(ds[name]["table"])

    def role(name: str, r: str) -> str:
        return q(ds[name]["roles"][r])

    for name in kind["accounts"]:
        dob, flag = role(name, "date_of_birth"), t(role(name, "minor_flag"))
        created = f"coalesce({ymd(role(name, 'created_at'))}, {now_ymd})"
        one(
            "minors.under_minimum_age",
            name,
            f"SELECT count(*) FROM {tab(name)} WHERE ({created} - {ymd(dob)}) / 10000 < 13",
        )
        as_flag = (
            f"CASE WHEN {flag} IS NULL THEN 0 WHEN lower({flag}) IN ('1', 'y', 'yes', 'true', 't') "
            f"THEN 1 WHEN lower({flag}) IN ('0', 'n', 'no', 'false', 'f') THEN 0 END"
        )
        minor = f"(({now_ymd} - {ymd(dob)}) / 10000 < 18)::int"
        one(
            "minors.flag_mismatch",
            name,
            f"SELECT count(*) FROM {tab(name)} WHERE {as_flag} <> {minor}",
        )
        one("minors.age_unknown", name, f"SELECT count(*) FROM {tab(name)} WHERE {t(dob)} IS NULL")
        skip = {ds[name]["key"]} | {
            ds[name]["roles"][r] for r in ("minor_flag", "created_at", "closed_at")
        }
        personal = " OR ".join(
            f"{t(q(c))} IS NOT NULL" for c in types[ds[name]["table"]] if c not in skip
        )
        one(
            "retention.closed_account_data",
            name,
            f"SELECT count(*) FROM {tab(name)} WHERE {ts(role(name, 'closed_at'))} "
            f"< {now} - interval '90 days' AND ({personal})",
        )
    for name in kind["usage_log"]:
        col = role(name, "event_time")
        typed = types[ds[name]["table"]][ds[name]["roles"]["event_time"]].startswith("timestamp")
        one(
            "retention.expired_records",
            name,
            f"SELECT count(*) FROM {tab(name)} WHERE {col if typed else ts(col)} < {two_years}",
        )
    secret_of: dict[str, str] = {}
    for name in kind["api_keys"]:
        secret_of[name] = ds[name]["roles"]["secret"]
        secret = t(role(name, "secret"))
        comp, rev = ts(role(name, "compromised_at")), ts(role(name, "revoked_at"))
        one(
            "retention.expired_records",
            name,
            f"SELECT count(*) FROM {tab(name)} WHERE {rev} < {two_years}",
        )
        one(
            "credentials.plaintext_secret",
            f"{name}:{secret_of[name]}",
            f"SELECT count(*) FROM {tab(name)} WHERE {secret} !~ {lit(HASHED)}",
        )
        one(
            "credentials.compromised_not_revoked",
            name,
            f"SELECT count(*) FROM {tab(name)} WHERE coalesce({rev}, {now}) - {comp} > interval '1 day'",
        )
    for name, spec in ds.items():
        code_role = spec.get("roles", {}).get("card_security_code")
        scans: list[tuple[str, str, str]] = []
        for col, typ in types[spec["table"]].items():
            if typ in ("text", "bigint"):
                scans.append(("payment.full_card_number", col, holds_card(q(col))))
            if typ == "text" and col != secret_of.get(name):
                scans.append(("credentials.plaintext_secret", col, f"{q(col)} ~ {lit(SECRET)}"))
            if col == code_role or (col != spec.get("key") and is_code_column(col)):
                scans.append(
                    ("payment.card_security_code", col, f"{q(col)} ~ {lit(SECURITY_CODE_VALUE)}")
                )
        # one pass over the table for all its columns, each value trimmed once
        read = sorted({c for _, c, _ in scans})
        trimmed = ", ".join(f"{t(q(c))} AS {q(c)}" for c in read)
        counts = ", ".join(f"count(*) FILTER (WHERE {w})" for _, _, w in scans)
        out.append(
            (
                [(check, f"{name}:{col}") for check, col, _ in scans],
                f"SELECT {counts} FROM (SELECT {trimmed} FROM {tab(name)} OFFSET 0) AS v",
            )
        )
    keyed = " UNION ALL ".join(
        f"SELECT {t(q(s['key']))} AS k FROM {q(s['table'])}"
        for s in ds.values()
        if s.get("key") and s["kind"] != "rights_requests"
    )
    for name in kind["rights_requests"]:
        rec, done = ts(role(name, "received_at")), ts(role(name, "completed_at"))
        one(
            "rights.request_overdue",
            name,
            f"SELECT count(*) FROM {tab(name)} WHERE coalesce({done}, {now}) - {rec} > interval '30 days'",
        )
        gone = (
            f"SELECT {t(q(ds[name]['key']))} FROM {tab(name)} WHERE lower({t(role(name, 'request_type'))}) "
            f"IN ({words(DELETION)}) AND {done} IS NOT NULL"
        )
        one(
            "rights.deletion_not_honoured",
            name,
            f"SELECT count(DISTINCT k) FROM ({keyed}) AS held WHERE k IN ({gone})",
        )
    for name in kind["disclosures"]:
        rec, pur = t(role(name, "recipient")), t(role(name, "purpose"))
        one(
            "sharing.unapproved_recipient",
            name,
            f"SELECT count(*) FROM {tab(name)} WHERE lower({rec}) NOT IN ({words(APPROVED)})",
        )
        one(
            "sharing.sale",
            name,
            f"SELECT count(*) FROM {tab(name)} WHERE lower({pur}) IN ({words(PROHIBITED)})",
        )
    grants = (
        " UNION ALL ".join(
            f"SELECT {t(q(ds[n]['key']))} AS k, {ts(role(n, 'granted_at'))} AS g, "
            f"{ts(role(n, 'withdrawn_at'))} AS w FROM {tab(n)} "
            f"WHERE lower({t(role(n, 'consent_type'))}) = 'analytics'"
            for n in kind["consents"]
        )
        or "SELECT NULL::text AS k, NULL::timestamptz AS g, NULL::timestamptz AS w"
    )
    for name in kind["cookie_events"]:
        at = ts("e." + role(name, "event_time"))
        one(
            "cookies.analytics_without_consent",
            name,
            f"SELECT count(*) FROM {tab(name)} AS e WHERE lower({t(role(name, 'cookie_category'))}) "
            f"= 'analytics' AND NOT EXISTS (SELECT 1 FROM ({grants}) AS c WHERE "
            f"c.k = {t('e.' + q(ds[name]['key']))} AND c.g <= {at} AND (c.w IS NULL OR c.w > {at}))",
        )
    return out


def count(cfg_path: Path) -> dict[str, dict[str, int]]:
    import psycopg

    cfg = yaml.safe_load(cfg_path.read_text())
    (url,) = [s["url"] for s in cfg["sources"].values() if "url" in s]
    found: dict[str, dict[str, int]] = defaultdict(dict)
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as con:
        con.execute("SET TimeZone = 'UTC'")
        # compiling a statement with the card check's subplans took longer than running it
        con.execute("SET jit = off")
        tables = sorted({d["table"] for d in cfg["datasets"].values()})
        types: dict[str, dict[str, str]] = {n: {} for n in tables}
        for table, col, typ in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ANY(%s) ORDER BY ordinal_position",
            [tables],
        ):
            types[table][col] = typ
        for places, sql in statements(cfg, types):
            row = con.execute(sql).fetchone()
            assert row is not None
            for (check, place), n in zip(places, row, strict=True):
                if n:
                    found[check][place] = int(n)
    return dict(found)


if __name__ == "__main__":
    main(sys.argv[1:], count)
