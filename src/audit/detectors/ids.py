"""National identity numbers that ``python-stdnum`` validates, in the formats people write.

Each entry: the country, the shape a value must have as written (spaces, dots, dashes and
slashes where people put them), the digits-and-letters lengths it can have, stdnum's
validator, and whether the check is strong. A strong check (a date and a check digit, two
check digits, a check letter, mod 97) accepts the number anywhere; a weak one (a single mod
10 or mod 11 digit, passed by one random number in ten) only in the dataset's regions.

>>> [id_region(v, ()) for v in ("123-45-6789", "084.704.729-68", "1 85 05 78 006 084 36",
...  "BCCFRC15M25E852P", "850505-1234", "12597620Z", "450327199611141410")]
['US', 'BR', None, 'IT', None, 'ES', 'CN']
>>> [id_region(v, ()) for v in ("666-12-3456", "4111 1111 1111 1111", "ORD-4821-X9")]
[None, None, None]
>>> id_region("214035797", ("NL",)), id_region("214035797", ())
('NL', None)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from stdnum import (
    at,  # noqa: F401
    be,  # noqa: F401
    bg,  # noqa: F401
    br,  # noqa: F401
    ca,  # noqa: F401
    ch,  # noqa: F401
    cl,  # noqa: F401
    cn,  # noqa: F401
    cz,  # noqa: F401
    de,  # noqa: F401
    dk,  # noqa: F401
    ee,  # noqa: F401
    es,  # noqa: F401
    fi,  # noqa: F401
    fr,  # noqa: F401
    gb,  # noqa: F401
    gr,  # noqa: F401
    hr,  # noqa: F401
    ie,  # noqa: F401
    il,  # noqa: F401
    in_,  # noqa: F401
    is_,  # noqa: F401
    it,  # noqa: F401
    jp,  # noqa: F401
    kr,  # noqa: F401
    lt,  # noqa: F401
    mx,  # noqa: F401
    nl,  # noqa: F401
    no,  # noqa: F401
    pl,  # noqa: F401
    pt,  # noqa: F401
    ro,  # noqa: F401
    ru,  # noqa: F401
    se,  # noqa: F401
    si,  # noqa: F401
    sk,  # noqa: F401
    th,  # noqa: F401
    tr,  # noqa: F401
    ua,  # noqa: F401
    us,  # noqa: F401
    za,  # noqa: F401
)
from stdnum.at import vnr
from stdnum.be import nn
from stdnum.bg import egn
from stdnum.br import cpf
from stdnum.ca import sin
from stdnum.ch import ssn as ch_ssn
from stdnum.cl import rut
from stdnum.cn import ric
from stdnum.cz import rc
from stdnum.de import idnr
from stdnum.dk import cpr
from stdnum.ee import ik
from stdnum.es import dni, nie
from stdnum.fi import hetu
from stdnum.fr import nir
from stdnum.gb import nhs
from stdnum.gr import amka
from stdnum.hr import oib
from stdnum.ie import pps
from stdnum.il import idnr as il_idnr
from stdnum.in_ import aadhaar, pan
from stdnum.is_ import kennitala
from stdnum.it import codicefiscale
from stdnum.jp import in_ as mynumber
from stdnum.kr import rrn
from stdnum.lt import asmens
from stdnum.mx import curp
from stdnum.nl import bsn
from stdnum.no import fodselsnummer
from stdnum.pl import pesel
from stdnum.pt import cc
from stdnum.ro import cnp
from stdnum.ru import inn
from stdnum.se import personnummer
from stdnum.si import emso
from stdnum.sk import rc as sk_rc
from stdnum.th import pin
from stdnum.tr import tckimlik
from stdnum.ua import rntrc
from stdnum.us import ssn
from stdnum.za import idnr as za_idnr

_SEP = re.compile(r"[\s.\-/]")
#: The United Kingdom's National Insurance number (stdnum has none): two prefix letters (not
#: D, F, I, Q, U, V; not O second; not the prefixes never issued), six digits, A to D.
_NINO = re.compile(r"^(?!BG|GB|NK|KN|TN|NT|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\d{6}[A-D]$")


def _nino(value: str) -> bool:
    return bool(_NINO.match(_SEP.sub("", value).upper()))


def _cn_ric(value: str) -> bool:
    """China's resident id: its check digit and birth date. Not its birthplace: stdnum knows
    today's divisions, and a person keeps the code of a county that has since been merged."""
    compact = _SEP.sub("", value).upper()
    try:
        ric.get_birth_date(compact)
    except Exception:
        return False
    return compact[:-1].isdigit() and ric.calc_check_digit(compact) == compact[-1]


def _kr_rrn_unchecked(value: str) -> bool:
    """Korea's resident registration number as issued since October 2020 (its last digits
    random, no check digit): a birth date and a century-and-sex digit."""
    compact = _SEP.sub("", value)
    try:
        rrn.get_birth_date(compact)
    except Exception:
        return False
    return compact.isdigit()


@dataclass(frozen=True)
class NationalId:
    """One country's identity number."""

    region: str
    name: str
    shape: re.Pattern[str]  # the value as written
    lengths: tuple[int, ...]  # of the compact form
    valid: Callable[[str], bool]
    strong: bool


def _id(
    region: str,
    name: str,
    shape: str,
    lengths: tuple[int, ...],
    valid: Callable[[str], bool],
    strong: bool,
) -> NationalId:
    return NationalId(region, name, re.compile(f"^(?:{shape})$", re.I), lengths, valid, strong)


D = r"\d"
IDS: tuple[NationalId, ...] = (
    _id("US", "SSN", r"\d{3}[- ]\d{2}[- ]\d{4}", (9,), ssn.is_valid, True),
    _id("CA", "SIN", r"\d{3}[- ]\d{3}[- ]\d{3}", (9,), sin.is_valid, True),
    _id("IN", "Aadhaar", r"\d{4}[ -]\d{4}[ -]\d{4}", (12,), aadhaar.is_valid, True),
    _id("IN", "Aadhaar", r"[2-9]\d{11}", (12,), aadhaar.is_valid, False),
    _id("IN", "PAN", r"[A-Z]{3}[PCHFATBLJG][A-Z]\d{4}[A-Z]", (10,), pan.is_valid, False),
    _id(
        "FR",
        "NIR",
        r"[12][\s.]?\d{2}[\s.]?\d{2}[\s.]?(?:\d{2}|2[AB])[\s.]?\d{3}[\s.]?\d{3}[\s.]?\d{2}",
        (15,),
        nir.is_valid,
        True,
    ),
    _id("ES", "DNI", r"\d{8}-?[A-Z]", (9,), dni.is_valid, True),
    _id("ES", "NIE", r"[XYZ]-?\d{7}-?[A-Z]", (9,), nie.is_valid, True),
    _id(
        "IT",
        "codice fiscale",
        r"[A-Z]{6}\d{2}[A-Z]\d{2}[A-Z]\d{3}[A-Z]",
        (16,),
        codicefiscale.is_valid,
        True,
    ),
    _id("BR", "CPF", r"\d{3}\.?\d{3}\.?\d{3}-?\d{2}", (11,), cpf.is_valid, True),
    _id(
        "NL", "BSN", r"\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .]\d{3}[ .]\d{3}", (9,), bsn.is_valid, False
    ),
    _id("PL", "PESEL", r"\d{11}", (11,), pesel.is_valid, True),
    _id("SE", "personnummer", r"(?:\d{2})?\d{6}[-+]?\d{4}", (10, 12), personnummer.is_valid, True),
    _id("RU", "INN", r"\d{12}", (12,), inn.is_valid, True),
    _id("RU", "INN", r"\d{10}", (10,), inn.is_valid, False),
    _id("TR", "T.C. kimlik", r"[1-9]\d{10}", (11,), tckimlik.is_valid, True),
    _id("CN", "resident id", r"\d{17}[\dX]", (18,), _cn_ric, True),
    _id("KR", "RRN", r"\d{6}-?\d{7}", (13,), rrn.is_valid, True),
    _id("KR", "RRN since 2020", r"\d{6}-?\d{7}", (13,), _kr_rrn_unchecked, False),
    _id("JP", "My Number", r"\d{4}[ -]?\d{4}[ -]?\d{4}", (12,), mynumber.is_valid, False),
    _id("GB", "NINO", r"[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]", (9,), _nino, True),
    _id("GB", "NHS", r"\d{3}[ -]?\d{3}[ -]?\d{4}", (10,), nhs.is_valid, False),
    _id("DE", "Steuer-ID", r"\d{2}\s?\d{3}\s?\d{3}\s?\d{3}", (11,), idnr.is_valid, False),
    _id("CZ", "rodné číslo", r"\d{6}/\d{3,4}", (9, 10), rc.is_valid, True),
    _id("SK", "rodné číslo", r"\d{6}/\d{3,4}", (9, 10), sk_rc.is_valid, True),
    _id("DK", "CPR", r"\d{6}-?\d{4}", (10,), cpr.is_valid, False),
    _id("FI", "HETU", r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]", (10, 11), hetu.is_valid, True),
    _id("NO", "fødselsnummer", r"\d{6}\s?\d{5}", (11,), fodselsnummer.is_valid, True),
    _id("RO", "CNP", r"[1-9]\d{12}", (13,), cnp.is_valid, True),
    _id("UA", "RNTRC", r"\d{10}", (10,), rntrc.is_valid, False),
    _id("GR", "AMKA", r"\d{11}", (11,), amka.is_valid, True),
    _id("BE", "national number", r"\d{2}\.?\d{2}\.?\d{2}-?\d{3}\.?\d{2}", (11,), nn.is_valid, True),
    _id("PT", "cartão de cidadão", r"\d{8}\s?\d\s?[A-Z]{2}\d", (12,), cc.is_valid, True),
    _id("AT", "VNR", r"\d{4}\s?\d{6}", (10,), vnr.is_valid, False),
    _id("CH", "AHV", r"756\.?\d{4}\.?\d{4}\.?\d{2}", (13,), ch_ssn.is_valid, True),
    _id("IE", "PPS", r"\d{7}[A-W][AHWTX]?", (8, 9), pps.is_valid, True),
    _id("EE", "isikukood", r"[1-6]\d{10}", (11,), ik.is_valid, True),
    _id("LT", "asmens kodas", r"[1-6]\d{10}", (11,), asmens.is_valid, True),
    _id("BG", "EGN", r"\d{10}", (10,), egn.is_valid, True),
    _id("HR", "OIB", r"\d{11}", (11,), oib.is_valid, False),
    _id("SI", "EMŠO", r"\d{13}", (13,), emso.is_valid, True),
    _id("IS", "kennitala", r"\d{6}-?\d{4}", (10,), kennitala.is_valid, True),
    _id("MX", "CURP", r"[A-Z]{4}\d{6}[HM][A-Z]{5}[0-9A-Z]\d", (18,), curp.is_valid, True),
    _id("CL", "RUT", r"\d{1,2}\.?\d{3}\.?\d{3}-?[\dK]", (8, 9), rut.is_valid, False),
    _id("ZA", "ID number", r"\d{13}", (13,), za_idnr.is_valid, True),
    _id("IL", "Teudat Zehut", r"\d{9}", (9,), il_idnr.is_valid, False),
    _id("TH", "PIN", r"\d{13}|\d-\d{4}-\d{5}-\d{2}-\d", (13,), pin.is_valid, True),
)
#: every country of the table (a column named ``ssn`` or ``pesel`` may hold any of them)
ALL_REGIONS: tuple[str, ...] = tuple(dict.fromkeys(i.region for i in IDS))
_BY_LENGTH: dict[int, tuple[NationalId, ...]] = {
    n: tuple(i for i in IDS if n in i.lengths) for n in {n for i in IDS for n in i.lengths}
}


@lru_cache(maxsize=65536)
def id_region(value: str, regions: Sequence[str] = ()) -> str | None:
    """The country of the national id a value is, or None."""
    v = value.strip()
    if not 8 <= len(v) <= 24:
        return None
    compact = _SEP.sub("", v).upper()
    for nid in _BY_LENGTH.get(len(compact), ()):
        if (nid.strong or nid.region in regions) and nid.shape.match(v):
            try:  # as written: some separators mean something (a Finnish century sign)
                if nid.valid(v.upper()):
                    return nid.region
            except Exception:  # a validator that trips on odd input judges nothing
                continue
    return None
