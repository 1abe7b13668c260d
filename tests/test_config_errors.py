"""Config and usage errors: exit 2, one line naming the file and key, no run folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from audit.cli import main

from .conftest import REPO

SAMPLE = REPO / "data_samples"


def sample_copy(tmp_path: Path) -> Path:
    """The sample data set in a scratch folder, so a config can be broken beside it."""
    dst = tmp_path / "s"
    shutil.copytree(SAMPLE, dst)
    return dst / "audit.yml"


def edit(cfg: Path, old: str, new: str) -> Path:
    text = cfg.read_text()
    assert old in text, old
    cfg.write_text(text.replace(old, new, 1))
    return cfg


CASES = {
    "missing file": (lambda c: c.parent / "nope.yml", ["nope.yml", "not found"]),
    "yaml syntax": (lambda c: edit(c, "datasets:", "datasets: [\n"), ["line", "YAML syntax"]),
    "unknown key": (
        lambda c: edit(c, "datasets:", "datsets:"),
        ["datsets", "did you mean 'datasets'"],
    ),
    "unknown kind": (
        lambda c: edit(c, "kind: accounts", "kind: acounts"),
        ["datasets.users.kind", "did you mean 'accounts'"],
    ),
    "role of another kind": (
        lambda c: edit(c, "roles: {event_time: ts}", "roles: {event_tme: ts}"),
        ["datasets.api_requests.roles", "event_tme", "did you mean 'event_time'"],
    ),
    "role column missing": (
        lambda c: edit(c, "date_of_birth: dob", "date_of_birth: birthday"),
        ["datasets.users.roles.date_of_birth", "'birthday' not found"],
    ),
    "key column missing": (
        lambda c: edit(
            c, "key: user_id\n    roles: {event_time", "key: uid\n    roles: {event_time"
        ),
        ["datasets.api_requests.key", "'uid'"],
    ),
    "unknown source": (
        lambda c: edit(c, "source: app", "source: ap"),
        ["datasets.users.source", "did you mean 'app'"],
    ),
    "missing sqlite file": (
        lambda c: edit(c, "sqlite:///app.db", "sqlite:///gone.db"),
        ["sources.app.url", "gone.db", "never created"],
    ),
    "glob matches nothing": (
        lambda c: edit(c, "files: payments.csv", "files: paiements.csv"),
        ["datasets.payments.files", "paiements.csv"],
    ),
    "table not found": (
        lambda c: edit(c, "table: users", "table: user"),
        ["datasets.users.table", "'user' not found"],
    ),
    "missing folder": (
        lambda c: edit(c, "path: files", "path: nowhere"),
        ["sources.files.path", "nowhere"],
    ),
    "master without spark": (
        lambda c: edit(c, "files: {path: files}", 'files: {path: files, master: "local[2]"}'),
        ["sources.files", "'master' needs 'engine: spark'"],
    ),
    "engine on a database": (
        lambda c: edit(
            c, 'app: {url: "sqlite:///app.db"}', 'app: {url: "sqlite:///app.db", engine: spark}'
        ),
        ["sources.app", "apply to folder sources"],
    ),
    "config not a mapping": (lambda c: _write(c, "- just\n- a list\n"), ["must be a YAML mapping"]),
    "empty config": (lambda c: _write(c, ""), ["must be a YAML mapping"]),
    "no sources": (
        lambda c: edit(c, "sources:", "sourcez:"),
        ["unknown key 'sourcez'", "did you mean 'sources'"],
    ),
    "source with url and path": (
        lambda c: edit(c, "files: {path: files}", "files: {path: files, url: 'sqlite:///x.db'}"),
        ["sources.files", "exactly one of"],
    ),
    "unknown source key": (
        lambda c: edit(c, "files: {path: files}", "files: {path: files, engin: pandas}"),
        ["sources.files.engin", "did you mean 'engine'"],
    ),
    "sample size": (
        lambda c: _write(c, "sample_size: 0\n" + c.read_text()),
        ["sample_size", "greater than 0"],
    ),
    "policy file missing": (
        lambda c: _write(c, "policy: nowhere.yml\n" + c.read_text()),
        ["nowhere.yml", "policy file not found"],
    ),
    "database refuses": (
        lambda c: edit(
            c, 'url: "sqlite:///app.db"', 'url: "postgresql+psycopg://nobody@127.0.0.1:9/none"'
        ),
        ["sources.app.url", "cannot open database"],
    ),
    "no file readable": (lambda c: _corrupt_all(c), ["no file of dataset payments can be read"]),
    "bad policy period": (
        lambda c: _bad_policy(c, "period: 2 years", "period: 2 yeers"),
        ["retention", "2 yeers"],
    ),
    "policy unknown key": (
        lambda c: _bad_policy(c, "minimum_age: 13", "minimum_ages: 13"),
        ["minimum_ages"],
    ),
}


def _write(cfg: Path, text: str) -> Path:
    cfg.write_text(text)
    return cfg


def _corrupt_all(cfg: Path) -> Path:
    (cfg.parent / "files" / "payments.csv").write_bytes(b"")  # empty: not even a header
    return cfg


def _bad_policy(cfg: Path, old: str, new: str) -> Path:
    from audit.config import DEFAULT_POLICY

    pol = cfg.parent / "policy.yml"
    pol.write_text(DEFAULT_POLICY.read_text().replace(old, new, 1))
    text = cfg.read_text()
    cfg.write_text("policy: policy.yml\n" + text)
    return cfg


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_error_exit_2_one_line_no_run_folder(tmp_path, capsys, case):
    make, needles = CASES[case]
    cfg = make(sample_copy(tmp_path))
    out = tmp_path / "reports"
    code = main(["run", "--config", str(cfg), "--out", str(out)])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    last = err[-1]
    assert "Traceback" not in "\n".join(err)
    for n in needles:
        assert n in last, (n, last)
    assert not out.exists() or not any(out.iterdir()), "no run folder on a config error"


def test_spark_without_pyspark_or_java_is_a_config_error(tmp_path, capsys, monkeypatch):
    from audit import spark

    monkeypatch.setattr(
        spark, "available", lambda: "pyspark is not installed (pip install -e '.[spark]')"
    )
    cfg = edit(sample_copy(tmp_path), "files: {path: files}", "files: {path: files, engine: spark}")
    out = tmp_path / "reports"
    assert main(["run", "--config", str(cfg), "--out", str(out)]) == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "sources.files.engine" in last and "pyspark is not installed" in last, last
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("variable", ["AUDIT_CACHE_MB", "AUDIT_SCAN_CELLS"])
@pytest.mark.parametrize("value", ["lots", "-5", "nan"])
def test_a_bad_limit_is_a_config_error(tmp_path, capsys, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    out = tmp_path / "reports"
    assert main(["run", "--config", str(sample_copy(tmp_path)), "--out", str(out)]) == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert variable in last and repr(value) in last, last
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--as-of", "26/11/2026"], "--as-of"),
        (["--only", "minrs"], "--only"),
        (["--fail-on", "severe"], "fail-on"),
    ],
)
def test_usage_errors(tmp_path, capsys, args, needle):
    code = main(
        ["run", "--config", str(sample_copy(tmp_path)), "--out", str(tmp_path / "r"), *args]
    )
    assert code == 2
    assert needle in capsys.readouterr().err.strip().splitlines()[-1]


def test_check_config_ok(capsys):
    assert main(["check-config", "--config", str(SAMPLE / "audit.yml")]) == 0
    assert "ok" in capsys.readouterr().out


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(Exception, match="not found"):
        main(["--debug", "check-config", "--config", str(tmp_path / "none.yml")])
