"""Faults of the data and of the run: a corrupt file, a killed run, two runs at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pandas as pd

from audit.checks import NOTEBOOKS, run_notebook
from audit.checks.base import Context
from audit.config import load_config

from .conftest import REPO

SAMPLE = REPO / "data_samples" / "audit.yml"


def test_a_corrupt_file_of_a_dataset_makes_its_checks_error_and_the_rest_still_run(tmp_path):
    (tmp_path / "f").mkdir()
    pd.DataFrame({"user_id": ["u1", "u2"], "ts": ["2020-01-01", "2026-01-01"]}).to_csv(
        tmp_path / "f" / "log-1.csv", index=False
    )
    (tmp_path / "f" / "log-2.parquet").write_bytes(b"PAR1 truncated")
    pd.DataFrame({"user_id": ["u1"], "recipient": ["DataBroker"], "purpose": ["sale"]}).to_csv(
        tmp_path / "f" / "d.csv", index=False
    )
    cfg = tmp_path / "audit.yml"
    cfg.write_text(
        "as_of: 2026-11-26\nsources: {f: {path: f}}\ndatasets:\n"
        "  log: {source: f, files: 'log-*', kind: usage_log, key: user_id, roles: {event_time: ts}}\n"
        "  d: {source: f, files: d.csv, kind: disclosures, key: user_id, roles: {recipient: recipient, purpose: purpose}}\n"
    )
    ctx = Context.open(load_config(cfg))
    found = [f for nb in NOTEBOOKS for f in run_notebook(ctx, nb)]
    expired = next(f for f in found if f.check == "retention.expired_records")
    assert expired.status == "error" and "log-2.parquet" in expired.message
    sale = next(f for f in found if f.check == "sharing.sale")
    assert (sale.status, sale.violations) == ("fail", 1)


def _audit(*args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.Popen(
        [sys.executable, "-m", "audit.cli", "run", "--config", str(SAMPLE), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_a_killed_run_leaves_only_a_dot_folder_that_the_history_ignores(tmp_path):
    out = tmp_path / "reports"
    p = _audit("--out", str(out), "--only", "minors")
    deadline = time.time() + 60
    while time.time() < deadline and not any(out.glob(".*.tmp/parts")) and p.poll() is None:
        time.sleep(0.2)  # wait until the run is under way
    p.kill()  # SIGKILL: no chance to clean up
    p.wait()
    left = list(out.iterdir())
    assert left and all(x.name.startswith(".") for x in left), left
    assert not (out / "index.html").exists()
    from audit.history import runs, write_index

    assert runs(out) == []
    assert "<tr><td>" not in write_index(out).read_text()


def test_two_runs_at_once_both_land_in_the_history(tmp_path):
    out = tmp_path / "reports"
    a = _audit("--out", str(out), "--only", "minors")
    b = _audit("--out", str(out), "--only", "minors", "--as-of", "2026-12-01")
    said = [p.communicate(timeout=600)[1].splitlines() for p in (a, b)]  # pipes read as they fill
    codes = [a.returncode, b.returncode]
    assert codes == [1, 1], [[line for line in lines if "FAIL" in line] for lines in said]
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert [f[:10] for f in folders] == ["2026-11-26", "2026-12-01"]
    index = (out / "index.html").read_text()
    assert all(f in index for f in folders)
    for f in folders:
        assert json.loads((out / f / "findings.json").read_text())["run"]["status"] == "completed"
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_a_table_dropped_mid_run_makes_its_checks_error(tmp_path):
    import sqlite3

    from .conftest import write_sqlite

    write_sqlite(
        tmp_path / "app.db",
        {
            "users": pd.DataFrame(
                {"user_id": ["u1"], "dob": ["2015-01-01"], "created_at": ["2026-01-01"]}
            ),
            "disclosures": pd.DataFrame(
                {"user_id": ["u1"], "recipient": ["x"], "purpose": ["sale"]}
            ),
        },
    )
    cfg = tmp_path / "audit.yml"
    cfg.write_text(
        "as_of: 2026-11-26\nsources: {app: {url: 'sqlite:///app.db'}}\ndatasets:\n"
        "  users: {source: app, table: users, kind: accounts, key: user_id, roles: {date_of_birth: dob, created_at: created_at}}\n"
        "  d: {source: app, table: disclosures, kind: disclosures, key: user_id, roles: {recipient: recipient, purpose: purpose}}\n"
    )
    ctx = Context.open(load_config(cfg))  # the preflight saw the table
    con = sqlite3.connect(tmp_path / "app.db")
    con.execute("DROP TABLE users")
    con.commit()
    con.close()
    minors = run_notebook(ctx, "minors")
    assert {f.status for f in minors} == {"error"} and all("u1" not in f.message for f in minors)
    sale = next(f for f in run_notebook(ctx, "rights_sharing_cookies") if f.check == "sharing.sale")
    assert (sale.status, sale.violations) == ("fail", 1)
