"""The ``audit`` command: parses arguments, calls the package, maps errors to exit codes.

Exit codes: 0 clean, 1 findings at or above ``--fail-on`` or any check in error, 2 usage or
config error (one line on stderr, no run folder), 3 the run itself failed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import AuditError, ConfigError, RunFailed
from .findings import SEVERITIES


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """Usage errors: one line, exit 2."""
        print(f"audit: {message}; see 'audit --help'", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="audit",
        description="Privacy audit notebooks: check stored data against a privacy policy.",
    )
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser("run", help="run the audit notebooks and publish a run folder")
    run.add_argument("--config", default="data_samples/audit.yml")
    run.add_argument(
        "--as-of", dest="as_of", help="audit date YYYY-MM-DD (default: config, else today UTC)"
    )
    run.add_argument("--out", default="reports")
    run.add_argument("--only", nargs="+", metavar="NOTEBOOK")
    run.add_argument("--fail-on", dest="fail_on", default="high", choices=SEVERITIES)
    run.add_argument(
        "--workers",
        type=int,
        default=1,
        help="kernels, each running notebooks one after another (default 1: every dataset "
        "read once)",
    )
    run.add_argument(
        "--pdf",
        action="store_true",
        help="also print the summary and every notebook page into report.pdf (needs Chromium)",
    )
    ver = sub.add_parser(
        "verify", help="check a run folder against its manifest.sha256 (exit 1 naming changes)"
    )
    ver.add_argument("run_dir", metavar="RUN_DIR")
    chk = sub.add_parser("check-config", help="check config and policy without opening data")
    chk.add_argument("--config", default="data_samples/audit.yml")
    inv = sub.add_parser(
        "inventory", help="discovery only: the inventory and a draft config for what is unmapped"
    )
    inv.add_argument("--config", default="data_samples/audit.yml")
    inv.add_argument("--out", default="reports/inventory")
    sd = sub.add_parser("sample-data", help="write the synthetic SPECTRA data set")
    sd.add_argument("--out", required=True)
    sd.add_argument("--users", type=int, default=400)
    sd.add_argument("--events", type=int, default=20_000)
    sd.add_argument("--format", choices=("csv", "parquet"), default="parquet")
    sd.add_argument("--seed", type=int, default=7)
    for table in ("keys", "payments", "tickets", "rights", "cookies"):
        sd.add_argument(
            f"--{table}", type=int, default=None, help=f"rows of {table} (default: from --users)"
        )
    sd.add_argument(
        "--violations",
        type=int,
        default=0,
        help="seed at least this many violations of every check (the tables must hold them)",
    )
    for sp in (run, chk, inv, sd, ver):  # --debug before or after the command
        sp.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
        )
    return p


def _run(args: argparse.Namespace) -> int:
    from .config import load_config
    from .memory import keep_freed

    keep_freed()  # before any data is read (audit.memory)

    if args.command == "verify":
        return _verify(Path(args.run_dir))
    if args.command == "check-config":
        cfg = load_config(args.config)
        print(
            f"{cfg.path}: ok ({len(cfg.sources)} sources, {len(cfg.datasets)} datasets, "
            f"policy {cfg.policy_path.name}, as_of {cfg.as_of})"
        )
        return 0
    if args.command == "inventory":
        from .checks.base import Context
        from .inventory import build, draft_config

        cfg = load_config(args.config)
        inventory = build(Context.open(cfg))
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        inventory.write(out)
        (out / "draft-config.yml").write_text(draft_config(inventory))
        personal = sum(e.category is not None for e in inventory.entries)
        print(
            f"inventory: {len(inventory.entries)} columns, {personal} with personal data, "
            f"{len(inventory.unmapped)} unmapped table(s)/file(s); written to {out}"
        )
        for bad in inventory.unreadable:
            print(f"audit: {bad.dataset}: {bad.reason}", file=sys.stderr)
        return 0
    if args.command == "sample-data":
        from .sample_data import generate

        if args.users < 50 or args.events < 10:
            raise ConfigError(
                "--users/--events",
                None,
                "too small",
                "use --users 50 or more and --events 10 or more",
            )
        from .sample_data import Sizes

        tables = (args.keys, args.payments, args.tickets, args.rights, args.cookies)
        if any(n is not None and n < 30 for n in tables):
            raise ConfigError(
                "--keys/--payments/--tickets/--rights/--cookies",
                None,
                "too small",
                "use 30 or more",
            )
        if args.violations < 0:
            raise ConfigError("--violations", None, "cannot be negative", "use 0 or more")
        try:
            generate(
                Path(args.out),
                users=args.users,
                events=args.events,
                fmt=args.format,
                seed=args.seed,
                sizes=Sizes(*tables, violations=args.violations),
            )
        except ValueError as e:  # a table too small for the violations asked for
            raise ConfigError("--violations", None, str(e), "raise the table's size") from None
        print(f"sample data written to {args.out} (audit.yml, truth.json)")
        return 0
    # run
    from .kernels import start_kernels
    from .nav import NOTEBOOKS

    if args.only:
        unknown = [n for n in args.only if n not in NOTEBOOKS]
        if unknown:
            raise ConfigError(
                "--only",
                None,
                f"unknown notebook {unknown[0]!r}",
                f"use one of: {', '.join(NOTEBOOKS)}",
            )
    cfg = load_config(args.config, args.as_of)
    if args.pdf:
        from .pdf import require

        require()  # before any notebook runs: no half-made report for a missing printer
    workers = max(1, args.workers)
    # the kernels start first, and import what the notebooks use while this process imports
    # what it runs with and the preflight runs
    kernels = start_kernels(cfg, workers, len(args.only or NOTEBOOKS))
    try:
        from .findings import exit_code
        from .runner import run_audit
        from .sources import preflight

        print(f"audit: preflight: {len(cfg.datasets)} datasets", file=sys.stderr)
        try:
            opened = preflight(cfg, spark_share=workers)
            for name, ds in opened.items():
                print(
                    f"audit: dataset {name}: {ds.engine}, {len(ds.columns)} columns",
                    file=sys.stderr,
                )
            kernels.keep(_spark_room(workers))
        finally:
            _stop_spark()  # the notebooks' applications need the preflight's executors
        result = run_audit(
            cfg, Path(args.out), args.only, pdf=args.pdf, kernels=kernels, opened=opened
        )
    finally:
        kernels.close()
    s = result.summary
    sev = ", ".join(f"{n} {k}" for k, n in s["by_severity"].items() if n) or "none"
    print(f"verdict: {s['verdict']} (failing findings: {sev})")
    print(f"report: {result.folder / 'index.html'}")
    return exit_code(result.findings, args.fail_on)


def _verify(run_dir: Path) -> int:
    """``audit verify``: 0 when every file matches the manifest, 1 naming each that does not."""
    from .manifest import NAME, verify

    if not run_dir.is_dir():
        raise ConfigError(str(run_dir), None, "not a folder", "give a run folder of 'audit run'")
    if not (run_dir / NAME).is_file():
        raise ConfigError(
            str(run_dir), None, f"no {NAME} here", "give a run folder written by 'audit run'"
        )
    problems = verify(run_dir)
    for p in problems:
        print(f"{run_dir}: {p}")
    if not problems:
        print(f"{run_dir}: every file matches {NAME}")
    return 1 if problems else 0


def _spark_room(workers: int) -> int:
    """Kernels (each a Spark application) that a Spark cluster serves at once (``workers``
    without a cluster)."""
    if "pyspark" not in sys.modules:
        return workers
    from . import spark

    room = spark.room(workers)
    if room < workers:
        print(
            f"audit: the Spark cluster has free cores for {room} application(s) of the "
            f"configured share (spark.cores.max): {room} kernel(s), so {room} notebook(s) "
            "at a time",
            file=sys.stderr,
        )
    return room


def _stop_spark() -> None:
    if "pyspark" in sys.modules:
        from . import spark

        spark.stop()


def entry() -> None:
    """The ``audit`` command: :func:`main`, then out at once.

    Exit handlers run and the output is flushed, but the interpreter does not take apart
    what the run loaded (pandas, great-expectations, nbconvert): that took 0.6 s after every
    run here, with nothing left to do."""
    import atexit
    import os

    code = main()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:  # usage errors (exit 2) and --help (exit 0)
        return int(e.code or 0)
    try:
        return _run(args)
    except RunFailed as e:
        if args.debug:
            raise
        print(f"audit: {e}", file=sys.stderr)
        return 3
    except AuditError as e:
        if args.debug:
            raise
        print(f"audit: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("audit: interrupted; no run folder was published", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
