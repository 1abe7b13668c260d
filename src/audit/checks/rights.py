"""Your Rights: requests answered in time; deletions honoured in every dataset.

- ``rights.request_overdue``: requests completed after their deadline (``received_at`` +
  ``response_days`` x 24 h), or still open with that deadline before ``as_of``.
- ``rights.deletion_not_honoured``: distinct subjects of a completed deletion request who
  still have rows in any keyed dataset (except rights_requests datasets and the kinds in
  ``deletion_exempt_kinds``). The deleted subjects' keys are carried to each dataset's engine.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd

from .. import remediation
from .. import values as v
from ..findings import Finding
from ..mask import mask_key
from ..sources import Opened
from ..sqlexpr import Dialect, quote
from ..timeutil import epoch
from . import deletion
from .base import (
    KEY,
    Context,
    Relation,
    elapsed_finding,
    elapsed_relation,
    key_expr,
    key_series,
    no_dataset,
    skipped,
)

OVERDUE = ("rights.request_overdue", "high")
DELETION = ("rights.deletion_not_honoured", "critical")
CHECKS = (OVERDUE, DELETION)


def turnaround_relation(ds: Opened, received: str, completed: str | None, as_of: float) -> Relation:
    """Requests with a receipt time: ``_turnaround`` seconds to completion (to ``as_of`` when open)."""
    return elapsed_relation("rights_turnaround", ds, received, completed, as_of, "_turnaround")


def deletion_types(ctx: Context) -> list[str]:
    """Every spelling of a deletion request: ``deletion`` and its aliases, case-folded."""
    rights = ctx.cfg.policy.rights
    return sorted(
        {"deletion"}
        | {
            a.casefold()
            for a, t in rights.request_type_aliases.items()
            if t.casefold() == "deletion"
        }
    )


def deleted_subjects_relation(ctx: Context, ds: Opened, rtype: str, completed: str) -> Relation:
    """Distinct subjects of completed deletion requests (as trimmed text)."""
    types = deletion_types(ctx)

    def pandas(df: pd.DataFrame) -> pd.DataFrame:
        t = v.casefold(v.text(df[rtype]))
        done = ~v.is_empty(df[completed])
        keys = key_series(ds, df)[t.isin(types) & done].dropna().unique()
        return pd.DataFrame({KEY: pd.Series(keys, dtype="str")})

    def sql(d: Dialect, table: str) -> str:
        words = ", ".join("'" + t.replace("'", "''") + "'" for t in types)
        return (
            f"SELECT DISTINCT {key_expr(ds, d)} AS {KEY} FROM {table} "
            f"WHERE {d.lower_text(quote(rtype))} IN ({words}) AND NOT {d.is_empty(quote(completed))} "
            f"AND {key_expr(ds, d)} IS NOT NULL"
        )

    return Relation(
        "rights_deleted", tuple(c for c in (ds.key, rtype, completed) if c), pandas, sql
    )


def run(ctx: Context) -> list[Finding]:
    requests = ctx.of_kind("rights_requests")
    if not requests:
        return [no_dataset(ctx, *c, "rights_requests") for c in CHECKS]
    out: list[Finding] = []
    rights = ctx.cfg.policy.rights
    as_of = epoch(datetime(ctx.as_of.year, ctx.as_of.month, ctx.as_of.day, tzinfo=UTC))
    for ds in requests:
        received = ds.role("received_at")
        if received is None:
            out.append(skipped(ctx, *OVERDUE, ds, "received_at"))
        else:
            rel = turnaround_relation(ds, received, ds.role("completed_at"), as_of)
            days = rights.response_days
            out.append(
                elapsed_finding(
                    ctx,
                    OVERDUE,
                    ds,
                    rel,
                    "_turnaround",
                    days * 86400,
                    86400,
                    (
                        "answered after {n} days (or still open)",
                        f"{{n}} request(s) answered after {days} days or still open past it",
                        f"every request answered within {days} days",
                    ),
                    rights.interpretation,
                )
            )
        out.append(deletion_finding(ctx, ds))
    return out


def deletion_finding(ctx: Context, ds: Opened) -> Finding:
    """The finding of `rights.deletion_not_honoured` for one rights_requests dataset."""
    rtype, completed = ds.role("request_type"), ds.role("completed_at")
    if ds.key is None or rtype is None or completed is None:
        missing = "key" if ds.key is None else "request_type" if rtype is None else "completed_at"
        return skipped(ctx, *DELETION, ds, missing)
    exempt = set(ctx.cfg.policy.rights.deletion_exempt_kinds) | {"rights_requests"}
    searched = [o for o in ctx.opened.values() if o.key is not None and o.spec.kind not in exempt]
    rel = deleted_subjects_relation(ctx, ds, rtype, completed)
    subjects_sql = None if ds.engine == "pandas" else ctx.relation_sql(ds, rel)
    if subjects_sql is not None and deletion.colocated(ds, searched):
        judged = deletion.judge_in_place(ctx, ds, subjects_sql, searched)
    else:
        subjects = (
            ctx.relation_frame(ds, rel)
            if subjects_sql is None
            else ctx.query(ds, subjects_sql, settings=ctx.dialect(ds).grouping_settings())
        )[KEY]
        judged = deletion.judge_carried(ctx, ds, subjects.dropna(), subjects_sql, searched)
    n = judged.remaining.unexpected_count
    where = [f"{o.name} ({c:,})" for o, c in zip(searched, judged.per_dataset, strict=True) if c]
    fixes = [
        _deletion_fix(ctx, ds, o, subjects_sql, c)
        for o, c in zip(searched, judged.per_dataset, strict=True)
        if c and o.engine == "sql"
    ]
    return ctx.finding(
        *DELETION,
        ds.name,
        rows_checked=judged.subjects,
        violations=n,
        remediation=fixes or None,
        examples=[
            {
                "key": mask_key(e.get(KEY)),
                "value": "rows remain in "
                + ", ".join(searched[int(i)].name for i in str(e.get(deletion.WHERE)).split(",")),
            }
            for e in judged.remaining.examples
            if e.get(deletion.WHERE)
        ],
        message=f"{n} subject(s) with a completed deletion request still have rows in {', '.join(where)}"
        if n
        else f"all {judged.subjects} deleted subject(s) are gone from every keyed dataset",
    )


def _deletion_fix(
    ctx: Context, requests: Opened, o: Opened, subjects_sql: str | None, held: int
) -> dict[str, Any]:
    """The statements for one database table where deleted subjects still have rows: the
    subjects come from the requests' own query where they share the database, else from one
    bound parameter."""
    d = ctx.dialect(o)
    here = subjects_sql is not None and requests.engine == "sql" and requests.url == o.url
    subjects = subjects_sql if here and subjects_sql else d.bound_keys(deletion.PARAM)
    return remediation.remaining_subjects(
        d, o.name, o.table_sql or "", key_expr(o, d), subjects, requests.name, held, not here
    ).to_json()
