"""Postal addresses in many countries, by their parts: a house number beside a street word of
one of many languages (``data/addresses.yml``: "7835 Erica Trace", "Röhrichtweg 52",
"ul. Kilińskiego 41/58", "ул. Баумана, д. 224"), or, for scripts written without spaces,
administrative words with numbers ("北京市朝阳区建国路88号", "東京都千代田区1丁目2番3号",
"서울특별시 강남구 테헤란로 123").

>>> [is_address(v) for v in ("7835 Erica Trace\\nFarleytown, MT 73436", "Röhrichtweg 52\\n58683 Güstrow",
...  "45, rue de Samson\\n58396 Sainte Virginie", "ul. Kilińskiego 41/58\\n55-520 Świecie",
...  "к. Шелехов, ул. Баумана, д. 224 к. 9, 834497", "云南省嘉禾市梁平冉街o座 274068",
...  "大分県山武郡芝山町箪笥町2丁目17番8号", "백양산내로 1169", "Flat 57s\\nFoster Parkway\\nJosephton\\nDT6 4GS")]
[True, True, True, True, True, True, True, True, True]
>>> [is_address(v) for v in ("Klímova 7\\n457 54 Holýšov", "Φαραγγίου 37,\\nΤΚ 92053 Λάρισα")]
[True, True]
>>> [is_address(v) for v in ("Self-enabling optimal architecture", "Main Street", "国立市",
...  "Call me at 5 or later, thanks", "/home/user/Dev/main.py", "2026-03-04", "Lake Victoria")]
[False, False, False, False, False, False, False]
"""

from __future__ import annotations

import re
from functools import lru_cache

from .text import data, fold, scripts

_TOKEN = re.compile(r"[^\W\d_]+\.?|\d+[A-Za-z]?(?:[/-]\d+[A-Za-z]?)*", re.UNICODE)
_NUMBER = re.compile(r"^\d{1,5}[A-Za-z]?(?:[/-]\d{1,5}[A-Za-z]?)*$")
_CJK_NUMBER = re.compile(
    r"\d+(?:[-－‐]\d+)+|\d+\s*(?:号|番地|番|丁目|号室|호|번지)|\d{3}-?\d{4}|\d{5,6}"
)
#: at most this many words between a house number and its street word
NEAR = 4
#: a postcode: 4 to 6 digits (with a dash part), or the letters-and-digits of GB, CA, NL
_POSTCODE = re.compile(
    r"(?<![\w-])(?:\d{4,6}(?:-\d{3,4})?|\d{2}-\d{3}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|"
    r"[A-Z]\d[A-Z] ?\d[A-Z]\d|\d{4} ?[A-Z]{2}|\d{3} \d{2})(?![\w-])"
)
#: a street line without a street word: a name, then its house number (Klímova 7, Φαραγγίου 37)
_STREET_LINE = re.compile(r"^[^\W\d_][^\d\n,]{2,40}\s\d{1,5}[A-Za-z]?(?:[/-]\d{1,5})?$")
#: a postcode line: the postcode, then the town (457 54 Holýšov, ΤΚ 92053 Λάρισα, 86398 Κοζάνη)
_TOWN_LINE = re.compile(r"^(?:[A-ZΑ-Ω]{1,3}[ -]?)?(?:\d{3} ?\d{2}|\d{4,6}|\d{2}-\d{3})\s+[^\W\d_]")


@lru_cache(maxsize=1)
def _table() -> tuple[frozenset[str], tuple[str, ...], dict[str, tuple[str, ...]]]:
    raw = data("addresses.yml")
    words = frozenset(fold(str(w)).rstrip(".") for w in raw["street_words"])
    endings = tuple(fold(str(w)) for w in raw["street_endings"])
    markers = {k: tuple(str(m) for m in v) for k, v in raw["markers"].items()}
    return words, endings, markers


def _street_word(token: str, words: frozenset[str], endings: tuple[str, ...]) -> bool:
    dotted = token.endswith(".")
    w = fold(token.rstrip("."))
    if len(w) == 1:  # a one-letter abbreviation counts only with its dot (C., R., д.)
        return dotted and w in words
    if w in words:
        return True
    return len(w) > 5 and w.endswith(endings)


def street_word(word: str, exact: bool = False) -> bool:
    """Whether a folded word is a street word of some language (not a one-letter one);
    ``exact``: the word itself, not a compound ending in one (Siering is a name)."""
    words, endings, _ = _table()
    if exact:
        return len(word) > 1 and word.rstrip(".") in words
    return len(word) > 1 and _street_word(word, words, endings)


def _alphabetic(value: str) -> bool:
    words, endings, _ = _table()
    tokens = _TOKEN.findall(value)
    if not 2 <= len(tokens) <= 25:
        return False
    numbers = [i for i, t in enumerate(tokens) if _NUMBER.match(t)]
    streets = [
        i for i, t in enumerate(tokens) if not t[0].isdigit() and _street_word(t, words, endings)
    ]
    if any(abs(n - s) <= NEAR for n in numbers for s in streets):
        return True
    # lines of an address: a street word, a postcode, the lines split by breaks or commas
    if streets and _POSTCODE.search(value) and ("\n" in value or "," in value):
        return True
    # a street line and a postcode line, in countries whose streets carry no street word
    lines = [p.strip() for p in re.split(r"[\n,]", value) if p.strip()]
    return (
        len(lines) >= 2
        and bool(_STREET_LINE.match(lines[0]))
        and any(_TOWN_LINE.match(line) for line in lines[1:])
    )


def _marked(value: str) -> bool:
    _, _, markers = _table()
    if "hangul" in scripts(value):  # words end in their marker: 테헤란로 123, 영동대길 976
        toks = value.split()
        return any(t.endswith(markers["ko"]) for t in toks) and any(
            _NUMBER.match(t.strip("(),")) for t in toks
        )
    found = {m for ms in markers.values() for m in ms if m in value}
    if not found or not any(c.isdigit() for c in value):
        return False
    return len(found) >= 2 or bool(_CJK_NUMBER.search(value))


def is_address(value: str) -> bool:
    """Whether a value is a postal address (or its street part)."""
    v = value.strip()
    if not 6 <= len(v) <= 200 or "@" in v or v.startswith(("/", "http", "www.")):
        return False
    s = scripts(v)
    if s & {"han", "kana", "hangul"}:
        return _marked(v)
    return _alphabetic(v)
