"""Masking of example values: nothing leaves a run unmasked (SPEC §7).

Each function is idempotent: masking a masked value gives it back unchanged.

>>> mask_email("jane.doe@example.com")
'j***@e***.com'
>>> mask_card("4111 1111 1111 1111")
'411111******1111'
>>> mask_ip("203.0.113.77")
'203.0.113.0/24'
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from datetime import date

from .timeutil import age_on

_EMAIL = re.compile(r"^\s*([^@\s]+)@([^@\s]+)\s*$")


def mask_email(value: str) -> str:
    m = _EMAIL.match(value)
    if not m:
        return "***"
    local, domain = m.groups()
    if local.endswith("***") and "***" in domain:
        return value.strip()
    host, _, tld = domain.rpartition(".")
    return f"{local[0]}***@{(host or tld)[0]}***.{tld if host else ''}".rstrip(".")


def mask_card(value: str) -> str:
    """First 6 and last 4 digits; last 4 only under 16 digits."""
    digits = re.sub(r"\D", "", value)
    if "*" in value:
        return value
    if len(digits) >= 16:
        return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def mask_secret(value: str) -> str:
    """The first 4 characters."""
    v = value.strip()
    return v if v.endswith("…") else v[:4] + "…"


def mask_security_code(value: str) -> str:
    return "***"


def mask_ip(value: str) -> str:
    """IPv4 cut to /24, IPv6 to /48."""
    v = value.strip()
    try:
        net = ipaddress.ip_network(v, strict=False)
        if net.prefixlen <= (24 if net.version == 4 else 48):
            return str(net)
    except ValueError:
        pass
    try:
        ip = ipaddress.ip_address(v)
    except ValueError:
        return "[ip]"
    return str(ipaddress.ip_network(f"{ip}/{24 if ip.version == 4 else 48}", strict=False))


def mask_phone(value: str) -> str:
    """Only the last 2 digits."""
    digits = re.sub(r"\D", "", value)
    return "…" + digits[-2:]


def mask_name(value: str) -> str:
    """Initials.

    >>> mask_name("Ada Lovelace")
    'A. L.'
    """
    parts = [p for p in re.split(r"[\s\-]+", value.strip()) if p]
    return " ".join(p[0].upper() + "." for p in parts if p[0].isalpha()) or "[name]"


def mask_dob_as_age(born: date, on: date) -> str:
    """A date of birth shown only as the age it gives.

    >>> mask_dob_as_age(date(2013, 11, 27), date(2026, 11, 26))
    'age 12'
    """
    return f"age {age_on(born, on)}"


def mask_key(value: object) -> str:
    """A subject key as text; a key that is itself an email is masked."""
    text = "" if value is None else str(value).strip()
    return mask_email(text) if _EMAIL.match(text) else text


MASKERS: dict[str, Callable[[str], str]] = {
    "email": mask_email,
    "card_number": mask_card,
    "api_secret": mask_secret,
    "card_security_code": mask_security_code,
    "ip_address": mask_ip,
    "phone": mask_phone,
    "person_name": mask_name,
}


def mask(category: str, value: str) -> str:
    """Mask ``value`` as its category demands; unknown categories show nothing of it."""
    fn = MASKERS.get(category)
    return fn(value) if fn else f"[{category}]"
