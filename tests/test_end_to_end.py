"""`audit run` on the committed sample: the run folder, findings against the truth, no leaks."""

from __future__ import annotations

import json
import re
import sqlite3

import pandas as pd
import pytest

from .conftest import REPO, truth_violations, violations_by_place

SAMPLE = REPO / "data_samples"


@pytest.fixture(scope="module")
def run(sample_runs):
    codes, out, folders = sample_runs
    return codes[0], out, folders[0]


def test_exit_code_and_run_folder(run):
    code, out, folder = run
    assert code == 1  # the sample seeds high and critical violations
    assert re.fullmatch(r"2026-11-26_\d{8}T\d{6}_[0-9a-f]{4}", folder.name)
    for name in (
        "index.html",
        "minors.html",
        "retention.html",
        "minors.ipynb",
        "retention.ipynb",
        "summary.ipynb",
        "findings.json",
    ):
        assert (folder / name).is_file(), name
    assert list((folder / "validations").glob("*.json"))
    assert (out / "index.html").is_file() and folder.name in (out / "index.html").read_text()


def test_findings_json_equals_the_truth(run):
    _, _, folder = run
    doc = json.loads((folder / "findings.json").read_text())
    assert doc["run"]["status"] == "completed" and doc["run"]["as_of"] == "2026-11-26"
    assert doc["summary"]["verdict"] == "fail"
    for f in doc["findings"]:
        assert set(f) >= {
            "id",
            "check",
            "clause",
            "severity",
            "status",
            "dataset",
            "column",
            "category",
            "rows_checked",
            "rows_unreadable",
            "violations",
            "examples",
            "message",
        }
        assert len(f["examples"]) <= 5
    assert violations_by_place(doc["findings"]) == truth_violations(SAMPLE / "truth.json")


def test_html_is_offline_and_has_no_code(run):
    _, out, folder = run
    for page in [*folder.glob("*.html"), out / "index.html"]:
        text = page.read_text()
        assert not re.search(
            r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", text, re.I
        ), page.name
        assert "@import" not in text and "cdnjs" not in text and "require.js" not in text
        assert (
            "open_audit(" not in text and "run_checks(" not in text and 'cm-editor"' not in text
        ), page.name
        assert "Traceback" not in text
    index = (folder / "index.html").read_text()
    for section in (
        "Verdict",
        "Control matrix",
        "Findings by severity",
        "minors.html",
        "retention.html",
    ):
        assert section in index
    assert "data:image/png;base64" in (folder / "minors.html").read_text()


def _raw_values() -> set[str]:
    """Every raw personal value of the sample: contact data, names, addresses, dates of birth."""
    con = sqlite3.connect(SAMPLE / "app.db")
    users = pd.read_sql("SELECT * FROM users", con)
    con.close()
    vals: set[str] = set()
    for col in ("full_name", "email", "phone", "address", "dob"):
        vals |= {str(v) for v in users[col].dropna() if str(v).strip()}
    keys = pd.read_csv(SAMPLE / "files" / "api_keys.csv", dtype="str", keep_default_na=False)
    vals |= {s for s in keys["secret"] if s}
    pays = pd.read_csv(SAMPLE / "files" / "payments.csv", dtype="str", keep_default_na=False)
    vals |= {c for c in pays["card_number"] if sum(ch.isdigit() for ch in c) >= 13}
    return vals


def test_no_raw_personal_value_in_any_file_of_the_run(run):
    _, out, folder = run
    raw = _raw_values()
    assert len(raw) > 500
    for p in [*folder.rglob("*"), out / "index.html"]:
        if p.is_file():
            text = p.read_text(errors="replace")
            # one substring search per value (an alternation of 600 values in one regular
            # expression took 20 s on the same files)
            assert not any(v in text for v in raw), f"{p.relative_to(out)} holds a raw value"


def test_a_second_run_names_what_changed_and_the_history_lists_both(sample_runs):
    codes, out, (first, second) = sample_runs
    assert codes == [1, 1]
    doc = json.loads((second / "findings.json").read_text())
    assert doc["run"]["previous"] == first.name
    index = (second / "index.html").read_text()
    assert "Since the previous run" in index and first.name in index
    assert "worse" in index  # a month later, more usage rows are past retention
    history = (out / "index.html").read_text()
    assert history.index(second.name) < history.index(first.name)  # newest first
    assert (
        "2026-11-26" in history and "2026-12-31" in history and "data:image/png;base64" in history
    )


def test_every_check_links_to_the_notebook_that_shows_it():
    """The summary links a finding to its notebook without importing the checks (and
    great-expectations) into the summary's kernel: its table must match the registry."""
    from audit.checks import CHECKS
    from audit.nav import notebook_of

    assert {c: notebook_of(c) for c in CHECKS} == {c: nb for c, (_, nb) in CHECKS.items()}
