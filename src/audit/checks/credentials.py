"""Security: API secrets never in plain text; compromised keys revoked in time.

- ``credentials.plaintext_secret``: in the api_keys ``secret`` column, non-empty values not in
  a one-way hash format (bcrypt, argon2, scrypt, PBKDF2, hex SHA-256/512); in every other text
  column of any dataset, values that contain a match of the policy's ``secret_patterns``.
- ``credentials.compromised_not_revoked``: keys with ``compromised_at`` not revoked within
  ``revoke_within_hours`` of it (never revoked counts once that deadline is before ``as_of``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial

import great_expectations.expectations as gxe
import pandas as pd

from .. import remediation
from .. import values as v
from ..candidates import secrets
from ..detect import HASHED
from ..findings import Finding
from ..mask import mask_secret
from ..sources import Opened
from ..sqlexpr import Dialect, quote
from ..timeutil import epoch
from .base import (
    KEY,
    Context,
    Relation,
    elapsed_finding,
    elapsed_relation,
    in_scope,
    key_expr,
    key_series,
    no_dataset,
    skipped,
)
from .scan import ColumnResult, clean_finding, column_finding, scan

PLAIN = ("credentials.plaintext_secret", "critical")
COMPROMISED = ("credentials.compromised_not_revoked", "high")
CHECKS = (PLAIN, COMPROMISED)


def secret_relation(ds: Opened, secret: str) -> Relation:
    """``_secret``: the stored secret as trimmed text, NULL when empty."""

    def pandas(df: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame({KEY: key_series(ds, df), "_secret": v.text(df[secret])})

    def sql(d: Dialect, table: str) -> str:
        return f"SELECT {key_expr(ds, d)} AS {KEY}, {d.text(quote(secret))} AS _secret FROM {table}"

    return Relation("credentials_secret", tuple(c for c in (ds.key, secret) if c), pandas, sql)


def compromised_relation(
    ds: Opened, compromised: str, revoked: str | None, as_of: float
) -> Relation:
    """Keys with a compromise time: ``_delay`` seconds from compromise to revocation (to
    ``as_of`` when never revoked); ``_bad`` where a time cannot be read."""
    return elapsed_relation("credentials_compromised", ds, compromised, revoked, as_of, "_delay")


def _secret_example(key: object, value: object) -> dict[str, str]:
    text = str(value).strip()
    return {
        "key": str(key),
        "value": mask_secret(text) if " " not in text else "[free text: api_secret]",
    }


def run(ctx: Context) -> list[Finding]:
    out: list[Finding] = []
    policy = ctx.cfg.policy.credentials
    role_columns: dict[str, str] = {}
    for ds in ctx.of_kind("api_keys"):
        secret = ds.role("secret")
        if secret is None:
            out.append(skipped(ctx, *PLAIN, ds, "secret"))
            continue
        role_columns[ds.name] = secret
        (o,) = ctx.evaluate(
            ds,
            secret_relation(ds, secret),
            [gxe.ExpectColumnValuesToMatchRegex(column="_secret", regex=HASHED)],
        )
        n = o.unexpected_count
        fix = ctx.remediation(
            ds, n, partial(remediation.unhashed_secret, column=secret, hashed=HASHED, rows=n)
        )
        out.append(
            ctx.finding(
                *PLAIN,
                ds.name,
                secret,
                category="api_secret",
                rows_checked=in_scope(o),
                violations=o.unexpected_count,
                remediation=fix,
                examples=[_secret_example(e.get(KEY), e.get("_secret")) for e in o.examples],
                message=f"{o.unexpected_count} stored secret(s) are not in a one-way hash format (bcrypt, argon2, scrypt, PBKDF2, SHA-256/512)"
                if o.unexpected_count
                else "every stored secret is hashed",
            )
        )
    flt = secrets(ctx.cfg)  # read once, for every dataset (the runner's too)
    needles = flt.needles if flt is not None else None
    for ds in ctx.opened.values():
        columns = [c for c in ds.scan_columns() if c != role_columns.get(ds.name)]
        results = scan(
            ctx,
            ds,
            columns,
            lambda c: gxe.ExpectColumnValuesToNotMatchRegexList(
                column=c, regex_list=list(policy.secret_patterns)
            ),
            "credentials_scan",
            needles=needles,
        )
        found = [r for r in results if r.outcome.unexpected_count]
        out += [
            _with_fix(
                ctx,
                ds,
                r,
                column_finding(
                    ctx,
                    PLAIN,
                    ds,
                    r,
                    "api_secret",
                    _secret_example,
                    f"{r.outcome.unexpected_count} value(s) of column {r.column} contain a live API secret",
                ),
            )
            for r in found
        ]
        if not found and ds.name not in role_columns:
            out.append(
                clean_finding(
                    ctx, PLAIN, ds, results, f"no secret pattern in {len(columns)} text column(s)"
                )
            )
    out.extend(_compromised(ctx))
    return out


def _with_fix(ctx: Context, ds: Opened, r: ColumnResult, f: Finding) -> Finding:
    """A scanned column's finding, with its remediation on a database."""
    f.remediation = ctx.remediation(
        ds,
        f.violations,
        partial(
            remediation.secret_in_text,
            column=r.column,
            patterns=ctx.cfg.policy.credentials.secret_patterns,
            rows=f.violations,
        ),
    )
    return f


def _compromised(ctx: Context) -> list[Finding]:
    keys = ctx.of_kind("api_keys")
    if not keys:
        return [no_dataset(ctx, *COMPROMISED, "api_keys")]
    policy = ctx.cfg.policy.credentials
    as_of = epoch(datetime(ctx.as_of.year, ctx.as_of.month, ctx.as_of.day, tzinfo=UTC))
    limit = policy.revoke_within_hours * 3600
    out = []
    for ds in keys:
        compromised = ds.role("compromised_at")
        if compromised is None:
            out.append(skipped(ctx, *COMPROMISED, ds, "compromised_at"))
            continue
        rel = compromised_relation(ds, compromised, ds.role("revoked_at"), as_of)
        hours = policy.revoke_within_hours
        out.append(
            elapsed_finding(
                ctx,
                COMPROMISED,
                ds,
                rel,
                "_delay",
                limit,
                3600,
                (
                    "revoked {n} h after compromise (or not yet)",
                    f"{{n}} compromised key(s) not revoked within {hours} hours",
                    f"every compromised key was revoked within {hours} hours",
                ),
                policy.interpretation,
            )
        )
    return out
