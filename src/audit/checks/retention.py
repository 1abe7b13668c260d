"""Data Retention: no record kept past its period; closed accounts emptied of personal data.

- ``retention.expired_records``: rows of a usage_log or api_keys dataset whose anchor time
  (the policy's ``from`` role) is before the cutoff (``as_of`` 00:00 UTC minus the period).
- ``retention.closed_account_data``: accounts closed before their cutoff that still hold a
  non-empty value in any personal-data column.

Each finding carries a ``forecast``: the rows that will pass their cutoff within the next
30, 60 and 90 days (the accounts that will, holding personal data), counted by the same
expectations on the dataset's engine; and on a database, ``remediation``: the statements
that select and fix the violating rows (:mod:`audit.remediation`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any

import great_expectations.expectations as gxe
import pandas as pd

from .. import remediation
from .. import values as v
from ..findings import Finding
from ..inventory import personal_columns
from ..judge import Outcome
from ..sources import Opened
from ..sqlexpr import Dialect, quote
from ..timeutil import cutoff, epoch, future_cutoffs
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
        once = d.times_once(table, {KEY: key_expr(ds, d)}, {"_anchor": (quote(anchor), "epoch")})
        return f"SELECT {KEY}, _anchor, _anchor_bad AS _bad FROM ({once}) AS anchored"

    return Relation("retention", tuple(c for c in (ds.key, anchor) if c), pandas, sql)


def closed_relation(
    ds: Opened, closed: str, limit: float, personal: list[str], ahead: Sequence[float] = ()
) -> Relation:
    """Accounts closed before the latest of ``limit`` and ``ahead`` (or with an unreadable
    close time). ``_pd`` counts the non-empty personal-data columns of accounts closed
    before ``limit``; ``_pd1``, ``_pd2``, ... those of accounts closed before each limit of
    ``ahead`` (the forecast's horizons). Each is NULL for the other rows, and where the
    close time is unreadable."""
    limits = (limit, *ahead)
    names = ["_pd", *(f"_pd{i}" for i in range(1, len(limits)))]
    last = max(limits)

    def pandas(df: pd.DataFrame) -> pd.DataFrame:
        p = v.timestamp(df[closed])
        secs = v.epoch_seconds(p.values)
        scope = (secs < last) | p.unreadable
        held = sum((~v.is_empty(df[c])).astype("int64") for c in personal) if personal else 0
        held_s = pd.Series(held, index=df.index).astype("float64")
        cols: dict[str, pd.Series] = {KEY: key_series(ds, df)}
        for name, lim in zip(names, limits, strict=True):
            cols[name] = held_s.where((secs < lim) & ~p.unreadable)
        cols["_bad"] = p.unreadable.astype("int64")
        cols["_closed"] = secs
        return pd.DataFrame(cols)[scope].reset_index(drop=True)

    def sql(d: Dialect, table: str) -> str:
        c = quote(closed)
        held = (
            " + ".join(
                f"(CASE WHEN {d.is_empty(quote(col))} THEN 0 ELSE 1 END)" for col in personal
            )
            or "0"
        )
        # the close time parsed once per row (not once per limit)
        once = d.times_once(table, {KEY: key_expr(ds, d), "_held": held}, {"_closed": (c, "epoch")})
        cols = ", ".join(
            f"(CASE WHEN _closed_bad = 1 OR NOT _closed < {lim!r} THEN NULL ELSE _held END) AS {name}"
            for name, lim in zip(names, limits, strict=True)
        )
        return (
            f"SELECT {KEY}, {cols}, _closed_bad AS _bad, _closed FROM ({once}) AS closed "
            f"WHERE _closed < {last!r} OR _closed_bad = 1"
        )

    return Relation(
        "retention_closed",
        tuple(dict.fromkeys(c for c in (ds.key, closed, *personal) if c)),
        pandas,
        sql,
    )


def forecast(
    horizons: Sequence[tuple[int, datetime]], now: int, ahead: Sequence[Outcome]
) -> list[dict[str, Any]]:
    """The forecast of a rule: per horizon, the rows past the horizon's cutoff less those
    past today's (``now``): the rows that pass their cutoff within that many days.

    >>> from datetime import UTC
    >>> from audit.judge import Outcome
    >>> h = [(30, datetime(2025, 1, 1, tzinfo=UTC))]
    >>> forecast(h, 5, [Outcome("between", "_anchor", False, 10, 8, 0)])
    [{'days': 30, 'cutoff': '2025-01-01', 'rows': 3}]
    """
    return [
        {"days": days, "cutoff": c.date().isoformat(), "rows": o.unexpected_count - now}
        for (days, c), o in zip(horizons, ahead, strict=True)
    ]


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
        horizons = future_cutoffs(ctx.as_of, rule.period)
        res_in, res_bad, *ahead = ctx.evaluate(
            ds,
            anchor_relation(ds, anchor),
            [
                gxe.ExpectColumnValuesToBeBetween(column="_anchor", min_value=epoch(limit)),
                gxe.ExpectColumnValuesToBeInSet(column="_bad", value_set=[0]),
                *(
                    gxe.ExpectColumnValuesToBeBetween(column="_anchor", min_value=epoch(c))
                    for _, c in horizons
                ),
            ],
            examples=[0, 1],
        )
        n = res_in.unexpected_count
        fix = ctx.remediation(
            ds,
            n,
            partial(
                remediation.expired,
                anchor=anchor,
                limit=epoch(limit),
                cutoff=limit.date().isoformat(),
                rows=n,
            ),
        )
        out.append(
            ctx.finding(
                *EXPIRED,
                ds.name,
                rows_checked=in_scope(res_in),
                violations=n,
                rows_unreadable=res_bad.unexpected_count,
                interpretation=rule.interpretation,
                forecast=forecast(horizons, n, ahead),
                remediation=fix,
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
        horizons = future_cutoffs(ctx.as_of, rule.period)
        rel = closed_relation(ds, closed, epoch(limit), personal, [epoch(c) for _, c in horizons])
        res_pd, res_bad, *ahead = ctx.evaluate(
            ds,
            rel,
            [
                gxe.ExpectColumnValuesToBeInSet(column="_pd", value_set=[0]),
                gxe.ExpectColumnValuesToBeInSet(column="_bad", value_set=[0]),
                *(
                    gxe.ExpectColumnValuesToBeInSet(column=f"_pd{i}", value_set=[0])
                    for i in range(1, len(horizons) + 1)
                ),
            ],
            examples=[0, 1],
        )
        n = res_pd.unexpected_count
        fix = ctx.remediation(
            ds,
            n,
            partial(
                remediation.closed_accounts,
                closed=closed,
                personal=personal,
                limit=epoch(limit),
                cutoff=limit.date().isoformat(),
                rows=n,
            ),
        )
        out.append(
            ctx.finding(
                *CLOSED,
                ds.name,
                rows_checked=in_scope(res_pd),
                violations=n,
                rows_unreadable=res_bad.unexpected_count,
                interpretation=rule.interpretation,
                forecast=forecast(horizons, n, ahead),
                remediation=fix,
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
