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

from audit.checks import NOTEBOOKS, run_notebook, violations_by_place
from audit.checks.base import Context
from audit.config import load_config
from audit.memory import keep_freed


def main(argv: list[str]) -> None:
    t0 = time.perf_counter()
    keep_freed()  # as the run's processes do
    ctx = Context.open(load_config(Path(argv[0])))
    found = [f for nb in NOTEBOOKS for f in run_notebook(ctx, nb)]
    errors = [f.id for f in found if f.status == "error"]
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - t0,
                "violations": violations_by_place([f.to_json() for f in found]),
                "errors": errors,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1:])
