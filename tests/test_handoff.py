"""The runner's share of the reading (audit.handoff): what it reads and profiles while the
kernels warm up is exactly what a kernel would have read and profiled; each dataset is
profiled by one of them only; the handoff never reaches the report and is gone when the run
ends."""

from __future__ import annotations

import json
import os
import re
import stat
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from audit import handoff, scratch
from audit.config import load_config
from audit.handoff import RUNNER, Handoff, hand_over
from audit.inventory import (
    CONFIGURED,
    UNMAPPED,
    discover_unmapped,
    profile_dataset,
    records_per_month,
    time_columns,
)
from audit.reader import Reader
from audit.sources import preflight, read_frame

from .conftest import REPO

SAMPLE = REPO / "data_samples" / "audit.yml"


def _json(entries) -> str:
    return json.dumps([e.to_json() for e in entries], sort_keys=True)


@pytest.fixture
def shared(tmp_path: Path):
    h = Handoff.create(tmp_path / ".run.tmp")
    yield h
    h.remove()


def test_handed_columns_are_the_columns_a_kernel_reads(shared):
    done, left = hand_over(load_config(SAMPLE), shared)
    assert left == 0 and done >= 9
    opened = preflight(load_config(SAMPLE))
    files = [n for n, ds in opened.items() if ds.engine == "pandas"]
    assert files
    for name in files:
        columns = list(opened[name].columns)
        got = shared.columns(name, columns)
        assert list(got) == columns, name  # every column of the sample's files
        ref = read_frame(opened[name], columns)
        for c in columns:  # same dtype, same values, same missing values
            pd.testing.assert_series_equal(got[c], ref[c], check_names=False)


def test_handed_profiles_are_the_profiles_a_kernel_computes(shared):
    cfg = load_config(SAMPLE)
    hand_over(cfg, shared)
    reader = Reader(cfg, preflight(cfg))
    for name, ds in reader.opened.items():  # files and the SQLite table
        theirs = shared.take(CONFIGURED, name)
        assert theirs is not None, name
        assert _json(theirs) == _json(profile_dataset(reader, ds, mapped=True)), name
        for col in time_columns(ds):  # the inventory's records per month
            handed = shared.months(name, col)
            assert handed is not None and handed.sum() > 0, (name, col)
            mine = records_per_month(reader, ds, col)
            pd.testing.assert_series_equal(handed, mine, check_names=False, check_index_type=False)
    unmapped, _ = discover_unmapped(reader)
    assert unmapped  # the sample has a table and files no dataset maps
    for name, ds in unmapped.items():
        theirs = shared.take(UNMAPPED, name)
        assert theirs is not None, name
        assert _json(theirs) == _json(profile_dataset(reader, ds, mapped=False)), name


def test_a_dataset_a_kernel_claimed_first_is_left_to_it(shared):
    assert shared.claim(CONFIGURED, "users", "kernel 1")
    done, left = hand_over(load_config(SAMPLE), shared)
    assert left == 1
    assert shared.take(CONFIGURED, "users") is None  # the kernel profiles it itself
    assert shared.columns("users", ["user_id"]) == {}
    assert shared.take(CONFIGURED, "payments") is not None  # the rest came from the runner


def test_a_kernel_waits_for_a_dataset_the_runner_is_profiling(shared):
    assert shared.claim(CONFIGURED, "payments", RUNNER)

    def later() -> None:
        time.sleep(0.3)
        shared.publish(CONFIGURED, "payments", {"entries": []})

    threading.Thread(target=later).start()
    t0 = time.monotonic()
    assert shared.take(CONFIGURED, "payments") == []
    assert time.monotonic() - t0 >= 0.25
    # a dataset nobody claimed: the kernel claims it, and the runner then leaves it
    assert shared.take(CONFIGURED, "consents") is None
    assert not shared.claim(CONFIGURED, "consents", RUNNER)


def test_a_profile_that_fails_in_the_runner_is_left_to_the_kernel(shared, monkeypatch):
    real = handoff.configured_profile

    def failing(reader, ds, beside=None):
        if ds.name == "payments":
            raise OSError("disk went away")
        return real(reader, ds, beside)

    monkeypatch.setattr(handoff, "configured_profile", failing)
    done, left = hand_over(load_config(SAMPLE), shared)
    assert left == 1
    assert shared.take(CONFIGURED, "payments") is None  # profiled, and reported, by the kernel
    assert shared.columns("payments", ["card_number"]) == {}
    assert shared.take(CONFIGURED, "consents") is not None


def test_the_handoff_is_private_and_its_index_holds_no_value(shared):
    hand_over(load_config(SAMPLE), shared)
    assert stat.S_IMODE(os.stat(shared.folder).st_mode) == 0o700
    text = " ".join(p.read_text() for p in shared.folder.glob("*.json"))
    payments = pd.read_csv(REPO / "data_samples" / "files" / "payments.csv", dtype="str")
    cards = payments["card_number"].dropna().head(50).tolist()
    assert cards and not [c for c in cards if c in text]


def test_columns_arrow_would_retype_are_left_to_the_kernel(tmp_path: Path):
    mixed = pd.Series([1, "a", None], dtype=object)  # JSON lines of mixed types
    text = pd.Series(["x", None, "z"], dtype="str")
    kept = handoff._write_frame(tmp_path / "0.arrow", {"mixed": mixed, "text": text})
    assert kept == {"file": "0.arrow", "columns": ["text"]}
    assert handoff._write_frame(tmp_path / "1.arrow", {"mixed": mixed}) is None


def test_no_handoff_for_spark_nor_for_a_notebook_by_hand(tmp_path: Path):
    """The runner starts no Spark application: a Spark config's kernels read for themselves."""
    text = SAMPLE.read_text().replace("files: {path: files}", "files: {path: files, engine: spark}")
    cfg = tmp_path / "audit.yml"
    cfg.write_text(text.replace("sqlite:///app.db", f"sqlite:///{SAMPLE.parent / 'app.db'}"))
    (tmp_path / "files").symlink_to(SAMPLE.parent / "files")
    assert handoff.start(load_config(cfg), tmp_path / ".r.tmp", print) is None
    assert Handoff.find(tmp_path / ".r.tmp") is None


def test_a_run_hands_over_and_removes_its_handoff(sample_runs):
    """The session's sample runs went through the handoff (their counts are checked against
    the truth elsewhere): no handoff outlives its run, and no Arrow file is in a report."""
    _, out, folders = sample_runs
    for folder in folders:
        assert not list(folder.rglob("*.arrow"))
        assert not handoff.folder_for(out / f".{folder.name}.tmp").exists()


def test_the_share_stops_claiming_when_the_run_ends(tmp_path: Path):
    lines: list[str] = []
    share = handoff.start(load_config(SAMPLE), tmp_path / ".r.tmp", lines.append)
    assert share is not None
    share.close()  # at once: it finishes the dataset it is on, and claims no other
    assert not share.thread.is_alive()
    assert not share.handoff.folder.exists()
    (line,) = lines
    done = re.match(r"audit: handoff: (\d+) dataset", line)
    assert done is not None and int(done.group(1)) < 11, line  # not all of the sample's 11


def test_a_handoff_left_by_a_killed_run_is_removed_by_the_next(tmp_path: Path):
    import subprocess
    import sys

    left = handoff.folder_for(tmp_path / ".killed.tmp")
    left.mkdir(mode=0o700)
    (left / "0.arrow").write_bytes(b"raw values")
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()  # a process that has ended: its pid names no running process
    (left / scratch.OWNER).write_text(str(proc.pid))
    alive = Handoff.create(tmp_path / ".alive.tmp")  # ours: this process runs
    try:
        assert not left.exists()
        assert alive.folder.exists() and alive.folder not in scratch.sweep(handoff.PREFIX)
    finally:
        alive.remove()


def test_the_share_opens_nothing_the_preflight_opened(shared, monkeypatch):
    """``audit run`` hands its preflight's datasets over: no dataset is opened twice (a
    JSON lines file's preflight reads every line)."""
    cfg = load_config(SAMPLE)
    opened = preflight(cfg)

    def again(cfg):
        raise AssertionError("the datasets were opened a second time")

    monkeypatch.setattr(handoff, "preflight", again)
    done, left = hand_over(cfg, shared, opened=opened)
    assert (done, left) == (11, 0)
