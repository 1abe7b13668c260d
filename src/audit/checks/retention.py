"""Data Retention: no record kept past its period; closed accounts emptied of personal data.

- ``retention.expired_records``: rows of a usage_log or api_keys dataset whose anchor time
  (the policy's ``from`` role) is before the cutoff (``as_of`` 00:00 UTC minus the period).
- ``retention.closed_account_data``: accounts closed before their cutoff that still hold a
  non-empty value in any personal-data column.
"""

from __future__ import annotations

from datetime import datetime

import great_expectations.expectations as gxe
import pandas as pd

from .. import values as v
from ..findings import Finding
from ..inventory import personal_columns
from ..sources import Opened
from ..sqlexpr import Dialect, quote
from ..timeutil import cutoff, epoch
from .base import KEY, Context, Relation, in_scope, key_expr, key_series, no_dataset, skipped

EXPIRED = ("retention.expired_records", "high")
CLOSED = ("retention.closed_account_data", "medium")
LOG_KINDS = ("usage_log", "api_keys")
CHECKS = (EXPIRED, CLOSED)


def cutoff_for(ctx: Context, kind: str) -> datetime:
    """The cutoff of a dataset kind's retention rule."""
    return cutoff(ctx.as_of, ctx.cfg.policy.retention[kind].period)


def anchor_relation(ds: Opened, anchor: str) -> Relation:
    """``_anchor`` (UTC epoch seconds of the anchor time) and ``_bad`` per row."""

    def pandas(df: pd.DataFrame) -> pd.DataFrame:
        p = v.timestamp(df[anchor])
        return pd.DataFrame(
            {
                KEY: key_series(ds, df),
                "_anchor": v.epoch_seconds(p.values),
                "_bad": p.unreadable.astype("int64"),
            }
        )

    def sql(d: Dialect, table: str) -> str:
        a = quote(anchor)
        return (
            f"SELECT {key_expr(ds, d)} AS {KEY}, {d.epoch(a)} AS _anchor, "
            f"{d.bool_int(d.time_unreadable(a))} AS _bad FROM {table}"
        )

    return Relation("retention", tuple(c for c in (ds.key, anchor) if c), pandas, sql)


def closed_relation(ds: Opened, closed: str, limit: float, personal: list[str]) -> Relation:
    """Accounts closed before ``limit`` (or with an unreadable close time): ``_pd`` counts
    their non-empty personal-data columns, NULL where the close time is unreadable."""

    def pandas(df: pd.DataFrame) -> pd.DataFrame:
        p = v.timestamp(df[closed])
        secs = v.epoch_seconds(p.values)
        scope = (secs < limit) | p.unreadable
        held = sum((~v.is_empty(df[c])).astype("int64") for c in personal) if personal else 0
        out = pd.DataFrame(
            {
                KEY: key_series(ds, df),
                "_pd": pd.Series(held, index=df.index).astype("float64"),
                "_bad": p.unreadable.astype("int64"),
                "_closed": secs,
            }
        )
        out.loc[p.unreadable, "_pd"] = float("nan")
        return out[scope].reset_index(drop=True)

    def sql(d: Dialect, table: str) -> str:
        c = quote(closed)
        held = (
            " + ".join(
                f"(CASE WHEN {d.is_empty(quote(col))} THEN 0 ELSE 1 END)" for col in personal
            )
            or "0"
        )
        bad = d.time_unreadable(c)
        return (
            f"SELECT {key_expr(ds, d)} AS {KEY}, (CASE WHEN {bad} THEN NULL ELSE {held} END) AS _pd, "
            f"{d.bool_int(bad)} AS _bad, {d.epoch(c)} AS _closed FROM {table} "
            f"WHERE {d.epoch(c)} < {limit!r} OR {bad}"
        )

    return Relation(
        "retention_closed",
        tuple(dict.fromkeys(c for c in (ds.key, closed, *personal) if c)),
        pandas,
        sql,
    )


def _month(seconds: object) -> str:
    return pd.Timestamp(float(str(seconds)), unit="s", tz="UTC").strftime("%Y-%m")


def run(ctx: Context) -> list[Finding]:
    """``retention.expired_records`` per log dataset, ``retention.closed_account_data`` per accounts."""
    out: list[Finding] = []
    retention = ctx.cfg.policy.retention
    logs = [ds for k in LOG_KINDS for ds in ctx.of_kind(k) if k in retention]
    if not logs:
        out.append(no_dataset(ctx, *EXPIRED, " or ".join(LOG_KINDS)))
    for ds in logs:
        rule = retention[ds.spec.kind]
        anchor = ds.role(rule.from_)
        if anchor is None:
            out.append(skipped(ctx, *EXPIRED, ds, rule.from_))
            continue
        limit = cutoff_for(ctx, ds.spec.kind)
        res_in, res_bad = ctx.evaluate(
            ds,
            anchor_relation(ds, anchor),
            [
                gxe.ExpectColumnValuesToBeBetween(column="_anchor", min_value=epoch(limit)),
                gxe.ExpectColumnValuesToBeInSet(column="_bad", value_set=[0]),
            ],
        )
        n = res_in.unexpected_count
        out.append(
            ctx.finding(
                *EXPIRED,
                ds.name,
                rows_checked=in_scope(res_in),
                violations=n,
                rows_unreadable=res_bad.unexpected_count,
                interpretation=rule.interpretation,
                examples=[
                    {"key": str(e.get(KEY)), "value": f"{rule.from_} in {_month(e['_anchor'])}"}
                    for e in res_in.examples
                    if e.get("_anchor") is not None
                ],
                message=(
                    f"{n} row(s) with {rule.from_} before the cutoff {limit.date()} ({rule.period})"
                    if n
                    else f"no row with {rule.from_} before {limit.date()} ({rule.period})"
                )
                + (
                    f"; {res_bad.unexpected_count} row(s) have an unreadable {rule.from_}"
                    if res_bad.unexpected_count
                    else ""
                ),
            )
        )
    accounts = ctx.of_kind("accounts")
    if not accounts or "accounts" not in retention:
        out.append(no_dataset(ctx, *CLOSED, "accounts"))
        return out
    rule = retention["accounts"]
    limit = cutoff_for(ctx, "accounts")
    for ds in accounts:
        closed = ds.role(rule.from_)
        if closed is None:
            out.append(skipped(ctx, *CLOSED, ds, rule.from_))
            continue
        personal = personal_columns(ctx, ds)
        res_pd, res_bad = ctx.evaluate(
            ds,
            closed_relation(ds, closed, epoch(limit), personal),
            [
                gxe.ExpectColumnValuesToBeInSet(column="_pd", value_set=[0]),
                gxe.ExpectColumnValuesToBeInSet(column="_bad", value_set=[0]),
            ],
        )
        n = res_pd.unexpected_count
        out.append(
            ctx.finding(
                *CLOSED,
                ds.name,
                rows_checked=in_scope(res_pd),
                violations=n,
                rows_unreadable=res_bad.unexpected_count,
                interpretation=rule.interpretation,
                examples=[
                    {
                        "key": str(e.get(KEY)),
                        "value": f"closed, still holds {int(float(str(e['_pd'])))} personal column(s)",
                    }
                    for e in res_pd.examples
                    if e.get("_pd") is not None
                ],
                message=(
                    f"{n} account(s) closed before {limit.date()} still hold personal data in "
                    f"{', '.join(personal) or '(no personal columns found)'}"
                    if n
                    else f"no account closed before {limit.date()} holds personal data"
                )
                + (
                    f"; {res_bad.unexpected_count} row(s) have an unreadable {rule.from_}"
                    if res_bad.unexpected_count
                    else ""
                ),
            )
        )
    return out
