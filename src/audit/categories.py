"""Personal-data categories: which category a value holds, and a column's category.

Value detectors are validated, not only pattern-matched: Luhn and issuer prefixes for cards,
``phonenumbers`` for phone numbers, ``ipaddress`` for IPs, ``python-stdnum`` for national
ids. A column's category combines the share of sampled values each detector accepts, the
column's name, and its role (a role decides).

>>> detect_value("ada@example.org"), detect_value("+49 30 1234567"), detect_value("ORD-88412")
('email', 'phone', None)
>>> classify("contact", ["a@b.io", "c@d.org", "x"]).category
'email'
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import phonenumbers
from stdnum.ca import sin
from stdnum.es import dni, nie
from stdnum.fr import nir
from stdnum.in_ import aadhaar
from stdnum.it import codicefiscale
from stdnum.us import ssn

from .detect import ROLE_CATEGORIES, card_numbers_in, category_from_name, hash_format

#: fideslang names of the categories (SPEC §5).
FIDESLANG = {
    "email": "user.contact.email",
    "phone": "user.contact.phone_number",
    "person_name": "user.name",
    "postal_address": "user.contact.address",
    "organisation": "user.contact.organization",
    "ip_address": "user.device.ip_address",
    "user_agent": "user.device.browser",
    "device_id": "user.device.device_id",
    "date_of_birth": "user.demographic.date_of_birth",
    "government_id": "user.government_id",
    "precise_location": "user.location.precise",
    "api_secret": "user.authorization.credentials",
    "card_number": "user.financial.credit_card",
    "card_security_code": "user.financial.credit_card",
    "free_text": "user.content",
}
CATEGORIES = tuple(FIDESLANG)

EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}$")
EMAIL_IN = re.compile(r"[A-Za-z0-9._%+'-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,24}")
PHONE_SHAPE = re.compile(r"^\+?[0-9][0-9 ().\-/]{5,22}[0-9]$")
PHONE_IN = re.compile(r"(?<![\w+])\+[0-9][0-9 ().\-]{6,18}[0-9](?!\w)")
USER_AGENT = re.compile(
    r"^(?:Mozilla/\d|Opera/\d|curl/\d|Wget/\d|python-requests/\d|okhttp/\d|PostmanRuntime/\d|"
    r"Dalvik/\d|[A-Za-z][\w.-]{1,30}/\d+(?:\.\d+)*(?: \(.*\))?(?: [\w.-]+/[\w.]+)*$)"
)
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
LATLON = re.compile(r"^\s*(-?\d{1,2}\.\d{4,})\s*[,; ]\s*(-?\d{1,3}\.\d{4,})\s*$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
STREET = re.compile(
    r"\b(?:st|street|rd|road|ave|avenue|blvd|boulevard|lane|ln|drive|dr|way|place|pl|square|sq|"
    r"str|straße|strasse|hauptstr|weg|gasse|platz|rue|avenida|calle|via|plaza|court|ct)\b\.?",
    re.I,
)
POSTCODE = re.compile(
    r"\b(?:\d{5}(?:-\d{4})?|\d{4}-\d{3}|\d{6}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d)\b"
)
ORG_SUFFIX = re.compile(
    r"\b(?:inc|ltd|llc|llp|plc|gmbh|ag|sa|sas|sarl|bv|nv|corp|corporation|co|company|limited|"
    r"labs|group|holdings|foundation|university|ug|oy|ab|as|kk|pty|pvt)\.?$",
    re.I,
)
NAME_TOKEN = re.compile(
    r"^[A-ZÀ-Þ][a-zß-ÿ]+(?:[A-ZÀ-Þ][a-zß-ÿ]+)?(?:[-'][A-ZÀ-Þa-zß-ÿ][a-zß-ÿ]+)?$|^[A-Z]\.$"
)  # McCarthy, O'Brien
NAME_PARTICLES = {"van", "von", "de", "da", "del", "di", "der", "le", "la", "bin", "al", "du"}
NOT_NAME_WORDS = {
    "the",
    "and",
    "for",
    "with",
    "please",
    "thanks",
    "error",
    "invoice",
    "key",
    "account",
    "service",
    "api",
    "hosting",
    "provider",
    "processor",
    "analytics",
    "payment",
    "support",
    "order",
    "main",
    "street",
    "road",
    "test",
    "prod",
    "admin",
    "user",
    "default",
    "unknown",
    "none",
    "null",
}


def _phone(v: str) -> bool:
    if not PHONE_SHAPE.match(v) or (v.isdigit() and not v.startswith("+")):
        return False  # a bare run of digits is an id or an amount, not a phone number
    digits = sum(c.isdigit() for c in v)
    if not 7 <= digits <= 15:
        return False
    try:
        num = phonenumbers.parse(v, None if v.startswith("+") else "US")
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(num))


def _ip(v: str) -> bool:
    if not any(c in v for c in ".:") or len(v) < 7:
        return False
    try:
        ipaddress.ip_address(v)
    except ValueError:
        return False
    return True


def _government_id(v: str) -> bool:
    compact = re.sub(r"[\s.-]", "", v)
    if re.fullmatch(r"\d{3}-\d{2}-\d{4}", v):
        return bool(ssn.is_valid(v))
    if re.fullmatch(r"\d{3}[ -]\d{3}[ -]\d{3}", v):
        return bool(sin.is_valid(compact))
    if re.fullmatch(r"\d{4} \d{4} \d{4}", v):
        return bool(aadhaar.is_valid(compact))
    if re.fullmatch(r"[0-9XYZxyz]\d{7}[A-Za-z]", compact):
        return bool(dni.is_valid(compact) or nie.is_valid(compact))
    if re.fullmatch(r"[A-Za-z]{6}\d{2}[A-Za-z]\d{2}[A-Za-z]\d{3}[A-Za-z]", compact):
        return bool(codicefiscale.is_valid(compact))
    if re.fullmatch(r"[12]\d{14}", compact) and " " in v:
        return bool(nir.is_valid(compact))
    return False


def _person_name(v: str) -> bool:
    tokens = v.split()
    if not 2 <= len(tokens) <= 4 or len(v) > 60:
        return False
    real = [t for t in tokens if t.lower() not in NAME_PARTICLES]
    return (
        len(real) >= 2
        and all(NAME_TOKEN.match(t) for t in real)
        and not any(t.lower().strip(".") in NOT_NAME_WORDS for t in tokens)
        and not ORG_SUFFIX.search(v)
    )


def _address(v: str) -> bool:
    has_digit = any(c.isdigit() for c in v)
    return (
        has_digit
        and len(v) >= 10
        and (
            bool(STREET.search(v))
            and ("," in v or bool(POSTCODE.search(v)))
            or (bool(POSTCODE.search(v)) and "," in v and bool(STREET.search(v)))
        )
    )


def _organisation(v: str) -> bool:
    return 2 <= len(v) <= 80 and bool(ORG_SUFFIX.search(v)) and len(v.split()) >= 2


def _dob(v: str) -> bool:
    m = ISO_DATE.match(v)
    if not m:
        return False
    try:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return False
    return 1900 <= d.year <= date.today().year - 5


def _location(v: str) -> bool:
    m = LATLON.match(v)
    return m is not None and abs(float(m.group(1))) <= 90 and abs(float(m.group(2))) <= 180


#: Value detectors in order of precedence: the first that accepts a value names its category.
DETECTORS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("email", lambda v: bool(EMAIL.match(v))),
    (
        "card_number",
        lambda v: re.fullmatch(r"[0-9 -]{13,23}", v) is not None and bool(card_numbers_in(v)),
    ),
    ("ip_address", _ip),
    ("government_id", _government_id),
    ("phone", _phone),
    (
        "api_secret",
        lambda v: bool(re.search(r"\bsk_(?:live|test)_[A-Za-z0-9]{16,}", v)) and " " not in v,
    ),
    ("precise_location", _location),
    ("user_agent", lambda v: bool(USER_AGENT.match(v)) and not v.startswith("/")),
    ("date_of_birth", _dob),
    ("postal_address", _address),
    ("organisation", _organisation),
    ("person_name", _person_name),
)
DETECT = dict(DETECTORS)
#: Categories a value detector alone may decide; the others need the column's name to agree.
NEED_NAME = {"date_of_birth", "organisation", "device_id", "user_agent"}
#: Categories whose values may sit inside free text.
EMBEDDED = ("email", "card_number", "api_secret", "phone")


def detect_value(value: object) -> str | None:
    """The category a single value holds, or None."""
    if value is None:
        return None
    v = str(value).strip()
    if not v or len(v) > 300:
        return None
    for category, test in DETECTORS:
        if test(v):
            return category
    return None


def holds(category: str, value: object) -> bool:
    """Whether a value holds personal data of ``category`` (alone, or inside free text)."""
    if value is None:
        return False
    v = str(value).strip()
    if not v:
        return False
    if category == "free_text":
        return bool(embedded(v))
    if category == "device_id":
        return bool(UUID.match(v)) or (
            len(v) >= 12 and re.fullmatch(r"[A-Za-z0-9:_-]+", v) is not None
        )
    if category == "card_security_code":
        return re.fullmatch(r"\s*\d{3,4}\s*", v) is not None
    test = DETECT.get(category)
    return bool(test and test(v))


def embedded(text: str) -> list[str]:
    """The categories found inside a text.

    >>> embedded("reach me at jo@example.com or +1 512 555 0187; card 4111 1111 1111 1111")
    ['email', 'card_number', 'phone']
    """
    found = []
    if EMAIL_IN.search(text):
        found.append("email")
    if card_numbers_in(text):
        found.append("card_number")
    if re.search(r"sk_(?:live|test)_[A-Za-z0-9]{16,}", text):
        found.append("api_secret")
    if any(_phone(m.group(0)) for m in PHONE_IN.finditer(text)):
        found.append("phone")
    return found


@dataclass
class ColumnClass:
    """A column's category, the confidence in it, and the evidence behind it."""

    category: str | None
    confidence: float
    evidence: dict[str, object] = field(default_factory=dict)


def classify(name: str, values: Iterable[object], role: str | None = None) -> ColumnClass:
    """Classify a column from its name, a sample of its non-empty values, and its role."""
    sample = [str(v).strip() for v in values if v is not None and str(v).strip()]
    n = len(sample)
    counts: dict[str, int] = {}
    inside: dict[str, int] = {}
    for v, k in Counter(sample).items():  # each distinct value is judged once
        cat = detect_value(v)
        if cat:
            counts[cat] = counts.get(cat, 0) + k
        elif len(v) > 20 and " " in v:
            for c in embedded(v):
                inside[c] = inside.get(c, 0) + k
    hint = category_from_name(name)
    evidence: dict[str, object] = {
        "sampled": n,
        "matches": dict(sorted(counts.items())),
        "name_hint": hint,
    }
    if inside:
        evidence["inside_text"] = dict(sorted(inside.items()))
    if role in ROLE_CATEGORIES:
        evidence["role"] = role
        return ColumnClass(ROLE_CATEGORIES[role], 1.0, evidence)
    if n == 0:
        return ColumnClass(hint, 0.4, evidence) if hint else ColumnClass(None, 0.0, evidence)
    share = {c: k / n for c, k in counts.items()}
    if share.get("person_name", 0.0) and hint != "person_name" and len(set(sample)) / n < 0.3:
        share.pop("person_name")  # a few repeated title-case labels (plans, tiers) are not names
    if hint == "api_secret":
        share["api_secret"] = max(
            share.get("api_secret", 0.0), sum(hash_format(v) is not None for v in sample) / n
        )
    best = max(share, key=lambda c: share[c], default=None)
    if (
        best is not None
        and share[best] >= 0.6
        and (
            best not in NEED_NAME
            or hint == best
            or best == "date_of_birth"
            and hint is None
            and _ages_plausible(sample)
        )
    ):
        return ColumnClass(
            best, round(min(1.0, share[best] + (0.1 if hint == best else 0.0)), 2), evidence
        )
    if hint is not None and (
        share.get(hint, 0.0) >= 0.2
        or hint in ("person_name", "organisation", "postal_address", "device_id")
    ):
        if hint == "device_id" and not any(holds("device_id", v) for v in sample):
            return ColumnClass(None, 0.0, evidence)
        if hint in ("person_name", "organisation", "postal_address") and _looks_numeric(sample):
            return ColumnClass(None, 0.0, evidence)
        return ColumnClass(hint, round(0.6 + 0.4 * share.get(hint, 0.0), 2), evidence)
    text_like = sum(len(v) > 20 and " " in v for v in sample) / n
    if inside and text_like >= 0.5:
        return ColumnClass(
            "free_text", round(min(1.0, 0.6 + sum(inside.values()) / n), 2), evidence
        )
    return ColumnClass(None, 0.0, evidence)


def _looks_numeric(sample: list[str]) -> bool:
    return sum(bool(re.fullmatch(r"[\d.,\s-]+", v)) for v in sample) / len(sample) > 0.5


def _ages_plausible(sample: list[str]) -> bool:
    """Dates that read as birth dates: mostly 13 to 100 years ago, spread over many years."""
    years = [int(v[:4]) for v in sample if ISO_DATE.match(v)]
    if len(years) < 5:
        return False
    now = date.today().year
    adult = sum(13 <= now - y <= 100 for y in years) / len(years)
    return adult >= 0.8 and len(set(years)) >= min(10, len(years) // 2)
