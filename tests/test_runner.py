"""The runner: notebooks by hand with their defaults, a failed run, the history index."""

from __future__ import annotations

import json
import shutil

import nbformat
import papermill as pm
import pytest

from audit import runner
from audit.cli import main
from audit.history import runs, write_index
from audit.kernels import ensure_kernel
from audit.runner import new_run_id

from .conftest import REPO


@pytest.mark.parametrize("name", ["minors", "retention"])
def test_notebook_runs_by_hand_with_its_defaults(tmp_path, name):
    """As an analyst in JupyterLab: cwd is notebooks/, parameters untouched, nothing written."""
    ensure_kernel()
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(
        str(REPO / "notebooks" / f"{name}.ipynb"),
        str(out),
        kernel_name=runner.KERNEL,
        progress_bar=False,
        cwd=str(REPO / "notebooks"),
    )
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 1
    assert not (REPO / "notebooks" / "reports").exists()


def test_a_failing_notebook_publishes_a_failed_run_and_exits_3(tmp_path, monkeypatch, capsys):
    books = tmp_path / "books"
    books.mkdir()
    for nb in (REPO / "notebooks").glob("*.ipynb"):
        shutil.copy(nb, books)
    broken = nbformat.read(REPO / "notebooks" / "minors.ipynb", as_version=4)
    broken.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('kernel-side failure')"))
    nbformat.write(broken, books / "minors.ipynb")
    monkeypatch.setattr(runner, "NOTEBOOK_DIR", books)
    out = tmp_path / "reports"
    cfg = str(REPO / "data_samples" / "audit.yml")
    code = main(["run", "--config", cfg, "--out", str(out), "--only", "minors", "retention"])
    assert code == 3
    assert "run failed in notebook minors" in capsys.readouterr().err.strip().splitlines()[-1]
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    index = (folder / "index.html").read_text()
    assert index.index("FAILED") < index.index("minors")
    assert "kernel-side failure" not in index  # the exception text may quote data: not shown
    executed = nbformat.read(folder / "minors.ipynb", as_version=4)
    outputs = json.dumps([c.get("outputs", []) for c in executed.cells if c.cell_type == "code"])
    assert "kernel-side failure" not in outputs and "RuntimeError" in outputs
    doc = json.loads((folder / "findings.json").read_text())
    assert doc["run"]["status"] == "failed" and doc["summary"]["verdict"] == "incomplete"
    assert (folder / "retention.html").is_file()
    assert "failed run" in (out / "index.html").read_text()


def test_history_ignores_dot_folders_and_lists_newest_first(tmp_path):
    def fake(name: str, started: str, verdict: str) -> None:
        (tmp_path / name).mkdir()
        doc = {
            "run": {"id": name, "status": "completed", "as_of": name[:10], "started_at": started},
            "summary": {"verdict": verdict, "by_severity": {"high": 1}, "by_status": {}},
            "findings": [],
        }
        (tmp_path / name / "findings.json").write_text(json.dumps(doc))

    fake("2026-01-01_20260101T000000_aaaa", "2026-01-01T00:00:00+00:00", "pass")
    fake("2026-02-01_20260201T000000_bbbb", "2026-02-01T00:00:00+00:00", "fail")
    (tmp_path / ".2026-03-01_20260301T000000_cccc.tmp").mkdir()  # a killed run
    assert [r["folder"][:10] for r in runs(tmp_path)] == ["2026-02-01", "2026-01-01"]
    page = write_index(tmp_path).read_text()
    assert page.index("2026-02-01") < page.index("2026-01-01") and "cccc" not in page


def test_run_ids_are_unique_and_sortable():
    ids = {new_run_id("2026-11-26") for _ in range(50)}
    assert len(ids) > 40 and all(i.startswith("2026-11-26_") for i in ids)
