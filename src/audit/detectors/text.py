"""Text helpers shared by the detectors: scripts, folding, the words of a column name.

>>> fold("Prüfnummer"), fold("Çağatay")
('prufnummer', 'cagatay')
>>> words("KartenPrüfNummer_2"), words("e-mail address")
(['karten', 'pruf', 'nummer'], ['e', 'mail', 'address'])
>>> sorted(scripts("田中 太郎")), sorted(scripts("김민준")), sorted(scripts("Łukasz"))
(['han'], ['hangul'], ['latin'])
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib import resources
from typing import Any

import yaml

_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")
_SPLIT = re.compile(r"[^0-9a-zA-Z\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+|[0-9]+")


def fold(text: str) -> str:
    """Case-folded, accents of alphabetic letters removed (ß as ss, ł as l, ı as i), for
    comparing names and words; Hangul, kana and Han stay as they are."""
    t = text.casefold().replace("ß", "ss").replace("ł", "l").replace("ı", "i").replace("ø", "o")
    t = t.replace("æ", "ae").replace("đ", "d").replace("œ", "oe")
    if t.isascii():
        return t
    out: list[str] = []
    for ch in t:
        if ord(ch) < 0x2000:  # Latin, Greek, Cyrillic and their accents
            out.extend(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        else:
            out.append(ch)
    return "".join(out)


def words(name: str) -> list[str]:
    """The words of a column name: split on non-letters, digits and camelCase, folded."""
    spaced = _CAMEL.sub(" ", name)
    return [fold(w) for w in _SPLIT.split(spaced) if w]


def script_of(ch: str) -> str | None:
    """The script of one letter: latin, cyrillic, greek, han, kana, hangul, arabic, hebrew,
    thai, devanagari; None for what is not a letter."""
    o = ord(ch)
    if not ch.isalpha():
        return None
    if o < 0x250 or 0x1E00 <= o <= 0x1EFF:
        return "latin"
    if 0x370 <= o <= 0x3FF or 0x1F00 <= o <= 0x1FFF:
        return "greek"
    if 0x400 <= o <= 0x52F:
        return "cyrillic"
    if 0x590 <= o <= 0x5FF:
        return "hebrew"
    if 0x600 <= o <= 0x6FF or 0x750 <= o <= 0x77F:
        return "arabic"
    if 0x900 <= o <= 0x97F:
        return "devanagari"
    if 0xE00 <= o <= 0xE7F:
        return "thai"
    if 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9F:
        return "kana"
    if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "hangul"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
        return "han"
    return "other"


_ASCII_LETTER = re.compile(r"[A-Za-z]")


def scripts(text: str) -> set[str]:
    """The scripts of a text's letters.

    >>> scripts("2025-06-01T12:00:00Z"), scripts("12:00"), sorted(scripts("Ωmega"))
    ({'latin'}, set(), ['greek', 'latin'])
    """
    if text.isascii():  # the letters of ASCII are Latin (most values: ids, times, numbers)
        return {"latin"} if _ASCII_LETTER.search(text) else set()
    return {s for s in map(script_of, text) if s}


@cache
def data(name: str) -> Any:
    """A YAML file of ``audit/data`` (loaded once)."""
    return yaml.safe_load(resources.files("audit").joinpath("data", name).read_text("utf-8"))
