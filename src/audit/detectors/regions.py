"""The countries a dataset's values point to, for reading national formats (phone numbers,
national ids): the config's ``regions`` first, then what the values say.

- phone numbers written with a country code (``+49 30 ...``, ``0033 1 ...``): their region;
- e-mail addresses at a country's domain (``.de``, ``.co.uk``, ``.jp``);
- scripts and letters (Hangul: KR; kana: JP; Han alone: CN and JP; Cyrillic: RU, or UA with і ї є ґ;
  Greek: GR; ğ ş ı: TR; ł ą ę ż: PL; ß: DE; å: SE ...).

>>> infer([["+49 30 1234567", "030 1234567"], ["Müller", "Straße 5"]])
('DE',)
>>> infer([["김민준", "이서연"]], configured=["US"])
('US', 'KR')
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import phonenumbers

from .text import script_of

#: how many values of each column are read
READ = 200
#: at most this many inferred regions (besides the configured ones)
KEEP = 3

SCRIPTS = {
    "hangul": "KR",
    "kana": "JP",
    "greek": "GR",
    "hebrew": "IL",
    "thai": "TH",
    "devanagari": "IN",
    "arabic": "SA",
}
LETTERS = {
    **dict.fromkeys("ğşıİĞŞ", "TR"),
    **dict.fromkeys("łąężźńśćŁĄĘŻŹŃŚĆ", "PL"),
    **dict.fromkeys("řůěťďňŘŮĚŤĎŇ", "CZ"),
    **dict.fromkeys("őűŐŰ", "HU"),
    **dict.fromkeys("ß", "DE"),
    **dict.fromkeys("åÅ", "SE"),
    **dict.fromkeys("æøÆØ", "DK"),
    **dict.fromkeys("ñÑ", "ES"),
    **dict.fromkeys("ãõÃÕ", "BR"),
    **dict.fromkeys("œèêëîïôûŒÈÊ", "FR"),
    **dict.fromkeys("ìòùÌÒÙ", "IT"),
    **dict.fromkeys("șțȘȚ", "RO"),
    **dict.fromkeys("іїєґІЇЄҐ", "UA"),
}
_EMAIL_TLD = re.compile(r"@[^\s@]+\.([a-z]{2})(?:\W|$)", re.I)
_TLD = {"uk": "GB", "eu": None, "io": None, "ai": None, "tv": None, "me": None, "co": None}
_INTERNATIONAL = re.compile(r"^\s*(?:\+|00)\s?[1-9]")


def _international(value: str) -> str | None:
    if not _INTERNATIONAL.match(value):
        return None
    v = value.strip()
    v = "+" + v[2:] if v.startswith("00") else v
    try:
        n = phonenumbers.parse(v, None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.region_code_for_number(n) if phonenumbers.is_valid_number(n) else None


def votes(values: Iterable[str]) -> Counter[str]:
    """What one column's values say about their countries."""
    c: Counter[str] = Counter()
    for v in values:
        r = _international(v)
        if r:
            c[r] += 3
        m = _EMAIL_TLD.search(v)
        if m:
            tld = m.group(1).lower()
            region = _TLD.get(tld, tld.upper())
            if region and region in phonenumbers.SUPPORTED_REGIONS:
                c[region] += 1
        seen = {script_of(ch) for ch in v}
        if "hangul" in seen:
            c["KR"] += 1
        elif "kana" in seen:
            c["JP"] += 1
        elif "han" in seen:  # Chinese characters alone: China, or Japan (kanji names)
            c["CN"] += 1
            c["JP"] += 1
        elif "cyrillic" in seen:
            c["UA" if any(ch in "іїєґІЇЄҐ" for ch in v) else "RU"] += 1
        else:
            for s in seen:
                if s in SCRIPTS:
                    c[SCRIPTS[s]] += 1
            for region in {LETTERS[ch] for ch in v if ch in LETTERS}:
                c[region] += 1
    return c


def infer(columns: Iterable[Sequence[str]], configured: Sequence[str] = ()) -> tuple[str, ...]:
    """The configured regions, then up to ``KEEP`` regions the values point to (each with at
    least a tenth of the strongest one's votes)."""
    total: Counter[str] = Counter()
    for values in columns:
        total.update(votes(values[:READ]))
    out = [r.upper() for r in configured]
    if total:
        top = total.most_common(1)[0][1]
        out += [r for r, n in total.most_common() if n >= top / 10 and r not in out][:KEEP]
    return tuple(out)
