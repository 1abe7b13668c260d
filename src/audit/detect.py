"""Column-name hints for personal-data categories (the value detectors build on this).

>>> category_from_name("billing_email"), category_from_name("amount")
('email', None)
"""

from __future__ import annotations

import re

#: Category -> name tokens, checked in order; a column name is split on non-letters.
NAME_HINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("email", "mail", "e_mail")),
    ("phone", ("phone", "mobile", "msisdn", "tel", "telephone")),
    ("date_of_birth", ("dob", "birth", "birthday", "birthdate", "date_of_birth")),
    (
        "person_name",
        (
            "name",
            "first_name",
            "last_name",
            "full_name",
            "surname",
            "given_name",
            "firstname",
            "lastname",
            "fullname",
        ),
    ),
    ("postal_address", ("address", "street", "addr", "postcode", "zip", "postal")),
    ("organisation", ("organisation", "organization", "company", "org", "employer")),
    ("ip_address", ("ip", "ip_address", "ipaddr", "client_ip", "remote_addr")),
    ("user_agent", ("user_agent", "useragent", "ua", "browser")),
    ("device_id", ("device", "device_id", "idfa", "gaid")),
    ("government_id", ("ssn", "national_id", "passport", "tax_id", "nino")),
    ("precise_location", ("lat", "latitude", "lon", "lng", "longitude", "geo", "location")),
    ("api_secret", ("secret", "api_key", "apikey", "token", "password")),
    ("card_number", ("card_number", "pan", "cc_number", "card_no", "cardnumber")),
    ("card_security_code", ("cvv", "cvv2", "cvc", "csc")),
)
_NOT_PERSONAL_SUFFIX = ("_id", "_at", "_count", "_hash", "_type", "_flag")


def _tokens(name: str) -> list[str]:
    parts = [p for p in re.split(r"[^a-z0-9]+", name.lower()) if p]
    return parts + ["_".join(parts[i : i + 2]) for i in range(len(parts) - 1)] + ["_".join(parts)]


def category_from_name(column: str) -> str | None:
    """The category a column's name suggests, or None.

    >>> category_from_name("user_id"), category_from_name("full_name"), category_from_name("client_ip")
    (None, 'person_name', 'ip_address')
    """
    low = column.lower()
    if low.endswith(_NOT_PERSONAL_SUFFIX) and not low.endswith(
        ("device_id", "national_id", "tax_id")
    ):
        return None
    toks = set(_tokens(column))
    for category, hints in NAME_HINTS:
        if toks.intersection(hints):
            return category
    return None


#: The category each role gives its column, whatever the column's values (SPEC §5).
ROLE_CATEGORIES = {
    "secret": "api_secret",
    "date_of_birth": "date_of_birth",
    "card_number": "card_number",
    "card_security_code": "card_security_code",
}
