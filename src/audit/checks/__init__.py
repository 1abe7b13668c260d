"""The check registry: every check id, its default severity, its notebook, and its runner.

>>> sorted(CHECKS)[:2]
['minors.age_unknown', 'minors.flag_mismatch']
"""

from __future__ import annotations

from collections.abc import Callable

from ..findings import Finding
from . import minors, retention
from .base import Context

Runner = Callable[[Context], list[Finding]]

#: notebook -> the runners whose findings it shows, in order.
NOTEBOOKS: dict[str, tuple[Runner, ...]] = {
    "minors": (minors.run,),
    "retention": (retention.run,),
}

#: check id -> (default severity, notebook).
CHECKS: dict[str, tuple[str, str]] = {
    **{c: (s, "minors") for c, s in minors.CHECKS},
    retention.EXPIRED[0]: (retention.EXPIRED[1], "retention"),
    retention.CLOSED[0]: (retention.CLOSED[1], "retention"),
}


def run_notebook(ctx: Context, notebook: str) -> list[Finding]:
    """All findings of one notebook's checks; names the known notebooks when it fails."""
    try:
        runners = NOTEBOOKS[notebook]
    except KeyError:
        raise KeyError(
            f"no checks for notebook {notebook!r}; known: {', '.join(NOTEBOOKS)}"
        ) from None
    return [f for run in runners for f in run(ctx)]
