"""Person names in every script.

- Alphabetic scripts (Latin, Cyrillic, Greek, ...): two to four capitalised words once titles
  (Dr., Frau, Yrd. Doç.) and letters after the name (Jr., PhD) are dropped, at least one of
  them a given name or surname known to ``data/names.tsv.gz`` (names ranked in the top 2,500
  of some country) or a patronymic, and none a word of places, jobs and things
  (``not_names``).
- Chinese: two to four Han characters, with a surname of ``chinese_surnames`` at either end
  (or one of two parts split by a space).
- Japanese: two parts (surname and given name, either order) of one to four Han or kana
  letters, or a known surname followed by a given name.
- Korean: two to four Hangul syllables with a surname of ``korean_surnames`` first, or two
  parts split by a space, one a surname of one syllable.

>>> [is_name(v) for v in ("Jean Lawson", "Dr. Jean Lawson MD", "Łukasz Wiśniewski",
...  "Кулагин Тит Августович", "Yrd. Doç. Açıkel Gülşahin Yıldırım", "杜玲", "玉朵 宇文",
...  "吉田 明美", "배경자", "예린 맥", "Lawson, Jean")]
[True, True, True, True, True, True, True, True, True, True, True]
>>> [is_name(v) for v in ("West Ruth", "Account Manager", "Acme Corp", "北京市", "工程师",
...  "Main Street", "Self-enabling optimal architecture", "Ortmann", "2024 Report")]
[False, False, False, False, False, False, False, False, False]
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import resources

from . import organisations
from .text import data, fold, scripts


def _street_word(word: str) -> bool:
    from .addresses import street_word

    return street_word(word, exact=True)


_SPLIT = re.compile(r"[\s\u3000]+")
_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*\.?$")


@lru_cache(maxsize=1)
def known() -> dict[str, str]:
    """Folded given names and surnames -> ``g``, ``s`` or ``gs`` (loaded once, 0.4 s)."""
    out: dict[str, str] = {}
    path = resources.files("audit").joinpath("data", "names.tsv.gz")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                name, kinds = line.rstrip("\n").split("\t")
                key = fold(name)
                out[key] = "".join(sorted(set(out.get(key, "") + kinds)))
    return out


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    raw = data("names.yml")
    return {k: frozenset(fold(str(x)) for x in v) for k, v in raw.items()}


def _squash(token: str) -> str:
    """A title or letters after a name, compared without dots and hyphens (Univ.-Prof.)."""
    return fold(token).replace(".", "").replace("-", "")


def _capitalised(part: str, particles: frozenset[str]) -> bool:
    """Ann, O'Brien's parts, McDonald, VanderSchaaff; or a particle (van, de) inside a name."""
    if fold(part) in particles:
        return True
    return part[:1].isupper() and (
        part[1:].islower()
        or len(part) == 1
        or re.fullmatch(r"(?:[A-Z][a-z]+){2,3}", part) is not None
    )


def _alphabetic(value: str, need_known: bool = True) -> bool:
    w = _words()
    if len(value) > 60 or organisations.business(value):
        return False
    if value.count(",") == 1:  # "Lawson, Jean"
        last, first = (p.strip() for p in value.split(","))
        value = f"{first} {last}"
    tokens = [t for t in _SPLIT.split(value) if t]
    # titles before (Dr., Univ.Prof., Sig.ra) and letters after (Jr., B.Eng., MBA)
    while tokens and (
        _squash(tokens[0]) in w["titles"] or ("." in tokens[0].rstrip(".") and len(tokens[0]) > 3)
    ):
        tokens = tokens[1:]
    while tokens and (
        _squash(tokens[-1]) in w["suffixes"]
        or re.fullmatch(r"(?:[A-Z]\.){2,3}|[A-Z]\.[A-Z][a-z]+\.", tokens[-1])
    ):
        tokens = tokens[:-1]
    real = [t for t in tokens if fold(t) not in w["particles"]]
    if not 2 <= len(real) <= 4 or not all(_WORD.match(t) for t in real):
        return False
    parts = [p for t in real for p in re.split(r"['’-]", t.rstrip(".")) if p]
    if not all(_capitalised(p, w["particles"]) for p in parts):
        return False
    folded = [fold(t.rstrip(".")) for t in real]
    if any(f in w["not_names"] for f in folded):
        return False
    if _street_word(folded[-1]):  # Erica Trace, Smith Forges, Main Street: a street
        return False
    if not need_known:
        return True
    low = [t.casefold() for t in real]
    if any(t.endswith(tuple(w["patronymic_endings"])) for t in low):
        return True
    # the evidence of names (a column of them must also vary: see :func:`varied`, which tells
    # "Thing Max", "Drive Pro" from names)
    names = known()
    kinds = [names.get(fold(t.rstrip("."))) or "" for t in real]
    part_kinds = [names.get(fold(p)) or "" for p in parts if len(p) > 1]
    if any(c.isupper() for k in kinds + part_kinds for c in k):  # a common name somewhere
        return True
    given = [i for i, k in enumerate(kinds) if "g" in k.lower()]
    surname = [i for i, k in enumerate(kinds) if "s" in k.lower()]
    if any(g != s for g in given for s in surname):  # a given name and a surname
        return True
    endings = tuple(w["surname_endings"])
    return any(f.endswith(endings) and len(f) > 4 for f in folded)  # Ivanenko, Nalbantoğlu


#: administrative words that end place names, not people's (北京市, 张家港县, 포항시)
_PLACE_END = (
    "市",
    "县",
    "区",
    "省",
    "镇",
    "乡",
    "村",
    "町",
    "郡",
    "都",
    "府",
    "県",
    "시",
    "군",
    "구",
    "도",
    "동",
    "읍",
    "면",
)


def _chinese(value: str) -> bool:
    sur = _words()["chinese_surnames"]
    if value.endswith(_PLACE_END):
        return False
    parts = [p for p in _SPLIT.split(value) if p]
    if len(parts) == 2:  # given name and surname, either order
        return any(p in sur for p in parts) and 2 <= len("".join(parts)) <= 5
    if len(parts) != 1 or not 2 <= len(value) <= 4:
        return False
    return value[:1] in sur or value[:2] in sur


def _japanese(value: str) -> bool:
    names, w = known(), _words()
    if value.endswith(_PLACE_END):
        return False
    parts = [p for p in _SPLIT.split(value) if p]
    if len(parts) == 2 and all(1 <= len(p) <= 4 for p in parts):
        return True  # surname and given name (either order); words of things are not split so
    if len(parts) == 1 and 3 <= len(value) <= 6:
        return value[:2] in names and value[-1] in w["japanese_given_endings"]
    return False


def _korean(value: str) -> bool:
    sur = _words()["korean_surnames"]
    if value.endswith(_PLACE_END):
        return False
    parts = [p for p in _SPLIT.split(value) if p]
    if len(parts) == 2 and all(1 <= len(p) <= 3 for p in parts):
        # a given name and a one-syllable surname, either order (or a known surname)
        return any(p in sur for p in parts) or sorted(map(len, parts)) in ([1, 2], [1, 3])
    if len(parts) != 1 or not 2 <= len(value) <= 4:
        return False
    return value[:1] in sur or value[:2] in sur


def is_name(value: str) -> bool:
    """Whether a value is a person's name (in any script)."""
    v = value.strip()
    if not v or any(c.isdigit() for c in v) or "@" in v or "/" in v:
        return False
    s = scripts(v)
    if s == {"han"}:
        return _chinese(v) or _japanese(v)
    if s and s <= {"han", "kana"}:
        return _japanese(v)
    if s == {"hangul"}:
        return _korean(v)
    if s & {"han", "kana", "hangul"}:
        return False
    return _alphabetic(v)


def name_shaped(value: str) -> bool:
    """A value shaped like a name in an alphabetic script, known words or not (Ansaldo
    Molesini): two to four capitalised words, no title of a place, job or street."""
    v = value.strip()
    if not v or any(c.isdigit() for c in v) or "@" in v or "/" in v:
        return False
    s = scripts(v)
    if s & {"han", "kana", "hangul"}:
        return is_name(v)
    return _alphabetic(v, need_known=False)


def varied(values: list[str]) -> bool:
    """Whether names of a column vary as people's names do: their last words differ (at least
    one in ten distinct), unlike products ("Thing Max", "Drive Pro") or titles built from a
    few words.

    >>> varied(["Ann Lee", "Bo Chan", "Cy Diaz", "Di Ekker"]), varied([f"{w} Max" for w in "abcdefghijkl"])
    (True, False)
    """
    last = [v.split()[-1].casefold() for v in values if v.split()]
    return not last or len(set(last)) / len(last) >= 0.1


def plausible_name(value: str) -> bool:
    """A value that could be a name where the column's name says it holds names: letters in
    one to five words, no digits."""
    v = value.strip()
    return (
        0 < len(v) <= 80
        and not any(c.isdigit() for c in v)
        and "@" not in v
        and 1 <= len(v.split()) <= 6
        and any(c.isalpha() for c in v)
    )
