"""The Finding record, severities, the verdict and findings.json.

>>> f = Finding.make("minors.age_unknown", "Children", "low", "users", None, rows_checked=3, violations=1)
>>> f.id, f.status
('minors.age_unknown:users:-', 'fail')
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SEVERITIES = ("critical", "high", "medium", "low", "info")
STATUSES = ("pass", "fail", "accepted", "error", "skipped")


def severity_rank(sev: str) -> int:
    """0 for critical ... 4 for info.

    >>> severity_rank("high") < severity_rank("low")
    True
    """
    return SEVERITIES.index(sev)


@dataclass
class Finding:
    id: str
    check: str
    clause: str
    severity: str
    status: str
    dataset: str | None
    column: str | None
    category: str | None
    rows_checked: int
    rows_unreadable: int
    violations: int
    examples: list[dict[str, str]] = field(default_factory=list)
    message: str = ""
    interpretation: bool = False
    #: retention rules: rows that pass their cutoff within the next days (see
    #: :func:`audit.timeutil.future_cutoffs`): ``[{"days", "cutoff", "rows"}, ...]``
    forecast: list[dict[str, Any]] | None = None
    #: SQL sources: statements that select the violating rows and fix them (never run by
    #: the audit), one per table: ``[{"dataset", "dialect", "select", "fix", "rows", ...}]``
    remediation: list[dict[str, Any]] | None = None
    #: the reviews-file entry that covers this finding, and what became of it
    #: (:mod:`audit.reviews`)
    review: dict[str, Any] | None = None

    @classmethod
    def make(
        cls,
        check: str,
        clause: str,
        severity: str,
        dataset: str | None,
        column: str | None,
        *,
        rows_checked: int = 0,
        violations: int = 0,
        rows_unreadable: int = 0,
        examples: list[dict[str, str]] | None = None,
        message: str = "",
        category: str | None = None,
        status: str | None = None,
        interpretation: bool = False,
        forecast: list[dict[str, Any]] | None = None,
        remediation: list[dict[str, Any]] | None = None,
    ) -> Finding:
        """A finding whose status follows from its counts unless given."""
        if status is None:
            status = "error" if rows_unreadable else ("fail" if violations else "pass")
        return cls(
            id=f"{check}:{dataset or '-'}:{column or '-'}",
            check=check,
            clause=clause,
            severity=severity,
            status=status,
            dataset=dataset,
            column=column,
            category=category,
            rows_checked=rows_checked,
            rows_unreadable=rows_unreadable,
            violations=violations,
            examples=list(examples or []),
            message=message,
            interpretation=interpretation,
            forecast=forecast,
            remediation=remediation,
        )

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Finding:
        return cls(**data)


def sort_key(f: Finding) -> tuple[int, int, str]:
    """Findings sorted by status (fail, error first), severity, then id."""
    order = {"fail": 0, "error": 1, "accepted": 2, "skipped": 3, "pass": 4}
    return (order.get(f.status, 9), severity_rank(f.severity), f.id)


def verdict(findings: Iterable[Finding]) -> str:
    """``incomplete`` if any check errored, else ``fail`` if any failed, else ``pass``
    (accepted findings do not fail the verdict).

    >>> verdict([])
    'pass'
    """
    statuses = {f.status for f in findings}
    if "error" in statuses:
        return "incomplete"
    return "fail" if "fail" in statuses else "pass"


def summarize(findings: list[Finding]) -> dict[str, Any]:
    """The summary block of findings.json: verdict, failing findings by severity, by status."""
    by_sev = Counter(f.severity for f in findings if f.status == "fail")
    by_status = Counter(f.status for f in findings)
    return {
        "verdict": verdict(findings),
        "by_severity": {s: by_sev.get(s, 0) for s in SEVERITIES},
        "by_status": {s: by_status.get(s, 0) for s in STATUSES},
    }


def exit_code(findings: list[Finding], fail_on: str) -> int:
    """0 when nothing fails at or above ``fail_on`` and nothing errored; 1 otherwise
    (an accepted finding does not fail)."""
    if any(f.status == "error" for f in findings):
        return 1
    limit = severity_rank(fail_on)
    return (
        1 if any(f.status == "fail" and severity_rank(f.severity) <= limit for f in findings) else 0
    )


def write_part(path: Path, findings: list[Finding]) -> None:
    """One notebook's findings, for the runner to collect."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([f.to_json() for f in findings], indent=1))


def read_parts(folder: Path) -> list[Finding]:
    """Every notebook's findings under ``folder``, sorted."""
    out: list[Finding] = []
    for p in sorted(folder.glob("*.json")):
        out.extend(Finding.from_json(d) for d in json.loads(p.read_text()))
    return sorted(out, key=sort_key)
