"""The sample data set against its truth file, on the pandas path and on the SQLite path.

The generator counts its seeded violations with its own arithmetic; the checks must agree.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from audit.checks import run_notebook
from audit.checks.base import Context
from audit.config import load_config
from audit.sample_data import generate

from .conftest import write_sqlite

CHECKED = (
    "minors.under_minimum_age",
    "minors.flag_mismatch",
    "minors.age_unknown",
    "retention.expired_records",
    "retention.closed_account_data",
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, users=300, events=4000, seed=11)
    return out


def _as_files(sample: Path) -> Path:
    """Every dataset on the pandas path: the accounts table exported to CSV."""
    con = sqlite3.connect(sample / "app.db")
    pd.read_sql("SELECT * FROM users", con).to_csv(sample / "files" / "users.csv", index=False)
    con.close()
    text = (
        (sample / "audit.yml")
        .read_text()
        .replace("source: app\n    table: users", "source: files\n    files: users.csv")
    )
    cfg = sample / "files.yml"
    cfg.write_text(text)
    return cfg


def _as_sqlite(sample: Path) -> Path:
    """Logs and keys loaded into SQLite (timestamps as ISO text), so every check runs in SQL."""
    usage = pd.concat(
        pd.read_parquet(p) for p in sorted((sample / "files" / "usage").rglob("*.parquet"))
    )
    usage["ts"] = usage["ts"].dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    keys = pd.read_csv(sample / "files" / "api_keys.csv", dtype="str", keep_default_na=False)
    write_sqlite(sample / "logs.db", {"api_requests": usage.astype("str"), "api_keys": keys})
    text = (sample / "audit.yml").read_text()
    text = text.replace(
        "  files: {path: files}", '  files: {path: files}\n  logs: {url: "sqlite:///logs.db"}'
    )
    text = text.replace(
        'source: files\n    files: "usage/**/*.parquet"', "source: logs\n    table: api_requests"
    )
    text = text.replace(
        "source: files\n    files: api_keys.csv", "source: logs\n    table: api_keys"
    )
    cfg = sample / "sqlite.yml"
    cfg.write_text(text)
    return cfg


def _counts(cfg: Path) -> dict[str, dict[str, int]]:
    ctx = Context.open(load_config(cfg))
    got: dict[str, dict[str, int]] = {}
    for f in run_notebook(ctx, "minors") + run_notebook(ctx, "retention"):
        assert f.status in ("pass", "fail"), (f.id, f.status, f.message)
        got.setdefault(f.check, {})[f.dataset or "-"] = f.violations
    return got


@pytest.mark.parametrize("path", ["files", "sqlite", "mixed"])
def test_findings_equal_the_truth(sample, path):
    truth = json.loads((sample / "truth.json").read_text())["violations"]
    cfg = {"files": _as_files, "sqlite": _as_sqlite, "mixed": lambda s: s / "audit.yml"}[path](
        sample
    )
    got = _counts(cfg)
    for check in CHECKED:
        assert got[check] == truth[check], check
    engines = {
        d.engine
        for d in Context.open(load_config(cfg)).opened.values()
        if d.spec.kind in ("accounts", "usage_log", "api_keys")
    }
    assert engines == {"files": {"pandas"}, "sqlite": {"sql"}, "mixed": {"sql", "pandas"}}[path]


def test_generator_is_deterministic(tmp_path):
    a = generate(tmp_path / "a", users=120, events=500, seed=3).to_json()
    b = generate(tmp_path / "b", users=120, events=500, seed=3).to_json()
    assert a == b
    assert all(sum(v.values()) > 0 for v in a["violations"].values()), (
        "every check has seeded violations"
    )
