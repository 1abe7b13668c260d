"""``findings.ocsf.json``: every finding of a run as an OCSF Compliance Finding (class 2003).

Built with ``py-ocsf-models`` (the OCSF models Prowler uses), so a SIEM or a security data
lake can take the audit's results without a parser of its own. The events carry what
``findings.json`` carries, masked the same way: counts, messages, masked examples, the
review and the remediation statements; never a raw value.

- ``compliance.status_id``: pass -> Pass, fail and accepted -> Fail, error and skipped ->
  Warning (no result: data missing or a role not mapped);
- the event's ``status_id``: accepted -> Suppressed (a reviewer accepted it), else New;
- ``severity_id``: critical 5, high 4, medium 3, low 2, info 1.

>>> doc = {"run": {"id": "r1", "finished_at": "2026-11-26T18:00:00+00:00",
...        "policy_version": "p (abc)"}, "findings": [Finding.make(
...        "sharing.sale", "Sharing", "critical", "disclosures", None, violations=2).to_json()]}
>>> e = events(doc)[0]
>>> e["class_uid"], e["type_uid"], e["severity_id"], e["compliance"]["status_id"]
(2003, 200301, 5, 3)
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from . import __version__
from .findings import Finding

NAME = "findings.ocsf.json"
_SEVERITY = {"critical": 5, "high": 4, "medium": 3, "low": 2, "info": 1}
#: compliance status ids: Pass 1, Warning 2, Fail 3
_COMPLIANCE = {"pass": 1, "fail": 3, "accepted": 3, "error": 2, "skipped": 2}


def _millis(iso: str | None) -> int:
    return int(datetime.fromisoformat(iso).timestamp() * 1000) if iso else 0


def _event(f: Finding, run: dict[str, Any], time: int) -> Any:
    from py_ocsf_models.events.findings.activity_id import ActivityID
    from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
    from py_ocsf_models.events.findings.compliance_finding_type_id import (
        ComplianceFindingTypeID,
    )
    from py_ocsf_models.events.findings.severity_id import SeverityID
    from py_ocsf_models.events.findings.status_id import StatusID
    from py_ocsf_models.objects.check import Check
    from py_ocsf_models.objects.compliance import Compliance
    from py_ocsf_models.objects.compliance_status import StatusID as ComplianceStatusID
    from py_ocsf_models.objects.evidence_artifacts import EvidenceArtifacts
    from py_ocsf_models.objects.finding_info import FindingInformation
    from py_ocsf_models.objects.metadata import Metadata
    from py_ocsf_models.objects.product import Product
    from py_ocsf_models.objects.remediation import Remediation
    from py_ocsf_models.objects.resource_details import ResourceDetails

    where = ".".join(p for p in (f.dataset, f.column) if p) or "(no dataset)"
    compliance_status = ComplianceStatusID(_COMPLIANCE.get(f.status, 0))
    fixes = f.remediation or []
    return ComplianceFinding(
        activity_id=ActivityID.Create,
        activity_name="Create",
        type_uid=ComplianceFindingTypeID.Create,
        type_name="Compliance Finding: Create",
        time=time,
        severity_id=SeverityID(_SEVERITY.get(f.severity, 0)),
        severity=f.severity.capitalize(),
        status_id=StatusID.Suppressed if f.status == "accepted" else StatusID.New,
        status=f.status,
        status_code=f.status.upper(),
        message=f.message,
        metadata=Metadata(
            uid=f"{run.get('id')}:{f.id}",
            event_code=f.check,
            product=Product(
                name="privacy audit notebooks", vendor_name="SPECTRA", version=__version__
            ),
            labels=[f"run:{run.get('id')}"],
        ),
        finding_info=FindingInformation(
            uid=f.id,
            title=f"{f.check} on {where}",
            desc=f.message,
            types=[f.clause],
            created_time=time,
        ),
        compliance=Compliance(
            standards=[str(run.get("policy_version") or "privacy policy")],
            control=f.clause,
            requirements=[f.check],
            status_id=compliance_status,
            checks=[
                Check(
                    uid=f.check,
                    name=f.check,
                    severity=f.severity,
                    status=f.status,
                    status_id=compliance_status,
                )
            ],
        ),
        resources=[
            ResourceDetails(
                uid=f.id,
                name=where,
                type="dataset column" if f.column else "dataset",
                data={
                    "rows_checked": f.rows_checked,
                    "violations": f.violations,
                    "rows_unreadable": f.rows_unreadable,
                    "category": f.category,
                },
            )
        ],
        evidences=[EvidenceArtifacts(name="masked example", data=dict(e)) for e in f.examples]
        or None,
        remediation=Remediation(
            desc="\n\n".join(
                f"{x['note']}.\nSelect:\n{x['select']}\nFix:\n{x['fix']}"
                + (f"\nBind {x['params']}" if x.get("params") else "")
                for x in fixes
            )
        )
        if fixes
        else None,
        unmapped={
            "interpretation": f.interpretation,
            "forecast": f.forecast,
            "review": f.review,
        },
    )


def events(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The OCSF events of a ``findings.json`` document, as JSON values."""
    run = doc["run"]
    time = _millis(run.get("finished_at") or run.get("checks_finished_at"))
    return [
        _event(Finding.from_json(f), run, time).model_dump(mode="json", exclude_none=True)
        for f in doc["findings"]
    ]


def write(folder: Path, doc: dict[str, Any]) -> Path:
    """Write ``findings.ocsf.json`` (a JSON array of events) beside ``findings.json``."""
    path = folder / NAME
    path.write_text(json.dumps(events(doc), indent=1))
    return path
