"""The auditor's summary: verdict, severities, the control matrix, findings, links.

>>> rows = matrix_rows(load_policy(DEFAULT_POLICY), [])
>>> rows[1]["clause"], rows[1]["status"]
('How We Use Data', 'manual attestation')
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from . import charts
from .config import DEFAULT_POLICY, Policy, load_config, load_policy  # noqa: F401
from .findings import SEVERITIES, Finding, sort_key, summarize
from .nav import notebook_of
from .tables import Table, label, use_in_notebooks


def anchor(finding_id: str) -> str:
    """The id of a finding's evidence block on the summary page.

    >>> anchor("rights.deletion_not_honoured:rights:-")
    'ev-rights-deletion_not_honoured-rights--'
    """
    return "ev-" + "".join(ch if ch.isalnum() or ch == "_" else "-" for ch in finding_id)


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


def remediation_html(findings: list[Finding]) -> str:
    """The remediation statements of failing and accepted findings, as text to copy: what
    selects the counted rows and what fixes them (never run by the audit).

    >>> remediation_html([])
    '<p>No failing finding on a database table: no statement to show.</p>'
    """
    e = html.escape
    blocks = []
    for f in findings:
        if f.status not in ("fail", "accepted") or not f.remediation:
            continue
        for x in f.remediation:
            bind = f"<p>Bind {e(x['params'])} before running either.</p>" if x.get("params") else ""
            blocks.append(
                f'<div class="audit-remediation"><h4>{e(f.check)} &middot; {e(x["dataset"])} '
                f"({e(x['dialect'])}): {int(x['rows']):,} counted</h4>"
                f"<p>{e(x['note'])}.</p>{bind}"
                f"<p>Selects what the finding counts:</p><pre>{e(x['select'])}</pre>"
                f"<p>Fixes it:</p><pre>{e(x['fix'])}</pre></div>"
            )
    if not blocks:
        return "<p>No failing finding on a database table: no statement to show.</p>"
    return (
        "<p>The audit never runs these statements. Review them, then run them on the source "
        "inside a transaction, and re-run the audit.</p>" + "".join(blocks)
    )


def forecast_frame(findings: list[Finding]) -> pd.DataFrame:
    """Per retention finding: the rows past the cutoff today and those that pass it within
    each horizon (counts only), with the horizons' cutoffs.

    >>> f = Finding.make("retention.expired_records", "R", "high", "logs", None, violations=4)
    >>> f.forecast = [{"days": 30, "cutoff": "2024-12-26", "rows": 2}]
    >>> forecast_frame([f]).to_dict("records")[0]["within 30 days"]
    2
    """
    rows = []
    for f in findings:
        if not f.forecast:
            continue
        row: dict[str, object] = {
            "check": f.check,
            "dataset": f.dataset,
            "past cutoff today": f.violations,
        }
        row.update({f"within {h['days']} days": h["rows"] for h in f.forecast})
        row["their cutoffs"] = " / ".join(h["cutoff"] for h in f.forecast)
        rows.append(row)
    return pd.DataFrame(rows)


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
    for s in ("error", "fail", "not run", "skipped", "accepted", "pass"):
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
        accepted = f.status == "accepted" and (old is None or old.status != "accepted")
        change = (
            "accepted"
            if accepted
            else "new"
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
                    "now": f.violations if accepted else now,
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
    order = {"new": 0, "worse": 1, "accepted": 2, "better": 3, "resolved": 4}
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


def _review_row(f: Finding, why: bool) -> dict[str, object]:
    """A reviewed finding as a row: counts, the entry's terms and (``why``) why it lapsed."""
    r = f.review or {}
    row: dict[str, object] = {
        "severity": f.severity,
        "status": f.status,
        "check": f.check,
        "dataset": f.dataset or "",
        "column": f.column or "",
        "violations": f.violations,
        "accepted up to": "" if r.get("max_violations") is None else r["max_violations"],
        "until": r.get("until", ""),
        "owner": r.get("owner", ""),
        "reason": r.get("reason", ""),
    }
    if why:
        row["why it lapsed"] = r.get("why", "")
    return row


@dataclass
class RunReport:
    """A run's findings as the summary notebook shows them."""

    policy: Policy
    findings: list[Finding]
    run: dict[str, Any]
    notebooks: list[str]
    previous: list[Finding] | None = None
    folder: Path | None = None

    @classmethod
    def load(
        cls, config: str | Path, as_of: str | None = None, out_dir: str | Path | None = None
    ) -> RunReport:
        """Read a run folder's findings.json; without a run folder, run the checks now."""
        use_in_notebooks()
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
            return cls(
                cfg.policy,
                found,
                data["run"],
                data["run"].get("notebooks", []),
                previous,
                Path(out_dir),
            )
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
            f"{s['by_status']['accepted']} accepted by a reviewer, "
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
        parts = [
            f"{counts[k]} {k}"
            for k in ("new", "worse", "accepted", "better", "resolved")
            if k in counts
        ]
        return f"Since the previous run ({self.run.get('previous')}): " + ", ".join(parts) + "."

    def changes_table(self) -> Table:
        frame = (
            changes(self.previous or [], self.findings)
            if self.previous is not None
            else changes([], [])
        )
        return Table(frame, "changes", sortable=True, empty="No change.")

    def severity_chart(self) -> Any:
        return charts.severity_bars(summarize(self.findings)["by_severity"])

    def by_severity_table(self) -> Table:
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
        return Table(pd.DataFrame(rows), "by-severity")

    def control_matrix(self) -> Table:
        return Table(pd.DataFrame(matrix_rows(self.policy, self.findings)), "control-matrix")

    def _to_read(self) -> list[Finding]:
        """Findings that need reading: failing, in error, or skipped (passes are in findings.json)."""
        return [f for f in self.findings if f.status != "pass"]

    def findings_table(self) -> pd.DataFrame:
        """:meth:`_to_read` as a frame, with each finding's clause."""
        return findings_frame(self._to_read(), with_clause=True)

    def findings_view(self) -> Table:
        """:meth:`findings_table` to read: sortable, filterable by severity, status, clause and
        dataset, each row linking to its evidence and its notebook's findings."""
        frame = self.findings_table()
        frame["evidence"] = [self._links(f) for f in self._to_read()]
        return Table(
            frame,
            "findings",
            sortable=True,
            raw=("evidence",),
            filters=("severity", "status", "clause", "dataset"),
            empty="No finding failed, erred or was skipped.",
        )

    def _links(self, f: Finding, examples: bool = True) -> str:
        parts = []
        if examples and f.examples and f.status == "fail":
            parts.append(f'<a href="#{anchor(f.id)}">examples</a>')
        nb = notebook_of(f.check)
        if nb in self.notebooks:
            parts.append(f'<a href="{nb}.html#Findings">notebook</a>')
        names = self._validations(f)
        parts += [
            f'<a href="validations/{html.escape(name)}" title="{html.escape(name)}">'
            f"validation{f' {i}' if len(names) > 1 else ''}</a>"
            for i, name in enumerate(names, 1)
        ]
        return " &middot; ".join(parts)

    @cached_property
    def _validation_files(self) -> list[str]:
        """The validation result files of this run folder (listed once)."""
        folder = self.folder / "validations" if self.folder else None
        if folder is None or not folder.is_dir():
            return []
        return sorted(p.name for p in folder.glob("*.json"))

    def _validations(self, f: Finding) -> list[str]:
        """The validation result files of the finding's dataset: its check area's, else all."""
        if not f.dataset:
            return []
        names = [n for n in self._validation_files if n.endswith(f"__{f.dataset}.json")]
        mine = [n for n in names if n.startswith(f.check.split(".", 1)[0])]
        return mine or names

    def evidence_html(self) -> str:
        """Every masked example of every failing finding, grouped per finding in a
        collapsible block, with links to the finding's notebook and validation results."""
        e = html.escape
        blocks = []
        for f in self.findings:
            if f.status != "fail" or not f.examples:
                continue
            examples = pd.DataFrame(
                [[str(x.get("key") or ""), str(x.get("value") or "")] for x in f.examples],
                columns=["key (masked)", "example (masked)"],
            )
            where = ".".join(p for p in (f.dataset, f.column) if p)
            blocks.append(
                f'<details class="audit-evidence" id="{anchor(f.id)}"><summary>'
                f"{label('severity', f.severity)} <b>{e(f.check)}</b> &middot; {e(where)}: "
                f"{f.violations:,} violation(s); {len(f.examples)} masked example(s)</summary>"
                f"{Table(examples).html()}<p>{self._links(f, examples=False)}</p>"
                + (remediation_html([f]) if f.remediation else "")
                + "</details>"
            )
        if not blocks:
            return "<p>No failing finding has examples.</p>"
        return "".join(blocks)

    def reviews_html(self) -> str:
        """Accepted findings (reason, owner, expiry), acceptances that lapsed and why, and
        stale entries of the reviews file."""
        scope = self.run.get("scope") or {}
        if not (scope.get("reviews") or any(f.review for f in self.findings)):
            return (
                "<p>No reviews file is configured: every failing finding counts. A reviewer "
                "accepts a finding for a while in a reviews file named by <code>reviews:</code> "
                "in the config (see README.md).</p>"
            )
        accepted = [f for f in self.findings if f.status == "accepted" and f.review]
        lapsed = [f for f in self.findings if f.review and f.review.get("state") == "lapsed"]

        def rows(fs: list[Finding], why: bool) -> pd.DataFrame:
            return pd.DataFrame([_review_row(f, why) for f in fs])

        stale = pd.DataFrame(self.run.get("stale_reviews") or [])
        return (
            "<h3>Accepted</h3><p>Left out of the verdict and the exit code until the date "
            "given, or until the violations exceed the number accepted.</p>"
            + Table(rows(accepted, False), "accepted", empty="No finding is accepted.").html()
            + "<h3>Acceptances that lapsed</h3><p>These findings fail again.</p>"
            + Table(rows(lapsed, True), "lapsed", empty="No acceptance lapsed.").html()
            + "<h3>Stale entries</h3><p>Entries of the reviews file that cover nothing in "
            "this run: remove them, or correct their id.</p>"
            + Table(stale, "stale-reviews", empty="No stale entry.").html()
        )

    def scope_html(self) -> str:
        """What the run covered and what it did not: sources, datasets, policy, config,
        version, times; manual attestations, skipped checks, datasets with errors."""
        e = html.escape
        scope = self.run.get("scope") or {}
        if not scope:
            return "<p>Scope is recorded by <code>audit run</code>; this view ran the checks directly.</p>"
        rows = self._dataset_rows
        datasets = pd.DataFrame(
            [
                {
                    "dataset": d["name"],
                    "kind": d["kind"],
                    "source": d["source"],
                    "engine": d["engine"],
                    "rows": rows.get(d["name"], ""),
                }
                for d in scope.get("datasets", [])
            ]
        )
        sources = pd.DataFrame(scope.get("sources", []))
        pol, conf = scope.get("policy", {}), scope.get("config", {})
        facts = [
            (
                "Policy",
                f"{pol.get('name', '')} (effective {pol.get('effective') or 'not stated'}), "
                f"file {pol.get('file', '')}, sha256 {pol.get('sha256', '')}",
            ),
            ("Config", f"file {conf.get('file', '')}, sha256 {conf.get('sha256', '')}"),
            (
                "Reviews",
                f"file {rev['file']}, {rev['entries']} entries, sha256 {rev['sha256']}"
                if (rev := scope.get("reviews"))
                else "no reviews file",
            ),
            ("Audit version", str(scope.get("version", ""))),
            ("Started", str(self.run.get("started_at") or "")),
            ("Checks finished", str(self.run.get("checks_finished_at") or "")),
            ("Notebooks", ", ".join(self.notebooks)),
        ]
        facts_html = "".join(
            f"<tr><th scope='row'>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in facts
        )
        missing = self._not_covered()
        not_covered = "".join(f"<li>{e(m)}</li>" for m in missing) or "<li>Nothing left out.</li>"
        return (
            f'<div class="audit-scroll"><table class="audit-table" id="scope-facts"><tbody>{facts_html}'
            "</tbody></table></div><h3>Sources</h3>"
            + Table(sources, "scope-sources").html()
            + "<h3>Datasets</h3>"
            + Table(datasets, "scope-datasets").html()
            + f"<h3>Not covered</h3><ul>{not_covered}</ul>"
        )

    @cached_property
    def _dataset_rows(self) -> dict[str, int]:
        """Rows per dataset, as the inventory of this run counted them (read once)."""
        f = self.folder / "datasets.json" if self.folder else None
        if f is None or not f.is_file():
            return {}
        return {d["dataset"]: int(d["rows"]) for d in json.loads(f.read_text())}

    def _not_covered(self) -> list[str]:
        out = [f"Manual attestation: {c.heading}" for c in self.policy.clauses if c.attestation]
        out += [
            f"Skipped: {f.check} on {f.dataset} ({f.message})"
            for f in self.findings
            if f.status == "skipped"
        ]
        errors = sorted({f.dataset or "-" for f in self.findings if f.status == "error"})
        out += [f"Dataset with errors (counts incomplete): {d}" for d in errors]
        failed = self.run.get("failures") or {}
        out += [f"Notebook did not finish: {n}" for n in failed]
        if not self._dataset_rows:
            out.append("Rows per dataset: not counted (the inventory notebook did not run)")
        return out

    def passing_note(self) -> str:
        n = sum(f.status == "pass" for f in self.findings)
        return f"{n} further finding(s) passed; they are listed in `findings.json` and in each notebook's report."

    def links_html(self) -> str:
        items = "".join(
            f'<li><a href="{html.escape(nb)}.html">{html.escape(NOTEBOOK_TITLES.get(nb, nb))}</a></li>'
            for nb in self.notebooks
            if nb != "summary"
        )
        return f"<ul>{items}</ul>" if items else "<p>No notebook reports in this view.</p>"
