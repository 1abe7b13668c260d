"""Phone numbers, validated by ``phonenumbers``: international (``+44 20 7946 0018``,
``0049 30 1234567``) anywhere, and national formats (``(0118) 496 0138``, ``080-1885-4926``,
``01 53 51 78 78``) in the regions of the dataset (:mod:`.regions`).

A bare run of digits is an order number or an id as often as a phone number: it counts only
in the dataset's first region, as a mobile number (``13812345678`` in China) or after the
region's trunk prefix (``0237000363`` in Germany). Numbers outside
the ranges phonenumbers knows count when written as phone numbers are: with a country code,
or in the national format of a region with a trunk prefix (``0``, ``8``; or ``(NXX) NXX-XXXX``
in North America), of a length the region's numbers have.

>>> [phone_region(v, ("GB",)) for v in ("(0118) 496 0138", "+49 30 1234567", "001-507-843-9150x806")]
['GB', 'DE', 'US']
>>> [phone_region(v, ("JP",)) for v in ("080-1885-4926", "2026/01/01", "192.168.10.12", "0000012345")]
['JP', None, None, None]
>>> phone_region("13812345678", ("CN",)), phone_region("2194809826", ("CN",))
('CN', None)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType

SHAPE = re.compile(r"^\+?[0-9(][0-9 ().\-/]{5,24}[0-9]$")
_EXTENSION = re.compile(r"\s*(?:x|ext\.?|extension|#|доб\.?)\s*[0-9]{1,6}$", re.I)
_DATE = re.compile(r"^[0-9]{1,4}([./-])[0-9]{1,2}\1[0-9]{1,4}$")
_IPV4 = re.compile(r"^[0-9]{1,3}(?:\.[0-9]{1,3}){3}$")
_MOBILE = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def _bare(digits: str, region: str) -> bool:
    """A run of digits as a phone number of ``region``: a valid mobile number, or a national
    number after the trunk prefix (``0237000363``; not ``0000012345``, a padded id)."""
    n = _parse(digits, region)
    if n is not None:  # valid: a mobile number, or any where numbers have no trunk prefix
        return phonenumbers.number_type(n) in _MOBILE or not national_prefix(region)
    prefix = national_prefix(region)
    if not prefix:
        return False
    return (
        phonenumbers.country_code_for_region(region) != 1
        and digits.startswith(prefix)
        and digits[len(prefix) : len(prefix) + 1] not in ("", "0")
        and _parse(digits, region, possible=True) is not None
    )


def _parse(
    value: str, region: str | None, possible: bool = False
) -> phonenumbers.PhoneNumber | None:
    """The number a value is in ``region`` (international when None): valid, or with
    ``possible`` of a length the region's numbers have."""
    try:
        n = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if phonenumbers.is_valid_number(n):
        return n
    return n if possible and phonenumbers.is_possible_number(n) else None


@lru_cache(maxsize=512)
def national_prefix(region: str) -> str | None:
    """The trunk prefix a region's national numbers start with (0, 8, 1), or None."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    return meta.national_prefix if meta is not None else None


def _national(value: str, digits: str, region: str) -> bool:
    """A number written the way ``region`` writes its national numbers: after the trunk
    prefix (``030 1234567``, ``8 (495) 123-45-67``), or with the area code in parentheses
    (``(11) 91234-5678``, ``(212) 555-0187``); valid where the region has no trunk prefix.
    ``123-456-7890`` in Germany is a code, not a German way of writing a number."""
    if phonenumbers.country_code_for_region(region) == 1:  # North America
        if _parse(value, region):
            return True
        d = digits[1:] if len(digits) == 11 and digits[0] == "1" else digits
        written = value.startswith("(") or re.match(r"1[ .(-]", value) is not None
        return (
            written
            and len(d) == 10
            and d[0] in "23456789"
            and d[3] in "23456789"
            and (_parse(value, region, possible=True) is not None)
        )
    prefix = national_prefix(region)
    if not prefix:
        return _parse(value, region) is not None
    if not (digits.startswith(prefix) or value.startswith("(")):
        return False
    return _parse(value, region, possible=True) is not None


@lru_cache(maxsize=65536)
def phone_region(value: str, regions: Sequence[str] = ()) -> str | None:
    """The region of the phone number a value is, or None.

    Generated and newly allocated numbers are often outside the ranges phonenumbers knows, so a
    number written with its country code, or in a region's national format (trunk prefix,
    separators), counts when its length is one the region's numbers have.
    """
    v = _EXTENSION.sub("", value.strip())
    if not SHAPE.match(v) or _DATE.match(v) or _IPV4.match(v):
        return None
    digits = "".join(c for c in v if c.isdigit())
    if not 7 <= len(digits) <= 15:
        return None
    if v.startswith("+") or v.startswith("00"):
        n = _parse("+" + v[2:] if v.startswith("00") else v, None, possible=True)
        code = n.country_code if n else None
        return phonenumbers.region_code_for_country_code(code) if code else None
    if v.isdigit():  # a bare run of digits: a number of the first region only
        return regions[0] if regions and _bare(v, regions[0]) else None
    for r in regions:
        if _national(v, digits, r):
            return r
    return None


def possible_phone(value: str, regions: Sequence[str] = ()) -> bool:
    """Looser, for a column whose name says it holds phone numbers: a valid number in any of
    the regions, bare digits included."""
    v = _EXTENSION.sub("", value.strip())
    if phone_region(value, tuple(regions)):
        return True
    if not SHAPE.match(v) or _DATE.match(v):
        return False
    return any(_parse(v, r) for r in regions)
