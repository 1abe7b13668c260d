"""Exact at any size: the sample at 10x and 100x its size, violations seeded densely (every
check hundreds to thousands of times, the deletion finding far past great-expectations'
200-value lists), every check on pandas, SQLite, PostgreSQL and Spark against the truth.

Not timed for speed (``make bench`` is): it records, per size and engine, whether every
count equals the truth file's, and how long the checks took.

Usage: ``python -m benchmarks.scale [--sizes 10,100] [--work DIR]``; writes
``benchmarks/results-scale.json`` and the table between the markers of the README.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from audit.checks import NOTEBOOKS, run_notebook, violations_by_place
from audit.checks.base import Context
from audit.config import load_config
from audit.sample_data import Sizes, generate

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MARKERS = ("<!-- scale results: start -->", "<!-- scale results: end -->")
ENGINES = ("files", "sqlite", "postgres", "spark")


def plan(size: int) -> dict[str, Any]:
    """The sample (400 accounts, 20,000 log rows) times ``size``, with 80 x ``size`` seeded
    violations of every check."""
    v = 80 * size
    return {"users": 400 * size, "events": 20_000 * size, "violations": v, "tickets": 2 * v + 100}


def truth_of(folder: Path) -> dict[str, dict[str, int]]:
    sys.path.insert(0, str(REPO))
    from tests.conftest import truth_violations

    return truth_violations(folder / "truth.json")


def layouts(sample: Path, pg: Any, master: str) -> dict[str, Path]:
    """The sample as files, in SQLite, in PostgreSQL (typed columns) and on Spark."""
    sys.path.insert(0, str(REPO))
    from tests import test_sample_truth as t

    return {
        "files": t._as_files(sample),
        "sqlite": t._as_sqlite(sample),
        "postgres": t._as_postgres(sample, pg.create_db(f"scale_{sample.name}")),
        "spark": t._as_spark(sample, master),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100")
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from audit import spark
    from tests import pgserver

    work = args.work or Path(tempfile.mkdtemp(prefix="audit-scale-"))
    pg = pgserver.Server()
    master = "local[2]"
    spark.session(master)
    results = []
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            p = plan(size)
            sample = work / f"x{size}"
            shutil.rmtree(sample, ignore_errors=True)
            sizes = Sizes(tickets=p["tickets"], violations=p["violations"])
            generate(sample, users=p["users"], events=p["events"], seed=size, sizes=sizes)
            truth = truth_of(sample)
            for engine, cfg in layouts(sample, pg, master).items():
                t0 = time.perf_counter()
                ctx = Context.open(load_config(cfg))
                found = [f.to_json() for nb in NOTEBOOKS for f in run_notebook(ctx, nb)]
                took = time.perf_counter() - t0
                got = violations_by_place(found)
                wrong = {
                    f"{c}@{w}": [got.get(c, {}).get(w, 0), n]
                    for c, places in truth.items()
                    for w, n in places.items()
                    if got.get(c, {}).get(w, 0) != n
                }
                extra = {
                    f"{c}@{w}": n
                    for c, places in got.items()
                    for w, n in places.items()
                    if w not in truth.get(c, {})
                }
                row = {
                    "size": size,
                    "engine": engine,
                    "users": p["users"],
                    "events": p["events"],
                    "deleted_remaining": truth["rights.deletion_not_honoured"]["rights_requests"],
                    "deletion_found": got.get("rights.deletion_not_honoured", {}).get(
                        "rights_requests", 0
                    ),
                    "places": sum(len(v) for v in truth.values()),
                    "equal": not wrong and not extra,
                    "wrong": wrong,
                    "extra": extra,
                    "errors": [f["id"] for f in found if f["status"] == "error"],
                    "seconds": round(took, 1),
                }
                results.append(row)
                print(json.dumps(row), flush=True)
            shutil.rmtree(sample, ignore_errors=True)
            for other in work.glob(f"x{size}-*"):
                shutil.rmtree(other, ignore_errors=True)
    finally:
        pg.stop()
    (HERE / "results-scale.json").write_text(json.dumps(results, indent=1))
    write_table(results, " ".join(["python -m benchmarks.scale", *(argv or sys.argv[1:])]))
    return 0 if all(r["equal"] and not r["errors"] for r in results) else 1


def write_table(results: list[dict[str, Any]], command: str) -> None:
    lines = [
        f"Measured with `{command}` on 2 cores, 24 GB, Python 3.11.",
        "",
        "| size | engine | accounts | log rows | deleted subjects with rows left (truth / found) "
        "| places compared | every count equals the truth | checks took (s) |",
        "|---|---|---:|---:|---:|---:|---|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r['size']}x | {r['engine']} | {r['users']:,} | {r['events']:,} "
            f"| {r['deleted_remaining']:,} / {r['deletion_found']:,} | {r['places']} "
            f"| {'yes' if r['equal'] and not r['errors'] else 'NO'} | {r['seconds']} |"
        )
    readme = HERE / "README.md"
    text = readme.read_text()
    start, end = MARKERS
    block = start + "\n" + "\n".join(lines) + "\n" + end
    if start in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text += "\n## Exact at any size\n\n" + block + "\n"
    readme.write_text(text)


if __name__ == "__main__":
    raise SystemExit(main())
