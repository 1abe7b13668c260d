"""Data We Collect: personal data only of declared categories, only where the config knows.

- ``inventory.undeclared_category``: per column of a configured dataset, values holding
  personal data of a category the policy does not declare (a full scan; for a role-mapped
  column, its non-empty values).
- ``inventory.unmapped_personal_data``: per column, values holding personal data in a table
  or file of a source that no dataset maps; ``dataset`` is the table or the file's path.
"""

from __future__ import annotations

import great_expectations.expectations as gxe

from ..detect import CARD_PREFILTER, ROLE_CATEGORIES
from ..expectations import ExpectColumnValuesToHoldNoCategory
from ..findings import Finding
from ..inventory import ColumnEntry, Inventory, build
from ..sources import Opened
from .base import KEY, Context, no_dataset
from .scan import ColumnResult, scan

UNDECLARED = ("inventory.undeclared_category", "high")
UNMAPPED = ("inventory.unmapped_personal_data", "medium")
CHECKS = (UNDECLARED, UNMAPPED)

#: SQL pre-filters: rows that may hold a category come back; the validator judges them.
PREFILTERS = {
    "email": "@",
    "phone": "[0-9].*[0-9].*[0-9].*[0-9].*[0-9].*[0-9].*[0-9]",
    "ip_address": "[0-9a-fA-F][.:][0-9a-fA-F]",
    "card_number": CARD_PREFILTER,
    "government_id": "[0-9]",
    "api_secret": "sk_|[0-9a-fA-F]{32}|[$]",
    "date_of_birth": "[0-9]{4}-[0-9]{2}-[0-9]{2}",
    "postal_address": "[0-9]",
    "person_name": ".",  # names of every script: 王伟, 김민준, Иванов Иван
    "organisation": ".",
    "user_agent": "/[0-9]",
    "precise_location": "[0-9][.][0-9]{4}",
    "free_text": " ",
    "device_id": "[0-9a-fA-F]",
    "card_security_code": "[0-9]{3}",
}


def inventory(ctx: Context) -> Inventory:
    """The audit's inventory, built once."""
    inv: Inventory = ctx.cached("inventory", lambda: build(ctx))
    return inv


def count(ctx: Context, ds: Opened, entry: ColumnEntry) -> ColumnResult:
    """A full scan of one column for values holding its category."""
    assert entry.category is not None
    if entry.role in ROLE_CATEGORIES:  # a role decides: every non-empty value counts
        (r,) = scan(
            ctx,
            ds,
            [entry.column],
            lambda c: gxe.ExpectColumnValuesToBeNull(column=c),
            "inventory_role",
        )
        return r
    category = entry.category
    # values are read as the column was classified: in its dataset's regions, and as loosely
    # as its name allowed where the name decided (a name in a column named Name)
    regions = [str(r) for r in entry.evidence.get("regions", [])]
    by_name = entry.evidence.get("by") == "name"
    (r,) = scan(
        ctx,
        ds,
        [entry.column],
        lambda c: ExpectColumnValuesToHoldNoCategory(
            column=c, category=category, regions=regions, by_name=by_name
        ),
        f"inventory_{category}",
        prefilter=PREFILTERS.get(category, "."),
    )
    return r


def _finding(
    ctx: Context, check: tuple[str, str], ds: Opened, e: ColumnEntry, r: ColumnResult, what: str
) -> Finding:
    n = r.outcome.unexpected_count
    return ctx.finding(
        *check,
        ds.name,
        e.column,
        category=e.category,
        rows_checked=r.scanned,
        violations=n,
        examples=[{"key": str(x.get(KEY)), "value": f"[{e.category}]"} for x in r.outcome.examples],
        message=f"{n} value(s) of column {e.column} hold {e.category} ({e.fideslang}), {what}",
    )


def run(ctx: Context) -> list[Finding]:
    inv = inventory(ctx)
    declared = set(ctx.cfg.policy.declared_categories)
    out: list[Finding] = []
    for ds in ctx.opened.values():
        hits = [e for e in inv.of(ds.name) if e.category and e.category not in declared]
        found = [(e, count(ctx, ds, e)) for e in hits]
        found = [(e, r) for e, r in found if r.outcome.unexpected_count]
        out += [
            _finding(ctx, UNDECLARED, ds, e, r, "a category the policy does not declare")
            for e, r in found
        ]
        if not found:
            out.append(
                ctx.finding(
                    *UNDECLARED,
                    ds.name,
                    None,
                    rows_checked=max((e.rows for e in inv.of(ds.name)), default=0),
                    message="every personal-data column is of a declared category",
                )
            )
    if not ctx.opened:
        out.append(no_dataset(ctx, *UNDECLARED, "any"))
    for name, ds in inv.unmapped.items():
        hits = [e for e in inv.of(name) if e.category]
        for e in hits:
            r = count(ctx, ds, e)
            if r.outcome.unexpected_count:
                out.append(_finding(ctx, UNMAPPED, ds, e, r, "in a table or file no dataset maps"))
    for bad in inv.unreadable:
        out.append(
            ctx.finding(
                *UNMAPPED,
                bad.dataset,
                None,
                status="error",
                rows_unreadable=1,
                message=f"{bad.dataset} in source {bad.source}: {bad.reason}; it was not scanned",
            )
        )
    if not any(f.check == UNMAPPED[0] for f in out):
        out.append(
            ctx.finding(
                *UNMAPPED,
                None,
                None,
                message="every table and file of the sources is mapped, or holds no personal data",
            )
        )
    return out
