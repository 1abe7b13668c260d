"""The audit's checks phase in one process: every check of every notebook, no notebooks.

Prints ``{"seconds": ..., "violations": {check: {place: n}}}`` as JSON (inventory checks
included; the bench compares the others with the baseline).

Usage: ``python -m benchmarks.phase CONFIG``
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from audit.checks import COLUMN_CHECKS, NOTEBOOKS, run_notebook
from audit.checks.base import Context
from audit.config import load_config


def by_place(findings: list) -> dict[str, dict[str, int]]:
    """Violations per check and place (``dataset``, or ``dataset:column`` for column scans)."""
    got: dict[str, dict[str, int]] = {}
    for f in findings:
        where = (
            f"{f.dataset}:{f.column}"
            if f.check in COLUMN_CHECKS and f.column
            else (f.dataset or "-")
        )
        if f.violations:
            got.setdefault(f.check, {})[where] = f.violations
    return got


def main(argv: list[str]) -> None:
    t0 = time.perf_counter()
    ctx = Context.open(load_config(Path(argv[0])))
    found = [f for nb in NOTEBOOKS for f in run_notebook(ctx, nb)]
    errors = [f.id for f in found if f.status == "error"]
    print(
        json.dumps(
            {"seconds": time.perf_counter() - t0, "violations": by_place(found), "errors": errors}
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
