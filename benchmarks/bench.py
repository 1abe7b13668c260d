"""``make bench``: the audit against a hand-written baseline and a naive great-expectations
peer, side by side, on the W10 workload as Parquet and in PostgreSQL.

Each round runs every measurement once, in turn, so that all of them share the machine's
state; the figures are medians over the rounds. Counts are compared in every round: the
audit's (checks phase, and ``findings.json`` of the whole run) must equal the baseline's.

Writes ``benchmarks/results.json`` and the table between the markers of
``benchmarks/README.md``. ``--only-postgres`` measures the PostgreSQL cases alone (an hour a
round here at W10 before they were made cheaper), with the baseline run once for its counts;
it writes ``benchmarks/results-postgres.json`` and its own table.

Where PostgreSQL runs, the hand-written SQL baseline (``benchmarks/sql_baseline.py``) runs
in every round: the limit the audit's PostgreSQL path is measured against.

``--small`` measures the small cases instead, against their units: the sample audit against
one ``import great_expectations`` (timed from a file), and a workload 10x the sample's size
(scale 0.04 of W10: 40,000 users, 600,000 log rows) against the hand-written baseline; it
writes ``benchmarks/results-small.json`` and its own table.

Usage: ``python -m benchmarks.bench [--scale 1.0] [--runs 3] [--work DIR] [--no-postgres]
[--only-postgres] [--no-pg-run] [--no-pg-phase] [--small]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from audit.checks import violations_by_place

from . import workload
from .measure import Measured, run

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
MARKERS = {
    "results.json": ("<!-- results: start -->", "<!-- results: end -->"),
    "results-postgres.json": ("<!-- postgres results: start -->", "<!-- postgres results: end -->"),
    "results-postgres-run.json": (
        "<!-- postgres run results: start -->",
        "<!-- postgres run results: end -->",
    ),
    "results-small.json": ("<!-- small results: start -->", "<!-- small results: end -->"),
    "results-sql-baseline.json": (
        "<!-- sql baseline results: start -->",
        "<!-- sql baseline results: end -->",
    ),
}
#: W10's fraction that is 10x the committed sample (40,000 users, 600,000 log rows)
SMALL_SCALE = 0.04


def rules(v: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Counts of the rule checks (the inventory's category checks left out)."""
    return {k: x for k, x in v.items() if not k.startswith("inventory.")}


def sample_truth() -> dict[str, dict[str, int]]:
    """The committed sample's violations by place, from its truth file."""
    truth = json.loads((REPO / "data_samples" / "truth.json").read_text())["violations"]
    return {c: {k: n for k, n in v.items() if n} for c, v in truth.items() if any(v.values())}


def run_counts(out: Path) -> dict[str, dict[str, int]]:
    """Violations by place from the findings.json of the one run folder under ``out``."""
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    data = json.loads((folder / "findings.json").read_text())
    return violations_by_place(data["findings"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of W10 (1.0 = W10)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "audit-bench")
    ap.add_argument("--no-postgres", action="store_true")
    ap.add_argument("--no-peer", action="store_true")
    ap.add_argument(
        "--pg-runs", type=int, default=None, help="rounds that include PostgreSQL (default: all)"
    )
    ap.add_argument(
        "--no-pg-run", action="store_true", help="PostgreSQL: the checks phase only, no whole run"
    )
    ap.add_argument(
        "--only-postgres",
        action="store_true",
        help="the PostgreSQL cases only (and the baseline once, for its counts)",
    )
    ap.add_argument(
        "--no-pg-phase",
        action="store_true",
        help="PostgreSQL: the whole run only, no checks phase (with --only-postgres, its own "
        "results file)",
    )
    ap.add_argument(
        "--small",
        action="store_true",
        help="the small cases against their units: the sample audit against one import of "
        "great-expectations, and 10x the sample (scale 0.04) against the baseline",
    )
    args = ap.parse_args(argv)
    if args.small:
        args.scale, args.no_postgres, args.no_peer = SMALL_SCALE, True, True
    args.out = (
        "results-small.json"
        if args.small
        else "results.json"
        if not args.only_postgres
        else "results-sql-baseline.json"
        if args.no_pg_phase and args.no_pg_run
        else "results-postgres-run.json"
        if args.no_pg_phase
        else "results-postgres.json"
    )
    args.argv = sys.argv[1:] if argv is None else argv
    py, audit = str(BIN / "python"), str(BIN / "audit")
    t0 = time.time()
    folder = workload.generate(args.work / f"w{args.scale:g}", args.scale)
    generated = time.time() - t0
    configs = {"parquet": folder / "parquet.yml"}
    server = None
    if not args.no_postgres:
        sys.path.insert(0, str(REPO))
        from tests import pgserver

        why = pgserver.available()
        if why and args.only_postgres:
            print(f"bench: no PostgreSQL: {why}", file=sys.stderr)
            return 2
        if why:
            print(f"bench: PostgreSQL skipped: {why}", file=sys.stderr)
        else:
            server = pgserver.Server()
            t1 = time.time()
            configs["postgres"] = workload.load_postgres(folder, server.create_db("bench"))
            print(f"bench: loaded PostgreSQL in {time.time() - t1:.0f} s", file=sys.stderr)
    cases: dict[str, list[str]] = {
        "baseline": [py, "-m", "benchmarks.baseline", str(configs["parquet"])]
    }
    if args.small:
        cases = {"gx_import": [py, str(HERE / "import_gx.py")], **cases}
    if "postgres" in configs:
        cases["sql_baseline"] = [py, "-m", "benchmarks.sql_baseline", str(configs["postgres"])]
    engines = ["postgres"] if args.only_postgres else list(configs)
    for name in engines:
        if args.small:
            continue  # no checks phase: the small cases are whole runs
        if not (name == "postgres" and args.no_pg_phase):
            cases[f"checks_phase_{name}"] = [py, "-m", "benchmarks.phase", str(configs[name])]
    if not (args.no_peer or args.only_postgres):
        cases["peer"] = [py, "-m", "benchmarks.peer", str(configs["parquet"])]
    for name in engines:
        if not (name == "postgres" and args.no_pg_run):
            cases[f"audit_run_{name}"] = [
                audit,
                "run",
                "--config",
                str(configs[name]),
                "--out",
                "{out}",
            ]
    if not args.only_postgres:
        cases["sample_audit"] = [
            audit,
            "run",
            "--config",
            str(REPO / "data_samples" / "audit.yml"),
            "--out",
            "{out}",
        ]
    measured: dict[str, list[Measured]] = {k: [] for k in cases}
    agree: list[dict[str, Any]] = []
    sample_agree: list[bool] = []
    counts: dict[str, Any] = {}
    try:
        for rnd in range(args.runs):
            counts = {"baseline": counts["baseline"]} if args.only_postgres and counts else {}
            for name, cmd in cases.items():
                if "postgres" in name and args.pg_runs is not None and rnd >= args.pg_runs:
                    continue
                if name == "baseline" and "baseline" in counts:
                    continue  # --only-postgres: the baseline's counts do not change
                out = Path(tempfile.mkdtemp(prefix="bench-out-"))
                m = run([c.replace("{out}", str(out)) for c in cmd])
                measured[name].append(m)
                print(
                    f"bench: round {rnd + 1} {name}: {m.wall_s:.1f} s, cpu {m.cpu_s:.1f} s, peak {m.peak_mb:.0f} MB, exit {m.returncode}",
                    file=sys.stderr,
                )
                if name.startswith(("baseline", "sql_baseline", "checks_phase")):
                    counts[name] = rules(json.loads(m.stdout)["violations"])
                elif name.startswith("audit_run") and m.returncode in (0, 1):
                    counts[name] = rules(run_counts(out))
                elif name == "sample_audit" and m.returncode in (0, 1):
                    sample_agree.append(run_counts(out) == sample_truth())
                shutil.rmtree(out, ignore_errors=True)
            agree.append({k: counts[k] == counts["baseline"] for k in counts if k != "baseline"})
            if sample_agree:
                agree[-1]["sample_audit (truth.json)"] = sample_agree[-1]
            # written after every round, so that a long bench stopped early keeps its figures
            results = summarise(args, measured, agree, generated)
            (HERE / args.out).write_text(json.dumps(results, indent=1) + "\n")
            write_table(results, args.out)
            if not all(agree[-1].values()):
                for k, v in counts.items():
                    if v != counts["baseline"]:
                        diff = {
                            c: (v.get(c), counts["baseline"].get(c))
                            for c in set(v) | set(counts["baseline"])
                            if v.get(c) != counts["baseline"].get(c)
                        }
                        print(f"bench: COUNTS DIFFER {k}: {diff}", file=sys.stderr)
    finally:
        if server is not None:
            server.stop()
    results = summarise(args, measured, agree, generated)
    (HERE / args.out).write_text(json.dumps(results, indent=1) + "\n")
    write_table(results, args.out)
    print(table(results))
    return 0 if all(all(a.values()) for a in agree) else 1


def summarise(
    args: argparse.Namespace,
    measured: dict[str, list[Measured]],
    agree: list[dict[str, Any]],
    generated: float,
) -> dict[str, Any]:
    def med(xs: list[float]) -> float:
        return round(statistics.median(xs), 2)

    cases = {
        k: {
            "wall_s": med([m.wall_s for m in ms]),
            "cpu_s": med([m.cpu_s for m in ms]),
            "peak_mb": med([m.peak_mb for m in ms]),
            "rounds": len(ms),
            "runs_wall_s": [round(m.wall_s, 2) for m in ms],
            "exit_codes": [m.returncode for m in ms],
        }
        for k, ms in measured.items()
        if ms
    }
    base = cases["baseline"]["wall_s"]
    ratios = {
        f"{k} / baseline": round(cases[k]["wall_s"] / base, 2)
        for k in ("checks_phase_parquet", "checks_phase_postgres")
        if k in cases
    }
    if "sql_baseline" in cases:
        for k in ("checks_phase_postgres", "audit_run_postgres"):
            if k in cases:
                ratios[f"{k} / sql_baseline"] = round(
                    cases[k]["wall_s"] / cases["sql_baseline"]["wall_s"], 2
                )
    if "gx_import" in cases and "sample_audit" in cases:
        unit, sample = cases["gx_import"], cases["sample_audit"]
        ratios["sample_audit wall / gx_import wall"] = round(sample["wall_s"] / unit["wall_s"], 2)
        ratios["sample_audit CPU / gx_import CPU"] = round(sample["cpu_s"] / unit["cpu_s"], 2)
    if args.small and "audit_run_parquet" in cases:
        ratios["audit_run_parquet (10x sample) / baseline"] = round(
            cases["audit_run_parquet"]["wall_s"] / base, 2
        )
    if "peer" in cases and "audit_run_parquet" in cases and not args.small:
        ratios["audit_run_parquet / peer"] = round(
            cases["audit_run_parquet"]["wall_s"] / cases["peer"]["wall_s"], 2
        )
    if "peer" in cases and "checks_phase_parquet" in cases:
        ratios["peer / checks_phase_parquet"] = round(
            cases["peer"]["wall_s"] / cases["checks_phase_parquet"]["wall_s"], 2
        )
    return {
        "command": "python -m benchmarks.bench " + " ".join(args.argv),
        "scale": args.scale,
        "sizes": workload.sizes(args.scale),
        "runs": args.runs,
        "generation_s": round(generated, 1),
        "machine": machine(),
        "cases": cases,
        "ratios": ratios,
        "counts_agree_with_baseline": agree,
    }


def machine() -> str:
    import os
    import platform

    mem = next(
        (
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        "0",
    )
    return f"{os.cpu_count()} cores, {int(mem) / 2**20:.0f} GB, Python {platform.python_version()}"


LABELS = {
    "baseline": "hand-written pandas baseline (no GX)",
    "sql_baseline": "hand-written SQL baseline, PostgreSQL (no GX)",
    "checks_phase_parquet": "audit checks phase, Parquet (pandas)",
    "checks_phase_postgres": "audit checks phase, PostgreSQL",
    "peer": "peer: naive GX, pandas engine, SUMMARY",
    "audit_run_parquet": "whole `audit run`, Parquet",
    "audit_run_postgres": "whole `audit run`, PostgreSQL",
    "sample_audit": "sample audit end to end (`audit run`, committed sample)",
    "gx_import": "unit: one `import great_expectations` (from a file)",
}


def table(r: dict[str, Any]) -> str:
    lines = [
        f"Measured with `{r['command']}` on {r['machine']}: medians over the rounds each case ran "
        f"(the last column lists them); "
        f"workload scale {r['scale']:g} of W10 ({', '.join(f'{k} {v:,}' for k, v in r['sizes'].items())}).",
        "",
        "| what | wall (s) | CPU (s) | peak memory of the process tree (MB) | wall of each round (s) |",
        "|---|---:|---:|---:|---|",
    ]
    for k, c in r["cases"].items():
        lines.append(
            f"| {LABELS.get(k, k)} | {c['wall_s']:.1f} | {c['cpu_s']:.1f} | {c['peak_mb']:.0f} | {', '.join(f'{x:.1f}' for x in c['runs_wall_s'])} |"
        )
    lines.append("")
    lines += [f"- {k}: **{v}**" for k, v in r["ratios"].items()]
    ok = all(all(a.values()) for a in r["counts_agree_with_baseline"])
    lines.append(
        f"- counts of the audit (checks phase and whole run, every engine) equal the baseline's in every round: **{'yes' if ok else 'NO'}**"
    )
    return "\n".join(lines) + "\n"


def write_table(r: dict[str, Any], out: str) -> None:
    start, end = MARKERS[out]
    readme = HERE / "README.md"
    text = readme.read_text()
    a, b = text.index(start) + len(start), text.index(end)
    readme.write_text(text[:a] + "\n" + table(r) + text[b:])


if __name__ == "__main__":
    sys.exit(main())
