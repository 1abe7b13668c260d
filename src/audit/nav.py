"""The header on every page of a run: run id, audit date and policy version, and links to
the summary, each notebook, the history, ``findings.json`` and the validation results.

>>> h = header({"id": "r1", "as_of": "2026-11-26", "policy": "p"}, ["minors"], "minors")
>>> 'href="index.html"' in h and 'class="here"' in h and "../index.html" in h
True
"""

from __future__ import annotations

import html
from typing import Any

#: written on the summary page, and replaced by the evidence hash when the run is sealed
SEAL = "(written when the run folder is sealed: see manifest.sha256)"

#: the run's notebooks, in run order: a page each, after the summary (``index``)
NOTEBOOKS = ("inventory", "minors", "retention", "credentials_payment", "rights_sharing_cookies")

TITLES = {
    "index": "Summary",
    "inventory": "Inventory",
    "minors": "Children",
    "retention": "Retention",
    "credentials_payment": "Credentials and payment",
    "rights_sharing_cookies": "Rights, sharing and cookies",
}


#: check area (the id's prefix) -> the notebook that shows its findings (as the registry in
#: :mod:`audit.checks` says; a test keeps them in step without importing the checks here)
AREA_NOTEBOOK = {
    "inventory": "inventory",
    "minors": "minors",
    "retention": "retention",
    "credentials": "credentials_payment",
    "payment": "credentials_payment",
    "rights": "rights_sharing_cookies",
    "sharing": "rights_sharing_cookies",
    "cookies": "rights_sharing_cookies",
}


def notebook_of(check: str) -> str:
    """The notebook whose report shows a check's findings.

    >>> notebook_of("payment.full_card_number")
    'credentials_payment'
    """
    return AREA_NOTEBOOK.get(check.split(".", 1)[0], "")


def header(run: dict[str, Any], notebooks: list[str], here: str) -> str:
    """The navigation of page ``here`` (``index`` for the summary)."""
    e = html.escape
    links = [("index.html", TITLES["index"], here == "index")]
    links += [(f"{n}.html", TITLES.get(n, n), n == here) for n in notebooks]
    links += [
        ("../index.html", "History", False),
        ("findings.json", "findings.json", False),
        ("validations/", "Validation results", False),
    ]
    current = ' class="here" aria-current="page"'
    items = "".join(
        f'<a href="{e(href)}"{current if cur else ""}>{e(text)}</a>' for href, text, cur in links
    )
    policy = run.get("policy_version") or run.get("policy") or ""
    seal = (
        f' &middot; evidence hash <span class="audit-seal" id="evidence-hash">{e(SEAL)}</span>'
        if here == "index"
        else ""
    )
    return (
        '<nav class="audit-nav" aria-label="Audit report">'
        f'<div class="run">Run <b>{e(str(run.get("id", "")))}</b> &middot; audit date '
        f"<b>{e(str(run.get('as_of', '')))}</b> &middot; policy <b>{e(str(policy))}</b>{seal}</div>"
        f'<div class="links">{items}</div></nav>'
    )
