"""Children: no accounts under ``minimum_age``; minor flags that match the age; ages known.

One relation per accounts dataset carries the derived ages; three checks read it:

- ``minors.under_minimum_age``: age at ``created_at`` (at ``as_of`` where it is empty or not
  mapped; with only ``age`` mapped, age at ``as_of``) must be at least ``minimum_age``.
- ``minors.flag_mismatch``: the minor flag must equal (age at ``as_of`` < ``minor_age``);
  date of birth wins over ``age``.
- ``minors.age_unknown``: an account must have a date of birth or an age.
"""

from __future__ import annotations

import great_expectations.expectations as gxe
import numpy as np
import pandas as pd

from .. import values as v
from ..findings import Finding
from ..sources import Opened
from ..sqlexpr import Dialect, quote
from .base import KEY, Context, Relation, in_scope, key_expr, key_series, no_dataset, skipped

UNDER = ("minors.under_minimum_age", "critical")
FLAG = ("minors.flag_mismatch", "medium")
UNKNOWN = ("minors.age_unknown", "low")
CHECKS = (UNDER, FLAG, UNKNOWN)


def relation(ctx: Context, ds: Opened) -> Relation:
    """``_age_signup``, ``_age_now``, ``_flag``, ``_minor_expected``, ``_known``, ``_bad_age``,
    ``_bad_flag`` for each account. Made once per audit: the check and the age charts read
    the same relation (from files, its rows are then computed once:
    :meth:`Context.relation_frame`)."""
    made: Relation = ctx.cached(f"minors-relation:{ds.name}", lambda: _relation(ctx, ds))
    return made


def _relation(ctx: Context, ds: Opened) -> Relation:
    dob, age, created, flag = (
        ds.role(r) for r in ("date_of_birth", "age", "created_at", "minor_flag")
    )
    as_of = float(ctx.as_of_ymd)
    minor_age = ctx.cfg.policy.minor_age.value

    def pandas(df: pd.DataFrame) -> pd.DataFrame:
        n = len(df)
        nan = pd.Series(np.nan, index=df.index)
        false = pd.Series(False, index=df.index)
        dob_p = (
            v.timestamp(df[dob])
            if dob
            else v.Parsed(pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns, UTC]"), false)
        )
        age_p = v.number(df[age]) if age else v.Parsed(nan, false)
        cr_p = (
            v.timestamp(df[created])
            if created
            else v.Parsed(pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns, UTC]"), false)
        )
        dob_ymd = v.ymd(dob_p.values)
        at_signup = v.ymd(cr_p.values).fillna(as_of).where(~cr_p.unreadable)
        age_signup = ((at_signup - dob_ymd) // 10000).where(dob_ymd.notna(), age_p.values)
        age_now = ((as_of - dob_ymd) // 10000).where(dob_ymd.notna(), age_p.values)
        flag_p = v.flag_parsed(df[flag]) if flag else v.Parsed(nan, false)
        known = (~v.is_empty(df[dob]) if dob else false) | (~v.is_empty(df[age]) if age else false)
        return pd.DataFrame(
            {
                KEY: key_series(ds, df),
                "_age_signup": age_signup.where(~cr_p.unreadable),
                "_age_now": age_now,
                "_flag": flag_p.values,
                "_minor_expected": (age_now < minor_age).astype("float64").where(age_now.notna()),
                "_known": known.astype("float64").where(known),
                "_bad_age": (dob_p.unreadable | age_p.unreadable | cr_p.unreadable).astype("int64"),
                "_bad_flag": flag_p.unreadable.astype("int64"),
            },
            index=pd.RangeIndex(n),
        )

    def sql(d: Dialect, table: str) -> str:
        # every column is parsed once, in a fenced inner query (the dates by
        # :meth:`audit.sqlexpr.Dialect.times_once`, which tells an unreadable date without a
        # second parse); the ages are arithmetic on the parsed values (PostgreSQL would
        # otherwise parse a date again at every use)
        keep = {
            KEY: key_expr(ds, d),
            "_agev": d.number(quote(age)) if age else "CAST(NULL AS FLOAT)",
            "_ageb": d.number_unreadable(quote(age)) if age else "FALSE",
            "_kn": " OR ".join(f"NOT {d.is_empty(quote(c))}" for c in (dob, age) if c) or "FALSE",
            "_flag": d.flag(quote(flag)) if flag else "CAST(NULL AS INTEGER)",
            "_flagb": d.flag_unreadable(quote(flag)) if flag else "FALSE",
        }
        # typed NULLs: an untyped one leaves a subquery as text, and arithmetic fails
        for name, col in (("_dob", dob), ("_crd", created)):
            if not col:
                keep |= {name: "CAST(NULL AS INTEGER)", f"{name}_bad": "0"}
        times = {
            name: (quote(col), "ymd") for name, col in (("_dob", dob), ("_crd", created)) if col
        }
        once = d.times_once(table, keep, times)
        crb, dobb = "(_crd_bad = 1)", "(_dob_bad = 1)"
        cr = f"COALESCE(_crd, {int(as_of)})"
        age_now = (
            f"(CASE WHEN _dob IS NOT NULL THEN {d.int_div(f'{int(as_of)} - _dob', 10000)} "
            "ELSE _agev END)"
        )
        age_signup = (
            f"(CASE WHEN {crb} THEN NULL WHEN _dob IS NOT NULL "
            f"THEN {d.int_div(f'{cr} - _dob', 10000)} ELSE _agev END)"
        )
        return (
            f"SELECT {KEY}, {age_signup} AS _age_signup, {age_now} AS _age_now, _flag, "
            f"(CASE WHEN {age_now} IS NULL THEN NULL WHEN {age_now} < {minor_age} THEN 1 ELSE 0 END) AS _minor_expected, "
            f"(CASE WHEN _kn THEN 1 END) AS _known, {d.bool_int(f'{dobb} OR _ageb OR {crb}')} AS _bad_age, "
            f"{d.bool_int('_flagb')} AS _bad_flag FROM ({once}) AS parsed"
        )

    cols = tuple(c for c in (ds.key, dob, age, created, flag) if c)
    return Relation("minors", cols, pandas, sql)


def _age_examples(
    examples: list[dict[str, object]], column: str, label: str
) -> list[dict[str, str]]:
    return [
        {"key": str(e.get(KEY)), "value": f"{label} {int(float(str(e[column])))}"}
        for e in examples
        if e.get(column) is not None
    ]


def _flag_examples(examples: list[dict[str, object]]) -> list[dict[str, str]]:
    out = []
    for e in examples:
        flag = "set" if e.get("_flag") == 1 else "not set"
        minor = "a minor" if e.get("_minor_expected") == 1 else "an adult"
        out.append({"key": str(e.get(KEY)), "value": f"flag {flag}, age says {minor}"})
    return out


def run(ctx: Context) -> list[Finding]:
    """The three minors findings for every accounts dataset."""
    accounts = ctx.of_kind("accounts")
    if not accounts:
        return [no_dataset(ctx, c, s, "accounts") for c, s in CHECKS]
    out: list[Finding] = []
    policy = ctx.cfg.policy
    for ds in accounts:
        has_age = bool(ds.role("date_of_birth") or ds.role("age"))
        exps = [
            gxe.ExpectColumnValuesToBeBetween(
                column="_age_signup", min_value=policy.minimum_age.value
            ),
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="_flag",
                column_B="_minor_expected",
                ignore_row_if="either_value_is_missing",
            ),
            gxe.ExpectColumnValuesToNotBeNull(column="_known"),
            gxe.ExpectColumnValuesToBeInSet(column="_bad_age", value_set=[0]),
            gxe.ExpectColumnValuesToBeInSet(column="_bad_flag", value_set=[0]),
        ]
        if not has_age:
            exps = exps[2:3]
        res = ctx.evaluate(ds, relation(ctx, ds), exps)
        if not has_age:
            out.append(skipped(ctx, *UNDER, ds, "date_of_birth or age"))
            out.append(skipped(ctx, *FLAG, ds, "date_of_birth or age"))
            u = res[0]
            out.append(
                ctx.finding(
                    *UNKNOWN,
                    ds.name,
                    rows_checked=u.element_count,
                    violations=u.unexpected_count,
                    message="no date of birth or age is mapped",
                )
            )
            continue
        under, pair, unknown, bad_age, bad_flag = res
        unread = bad_age.unexpected_count
        out.append(
            ctx.finding(
                *UNDER,
                ds.name,
                rows_checked=in_scope(under),
                violations=under.unexpected_count,
                rows_unreadable=unread,
                category="date_of_birth" if ds.role("date_of_birth") else None,
                examples=_age_examples(under.examples, "_age_signup", "age at sign-up"),
                message=_msg(
                    under.unexpected_count,
                    f"account(s) were under {policy.minimum_age.value} at sign-up",
                    unread,
                ),
            )
        )
        if ds.role("minor_flag"):
            unread_f = unread + bad_flag.unexpected_count
            checked = in_scope(pair)
            out.append(
                ctx.finding(
                    *FLAG,
                    ds.name,
                    rows_checked=checked,
                    violations=pair.unexpected_count,
                    rows_unreadable=unread_f,
                    interpretation=policy.minor_age.interpretation,
                    examples=_flag_examples(pair.examples),
                    message=_msg(
                        pair.unexpected_count,
                        f"account(s) have a minor flag that disagrees with age < {policy.minor_age.value}",
                        unread_f,
                    ),
                )
            )
        else:
            out.append(skipped(ctx, *FLAG, ds, "minor_flag"))
        out.append(
            ctx.finding(
                *UNKNOWN,
                ds.name,
                rows_checked=unknown.element_count,
                violations=unknown.unexpected_count,
                examples=[
                    {"key": str(e.get(KEY)), "value": "no date of birth or age"}
                    for e in unknown.examples
                ],
                message=_msg(
                    unknown.unexpected_count, "account(s) have neither date of birth nor age", 0
                ),
            )
        )
    return out


def _msg(n: int, what: str, unreadable: int) -> str:
    text = f"{n} {what}" if n else "no violations"
    if unreadable:
        text += f"; {unreadable} row(s) hold values that could not be read (fix them and re-run)"
    return text
