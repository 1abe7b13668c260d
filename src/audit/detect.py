"""Cards, secrets and security codes: the value checks the policy's own rules name.

>>> luhn_ok("4111111111111111"), hash_format("sk_live_x"), is_security_code_column("card_cvv")
(True, None, True)
"""

from __future__ import annotations

import re

#: The category each role gives its column, whatever the column's values (SPEC §5).
ROLE_CATEGORIES = {
    "secret": "api_secret",
    "date_of_birth": "date_of_birth",
    "card_number": "card_number",
    "card_security_code": "card_security_code",
}


# ---------------------------------------------------------------- payment cards

#: A run of 13-19 digits, single spaces or dashes between digits, not adjacent to other digits.
CARD_RUN = re.compile(r"(?<!\d)(?<!\d[ -])\d(?:[ -]?\d){12,18}(?!\d)(?![ -]\d)")
#: The SQL pre-filter for card candidates: 13 digits in a row, single separators allowed.
CARD_PREFILTER = r"[0-9](?:[ -]?[0-9]){12}"
#: No text shorter than this matches :data:`CARD_PREFILTER` (13 digits).
CARD_PREFILTER_SHORTEST = 13


def luhn_ok(digits: str) -> bool:
    """The Luhn checksum of a string of digits.

    >>> luhn_ok("4111111111111111"), luhn_ok("4111111111111112")
    (True, False)
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def issuer_prefix_ok(digits: str) -> bool:
    """A card issuer's prefix: 3, 4, 5 or 6; 2221-2720; 1 for 15-digit UATP cards.

    >>> issuer_prefix_ok("4111111111111111"), issuer_prefix_ok("2221000000000009"), issuer_prefix_ok("7000000000000000")
    (True, True, False)
    """
    first = digits[0]
    if first in "3456":
        return True
    if first == "2":
        return 2221 <= int(digits[:4]) <= 2720
    return first == "1" and len(digits) == 15


def card_numbers_in(text: str) -> list[str]:
    """The full card numbers (digits only) a text holds, alone or inside other text.

    >>> card_numbers_in("refund 4111 1111 1111 1111 please; ref 4111111111111112")
    ['4111111111111111']
    """
    found = []
    for m in CARD_RUN.finditer(text):
        digits = re.sub(r"[ -]", "", m.group(0))
        if issuer_prefix_ok(digits) and luhn_ok(digits):
            found.append(digits)
    return found


def holds_card_number(value: object) -> bool:
    """Whether a value holds a full card number. A value that is a one-way hash holds none:
    a hex digest often has a run of 13+ decimal digits that passes Luhn by chance.

    >>> holds_card_number("card 4111-1111-1111-1111"), holds_card_number("ab41111111111111119f" + "0" * 44)
    (True, False)
    """
    if value is None or (isinstance(value, float) and value != value):
        return False
    text = str(value)
    return bool(card_numbers_in(text)) and hash_format(text) is None


# ---------------------------------------------------------------- secrets

#: One-way hash formats a stored secret may take (Python and POSIX regex alike).
HASH_FORMATS: dict[str, str] = {
    "bcrypt": r"^\$2[abxy]?\$[0-9]{2}\$[./A-Za-z0-9]{53}$",
    "argon2": r"^\$argon2(?:id|i|d)\$(?:v=[0-9]+\$)?m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$",
    "scrypt": r"^(?:\$scrypt\$ln=[0-9]+,r=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/.=]+\$[A-Za-z0-9+/.=]+|scrypt:[0-9]+:[0-9]+:[0-9]+\$[A-Za-z0-9+/.=]+\$[A-Fa-f0-9]+|\$7\$[./A-Za-z0-9]+\$[./A-Za-z0-9]+)$",
    "pbkdf2": r"^(?:pbkdf2_sha(?:1|256|512)\$[0-9]+\$[^$]+\$[A-Za-z0-9+/=]+|\$pbkdf2(?:-sha(?:1|256|512))?\$[0-9]+\$[./A-Za-z0-9+=]+\$[./A-Za-z0-9+=]+|pbkdf2:sha(?:1|256|512):[0-9]+\$[^$]+\$[A-Fa-f0-9]+)$",
    "sha256": r"^[A-Fa-f0-9]{64}$",
    "sha512": r"^[A-Fa-f0-9]{128}$",
}
HASHED = "|".join(f"(?:{p})" for p in HASH_FORMATS.values())


def hash_format(value: str) -> str | None:
    """The one-way hash format of a stored secret, or None when it is not hashed.

    >>> hash_format("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"), hash_format("sk_live_x")
    ('sha256', None)
    """
    v = value.strip()
    for name, pattern in HASH_FORMATS.items():
        if re.match(pattern, v):
            return name
    return None


SECURITY_CODE_VALUE = r"^\s*[0-9]{3,4}\s*$"


def is_security_code_column(name: str) -> bool:
    """A column whose name says it holds card security codes: a token cvv, cvv2, cvc or csc,
    or the words of other languages (``data/name_hints.yml``: Kartenprüfnummer,
    cryptogramme, código de seguridad, セキュリティコード).

    >>> [is_security_code_column(n) for n in ("card_cvv", "Kartenprüfnummer", "cryptogramme", "discovery")]
    [True, True, True, False]
    """
    from .detectors.hints import category_from_name

    return category_from_name(name) == "card_security_code"
