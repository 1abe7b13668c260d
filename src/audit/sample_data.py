"""The synthetic SPECTRA data set: realistic, deterministic, any size, with its truth file.

Every violation is seeded on purpose and counted here with this module's own date
arithmetic (it shares no code with the checks, so the truth file can grade them).

Usage: ``generate(Path("out"), users=200, events=2000)`` writes the files and returns the
:class:`Truth`.

>>> years_between(date(2008, 2, 29), date(2021, 2, 28))
12
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

AS_OF = date(2026, 11, 26)
FIRST = [
    "Ada",
    "Grace",
    "Alan",
    "Linus",
    "Margaret",
    "Dennis",
    "Barbara",
    "Ken",
    "Radia",
    "Tim",
    "Frances",
    "John",
    "Hedy",
    "Edsger",
    "Katherine",
    "Niklaus",
    "Sophie",
    "Yukihiro",
]
LAST = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Torvalds",
    "Hamilton",
    "Ritchie",
    "Liskov",
    "Thompson",
    "Perlman",
    "Berners",
    "Allen",
    "McCarthy",
    "Lamarr",
    "Dijkstra",
    "Johnson",
    "Wirth",
]
CITIES = [
    ("Berlin", "10115"),
    ("Lyon", "69001"),
    ("Leeds", "LS1 4AP"),
    ("Austin", "78701"),
    ("Pune", "411001"),
    ("Porto", "4000-322"),
]
ORGS = ["Acme Analytics", "Globex", "Initech", "Umbrella Labs", "Hooli", "Stark Data"]
AGENTS = [
    "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
    "curl/8.5.0",
    "python-requests/2.32",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Safari/605.1.15",
]
PATHS = ["/v1/quotes", "/v1/forecast", "/v1/usage", "/v1/keys", "/v1/accounts/me"]
LOWER = "abcdefghijklmnopqrstuvwxyz"
ALNUM = LOWER + LOWER.upper() + "0123456789"


def years_between(born: date, on: date) -> int:
    """Completed years, by comparing birthdays (Feb 29 birthdays fall on Mar 1 in common years)."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def shift_years(d: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in common years."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


@dataclass
class Truth:
    """Violations seeded per check, per dataset (and column for column scans)."""

    as_of: date
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def add(self, check: str, where: str, n: int = 1) -> None:
        self.counts.setdefault(check, Counter())[where] += n

    def set(self, check: str, where: str, n: int) -> None:
        self.counts.setdefault(check, Counter())[where] = n

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "violations": {c: dict(sorted(v.items())) for c, v in sorted(self.counts.items())},
            "notes": self.notes,
        }


class _Gen:
    def __init__(self, seed: int, as_of: date) -> None:
        self.r = random.Random(seed)
        self.as_of = as_of
        self.now = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)

    def ts_between(self, start: datetime, end: datetime) -> datetime:
        span = int((end - start).total_seconds())
        return start + timedelta(seconds=self.r.randrange(max(span, 1)))

    def ts_text(self, t: datetime) -> str:
        """A timestamp as stores write them: Z, an offset, naive, or a space separator."""
        form = self.r.randrange(4)
        if form == 0:
            return t.strftime("%Y-%m-%dT%H:%M:%SZ")
        if form == 1:
            off = self.r.choice([2, -5, 5])
            local = t + timedelta(hours=off)
            return (
                local.strftime("%Y-%m-%dT%H:%M:%S") + f"{'+' if off >= 0 else '-'}{abs(off):02d}:00"
            )
        if form == 2:
            return t.strftime("%Y-%m-%dT%H:%M:%S")
        return t.strftime("%Y-%m-%d %H:%M:%S")

    def flag_text(self, on: bool) -> str:
        return self.r.choice(
            [("Y", "N"), ("yes", "no"), ("1", "0"), ("True", "False"), ("y", "n")]
        )[0 if on else 1]

    def person(self) -> dict[str, str]:
        first, last = self.r.choice(FIRST), self.r.choice(LAST)
        city, post = self.r.choice(CITIES)
        n = self.r.randrange(10, 999)
        return {
            "full_name": f"{first} {last}",
            "email": f"{first.lower()}.{last.lower()}{n}@example.{self.r.choice(['com', 'org', 'net'])}",
            "phone": f"+49 30 {self.r.randrange(1000000, 9999999)}"
            if city == "Berlin"
            else f"+1 512 555 {self.r.randrange(1000, 9999)}",
            "organisation": self.r.choice(ORGS),
            "address": f"{self.r.randrange(1, 200)} {self.r.choice(['Main St', 'Rue Neuve', 'Hauptstr.'])}, {post} {city}",
        }

    def card(self, prefix: str = "4", length: int = 16) -> str:
        digits = [int(c) for c in prefix] + [
            self.r.randrange(10) for _ in range(length - len(prefix) - 1)
        ]
        total = 0
        for i, d in enumerate(reversed(digits)):
            if i % 2 == 0:
                d *= 2
                d = d - 9 if d > 9 else d
            total += d
        return "".join(map(str, digits)) + str((10 - total % 10) % 10)

    def secret(self) -> str:
        return "sk_live_" + "".join(self.r.choice(ALNUM) for _ in range(24))

    def hashed(self, plain: str) -> str:
        if self.r.random() < 0.5:
            return hashlib.sha256(plain.encode()).hexdigest()
        salt = "".join(self.r.choice(ALNUM + "./") for _ in range(22))
        return "$2b$12$" + salt + "".join(self.r.choice(ALNUM + "./") for _ in range(31))


def _users(g: _Gen, n: int, truth: Truth, dense: int = 0) -> list[dict[str, Any]]:
    """Accounts with seeded minors and retention violations (at least ``dense`` of each)."""
    as_of = g.as_of
    closed_cutoff = g.now - timedelta(days=90)
    rows: list[dict[str, Any]] = []
    n_under = max(3, n // 40, dense)
    n_flag = max(3, n // 40, dense)
    n_unknown = max(2, n // 60, dense)
    n_closed_kept = max(2, n // 50, dense)
    n_closed_clean = max(2, n // 50)
    n_closed_recent = max(2, n // 60)
    plan = (
        ["under"] * n_under
        + ["flag"] * n_flag
        + ["unknown"] * n_unknown
        + ["closed_kept"] * n_closed_kept
        + ["closed_clean"] * n_closed_clean
        + ["closed_recent"] * n_closed_recent
        + ["teen"] * max(2, n // 50)
    )
    if len(plan) + 3 > n:
        raise ValueError(
            f"{n} users cannot hold the seeded violations: use {len(plan) + 3} or more"
        )
    plan += ["normal"] * (n - len(plan) - 3)
    g.r.shuffle(plan)
    plan += ["birthday13", "leap_under", "closed_at_cutoff"]
    for i, kind in enumerate(plan):
        uid = f"U{100000 + i}"
        created = g.ts_between(g.now - timedelta(days=6 * 365), g.now - timedelta(days=10))
        if kind in (
            "normal",
            "flag",
            "unknown",
            "closed_kept",
            "closed_clean",
            "closed_recent",
            "closed_at_cutoff",
        ):
            dob = shift_years(created.date(), -g.r.randrange(19, 70)) - timedelta(
                days=g.r.randrange(1, 360)
            )
        elif kind == "under":
            dob = shift_years(created.date(), -g.r.randrange(8, 13)) + timedelta(
                days=g.r.randrange(1, 300)
            )
        elif kind == "teen":  # signed up at 13 or more, still under 18 today
            dob = shift_years(as_of, -g.r.randrange(14, 17)) - timedelta(days=g.r.randrange(1, 300))
            created = datetime(*shift_years(dob, 13).timetuple()[:3], tzinfo=UTC) + timedelta(
                days=g.r.randrange(1, 200)
            )
        elif kind == "birthday13":  # signs up on the 13th birthday: allowed
            dob = date(2010, 6, 15)
            created = datetime(2023, 6, 15, 9, 30, tzinfo=UTC)
        else:  # leap_under: born 29 Feb, signs up on 28 Feb of the 13th year: still 12
            dob = date(2008, 2, 29)
            created = datetime(2021, 2, 28, 23, 0, tzinfo=UTC)
        p = g.person()
        closed = ""
        if kind == "closed_kept":
            closed = g.ts_text(
                g.ts_between(g.now - timedelta(days=900), closed_cutoff - timedelta(days=1))
            )
        elif kind == "closed_clean":
            closed = g.ts_text(
                g.ts_between(g.now - timedelta(days=900), closed_cutoff - timedelta(days=1))
            )
            p = dict.fromkeys(p, "")
        elif kind == "closed_recent":
            closed = g.ts_text(
                g.ts_between(closed_cutoff + timedelta(days=1), g.now - timedelta(days=1))
            )
        elif kind == "closed_at_cutoff":
            closed = closed_cutoff.strftime("%Y-%m-%dT%H:%M:%SZ")
        dob_text = "" if kind in ("unknown", "closed_clean") else dob.isoformat()
        minor_now = bool(dob_text) and years_between(dob, as_of) < 18
        flag = minor_now if kind != "flag" else not minor_now
        rows.append(
            {
                "user_id": uid,
                **p,
                "dob": dob_text,
                "is_minor": g.flag_text(flag) if g.r.random() > 0.1 or flag else "",
                "created_at": g.ts_text(created),
                "closed_at": closed,
                "plan": kind,
                "_dob": dob if dob_text else None,
                "_created": created,
                "_flag": flag,
            }
        )
    # the truth, counted row by row with this module's own arithmetic
    for u in rows:
        if u["_dob"] is not None:
            if years_between(u["_dob"], u["_created"].date()) < 13:
                truth.add("minors.under_minimum_age", "users")
            if u["_flag"] != (years_between(u["_dob"], as_of) < 18):
                truth.add("minors.flag_mismatch", "users")
        else:
            truth.add("minors.age_unknown", "users")
        if u["plan"] == "closed_kept":
            truth.add("retention.closed_account_data", "users")
    for c in (
        "minors.under_minimum_age",
        "minors.flag_mismatch",
        "minors.age_unknown",
        "retention.closed_account_data",
    ):
        truth.add(c, "users", 0)
    return rows


@dataclass(frozen=True)
class Sizes:
    """Rows of the other tables (None derives them from the number of accounts), and the
    fewest violations to seed of every check at every place (0: the sample's usual few).

    With ``violations`` set, the tables must be large enough to hold them (a ValueError says
    which is not); the usage log's expired rows are about a third of ``events``, and the
    cookie events without consent about a quarter of ``cookies``.
    """

    keys: int | None = None
    payments: int | None = None
    tickets: int | None = None
    rights: int | None = None
    cookies: int | None = None
    violations: int = 0


def generate(
    out: Path,
    users: int = 400,
    events: int = 20_000,
    fmt: str = "parquet",
    seed: int = 7,
    as_of: date = AS_OF,
    sizes: Sizes = Sizes(),  # noqa: B008 (frozen)
) -> Truth:
    """Write the data set, its ``audit.yml`` and ``truth.json`` under ``out``; return the truth."""
    g = _Gen(seed, as_of)
    truth = Truth(as_of)
    out.mkdir(parents=True, exist_ok=True)
    (out / "files").mkdir(exist_ok=True)
    people = _users(g, users, truth, sizes.violations)
    ids = [u["user_id"] for u in people]
    signups = _write_sqlite(out / "app.db", people, g, max(20, users // 10, sizes.violations))
    truth.set("inventory.unmapped_personal_data", "newsletter_signups:contact_email", signups)
    truth.set("inventory.unmapped_personal_data", "newsletter_signups:name", signups)
    # §1 of the policy does not declare date of birth: every stored one is undeclared data
    truth.set("inventory.undeclared_category", "users:dob", sum(u["dob"] != "" for u in people))
    _usage(g, out / "files" / "usage", ids, events, fmt, truth)
    from .sample_tables import write_tables

    write_tables(g, out / "files", people, truth, sizes)
    (out / "audit.yml").write_text(
        _CONFIG.format(as_of=as_of.isoformat(), usage_glob=f"usage/**/*.{fmt}")
    )
    (out / "truth.json").write_text(json.dumps(truth.to_json(), indent=1))
    return truth


def _write_sqlite(path: Path, people: list[dict[str, Any]], g: _Gen, signups: int) -> int:
    """The accounts table, and a newsletter table no dataset maps (``signups`` rows); returns
    its row count."""
    if path.exists():
        path.unlink()
    con = sqlite3.connect(path)
    cols = [
        "user_id",
        "full_name",
        "email",
        "phone",
        "organisation",
        "address",
        "dob",
        "is_minor",
        "created_at",
        "closed_at",
    ]
    con.execute(f"CREATE TABLE users ({', '.join(c + ' TEXT' for c in cols)})")
    con.executemany(
        f"INSERT INTO users VALUES ({', '.join('?' * len(cols))})",
        [
            [u[c] if u[c] != "" else (None if g.r.random() < 0.5 else "") for c in cols]
            for u in people
        ],
    )
    # a table no dataset maps: the inventory must find it
    con.execute(
        "CREATE TABLE newsletter_signups (signup_id INTEGER, contact_email TEXT, name TEXT, signed_up TEXT)"
    )
    con.executemany(
        "INSERT INTO newsletter_signups VALUES (?, ?, ?, ?)",
        [
            (i, (p := g.person())["email"], p["full_name"], f"2025-0{1 + i % 9}-1{i % 10}")
            for i in range(signups)
        ],
    )
    con.commit()
    con.close()
    return signups


def _usage(g: _Gen, folder: Path, ids: list[str], n: int, fmt: str, truth: Truth) -> None:
    """Usage logs over 3 years, partitioned by month; rows before the 2-year cutoff are seeded."""
    cutoff = datetime(
        g.as_of.year - 2,
        g.as_of.month,
        min(g.as_of.day, 28 if g.as_of.month == 2 else 31),
        tzinfo=UTC,
    )
    start = g.now - timedelta(days=3 * 365)
    # vectorized (10 M rows in seconds); numpy's generator is seeded from the data set's seed
    rng = np.random.default_rng(g.r.getrandbits(64))
    span = int((g.now - start).total_seconds())
    secs = np.concatenate(
        [
            rng.integers(0, span, n - 2) + int(start.timestamp()),
            [int(cutoff.timestamp()), int(cutoff.timestamp()) - 1],
        ]
    )
    expired = int((secs < int(cutoff.timestamp())).sum())
    truth.set("retention.expired_records", "api_requests", expired)
    octets = [
        rng.integers(lo, hi, n).astype("str")
        for lo, hi in ((11, 223), (0, 256), (0, 256), (1, 255))
    ]
    df = pd.DataFrame(
        {
            "request_id": pd.Series(np.arange(n)).map("R{:08d}".format),
            "user_id": np.asarray(ids, dtype=object)[rng.integers(0, len(ids), n)],
            "ts": pd.to_datetime(secs, unit="s", utc=True),
            "client_ip": octets[0] + "." + octets[1] + "." + octets[2] + "." + octets[3],
            "path": np.asarray(PATHS, dtype=object)[rng.integers(0, len(PATHS), n)],
            "user_agent": np.asarray(AGENTS, dtype=object)[rng.integers(0, len(AGENTS), n)],
            "status": np.array([200, 200, 200, 201, 404, 429, 500])[rng.integers(0, 7, n)],
        }
    )
    df["month"] = df["ts"].dt.strftime("%Y-%m")
    if folder.exists():
        for p in sorted(folder.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
    for month, part in df.groupby("month", sort=True):
        d = folder / f"month={month}"
        d.mkdir(parents=True, exist_ok=True)
        part = part.drop(columns="month")
        if fmt == "csv":
            part.assign(ts=part["ts"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")).to_csv(
                d / "part-0.csv", index=False
            )
        else:
            part.to_parquet(d / "part-0.parquet", index=False)


_CONFIG = """\
# The sample audit: SPECTRA's synthetic data (written by `audit sample-data`).
as_of: {as_of}
sources:
  app: {{url: "sqlite:///app.db"}}
  files: {{path: files}}
datasets:
  users:
    source: app
    table: users
    kind: accounts
    key: user_id
    roles: {{date_of_birth: dob, minor_flag: is_minor, created_at: created_at, closed_at: closed_at}}
  api_requests:
    source: files
    files: "{usage_glob}"
    kind: usage_log
    key: user_id
    roles: {{event_time: ts}}
  api_keys:
    source: files
    files: api_keys.csv
    kind: api_keys
    key: user_id
    roles: {{secret: secret, created_at: created_at, revoked_at: revoked_at, compromised_at: compromised_at}}
  payments:
    source: files
    files: payments.csv
    kind: payments
    key: user_id
    roles: {{card_number: card_number, card_security_code: cvv}}
  support_tickets:
    source: files
    files: support_tickets.jsonl
    kind: other
    key: user_id
  rights_requests:
    source: files
    files: rights_requests.csv
    kind: rights_requests
    key: user_id
    roles: {{request_type: type, received_at: received_at, completed_at: completed_at}}
  disclosures:
    source: files
    files: disclosures.csv
    kind: disclosures
    key: user_id
    roles: {{recipient: recipient, purpose: purpose, disclosed_at: disclosed_at}}
  consents:
    source: files
    files: consents.csv
    kind: consents
    key: user_id
    roles: {{consent_type: consent_type, granted_at: granted_at, withdrawn_at: withdrawn_at}}
  cookie_events:
    source: files
    files: cookie_events.jsonl
    kind: cookie_events
    key: user_id
    roles: {{cookie_category: category, event_time: ts}}
"""


def write_csv(path: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    """Rows as a CSV with the given columns (private ``_`` fields are not written)."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
