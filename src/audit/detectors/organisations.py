"""Organisations' names: a legal form at the end (``GmbH``, ``S.A.``, ``Sp. z o.o.``, ``Oyj``,
``株式会社``, ``ООО``) or a business word (``Group``, ``Proyectos``, ``Consulting``), from
``data/organisations.yml``.

>>> [legal_form(v) for v in ("Müller GmbH", "Familia Laguna S.L.", "Kojder-Gogół s.c.",
...  "Karlsson Sundin AB", "三浦水産有限会社", "«Ренессанс кредит» ООО", "Jean Lawson")]
[True, True, True, True, True, True, False]
>>> business("Proyectos Ortiz y Cisneros"), business("Ortiz Cisneros")
(True, False)
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import data, fold, scripts

_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)


@lru_cache(maxsize=1)
def _table() -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    raw = data("organisations.yml")
    # forms of alphabetic scripts (ООО, ΑΕ) are words; the others (株式会社, (주)) substrings
    alphabetic = [
        str(f) for f in raw["legal_forms_script"] if scripts(str(f)) <= {"cyrillic", "greek"}
    ]
    forms = frozenset(
        fold(str(f)).replace(".", "").replace(" ", "") for f in [*raw["legal_forms"], *alphabetic]
    )
    script = tuple(fold(str(f)) for f in raw["legal_forms_script"] if str(f) not in alphabetic)
    words = frozenset(fold(str(w)) for w in raw["business_words"])
    return forms, script, words


@lru_cache(maxsize=1)
def _ascii_forms(script: tuple[str, ...]) -> tuple[str, ...]:
    """The forms of scripts written without spaces that a text of ASCII can hold (it holds
    no form that is not ASCII)."""
    return tuple(f for f in script if f.isascii())


def legal_form(value: str) -> bool:
    """Whether a value ends in a legal form of a company (or holds one, in scripts written
    without spaces)."""
    forms, script, _ = _table()
    low = fold(value.strip())
    if any(s in low for s in (_ascii_forms(script) if low.isascii() else script)):
        return True
    tail = low.rstrip(".").replace("«", " ").replace("»", " ").split()
    if len(tail) < 2:
        return False
    if tail[0].replace(".", "") in forms:  # ООО «Ромашка», (株) written first
        return True
    # the last one to four words, dots and spaces dropped: "s. r. o.", "sp. z o.o.", "S.A. de C.V."
    return any("".join(tail[-k:]).replace(".", "").replace(",", "") in forms for k in (1, 2, 3, 4))


def business(value: str) -> bool:
    """Whether a value names a business: a legal form, or a business word among its words."""
    _, _, words = _table()
    return legal_form(value) or any(fold(w) in words for w in _WORDS.findall(value))
