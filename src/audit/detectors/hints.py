"""The personal-data category a column's name suggests, in many languages.

The table is data (``audit/data/name_hints.yml``): per category, whole words, parts of
compound words, and substrings for scripts written without spaces.

>>> [category_from_name(n) for n in ("billing_email", "Telefonnummer", "KartenPrüfnummer",
...  "dogum_tarihi", "電話番号", "주민등록번호", "device_id", "national_id", "company_name")]
['email', 'phone', 'card_security_code', 'date_of_birth', 'phone', 'government_id', 'device_id', 'government_id', 'organisation']
>>> [category_from_name(n) for n in ("order_number", "file_name", "product_name", "amount", "user_id")]
[None, None, None, None, None]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .text import data, fold, words


@dataclass(frozen=True)
class Hint:
    """One category's name hints, folded."""

    category: str
    words: frozenset[str]
    stems: tuple[str, ...]
    script: tuple[str, ...]


@lru_cache(maxsize=1)
def table() -> tuple[tuple[Hint, ...], frozenset[str]]:
    """The hints in order of precedence, and the words that mark a name as not personal."""
    raw = data("name_hints.yml")

    def folded(items: list[str] | None) -> list[str]:
        return [fold(str(i)).replace(" ", "_") for i in items or []]

    hints = tuple(
        Hint(
            h["category"],
            frozenset(w for x in folded(h.get("words")) for w in (x, x.replace("_", ""))),
            tuple(folded(h.get("stems"))),
            tuple(fold(str(s)) for s in h.get("script") or []),
        )
        for h in raw["categories"]
    )
    return hints, frozenset(folded(raw["not_personal"]["words"]))


def name_tokens(name: str) -> set[str]:
    """The words of a name, each pair of neighbours joined (with and without ``_``), and the
    whole name joined."""
    ws = words(name)
    pairs = [f"{a}_{b}" for a, b in zip(ws, ws[1:], strict=False)]
    return {*ws, *pairs, *(p.replace("_", "") for p in pairs), "_".join(ws), "".join(ws)}


@lru_cache(maxsize=4096)
def category_from_name(column: str) -> str | None:
    """The category a column's name suggests, or None. A hint of one word yields to a word
    that marks the name as not personal (``file_name``, ``product_name``); a hint of several words (``device_id``, ``company_name``) does not."""
    hints, not_personal = table()
    ws = words(column)
    toks = name_tokens(column)
    blocked = bool(set(ws) & not_personal)
    whole = fold(column)
    for h in hints:
        hit = toks & h.words
        if hit and (not blocked or any(t not in ws for t in hit)):
            return h.category
        if blocked:
            continue
        if any(s in w for s in h.stems for w in [*ws, "".join(ws)]):
            return h.category
        if any(s in whole for s in h.script):
            return h.category
    return None
