"""Data We Collect: no full card details stored.

- ``payment.full_card_number``: per text or integer column of any dataset, values holding a
  full card number (13-19 digits, issuer prefix, Luhn), alone or inside text.
- ``payment.card_security_code``: non-empty 3-4 digit values in a ``card_security_code``
  role, or in a column whose name has a token cvv, cvv2, cvc or csc.
"""

from __future__ import annotations

import re

import great_expectations.expectations as gxe

from ..candidates import CARDS
from ..detect import (
    CARD_PREFILTER_SHORTEST,
    SECURITY_CODE_VALUE,
    is_security_code_column,
)
from ..expectations import ExpectColumnValuesToHoldNoCardNumber
from ..findings import Finding
from ..mask import mask_card
from .base import Context, no_dataset, skipped
from .scan import clean_finding, column_finding, scan

CARD = ("payment.full_card_number", "critical")
CODE = ("payment.card_security_code", "critical")
CHECKS = (CARD, CODE)


def _card_example(key: object, value: object) -> dict[str, str]:
    text = str(value).strip()
    alone = re.fullmatch(r"[0-9 -]+", text) is not None
    return {"key": str(key), "value": mask_card(text) if alone else "[free text: card_number]"}


def run(ctx: Context) -> list[Finding]:
    return _cards(ctx) + _codes(ctx)


def _cards(ctx: Context) -> list[Finding]:
    out = []
    for ds in ctx.opened.values():
        columns = ds.scan_columns(("text", "integer"))
        results = scan(
            ctx,
            ds,
            columns,
            lambda c: ExpectColumnValuesToHoldNoCardNumber(column=c),
            "payment_cards",
            prefilter=CARDS.prefilter,  # the runner's filter too
            shortest=CARD_PREFILTER_SHORTEST,
        )
        found = [r for r in results if r.outcome.unexpected_count]
        out += [
            column_finding(
                ctx,
                CARD,
                ds,
                r,
                "card_number",
                _card_example,
                f"{r.outcome.unexpected_count} value(s) of column {r.column} hold a full card number (issuer prefix and Luhn check pass)",
            )
            for r in found
        ]
        if not found:
            out.append(
                clean_finding(
                    ctx, CARD, ds, results, f"no full card number in {len(columns)} column(s)"
                )
            )
    return out


def _codes(ctx: Context) -> list[Finding]:
    out = []
    for ds in ctx.opened.values():
        role = ds.role("card_security_code")
        columns = [
            c for c in ds.columns if c == role or (c != ds.key and is_security_code_column(c))
        ]
        if not columns:
            if ds.spec.kind == "payments":
                out.append(skipped(ctx, *CODE, ds, "card_security_code"))
            continue
        results = scan(
            ctx,
            ds,
            columns,
            lambda c: gxe.ExpectColumnValuesToNotMatchRegex(column=c, regex=SECURITY_CODE_VALUE),
            "payment_codes",
        )
        out += [
            column_finding(
                ctx,
                CODE,
                ds,
                r,
                "card_security_code",
                lambda key, _value: {"key": str(key), "value": "***"},
                f"{r.outcome.unexpected_count} card security code(s) stored in column {r.column}"
                if r.outcome.unexpected_count
                else f"column {r.column} holds no card security code",
            )
            for r in results
        ]
    if not out:
        out.append(no_dataset(ctx, *CODE, "payments (or a cvv/cvc/csc column)"))
    return out
