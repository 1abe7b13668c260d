"""Sharing & Disclosure: only approved recipients; no sale of personal data.

- ``sharing.unapproved_recipient``: disclosures to a recipient not in ``approved_recipients``.
- ``sharing.sale``: disclosures whose purpose is in ``prohibited_purposes``.

Recipients and purposes are compared trimmed and case-folded; empty values are not counted.
"""

from __future__ import annotations

import great_expectations.expectations as gxe
import pandas as pd
from great_expectations.expectations import Expectation

from .. import values as v
from ..findings import Finding
from ..sources import Opened
from ..sqlexpr import Dialect, quote
from .base import KEY, Context, Relation, in_scope, key_expr, key_series, no_dataset, skipped

RECIPIENT = ("sharing.unapproved_recipient", "high")
SALE = ("sharing.sale", "critical")
CHECKS = (RECIPIENT, SALE)


def folded_relation(ds: Opened, role_columns: dict[str, str]) -> Relation:
    """One case-folded text column ``_<role>`` per mapped role."""

    def pandas(df: pd.DataFrame) -> pd.DataFrame:
        out = pd.DataFrame({KEY: key_series(ds, df)})
        for role, col in role_columns.items():
            out[f"_{role}"] = v.casefold(v.text(df[col]))
        return out

    def sql(d: Dialect, table: str) -> str:
        cols = ", ".join(f"{d.lower_text(quote(c))} AS _{r}" for r, c in role_columns.items())
        return f"SELECT {key_expr(ds, d)} AS {KEY}, {cols} FROM {table}"

    return Relation("sharing", tuple(c for c in (ds.key, *role_columns.values()) if c), pandas, sql)


def run(ctx: Context) -> list[Finding]:
    disclosures = ctx.of_kind("disclosures")
    if not disclosures:
        return [no_dataset(ctx, *c, "disclosures") for c in CHECKS]
    policy = ctx.cfg.policy.sharing
    approved = sorted({r.strip().casefold() for r in policy.approved_recipients})
    prohibited = sorted({p.strip().casefold() for p in policy.prohibited_purposes})
    out: list[Finding] = []
    for ds in disclosures:
        roles = {r: c for r in ("recipient", "purpose") if (c := ds.role(r))}
        exps: list[Expectation] = []
        if "recipient" in roles:
            exps.append(gxe.ExpectColumnValuesToBeInSet(column="_recipient", value_set=approved))
        if "purpose" in roles:
            exps.append(gxe.ExpectColumnValuesToNotBeInSet(column="_purpose", value_set=prohibited))
        results = (
            dict(zip(roles, ctx.evaluate(ds, folded_relation(ds, roles), exps), strict=True))
            if exps
            else {}
        )
        for role, check, what in (
            ("recipient", RECIPIENT, "to a recipient not approved by the policy"),
            ("purpose", SALE, "for a prohibited purpose (sale of personal data)"),
        ):
            o = results.get(role)
            if o is None:
                out.append(skipped(ctx, *check, ds, role))
                continue
            n = o.unexpected_count
            out.append(
                ctx.finding(
                    *check,
                    ds.name,
                    rows_checked=in_scope(o),
                    violations=n,
                    examples=[
                        {"key": str(e.get(KEY)), "value": f"{role}: {e.get('_' + role)}"}
                        for e in o.examples
                    ],
                    message=f"{n} disclosure(s) {what}" if n else f"no disclosure {what}",
                )
            )
    return out
