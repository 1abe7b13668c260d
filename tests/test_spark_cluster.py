"""The audit on a Spark standalone cluster (master and worker from the pyspark wheel's scripts
on 127.0.0.1), through ``audit run`` as a scheduled run starts it.

In standalone mode an application takes every free core unless ``spark.cores.max`` bounds
it, and the next application waits for executors forever: the preflight's application once
held the cluster while the notebooks' kernels waited. Here the sample audit runs with two
notebooks at a time and gives the truth's counts; a cluster with fewer cores than the audit
asks for finishes one notebook at a time; one with no worker stops with an error naming the
master within the stated limit. Every cluster is stopped whatever happens.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audit.sample_data import generate

from .conftest import JVM_OPTIONS, require, truth_violations, violations_by_place
from .test_sample_truth import _as_spark

AUDIT = str(Path(sys.executable).parent / "audit")


@pytest.fixture
def cluster():
    from . import sparkcluster

    require(sparkcluster.available(), "AUDIT_REQUIRE_SPARK")
    c = sparkcluster.Cluster()
    try:
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cluster-sample")
    generate(out, users=300, events=4000, seed=11)
    return out


def _on_cluster(sample: Path, master: str, conf: str, name: str) -> Path:
    """The sample's files read by Spark on ``master`` (the accounts too, out of SQLite), with
    the settings ``conf`` and the tests' quick JVMs (passed through the source's conf)."""
    jvm = f'"{JVM_OPTIONS}"'
    conf += f", spark.driver.extraJavaOptions: {jvm}, spark.executor.extraJavaOptions: {jvm}"
    return _as_spark(sample, master, conf, name)


def _run(cfg: Path, out: Path, *extra: str, wait: int = 120) -> tuple[int, str, float]:
    env = {**os.environ, "AUDIT_SPARK_WAIT": str(wait)}
    t0 = time.monotonic()
    p = subprocess.run(
        [AUDIT, "run", "--config", str(cfg), "--out", str(out), *extra],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return p.returncode, p.stderr, time.monotonic() - t0


def _findings(out: Path) -> list[dict]:
    (run,) = [p for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return json.loads((run / "findings.json").read_text())["findings"]


def test_the_sample_audit_on_a_cluster_equals_the_truth(sample, cluster, tmp_path):
    """Three kernels asked for, one core each, from a worker with two: the run finds room
    for two, runs two kernels (two Spark applications at once, never three; each runs its
    notebooks one after another) and gives the truth's counts. (A cluster with fewer cores
    than a run asks for: :func:`audit.spark.slots`.)"""
    cluster.add_worker(cores=2)
    cfg = _on_cluster(sample, cluster.master, "spark.driver.host: 127.0.0.1", "cluster")
    code, err, _ = _run(cfg, tmp_path / "out", "--workers", "3")
    assert code in (0, 1), err
    assert "free cores for 2 application(s)" in err and "2 notebook(s) at a time" in err, err
    found = _findings(tmp_path / "out")
    assert all(f["status"] in ("pass", "fail") for f in found), err
    assert violations_by_place(found) == truth_violations(sample / "truth.json")
    apps = sorted(cluster.status()["completedapps"], key=lambda a: a["starttime"])
    # the preflight's application measured room for three and got two cores (and was
    # stopped, or no kernel would have had one); then one per kernel, one core each
    assert [a["cores"] for a in apps] == [2, 1, 1], apps
    spans = [(a["starttime"], a["starttime"] + a["duration"]) for a in apps[1:]]
    at_once = max(sum(s <= t < e for s, e in spans) for t, _ in spans)
    assert at_once == 2, spans


def test_a_cluster_with_no_worker_stops_with_an_error_naming_the_master(sample, cluster, tmp_path):
    cfg = _on_cluster(sample, cluster.master, "spark.driver.host: 127.0.0.1", "none")
    out = tmp_path / "out"
    code, err, elapsed = _run(cfg, out, wait=5)
    assert code == 2, err
    lines = [line for line in err.splitlines() if "no executor" in line]
    assert lines == [
        f"audit: {cfg}: sources.files.master: Spark master {cluster.master} gave the audit no "
        "executor within 5 s; start a worker with a free core, lower spark.cores.max in the "
        "source's conf, or wait longer (AUDIT_SPARK_WAIT, seconds)"
    ], err
    assert elapsed < 60, elapsed  # the limit, plus starting Python and the JVM
    assert not out.exists() or not any(out.iterdir()), "no report, not even half of one"
