"""The auditor's summary: verdict, severities, the control matrix, findings, links.

>>> rows = matrix_rows(load_policy(DEFAULT_POLICY), [])
>>> rows[1]["clause"], rows[1]["status"]
('How We Use Data', 'manual attestation')
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import charts
from .config import DEFAULT_POLICY, Policy, load_config, load_policy  # noqa: F401
from .findings import SEVERITIES, Finding, sort_key, summarize

NOTEBOOK_TITLES = {
    "inventory": "Personal-data inventory",
    "minors": "Children: minimum age and minor flags",
    "retention": "Data retention",
    "credentials_payment": "Credentials and payment data",
    "rights_sharing_cookies": "Rights, sharing and cookies",
}


FINDING_COLUMNS = [
    "severity",
    "status",
    "check",
    "dataset",
    "column",
    "rows_checked",
    "violations",
    "rows_unreadable",
    "message",
]


def findings_frame(findings: list[Finding], with_clause: bool = False) -> pd.DataFrame:
    """Findings as a table: counts and messages, no raw values."""
    cols = FINDING_COLUMNS[:2] + ["clause"] * with_clause + FINDING_COLUMNS[2:]
    return pd.DataFrame([{c: getattr(f, c) for c in cols} for f in findings], columns=cols).fillna(
        ""
    )


def examples_frame(findings: list[Finding]) -> pd.DataFrame:
    """The masked examples of failing findings, one row each."""
    rows = [
        {"check": f.check, "dataset": f.dataset, "key": e.get("key"), "example": e.get("value")}
        for f in findings
        if f.status == "fail"
        for e in f.examples
    ]
    return pd.DataFrame(rows, columns=["check", "dataset", "key", "example"])


def matrix_rows(policy: Policy, findings: list[Finding]) -> list[dict[str, str]]:
    """One row per clause of the written policy: its checks and their combined status."""
    rows = []
    by_check: dict[str, list[Finding]] = {}
    for f in findings:
        by_check.setdefault(f.check, []).append(f)
    interpreted = _interpreted_checks(policy)
    for clause in policy.clauses:
        if clause.attestation:
            rows.append(
                {
                    "clause": clause.heading,
                    "checks": "",
                    "status": "manual attestation",
                    "failing": "",
                    "notes": clause.attestation,
                }
            )
            continue
        parts, statuses, failing = [], [], 0
        for check in clause.checks:
            fs = by_check.get(check, [])
            st = _combined([f.status for f in fs]) if fs else "not run"
            statuses.append(st)
            failing += sum(f.status == "fail" for f in fs)
            parts.append(f"{check}{' (interpretation)' if check in interpreted else ''}: {st}")
        rows.append(
            {
                "clause": clause.heading,
                "checks": "; ".join(parts),
                "status": _combined(statuses),
                "failing": str(failing),
                "notes": ""
                if "not run" not in statuses
                else "'not run': this release does not yet run that check",
            }
        )
    return rows


def _combined(statuses: list[str]) -> str:
    for s in ("error", "fail", "not run", "skipped", "pass"):
        if s in statuses:
            return s
    return "pass"


def _interpreted_checks(policy: Policy) -> set[str]:
    out = set()
    if policy.minor_age.interpretation:
        out.add("minors.flag_mismatch")
    if any(r.interpretation for r in policy.retention.values()):
        out.update({"retention.expired_records", "retention.closed_account_data"})
    if policy.credentials.interpretation:
        out.add("credentials.compromised_not_revoked")
    if policy.rights.interpretation:
        out.add("rights.request_overdue")
    if policy.cookies.interpretation:
        out.add("cookies.analytics_without_consent")
    return out


def changes(previous: list[Finding], current: list[Finding]) -> pd.DataFrame:
    """What changed since the previous run, by stable finding id: new, resolved, worse, better.

    >>> old = [Finding.make("sharing.sale", "S", "critical", "d", None, violations=2)]
    >>> new = [Finding.make("sharing.sale", "S", "critical", "d", None, violations=5)]
    >>> changes(old, new)[["change", "before", "now"]].values.tolist()
    [['worse', 2, 5]]
    """
    before = {f.id: f for f in previous}
    rows = []
    for f in current:
        old = before.get(f.id)
        was = old.violations if old is not None and old.status == "fail" else 0
        now = f.violations if f.status == "fail" else 0
        change = (
            "new"
            if was == 0 and now
            else "resolved"
            if was and now == 0
            else "worse"
            if now > was
            else "better"
            if now < was
            else None
        )
        if change:
            rows.append(
                {
                    "change": change,
                    "severity": f.severity,
                    "check": f.check,
                    "dataset": f.dataset,
                    "column": f.column,
                    "before": was,
                    "now": now,
                }
            )
    current_ids = {f.id for f in current}
    for f in previous:
        if f.id not in current_ids and f.status == "fail":
            rows.append(
                {
                    "change": "resolved",
                    "severity": f.severity,
                    "check": f.check,
                    "dataset": f.dataset,
                    "column": f.column,
                    "before": f.violations,
                    "now": 0,
                }
            )
    order = {"new": 0, "worse": 1, "better": 2, "resolved": 3}
    rows.sort(
        key=lambda r: (
            order[str(r["change"])],
            SEVERITIES.index(str(r["severity"])),
            str(r["check"]),
        )
    )
    return pd.DataFrame(
        rows, columns=["change", "severity", "check", "dataset", "column", "before", "now"]
    )


@dataclass
class RunReport:
    """A run's findings as the summary notebook shows them."""

    policy: Policy
    findings: list[Finding]
    run: dict[str, Any]
    notebooks: list[str]
    previous: list[Finding] | None = None

    @classmethod
    def load(
        cls, config: str | Path, as_of: str | None = None, out_dir: str | Path | None = None
    ) -> RunReport:
        """Read a run folder's findings.json; without a run folder, run the checks now."""
        cfg = load_config(config, as_of)
        if out_dir is not None and (Path(out_dir) / "findings.json").is_file():
            data = json.loads((Path(out_dir) / "findings.json").read_text())
            found = [Finding.from_json(f) for f in data["findings"]]
            previous = None
            prev_name = data["run"].get("previous")
            prev_file = Path(out_dir).parent / str(prev_name) / "findings.json"
            if prev_name and prev_file.is_file():
                previous = [
                    Finding.from_json(f) for f in json.loads(prev_file.read_text())["findings"]
                ]
            return cls(cfg.policy, found, data["run"], data["run"].get("notebooks", []), previous)
        parts = Path(out_dir) / "parts" if out_dir is not None else None
        if parts is not None and parts.is_dir():  # notebooks run one by one (an Airflow DAG)
            from .findings import read_parts

            names = sorted(p.stem for p in parts.glob("*.json"))
            return cls(
                cfg.policy,
                read_parts(parts),
                {"as_of": str(cfg.as_of), "status": "collected"},
                names,
            )
        from .checks import NOTEBOOKS
        from .notebook import open_audit

        audit = open_audit(config, as_of)
        for nb in NOTEBOOKS:
            audit.run_checks(nb)
        return cls(
            cfg.policy,
            sorted(audit.findings, key=sort_key),
            {"as_of": str(cfg.as_of), "status": "explore"},
            [],
        )

    def headline(self) -> str:
        s = summarize(self.findings)
        sev = ", ".join(f"{n} {k}" for k, n in s["by_severity"].items() if n) or "none"
        words = {
            "pass": "PASS: no check found a violation",
            "fail": "FAIL: stored data breaks the policy",
            "incomplete": "INCOMPLETE: some checks could not read all their data",
        }
        return (
            f"## Verdict: {words[s['verdict']]}\n\n"
            f"Audit date **{self.run.get('as_of')}**, policy *{self.policy.name}*. "
            f"Failing findings by severity: {sev}. "
            f"{s['by_status']['fail']} failing, {s['by_status']['error']} in error, "
            f"{s['by_status']['pass']} passing, {s['by_status']['skipped']} skipped."
        )

    def changes_summary(self) -> str:
        """One paragraph on the change since the previous completed run of this config."""
        if self.previous is None:
            return "This is the first completed run of this config in this report folder: nothing to compare."
        c = changes(self.previous, self.findings)
        if c.empty:
            return f"Nothing changed since the previous run ({self.run.get('previous')})."
        counts = c["change"].value_counts()
        parts = [f"{counts[k]} {k}" for k in ("new", "worse", "better", "resolved") if k in counts]
        return f"Since the previous run ({self.run.get('previous')}): " + ", ".join(parts) + "."

    def changes_table(self) -> pd.DataFrame:
        return (
            changes(self.previous or [], self.findings)
            if self.previous is not None
            else changes([], [])
        )

    def severity_chart(self) -> Any:
        return charts.severity_bars(summarize(self.findings)["by_severity"])

    def by_severity_table(self) -> pd.DataFrame:
        rows = []
        for sev in SEVERITIES:
            fs = [f for f in self.findings if f.severity == sev]
            rows.append(
                {
                    "severity": sev,
                    "failing findings": sum(f.status == "fail" for f in fs),
                    "violations": sum(f.violations for f in fs if f.status == "fail"),
                    "errors": sum(f.status == "error" for f in fs),
                }
            )
        return pd.DataFrame(rows)

    def control_matrix(self) -> pd.DataFrame:
        return pd.DataFrame(matrix_rows(self.policy, self.findings))

    def findings_table(self) -> pd.DataFrame:
        """Findings that need reading: failing, in error, or skipped (passes are in findings.json)."""
        return findings_frame([f for f in self.findings if f.status != "pass"], with_clause=True)

    def passing_note(self) -> str:
        n = sum(f.status == "pass" for f in self.findings)
        return f"{n} further finding(s) passed; they are listed in `findings.json` and in each notebook's report."

    def examples_table(self) -> pd.DataFrame:
        return examples_frame(self.findings)

    def links_html(self) -> str:
        items = "".join(
            f'<li><a href="{html.escape(nb)}.html">{html.escape(NOTEBOOK_TITLES.get(nb, nb))}</a></li>'
            for nb in self.notebooks
            if nb != "summary"
        )
        return f"<ul>{items}</ul>" if items else "<p>No notebook reports in this view.</p>"
