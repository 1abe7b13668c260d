"""The review loop: accepted findings, the retention forecast, remediation statements, OCSF.

- reviews: config errors (exit 2, one line), and two `audit run`s of the sample's minors
  notebook (accepted, then lapsed both ways, with a stale entry);
- forecast: a fixture whose rows pass their cutoff on known days, on every engine;
- remediation: each statement run on a scratch copy of the sample in SQLite and PostgreSQL
  selects exactly what its finding counts, and after the fixes the findings pass;
- OCSF: ``findings.ocsf.json`` of the sample runs validates against py-ocsf-models.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from audit.checks import run_notebook
from audit.checks.base import Context
from audit.cli import main
from audit.config import load_config

from .conftest import REPO
from .test_checks_minors_retention import ENGINES, _pg_url, make_fixture

SAMPLE = REPO / "data_samples"


# ---------------------------------------------------------------- reviews: config errors


def _config_with_reviews(tmp_path: Path, reviews: str) -> Path:
    shutil.copytree(SAMPLE, tmp_path / "s")
    cfg = tmp_path / "s" / "audit.yml"
    cfg.write_text(cfg.read_text() + "reviews: reviews.yml\n")
    (tmp_path / "s" / "reviews.yml").write_text(reviews)
    return cfg


ENTRY = '- id: "minors.under_minimum_age:users:-"\n  reason: r\n  owner: o\n  until: 2026-12-31\n'


@pytest.mark.parametrize(
    ("reviews", "says"),
    [
        ("- id: [unclosed\n", "YAML syntax error"),
        ("id: x\n", "a reviews file is a YAML list of entries"),
        (
            ENTRY + "  expires: 2027-01-01\n",
            "entry 1 (minors.under_minimum_age:users:-): unknown key 'expires'",
        ),
        (ENTRY + ENTRY, "entry 2 (minors.under_minimum_age:users:-): id repeats entry 1"),
        (ENTRY.replace("  until: 2026-12-31\n", ""), "key 'until' is missing"),
        (ENTRY.replace("2026-12-31", "31/12/2026"), "cannot read date '31/12/2026'"),
        (ENTRY + "  max_violations: -1\n", "max_violations"),
    ],
)
def test_a_bad_reviews_file_is_one_line_and_exit_2(tmp_path, capsys, reviews, says):
    cfg = _config_with_reviews(tmp_path, reviews)
    assert main(["check-config", "--config", str(cfg)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "reviews.yml" in err and says in err, err


# ---------------------------------------------------------------- reviews: through audit run


def _run_minors(tmp_path: Path, reviews: str, name: str) -> tuple[int, dict, str]:
    cfg = _config_with_reviews(tmp_path / name, reviews)
    out = tmp_path / name / "reports"
    code = main(
        [
            "run",
            "--config",
            str(cfg),
            "--out",
            str(out),
            "--only",
            "minors",
            "--fail-on",
            "critical",
        ]
    )
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    doc = json.loads((folder / "findings.json").read_text())
    pages = (folder / "index.html").read_text() + (out / "index.html").read_text()
    return code, doc, re.sub(r"<wbr/?>", "", pages)  # identifiers may wrap after dots


def test_an_accepted_finding_leaves_the_verdict_until_it_lapses(tmp_path):
    as_of = date(2026, 11, 26)  # the sample's audit date
    stale = '- id: "payment.full_card_number:legacy:-"\n  reason: old table\n  owner: dba\n  until: 2027-01-31\n'
    accepted = ENTRY.replace("2026-12-31", str(as_of + timedelta(days=30))) + stale
    code, doc, pages = _run_minors(tmp_path, accepted, "accepted")
    by_id = {f["id"]: f for f in doc["findings"]}
    under = by_id["minors.under_minimum_age:users:-"]
    assert under["status"] == "accepted" and under["violations"] > 0
    assert under["review"]["state"] == "accepted" and under["review"]["owner"] == "o"
    # the only failing critical finding of the notebook is accepted: exit 0 at --fail-on critical
    assert code == 0 and doc["summary"]["by_status"]["accepted"] == 1
    # the other entry's check runs in credentials_payment, which this run left out: not judged
    assert doc["run"]["stale_reviews"] == []
    assert "Accepted findings and reviews" in pages and "accepted findings" in pages

    lapsed = (
        ENTRY.replace("2026-12-31", str(as_of - timedelta(days=1)))
        + '- id: "minors.flag_mismatch:users:-"\n  reason: r2\n  owner: o2\n  until: 2027-01-31\n'
        "  max_violations: 1\n"
        + '- id: "minors.age_unknown:users:nope"\n  reason: typo\n  owner: o3\n  until: 2027-01-31\n'
    )
    code, doc, pages = _run_minors(tmp_path, lapsed, "lapsed")
    by_id = {f["id"]: f for f in doc["findings"]}
    under, flags = by_id["minors.under_minimum_age:users:-"], by_id["minors.flag_mismatch:users:-"]
    assert code == 1 and under["status"] == "fail" and flags["status"] == "fail"
    assert under["review"]["why"] == f"accepted until {as_of - timedelta(days=1)}, which has passed"
    assert flags["review"]["why"] == f"violations {flags['violations']} exceed the accepted 1"
    assert "acceptance lapsed" in under["message"]
    assert [s["id"] for s in doc["run"]["stale_reviews"]] == ["minors.age_unknown:users:nope"]
    for text in (under["review"]["why"], flags["review"]["why"], "minors.age_unknown:users:nope"):
        assert text in pages


# ---------------------------------------------------------------- forecast

CUTOFF_LOGS = date(2024, 11, 26)  # the audit date 2026-11-26 less 2 years
CUTOFF_ACCOUNTS = date(2026, 8, 28)  # less 90 days
#: days after today's cutoff on which each row's time falls (at noon UTC)
LOG_DAYS = [-1, 0, 1, 29, 30, 31, 59, 60, 61, 89, 90, 120]
ACCOUNT_DAYS = [-2, 0, 1, 29, 30, 59, 60, 89, 90, 100]


def _noon(d: date) -> str:
    return f"{d.isoformat()}T12:00:00Z"


def _expected(days: list[int]) -> list[int]:
    """By hand: a horizon's cutoff is today's plus its days (for these dates), so a row
    ``k`` days after today's cutoff passes its own within ``h`` days when 0 <= k < h."""
    return [sum(0 <= k < h for k in days) for h in (30, 60, 90)]


@pytest.mark.parametrize("engine", ENGINES)
def test_forecast_counts_equal_a_hand_computation(tmp_path, engine, request):
    events = pd.DataFrame(
        [(f"u{i}", _noon(CUTOFF_LOGS + timedelta(days=k))) for i, k in enumerate(LOG_DAYS)],
        columns=["user_id", "ts"],
    )
    users = pd.DataFrame(
        [
            (
                f"u{i}",
                "",
                "",
                "",
                "",
                _noon(CUTOFF_ACCOUNTS + timedelta(days=k)),
                f"p{i}@example.com",
                f"Pat Doe{i}",
            )
            for i, k in enumerate(ACCOUNT_DAYS)
        ]
        # closed within 30 days, but nothing personal left: never counted
        + [("u99", "", "", "", "", _noon(CUTOFF_ACCOUNTS + timedelta(days=10)), "", "")],
        columns=[
            "user_id",
            "dob",
            "age",
            "is_minor",
            "created_at",
            "closed_at",
            "email",
            "full_name",
        ],
    )
    cfg = make_fixture(tmp_path, engine, users, events, pg_url=_pg_url(request, engine))
    ctx = Context.open(load_config(cfg))
    got = {(f.check, f.dataset): f for f in run_notebook(ctx, "retention")}
    logs, accounts = (
        got[("retention.expired_records", "events")],
        got[("retention.closed_account_data", "users")],
    )
    assert logs.violations == 1 and accounts.violations == 1
    assert [h["rows"] for h in logs.forecast] == _expected(LOG_DAYS) == [3, 6, 9]
    assert [h["rows"] for h in accounts.forecast] == _expected(ACCOUNT_DAYS) == [3, 5, 7]
    assert [h["cutoff"] for h in logs.forecast] == ["2024-12-26", "2025-01-25", "2025-02-24"]
    assert [h["days"] for h in accounts.forecast] == [30, 60, 90]


# ---------------------------------------------------------------- remediation


def _regexp(pattern: str, value: object) -> bool:
    return value is not None and re.search(pattern, str(value)) is not None


class _Scratch:
    """A writable connection to a scratch copy (SQLite files, or the test's PostgreSQL
    database), as the data owner would run the statements."""

    def __init__(self, url: str) -> None:
        self.url = url
        if url.startswith("sqlite"):
            self.con = sqlite3.connect(url.split(":///", 1)[1])
            self.con.create_function("REGEXP", 2, _regexp)
        else:
            import psycopg

            self.con = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"))

    def rows(self, sql: str, params: dict | None) -> int:
        cur = self.con.cursor()
        cur.execute(sql, params) if params else cur.execute(sql)
        return len(cur.fetchall())

    def run(self, sql: str, params: dict | None) -> None:
        cur = self.con.cursor()
        cur.execute(sql, params) if params else cur.execute(sql)
        self.con.commit()

    def close(self) -> None:
        self.con.close()


FIXED = (
    "retention.expired_records",
    "retention.closed_account_data",
    "rights.deletion_not_honoured",
    "credentials.plaintext_secret",
)


def _found(cfg: Path) -> tuple[Context, list]:
    ctx = Context.open(load_config(cfg))
    nbs = ("retention", "credentials_payment", "rights_sharing_cookies")
    return ctx, [f for nb in nbs for f in run_notebook(ctx, nb)]


def _deleted_subjects(ctx: Context) -> str:
    """The keys of completed deletion requests, as the JSON array the bound statements take."""
    from audit.checks.base import KEY
    from audit.checks.rights import deleted_subjects_relation

    (ds,) = ctx.of_kind("rights_requests")
    rel = deleted_subjects_relation(ctx, ds, ds.role("request_type"), ds.role("completed_at"))
    keys = (
        ctx.relation_frame(ds, rel)
        if ds.engine == "pandas"
        else ctx.query(ds, ctx.relation_sql(ds, rel))
    )
    return json.dumps(sorted(keys[KEY].dropna().astype(str)))


@pytest.mark.parametrize("path", ["sqlite", "postgres"])
def test_each_statement_selects_exactly_the_counted_rows_and_its_fix_clears_them(
    sample, path, request
):
    from .test_sample_truth import _as_postgres, _as_sqlite

    if path == "postgres":
        cfg = _as_postgres(sample, request.getfixturevalue("pg").create_db("remedy"))
    else:
        cfg = _as_sqlite(sample)
    ctx, found = _found(cfg)
    with_fix = [f for f in found if f.remediation]
    assert {f.check for f in with_fix} == set(FIXED)
    assert all(f.status == "fail" for f in with_fix)
    subjects = _deleted_subjects(ctx)
    keys = json.loads(subjects)
    statements = []
    for f in with_fix:
        counted = 0
        for x in f.remediation:
            ds = ctx.opened[x["dataset"]]
            params = {"subjects": subjects} if x["params"] else None
            assert not [k for k in keys if f"'{k}'" in x["select"] + x["fix"]]  # no value in it
            scratch = _Scratch(ds.url)
            try:
                assert scratch.rows(x["select"], params) == x["rows"], (f.id, x["dataset"])
            finally:
                scratch.close()
            counted += x["rows"]
            statements.append((ds.url, x["fix"], params))
        if f.check != "rights.deletion_not_honoured":  # one table: its rows are the finding's
            assert counted == f.violations, f.id
    assert (path == "sqlite") == any(p for _, _, p in statements)  # bound where not colocated
    for url, fix, params in statements:
        scratch = _Scratch(url)
        try:
            scratch.run(fix, params)
        finally:
            scratch.close()
    _, after = _found(cfg)
    # every searched dataset is a database table in both layouts; a cleared column scan has
    # no finding of its own any more (its dataset's passing finding stands for it)
    left = {(f.check, f.dataset): f.message for f in after if f.status != "pass"}
    assert not [left[(f.check, f.dataset)] for f in with_fix if (f.check, f.dataset) in left]
    assert {(f.check, f.dataset) for f in with_fix} <= {(f.check, f.dataset) for f in after}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    from audit.sample_data import generate

    out = tmp_path_factory.mktemp("sample")
    generate(out, users=300, events=4000, seed=11)
    return out


# ---------------------------------------------------------------- OCSF


def test_findings_ocsf_json_validates_and_matches_findings_json(sample_runs):
    from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding

    _, _, folders = sample_runs
    for folder in folders:
        doc = json.loads((folder / "findings.json").read_text())
        events = json.loads((folder / "findings.ocsf.json").read_text())
        assert len(events) == len(doc["findings"]) > 0
        for e, f in zip(events, doc["findings"], strict=True):
            ComplianceFinding.model_validate(e)
            assert e["class_uid"] == 2003 and e["category_uid"] == 2
            assert e["finding_info"]["uid"] == f["id"]
            assert e["resources"][0]["data"]["violations"] == f["violations"]
            assert e["compliance"]["status_id"] == {"pass": 1, "fail": 3}[f["status"]]
        manifest = (folder / "manifest.sha256").read_text()
        assert "findings.ocsf.json" in manifest
