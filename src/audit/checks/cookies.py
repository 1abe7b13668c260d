"""Cookies & Tracking: consent-required cookies only under a consent in force.

``cookies.analytics_without_consent``: events, of any date, of a consent-required cookie
category with no grant of that consent type for the subject in force at the event time
(granted at or before it, not withdrawn at or before it); an event with no key has no grant.

Where events and consents live in one database the join runs there; otherwise the grants
(subject, type, times) are carried to the events' engine.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import great_expectations.expectations as gxe
import numpy as np
import pandas as pd

from .. import values as v
from ..beside import alongside
from ..findings import Finding
from ..mask import mask_key
from ..sources import Opened
from ..sqlexpr import Dialect, quote
from .base import (
    KEY,
    Context,
    Relation,
    in_scope,
    key_expr,
    key_series,
    no_dataset,
    skipped,
    split_buckets,
    unreadable_note,
)

CONSENT = ("cookies.analytics_without_consent", "medium")
MONTH = 30 * 86400
CHECKS = (CONSENT,)


def _words(items: list[str]) -> str:
    return ", ".join("'" + i.replace("'", "''") + "'" for i in items)


def grants_sql(d: Dialect, ds: Opened, table: str, required: list[str]) -> str:
    """(subject, type, granted, withdrawn) of consent grants of the required types."""
    assert ds.key is not None
    t, g, w = (ds.role(r) for r in ("consent_type", "granted_at", "withdrawn_at"))
    assert t is not None and g is not None
    # each grant time is parsed once (:meth:`audit.sqlexpr.Dialect.times_once`), and its
    # NULL (unreadable) tested outside that
    keep = {"k": d.text(quote(ds.key)), "t": d.lower_text(quote(t))} | ({} if w else {"w": "NULL"})
    times = {"g": (quote(g), "epoch"), **({"w": (quote(w), "epoch")} if w else {})}
    where = f"{d.lower_text(quote(t))} IN ({_words(required)})"
    once = d.times_once(table, keep, times, where)
    return f"SELECT k, t, g, w FROM ({once}) AS grants WHERE g IS NOT NULL"


def grants_frame(ctx: Context, ds: Opened, required: list[str]) -> pd.DataFrame:
    """The grants of one consents dataset, as a frame with epoch seconds."""
    if ds.engine != "pandas":
        assert ds.table_sql is not None
        return ctx.query(ds, grants_sql(ctx.dialect(ds), ds, ds.table_sql, required))
    assert ds.key is not None
    t, g, w = (ds.role(r) for r in ("consent_type", "granted_at", "withdrawn_at"))
    assert t is not None and g is not None
    df = ctx.frame(ds, [c for c in (ds.key, t, g, w) if c])
    out = pd.DataFrame(
        {
            "k": v.text(df[ds.key]),
            "t": v.casefold(v.text(df[t])),
            "g": v.epoch_seconds(v.timestamp(df[g]).values),
            "w": v.epoch_seconds(v.timestamp(df[w]).values) if w else np.nan,
        }
    )
    return out[out["t"].isin(required) & out["g"].notna()]


def events_relation(
    ds: Opened,
    category: str,
    time: str,
    required: list[str],
    grants: pd.DataFrame | None,
    grants_sql_text: str | None,
) -> Relation:
    """Consent-required events: ``_covered`` 1 when a grant is in force at the event, else 0."""

    def pandas(df: pd.DataFrame) -> pd.DataFrame:
        cat = v.casefold(v.text(df[category]))
        p = v.timestamp(df[time])
        ev = pd.DataFrame(
            {
                KEY: key_series(ds, df) if ds.key else pd.Series(np.nan, index=df.index),
                "_cat": cat,
                "_t": v.epoch_seconds(p.values),
                "_bad": p.unreadable.astype("int64"),
            }
        )
        ev = ev[cat.isin(required)].reset_index(drop=True)
        ev["_covered"] = 0.0
        if grants is not None and len(grants) and len(ev):
            m = ev.reset_index().merge(
                grants, left_on=[KEY, "_cat"], right_on=["k", "t"], how="inner"
            )
            ok = (m["g"] <= m["_t"]) & (m["w"].isna() | (m["w"] > m["_t"]))
            ev.loc[m.loc[ok, "index"].unique(), "_covered"] = 1.0
        ev.loc[ev["_bad"] == 1, "_covered"] = np.nan
        return ev[[KEY, "_covered", "_bad", "_t"]]

    def sql(d: Dialect, table: str) -> str:
        # Each event is read once (``e``: key, category, time, readability) and the grants
        # once (``gr``); PostgreSQL would otherwise parse the times again in every branch
        # and for every candidate grant. Three branches, not a CASE over EXISTS: in WHERE,
        # the database plans EXISTS and NOT EXISTS as (hash) semi- and anti-joins; in the
        # select list PostgreSQL runs the subquery once per event (hours at millions).
        assert grants_sql_text is not None
        k = d.text(quote(ds.key)) if ds.key else "NULL"
        c = d.lower_text(quote(category))
        # the time parsed once per event (:meth:`audit.sqlexpr.Dialect.times_once`)
        once = d.times_once(
            table,
            {KEY: key_expr(ds, d), "_k": k, "_cat": c},
            {"_t": (quote(time), "epoch")},
            where=f"{c} IN ({_words(required)})",
        )
        events = f"SELECT {KEY}, _k, _cat, _t, (_t_bad = 1) AS _b FROM ({once}) AS parsed"
        grant = (
            "EXISTS (SELECT 1 FROM gr WHERE gr.k = e._k AND gr.t = e._cat "
            "AND gr.g <= e._t AND (gr.w IS NULL OR gr.w > e._t))"
        )
        branches = (
            ("NULL", 1, "_b"),
            ("1", 0, f"NOT _b AND {grant}"),
            ("0", 0, f"NOT _b AND NOT {grant}"),
        )
        union = " UNION ALL ".join(
            f"SELECT {KEY}, {cov} AS _covered, {b} AS _bad, _t FROM e WHERE {cond}"
            for cov, b, cond in branches
        )
        # great-expectations takes only queries that start with SELECT
        with_ = f"WITH {d.cte('e', events)}, {d.cte('gr', grants_sql_text)}"
        return f"SELECT * FROM ({with_} {union}) AS events"

    return Relation(
        "cookies", tuple(c for c in (ds.key, category, time) if c), pandas, sql, joins=True
    )


def required_categories(ctx: Context) -> list[str]:
    return sorted({c.strip().casefold() for c in ctx.cfg.policy.cookies.consent_required})


def consent_datasets(ctx: Context) -> list[Opened]:
    return [
        ds
        for ds in ctx.of_kind("consents")
        if ds.key and ds.role("consent_type") and ds.role("granted_at")
    ]


def plan(ctx: Context, ds: Opened) -> tuple[Relation, pd.DataFrame | None] | None:
    """The events relation of one dataset, and (when events sit in a database or Spark and
    consents elsewhere) the candidate rows it must be computed on in pandas; None when
    unmapped. Made once per audit: the check and its chart read the same relation (from
    files, its rows are then computed once: :meth:`Context.relation_frame`)."""
    planned: tuple[Relation, pd.DataFrame | None] | None = ctx.cached(
        f"cookies-plan:{ds.name}", lambda: _plan(ctx, ds)
    )
    return planned


def _plan(ctx: Context, ds: Opened) -> tuple[Relation, pd.DataFrame | None] | None:
    category, time = ds.role("cookie_category"), ds.role("event_time")
    if category is None or time is None:
        return None
    required = required_categories(ctx)
    consents = consent_datasets(ctx)
    if (
        ds.engine != "pandas"
        and consents
        and all(c.engine == ds.engine and c.url == ds.url for c in consents)
    ):  # one database, or one Spark session: the join runs there
        d = ctx.dialect(ds)
        union = " UNION ALL ".join(grants_sql(d, c, c.table_sql or "", required) for c in consents)
        return events_relation(ds, category, time, required, None, union), None
    grants = pd.concat([grants_frame(ctx, c, required) for c in consents]) if consents else None
    rel = events_relation(ds, category, time, required, grants, None)
    frame = _events_frame(ctx, ds, rel, category, required) if ds.engine != "pandas" else None
    return rel, frame


def run(ctx: Context) -> list[Finding]:
    events = ctx.of_kind("cookie_events")
    if not events:
        return [no_dataset(ctx, *CONSENT, "cookie_events")]
    required = required_categories(ctx)
    has_consents = bool(consent_datasets(ctx))
    out = []
    for ds in events:
        planned = plan(ctx, ds)
        if planned is None:
            out.append(
                skipped(
                    ctx,
                    *CONSENT,
                    ds,
                    "cookie_category" if ds.role("cookie_category") is None else "event_time",
                )
            )
            continue
        rel, frame = planned
        exps = [
            gxe.ExpectColumnValuesToBeInSet(column="_covered", value_set=[1]),
            gxe.ExpectColumnValuesToBeInSet(column="_bad", value_set=[0]),
        ]
        if frame is not None:  # events in a database, consents elsewhere: candidate rows came back
            cov, bad = ctx.judge.frame(f"cookies__{ds.name}", rel.pandas(frame), exps, KEY)
        else:  # the chart's counts beside the expectations' (one core each on a server)
            cov, bad = alongside(
                ctx, ds, partial(ctx.evaluate, ds, rel, exps), partial(coverage, ctx, ds, rel, None)
            )
            if ds.engine == "pandas":  # from the rows just computed, while they are at hand
                coverage(ctx, ds, rel, None)
        n = cov.unexpected_count
        out.append(
            ctx.finding(
                *CONSENT,
                ds.name,
                rows_checked=in_scope(cov),
                violations=n,
                rows_unreadable=bad.unexpected_count,
                interpretation=ctx.cfg.policy.cookies.interpretation,
                examples=[
                    {
                        "key": mask_key(e.get(KEY)) if e.get(KEY) is not None else "(no key)",
                        "value": "no consent in force at the event",
                    }
                    for e in cov.examples
                ],
                message=(
                    f"{n} {'/'.join(required)} cookie event(s) without a consent in force"
                    if n
                    else f"every {'/'.join(required)} cookie event had a consent in force"
                )
                + ("" if has_consents else "; no consents dataset is configured")
                + unreadable_note(bad.unexpected_count),
            )
        )
    return out


def coverage(
    ctx: Context, ds: Opened, rel: Relation, frame: pd.DataFrame | None
) -> dict[Any, pd.Series]:
    """Consent-required events per month (30-day buckets of ``_t``), split by ``_covered``
    (1.0 with a grant in force, 0.0 without), computed once per audit: by the engine of
    the dataset, or in pandas on the candidate events ``frame`` (:func:`plan`)."""

    def count() -> dict[Any, pd.Series]:
        if frame is not None:
            return split_buckets(rel.pandas(frame), "_t", MONTH, "_covered")
        return ctx.split_bucket_counts(ds, rel, "_t", MONTH, "_covered")

    split: dict[Any, pd.Series] = ctx.cached(f"cookies-coverage:{ds.name}", count)
    return split


def _events_frame(
    ctx: Context, ds: Opened, rel: Relation, category: str, required: list[str]
) -> pd.DataFrame:
    """Consent-required events of a SQL dataset (filtered in the database), raw columns."""
    d = ctx.dialect(ds)
    cols = ", ".join(quote(c) for c in rel.columns)
    return ctx.query(
        ds,
        f"SELECT {cols} FROM {ds.table_sql} WHERE {d.lower_text(quote(category))} IN ({_words(required)})",
    )
