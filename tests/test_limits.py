"""No count depends on a limit: every cap, chunk, sample, cache and worker count of
``audit.limits`` and the README's "Limits" section, tested with more rows than the limit.

(The deletion finding past great-expectations' 200-value lists: ``test_deletion_scale``; every
check past 1,000 violations with the scan size and cache forced small, on four engines:
``test_sample_truth``.)
"""

from __future__ import annotations

import io
import json
import os
import re
import tokenize
from pathlib import Path

import great_expectations.expectations as gxe
import pandas as pd
import pytest
from great_expectations.constants import MAX_RESULT_RECORDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import limits, sources
from audit.checks import NOTEBOOKS, run_notebook
from audit.checks.base import Context
from audit.cli import main
from audit.config import load_config
from audit.judge import Judge

from .conftest import REPO, violations_by_place, write_sqlite

#: more failing rows than great-expectations returns in any list
PAST = 3 * MAX_RESULT_RECORDS + 7


def _relation(n: int = PAST) -> pd.DataFrame:
    return pd.DataFrame({"k": [f"u{i}" for i in range(n + 50)], "age": [10] * n + [40] * 50})


@pytest.mark.parametrize("engine", ["pandas", "sqlite", "postgres", "spark"])
def test_the_judge_counts_past_every_list_great_expectations_cuts(tmp_path, engine, request):
    df, judge = _relation(), Judge()
    exps = [gxe.ExpectColumnValuesToBeBetween(column="age", min_value=13)]
    if engine == "pandas":
        (o,) = judge.frame("t", df, exps, "k")
    elif engine == "spark":
        request.getfixturevalue("spark")
        from audit import spark

        session = spark.session(request.getfixturevalue("spark"))
        (o,) = judge.spark("t", session.createDataFrame(df), exps, "k")
    else:
        if engine == "sqlite":
            write_sqlite(tmp_path / "t.db", {"t": df})
            url = f"sqlite:///{tmp_path / 't.db'}"
        else:
            from .conftest import load_postgres

            url = request.getfixturevalue("pg").create_db("judge_cap")
            load_postgres(url, {"t": df})
        (o,) = judge.sql("t", url, 'SELECT k, CAST(age AS INTEGER) AS age FROM "t"', exps, "k")
    assert (o.unexpected_count, o.element_count) == (PAST, PAST + 50)
    assert len(o.examples) == limits.EXAMPLES


def test_no_code_reads_a_list_a_library_may_cut():
    """No count may come from great-expectations' value lists (``COMPLETE`` results,
    ``unexpected_list``, index lists) or a cursor's ``fetchmany``: the names never appear as
    code or string constants in the package (docstrings may name them)."""
    banned = {"COMPLETE", "unexpected_list", "unexpected_index_list", "fetchmany"}
    found = []
    for path in sorted((REPO / "src" / "audit").rglob("*.py")):
        toks = list(tokenize.generate_tokens(io.StringIO(path.read_text()).readline))
        for t in toks:
            value = t.string.strip("'\"") if t.type == tokenize.STRING else t.string
            if t.type in (tokenize.NAME, tokenize.STRING) and value in banned:
                found.append(f"{path.name}:{t.start[0]}: {value}")
    assert not found, found


def test_json_lines_fields_that_appear_late_are_scanned(tmp_path):
    """A field that is absent, then only empty, in the first thousands of lines of a JSON Lines
    file is still a column, and its values are counted."""
    (tmp_path / "f").mkdir()
    cards = ["4111111111111111", "5500 0000 0000 0004"]
    with (tmp_path / "f" / "notes.jsonl").open("w") as fh:
        for i in range(3_000):
            row: dict[str, object] = {"user_id": f"u{i}"}
            if 1_500 <= i < 2_500:
                row["note"] = None
            elif i >= 2_500:
                row["note"] = f"card {cards[i % 2]}"
            fh.write(json.dumps(row) + "\n")
    cfg = tmp_path / "audit.yml"
    cfg.write_text(
        "as_of: 2026-11-26\nsources:\n  f: {path: f}\ndatasets:\n"
        "  notes:\n    source: f\n    files: notes.jsonl\n    kind: other\n    key: user_id\n"
    )
    ctx = Context.open(load_config(cfg))
    assert ctx.opened["notes"].types["note"] == "text"
    got = violations_by_place([f.to_json() for f in run_notebook(ctx, "credentials_payment")])
    assert got["payment.full_card_number"] == {"notes:note": 500}


@pytest.mark.parametrize("layout", ["files", "sqlite"])
def test_the_inventory_sample_decides_categories_never_counts(tmp_path, layout):
    """A column of 5,000 emails with a sample of 25: classified from the sample, counted in
    full (undeclared date of birth and unmapped emails alike)."""
    n = 5_000
    users = pd.DataFrame(
        {"uid": [f"u{i}" for i in range(n)], "born": ["1990-01-02"] * n, "created": "2026-01-01"}
    )
    leads = pd.DataFrame({"mail": [f"person{i}@example.org" for i in range(n)]})
    (tmp_path / "f").mkdir()
    if layout == "files":
        users.to_csv(tmp_path / "f" / "users.csv", index=False)
        leads.to_csv(tmp_path / "f" / "leads.csv", index=False)
        sources_ = "  src: {path: f}"
        where = "files: users.csv"
    else:
        write_sqlite(tmp_path / "db.sqlite", {"users": users, "leads": leads})
        sources_ = '  src: {url: "sqlite:///db.sqlite"}'
        where = "table: users"
    cfg = tmp_path / "audit.yml"
    cfg.write_text(
        f"as_of: 2026-11-26\nsample_size: 25\nsources:\n{sources_}\ndatasets:\n"
        f"  users:\n    source: src\n    {where}\n    kind: accounts\n    key: uid\n"
        "    roles: {date_of_birth: born, created_at: created}\n"
    )
    ctx = Context.open(load_config(cfg))
    got = violations_by_place([f.to_json() for f in run_notebook(ctx, "inventory")])
    leads_place = "leads.csv:mail" if layout == "files" else "leads:mail"
    assert got["inventory.undeclared_category"] == {"users:born": n}
    assert got["inventory.unmapped_personal_data"] == {leads_place: n}


def test_a_statement_over_the_timeout_is_an_error_never_a_partial_count(pg, tmp_path, monkeypatch):
    """A statement that outlasts the session's timeout fails: its finding is ``error``."""
    import psycopg

    from .conftest import load_postgres

    url = pg.create_db("timeouts")
    load_postgres(url, {"events": pd.DataFrame({"uid": ["a", "b"], "ts": ["2020-01-01"] * 2})})
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as c:
        c.execute(  # every row read costs 0.2 s
            "CREATE VIEW slow AS SELECT uid, ts FROM events CROSS JOIN LATERAL "
            "(SELECT pg_sleep(0.2)) AS s"
        )
    cfg = tmp_path / "audit.yml"
    cfg.write_text(
        f'as_of: 2026-11-26\nsources:\n  db: {{url: "{url}"}}\ndatasets:\n'
        "  events:\n    source: db\n    table: slow\n    kind: usage_log\n    key: uid\n"
        "    roles: {event_time: ts}\n"
    )
    monkeypatch.setattr(sources, "PG_STATEMENT_TIMEOUT", "100ms")
    ctx = Context.open(load_config(cfg))
    (f,) = [f for f in run_notebook(ctx, "retention") if f.check == "retention.expired_records"]
    assert (f.status, f.violations) == ("error", 0), (f.status, f.message)


COUNTED = ("status", "violations", "rows_checked", "rows_unreadable", "message")


def _counts(folder: Path) -> dict[str, tuple]:
    findings = json.loads((folder / "findings.json").read_text())["findings"]
    return {f["id"]: tuple(f[k] for k in COUNTED) for f in findings}


@pytest.mark.slow
def test_scan_size_cache_and_workers_never_change_findings(sample_runs, tmp_path, monkeypatch):
    """The committed sample as ``audit run`` sees it: scan 20 M values, cache 1 GB, three
    notebooks at once (the shared run) against scan 1,000 values, cache 1 MB, one at a time."""
    _, _, (default, _) = sample_runs
    monkeypatch.setenv("AUDIT_SCAN_CELLS", "1000")
    monkeypatch.setenv("AUDIT_CACHE_MB", "1")
    out = tmp_path / "reports"
    cfg = REPO / "data_samples" / "audit.yml"
    main(["run", "--config", str(cfg), "--out", str(out), "--workers", "1"])
    (small,) = [p for p in out.iterdir() if p.is_dir()]
    assert _counts(small) == _counts(default)


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.integers(1, 30_000_000), cache_mb=st.floats(0, 2048))
def test_any_scan_size_and_cache_give_the_same_counts(cells, cache_mb, monkeypatch):
    """Any scan size and cache budget, on the committed sample's file datasets."""
    monkeypatch.setenv("AUDIT_SCAN_CELLS", str(cells))
    monkeypatch.setenv("AUDIT_CACHE_MB", str(cache_mb))
    ctx = Context.open(load_config(REPO / "data_samples" / "audit.yml"))
    got = violations_by_place([f.to_json() for nb in NOTEBOOKS for f in run_notebook(ctx, nb)])
    assert got == _baseline()


_BASE: dict = {}


def _baseline() -> dict:
    if not _BASE:
        saved = {k: os.environ.pop(k, None) for k in ("AUDIT_SCAN_CELLS", "AUDIT_CACHE_MB")}
        try:
            ctx = Context.open(load_config(REPO / "data_samples" / "audit.yml"))
            found = [f.to_json() for nb in NOTEBOOKS for f in run_notebook(ctx, nb)]
            _BASE.update(violations_by_place(found))
        finally:
            os.environ.update({k: v for k, v in saved.items() if v is not None})
    return _BASE


def test_every_limit_is_in_the_readme():
    """Each constant of audit.limits has a row in the README's table of limits."""
    readme = (REPO / "README.md").read_text()
    section = readme.split("### Limits, and why none changes a count", 1)[1].split("\n## ", 1)[0]
    names = [n for n in vars(limits) if re.fullmatch(r"[A-Z_]+", n)]
    missing = [n for n in names if f"`{n}`" not in section]
    assert names and not missing, missing


def test_the_regex_cache_gives_the_same_matches_past_its_size():
    patterns = [rf"^x{i}\d+$" for i in range(limits.REGEX_CACHE + 50)]
    first = [sources._regexp(p, f"x{i}7") for i, p in enumerate(patterns)]
    again = [
        sources._regexp(p, f"x{i}7") for i, p in enumerate(patterns)
    ]  # evicted, compiled again
    assert first == again == [True] * len(patterns)
    assert sources._compiled.cache_info().maxsize == limits.REGEX_CACHE
