"""Personal-data categories: which category a value holds, and a column's category.

Value detectors are validated, not only pattern-matched (:mod:`audit.detectors`): Luhn and
issuer prefixes for cards, ``phonenumbers`` for phone numbers in the dataset's regions,
``ipaddress`` for IPs, ``python-stdnum`` for the national ids of some fifty countries,
``ua-parser`` for user agents, names and addresses in every script from data files. A column's
category combines the share of sampled values each detector accepts, the column's name (in
many languages) and its role (a role decides). A table is classified at once, so that the
regions its values point to (:mod:`audit.detectors.regions`) serve every column.

>>> detect_value("ada@example.org"), detect_value("+49 30 1234567"), detect_value("ORD-88412")
('email', 'phone', None)
>>> classify("contact", ["a@b.io", "c@d.org", "x"]).category
'email'
>>> [c.category for c in classify_table([("c1", ["080-1885-4926", "090-3703-4566"]),
...                                      ("c2", ["田中 太一", "岡本 裕美子"])])]
['phone', 'person_name']
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from .detect import ROLE_CATEGORIES, card_numbers_in, hash_format
from .detectors import addresses, agents, hints, ids, names, organisations, phones, regions

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
Regions = tuple[str, ...]

EMAIL = re.compile(r"^[\w.%+'-]+@(?:[\w-]+\.)+[A-Za-z]{2,24}$")
EMAIL_IN = re.compile(r"[\w.%+'-]+@(?:[\w-]+\.)+[A-Za-z]{2,24}")
PHONE_IN = re.compile(r"(?<![\w+])\+[0-9][0-9 ().\-]{6,18}[0-9](?!\w)")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
LATLON = re.compile(r"^\s*(-?\d{1,2}\.\d{4,})\s*[,; ]\s*(-?\d{1,3}\.\d{4,})\s*$")
#: dates as tables write them: ISO, and day, month and year in the common local orders
DATES = (
    re.compile(r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[-/.](?P<m>\d{1,2})[-/.](?P<y>\d{4})$"),
    re.compile(r"^(?P<m>\d{1,2})[-/.](?P<d>\d{1,2})[-/.](?P<y>\d{4})$"),
)


def _email(v: str, r: Regions) -> bool:
    return bool(EMAIL.match(v))


def _card(v: str, r: Regions) -> bool:
    return re.fullmatch(r"[0-9 -]{13,23}", v) is not None and bool(card_numbers_in(v))


#: what an IP address is written with (before an IPv6 zone's ``%``)
_IP_CHARS = frozenset("0123456789abcdefABCDEF.:")


def _ip(v: str, r: Regions) -> bool:
    if not any(c in v for c in ".:") or len(v) < 7:
        return False
    if not _IP_CHARS.issuperset(v.split("%", 1)[0]):  # a time, a path: no parse needed
        return False
    try:
        ipaddress.ip_address(v)
    except ValueError:
        return False
    return True


def _government_id(v: str, r: Regions) -> bool:
    return ids.id_region(v, r) is not None


def _phone(v: str, r: Regions) -> bool:
    return phones.phone_region(v, r) is not None


def _secret(v: str, r: Regions) -> bool:
    return bool(re.search(r"\bsk_(?:live|test)_[A-Za-z0-9]{16,}", v)) and " " not in v


def _location(v: str, r: Regions) -> bool:
    m = LATLON.match(v)
    return m is not None and abs(float(m.group(1))) <= 90 and abs(float(m.group(2))) <= 180


def _user_agent(v: str, r: Regions) -> bool:
    return agents.is_user_agent(v)


def parse_date(v: str) -> date | None:
    """A date written as tables write them (2001-02-03, 03.02.2001, 02/03/2001, 2001/02/03).

    >>> parse_date("03.02.2001"), parse_date("12/31/1999"), parse_date("2001-13-01")
    (datetime.date(2001, 2, 3), datetime.date(1999, 12, 31), None)
    """
    for pattern in DATES:
        m = pattern.match(v)
        if m:
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                continue
    return None


def _dob(v: str, r: Regions) -> bool:
    d = parse_date(v)
    return d is not None and 1900 <= d.year <= date.today().year - 5


def _address(v: str, r: Regions) -> bool:
    return addresses.is_address(v)


def _organisation(v: str, r: Regions) -> bool:
    return 2 <= len(v) <= 100 and organisations.legal_form(v)


def _person_name(v: str, r: Regions) -> bool:
    return names.is_name(v)


Detector = Callable[[str, Regions], bool]
#: Value detectors in order of precedence: the first that accepts a value names its category.
DETECTORS: tuple[tuple[str, Detector], ...] = (
    ("email", _email),
    ("card_number", _card),
    ("ip_address", _ip),
    ("government_id", _government_id),
    ("phone", _phone),
    ("api_secret", _secret),
    ("precise_location", _location),
    ("user_agent", _user_agent),
    ("date_of_birth", _dob),
    ("postal_address", _address),
    ("organisation", _organisation),
    ("person_name", _person_name),
)
DETECT = dict(DETECTORS)
#: Categories a value detector alone may not decide; the column's name must agree.
NEED_NAME = {"date_of_birth", "organisation", "device_id"}
#: Categories whose values may sit inside free text.
EMBEDDED = ("email", "card_number", "api_secret", "phone")
#: Regions to read national phone formats in when a column's name says it holds phone numbers
#: and nothing in the dataset names a country.
FALLBACK_REGIONS: Regions = ("US", "GB", "DE", "FR", "IN", "CN", "JP", "BR", "ES", "IT")
_CODE = re.compile(r"\s*\d{3,4}\s*")


def detect_value(value: object, regions: Regions = ()) -> str | None:
    """The category a single value holds, or None."""
    if value is None:
        return None
    v = str(value).strip()
    if not v or len(v) > 300:
        return None
    for category, test in DETECTORS:
        if test(v, regions):
            return category
    return None


def holds(category: str, value: object, regions: Regions = (), by_name: bool = False) -> bool:
    """Whether a value holds personal data of ``category`` (alone, or inside free text).

    ``by_name``: the column's name decided its category; values are then read as loosely as
    the classification read them (a name in a column named ``Name``, a code in ``cvv``).
    """
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
        return _CODE.fullmatch(v) is not None
    if category == "person_name" and not by_name:
        # in a column of names, a name is what is shaped like one (Edsger Hopper), known or not
        return names.name_shaped(v)
    if by_name:
        loose = _LOOSE.get(category)
        if loose is not None:
            return loose(v, regions or FALLBACK_REGIONS)
    test = DETECT.get(category)
    return bool(test and test(v, regions))


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
    if any(phones.phone_region(m.group(0)) for m in PHONE_IN.finditer(text)):
        found.append("phone")
    return found


def _plausible_org(v: str, r: Regions) -> bool:
    return 1 < len(v) <= 120 and any(c.isalpha() for c in v) and not EMAIL.match(v)


def _plausible_address(v: str, r: Regions) -> bool:
    return 6 <= len(v) <= 200 and any(c.isalpha() for c in v) and any(c.isdigit() for c in v)


def _loose_dob(v: str, r: Regions) -> bool:
    d = parse_date(v) or parse_date(v[:10])
    return d is not None and 1900 <= d.year <= date.today().year


#: How values are read where the column's name decided the category.
_LOOSE: dict[str, Detector] = {
    "phone": lambda v, r: phones.possible_phone(v, r),
    "person_name": lambda v, r: names.plausible_name(v),
    "organisation": _plausible_org,
    "postal_address": _plausible_address,
    "date_of_birth": _loose_dob,
    "government_id": lambda v, r: ids.id_region(v, tuple(r) + ids.ALL_REGIONS) is not None,
}


@dataclass
class ColumnClass:
    """A column's category, the confidence in it, and the evidence behind it."""

    category: str | None
    confidence: float
    evidence: dict[str, object] = field(default_factory=dict)


def classify(
    name: str, values: Iterable[object], role: str | None = None, regions: Regions = ()
) -> ColumnClass:
    """Classify a column from its name, a sample of its non-empty values, its role, and the
    regions of its dataset."""
    sample = [str(v).strip() for v in values if v is not None and str(v).strip()]
    n = len(sample)
    counts: dict[str, int] = {}
    inside: dict[str, int] = {}
    distinct = Counter(sample)
    for v, k in distinct.items():  # each distinct value is judged once
        cat = detect_value(v, regions)
        if cat:
            counts[cat] = counts.get(cat, 0) + k
        elif text_like(v):
            for c in embedded(v):
                inside[c] = inside.get(c, 0) + k
    hint = hints.category_from_name(name)
    evidence: dict[str, object] = {
        "sampled": n,
        "matches": dict(sorted(counts.items())),
        "name_hint": hint,
    }
    if regions:
        evidence["regions"] = list(regions)
    if inside:
        evidence["inside_text"] = dict(sorted(inside.items()))
    if role in ROLE_CATEGORIES:
        evidence.update(role=role, by="role")
        return ColumnClass(ROLE_CATEGORIES[role], 1.0, evidence)
    if n == 0:
        return ColumnClass(hint, 0.4, evidence) if hint else ColumnClass(None, 0.0, evidence)

    def share_of(test: Detector) -> float:
        return sum(k for v, k in distinct.items() if test(v, regions or FALLBACK_REGIONS)) / n

    share = {c: k / n for c, k in counts.items()}
    if 0.35 <= share.get("person_name", 0.0) < 0.6:  # names known in part, the rest rare ones
        shaped = sum(k for v, k in distinct.items() if names.name_shaped(v)) / n
        share["person_name"] = max(share["person_name"], shaped)
    if (
        share.get("person_name", 0.0)
        and hint != "person_name"
        and (
            len(distinct) / n < 0.3
            or not names.varied([v for v in distinct if detect_value(v, regions) == "person_name"])
        )
    ):
        share.pop("person_name")  # repeated labels (plans, tiers) and products are not names
    if hint == "api_secret":
        share["api_secret"] = max(
            share.get("api_secret", 0.0), sum(hash_format(v) is not None for v in sample) / n
        )
    if hint == "card_security_code" and share_of(lambda v, r: bool(_CODE.fullmatch(v))) >= 0.9:
        evidence["by"] = "name"
        return ColumnClass("card_security_code", 0.9, evidence)
    best = max(share, key=lambda c: share[c], default=None)
    if best == "person_name" and hint == "organisation":
        best = None  # firms named after people (Ortiz y Cisneros), in a column named company
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
        evidence["by"] = "values"
        return ColumnClass(
            best, round(min(1.0, share[best] + (0.1 if hint == best else 0.0)), 2), evidence
        )
    if hint is not None:
        got = _by_name(hint, share, share_of, distinct, n)
        if got is not None:
            evidence["by"] = "name"
            return ColumnClass(hint, got, evidence)
    texts = sum(k for v, k in distinct.items() if text_like(v)) / n
    if inside and texts >= 0.5:
        evidence["by"] = "values"
        return ColumnClass(
            "free_text", round(min(1.0, 0.6 + sum(inside.values()) / n), 2), evidence
        )
    return ColumnClass(None, 0.0, evidence)


def _by_name(
    hint: str,
    share: dict[str, float],
    share_of: Callable[[Detector], float],
    distinct: Counter[str],
    n: int,
) -> float | None:
    """The confidence in the category a column's name suggests, when its values agree enough;
    None when they do not."""
    if hint == "device_id":
        return 0.6 if any(holds("device_id", v) for v in distinct) else None
    loose = _LOOSE.get(hint)
    if hint in ("person_name", "organisation", "postal_address"):
        if loose is None or share_of(loose) < 0.5:
            return None
        return round(0.6 + 0.4 * share.get(hint, 0.0), 2)
    agreed = max(share.get(hint, 0.0), share_of(loose) if loose else 0.0)
    return round(0.6 + 0.4 * agreed, 2) if agreed >= 0.2 else None


def classify_table(
    columns: Sequence[tuple[str, Sequence[object]]],
    roles: Sequence[str | None] | None = None,
    configured: Sequence[str] = (),
) -> list[ColumnClass]:
    """Classify every column of one table: (name, sampled values) each, with their roles;
    the regions its values point to (and the ``configured`` ones first) serve every column."""
    texts = [[str(v) for v in values if v is not None] for _, values in columns]
    found = regions.infer(texts, configured)
    roles = list(roles) if roles is not None else [None] * len(columns)
    return [
        classify(name, values, role, found)
        for (name, values), role in zip(columns, roles, strict=True)
    ]


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def text_like(v: str) -> bool:
    """A sentence or more: three words or more (or ten letters of a script written without
    spaces), not a single token.

    >>> text_like("Ich nehme das."), text_like("ORD-4821"), text_like("徳川家の当主が正二位内大臣")
    (True, False, True)
    """
    if len(_CJK.findall(v)) >= 10:
        return True
    return len(v) >= 10 and len(v.split()) >= 3 and any(c.isalpha() for c in v)


def _ages_plausible(sample: list[str]) -> bool:
    """Dates that read as birth dates: mostly 13 to 100 years ago, spread over many years."""
    years = [d.year for d in map(parse_date, sample) if d is not None]
    if len(years) < 5:
        return False
    now = date.today().year
    adult = sum(13 <= now - y <= 100 for y in years) / len(years)
    return adult >= 0.8 and len(set(years)) >= min(10, len(years) // 2)
