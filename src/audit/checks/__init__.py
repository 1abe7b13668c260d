"""The check registry: every check id, its default severity, its notebook, and its runner.

>>> sorted(CHECKS)[:2]
['cookies.analytics_without_consent', 'credentials.compromised_not_revoked']
>>> CHECKS["minors.under_minimum_age"]
('critical', 'minors')
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ..findings import Finding
from ..judge import EvaluationError
from ..reader import DataFault
from . import cookies, credentials, minors, payment, retention, rights, sharing
from . import inventory as inventory_checks
from .base import Context

Runner = Callable[[Context], list[Finding]]

#: notebook -> the policy areas whose findings it shows: (runner, ((check id, severity), ...)).
AREAS: dict[str, tuple[tuple[Runner, tuple[tuple[str, str], ...]], ...]] = {
    "inventory": ((inventory_checks.run, inventory_checks.CHECKS),),
    "minors": ((minors.run, minors.CHECKS),),
    "retention": ((retention.run, retention.CHECKS),),
    "credentials_payment": ((credentials.run, credentials.CHECKS), (payment.run, payment.CHECKS)),
    "rights_sharing_cookies": (
        (rights.run, rights.CHECKS),
        (sharing.run, sharing.CHECKS),
        (cookies.run, cookies.CHECKS),
    ),
}
NOTEBOOKS: tuple[str, ...] = tuple(AREAS)

#: check id -> (default severity, notebook).
CHECKS: dict[str, tuple[str, str]] = {
    check: (severity, notebook)
    for notebook, areas in AREAS.items()
    for _, checks in areas
    for check, severity in checks
}


#: Checks that scan columns and report one finding per (dataset, column) where they find something.
COLUMN_CHECKS: tuple[str, ...] = (
    credentials.PLAIN[0],
    payment.CARD[0],
    payment.CODE[0],
    inventory_checks.UNDECLARED[0],
    inventory_checks.UNMAPPED[0],
)


def run_notebook(ctx: Context, notebook: str) -> list[Finding]:
    """All findings of one notebook's checks; names the known notebooks when it fails."""
    try:
        areas = AREAS[notebook]
    except KeyError:
        raise KeyError(f"no checks for notebook {notebook!r}; known: {', '.join(AREAS)}") from None
    return [f for run, checks in areas for f in _guarded(ctx, run, checks)]


def _guarded(ctx: Context, run: Runner, checks: tuple[tuple[str, str], ...]) -> list[Finding]:
    """Run one policy area; if it cannot run, each of its checks reports ``error`` saying why
    (the exception's type only: its text may quote data) and the other areas still run.
    ``AUDIT_DEBUG=1`` re-raises instead."""
    try:
        return run(ctx)
    except Exception as e:
        if os.environ.get("AUDIT_DEBUG"):
            raise
        reason = str(e) if isinstance(e, EvaluationError | DataFault) else type(e).__name__
        return [
            ctx.finding(
                check,
                severity,
                None,
                status="error",
                message=f"the check could not run ({reason}); re-run with AUDIT_DEBUG=1 to see why",
            )
            for check, severity in checks
        ]


def violations_by_place(findings: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    """Violations per check and place, as the truth file writes them: ``dataset`` for row
    checks, ``dataset:column`` for column scans; places without violations are left out.

    >>> violations_by_place([{"check": "minors.age_unknown", "dataset": "users", "column": None, "violations": 2}])
    {'minors.age_unknown': {'users': 2}}
    """
    got: dict[str, dict[str, int]] = {}
    for f in findings:
        col = f["column"] if f["check"] in COLUMN_CHECKS else None
        where = f"{f['dataset']}:{col}" if col else (f["dataset"] or "-")
        if f["violations"]:
            got.setdefault(f["check"], {})[where] = f["violations"]
    return got
