"""Tamper evidence: every run folder is sealed with ``manifest.sha256`` (``sha256sum``
format), its evidence hash shown on the summary page; ``audit verify`` names what changed."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

from audit.cli import main
from audit.manifest import NAME, PAGE, evidence_hash


def _copy(sample_runs, tmp_path):
    _, _, folders = sample_runs
    dst = tmp_path / folders[0].name
    shutil.copytree(folders[0], dst)
    return dst


def test_every_file_is_in_the_manifest_and_sha256sum_agrees(sample_runs):
    _, _, folders = sample_runs
    for run in folders:
        lines = (run / NAME).read_text().splitlines()
        listed = [line.split("  ", 1)[1] for line in lines]
        files = sorted(
            p.relative_to(run).as_posix() for p in run.rglob("*") if p.is_file() and p.name != NAME
        )
        assert sorted(listed) == files and listed[-1] == PAGE
        for line in lines:
            digest, rel = line.split("  ", 1)
            assert hashlib.sha256((run / rel).read_bytes()).hexdigest() == digest, rel
        if shutil.which("sha256sum"):  # the tool auditors have
            ok = subprocess.run(["sha256sum", "--check", "--quiet", "--strict", NAME], cwd=run)
            assert ok.returncode == 0
        shown = evidence_hash("".join(line + "\n" for line in lines[:-1]))
        assert shown in (run / PAGE).read_text(), "the summary page shows the evidence hash"


def test_verify_passes_an_untouched_run(sample_runs, tmp_path, capsys):
    run = _copy(sample_runs, tmp_path)
    assert main(["verify", str(run)]) == 0
    assert "every file matches" in capsys.readouterr().out


def test_verify_names_each_file_changed_missing_or_added(sample_runs, tmp_path, capsys):
    run = _copy(sample_runs, tmp_path)
    doc = run / "findings.json"
    doc.write_text(doc.read_text().replace('"violations": ', '"violations": 1', 1))
    (run / "minors.html").unlink()
    (run / "validations" / "extra.json").write_text("{}")
    assert main(["verify", str(run)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"{run}: changed: findings.json",
        f"{run}: missing: minors.html",
        f"{run}: added: validations/extra.json",
    ]


def test_an_edited_summary_page_fails_verification(sample_runs, tmp_path, capsys):
    run = _copy(sample_runs, tmp_path)
    page = run / PAGE
    page.write_text(page.read_text().replace("Verdict", "Verdict (edited)", 1))
    assert main(["verify", str(run)]) == 1
    assert f"{run}: changed: {PAGE}" in capsys.readouterr().out


def test_verify_refuses_a_folder_without_a_manifest(tmp_path, capsys):
    assert main(["verify", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"audit: {tmp_path}: no {NAME} here; give a run folder written by 'audit run'"
    )


def test_the_pdf_holds_the_summary_and_every_notebook_page(sample_runs):
    """``--pdf`` (the second sample run): one paginated file, listed in the manifest."""
    from audit.pdf import chromium

    from .conftest import require

    require(
        None if chromium() else "no Chromium to print with (Debian: apt-get install chromium)",
        "AUDIT_REQUIRE_BROWSER",
    )
    _, _, folders = sample_runs
    pdf = folders[1] / "report.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert pages >= 6, pages  # the summary and five notebooks, each from a new page
    assert "report.pdf" in (folders[1] / NAME).read_text()
    assert not (folders[0] / "report.pdf").exists(), "only asked for, never by default"


def test_pdf_without_a_chromium_stops_before_the_run(tmp_path, monkeypatch, capsys):
    from .conftest import REPO

    monkeypatch.setenv("AUDIT_CHROMIUM", str(tmp_path / "no-chromium"))
    out = tmp_path / "reports"
    cfg = str(REPO / "data_samples" / "audit.yml")
    assert main(["run", "--config", cfg, "--out", str(out), "--pdf"]) == 2
    assert capsys.readouterr().err.strip() == (
        "audit: --pdf: no Chromium found to print the report; install it (Debian: apt install "
        "chromium) or set AUDIT_CHROMIUM to its path"
    )
    assert not out.exists(), "no report, not even half of one"
