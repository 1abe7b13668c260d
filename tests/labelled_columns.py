"""A labelled set of columns: positives of every category in several formats, and look-alikes.

Column names are varied on purpose: some say what they hold, some are neutral (``c1``,
``value``), some mislead. Written by hand for the inventory's precision and recall.
"""

from __future__ import annotations

import hashlib
import random

R = random.Random(5)
FIRST = [
    "Maria",
    "José",
    "Wei",
    "Fatima",
    "Olga",
    "Kwame",
    "Aiko",
    "Liam",
    "Noah",
    "Emma",
    "Ingrid",
    "Rahul",
    "Chloé",
    "Mateo",
    "Zainab",
    "Björn",
    "Anaïs",
    "Tomasz",
    "Priya",
    "Santiago",
]
LAST = [
    "García",
    "Chen",
    "Okafor",
    "Ivanova",
    "Mensah",
    "Tanaka",
    "Murphy",
    "Schmidt",
    "Dubois",
    "Kowalski",
    "Patel",
    "Rossi",
    "Nakamura",
    "O'Brien",
    "Müller",
    "Fernández",
    "Haddad",
    "Lindqvist",
    "Silva",
    "Novak",
]


def _luhn(body: str) -> str:
    for d in "0123456789":
        digits = body + d
        total = sum(
            int(c) if i % 2 == 0 else (int(c) * 2 - 9 if int(c) > 4 else int(c) * 2)
            for i, c in enumerate(reversed(digits))
        )
        if total % 10 == 0:
            return digits
    raise AssertionError


def _spaced(number: str) -> str:
    return " ".join(number[j : j + 4] for j in range(0, len(number), 4))


def n(k: int, fn):
    return [fn(i) for i in range(k)]


def _ssn(i):
    return f"{R.randrange(100, 665):03d}-{R.randrange(10, 99):02d}-{R.randrange(1000, 9999):04d}"


def _dni(i):
    num = R.randrange(10**7, 10**8)
    return f"{num}{'TRWAGMYFPDXBNJZSQVHLCKE'[num % 23]}"


COLUMNS: list[tuple[str, list[str], str | None]] = [
    # ---- email
    ("email", n(40, lambda i: f"{R.choice(FIRST).lower()}.{i}@mail{i % 7}.example.com"), "email"),
    ("c1", n(40, lambda i: f"user_{i}+tag@corp-{i % 5}.io"), "email"),
    ("login", n(40, lambda i: f"{R.choice(LAST).lower()}{i}@uni.ac.uk"), "email"),
    # ---- phone
    ("phone", n(40, lambda i: f"+44 20 7946 {R.randrange(1000, 9999)}"), "phone"),
    ("contact_number", n(40, lambda i: f"+1 (415) 555-{R.randrange(1000, 9999)}"), "phone"),
    ("value", n(40, lambda i: f"+49-30-{R.randrange(1000000, 9999999)}"), "phone"),
    ("mobile", n(40, lambda i: f"+91 98{R.randrange(10000000, 99999999)}"), "phone"),
    # ---- ip
    (
        "client_ip",
        n(
            40,
            lambda i: (
                f"{R.randrange(1, 223)}.{R.randrange(256)}.{R.randrange(256)}.{R.randrange(256)}"
            ),
        ),
        "ip_address",
    ),
    (
        "addr",
        n(40, lambda i: f"2001:db8:{R.randrange(65535):x}::{R.randrange(65535):x}"),
        "ip_address",
    ),
    (
        "x",
        n(40, lambda i: f"10.{R.randrange(256)}.{R.randrange(256)}.{R.randrange(1, 255)}"),
        "ip_address",
    ),
    # ---- card numbers
    (
        "pan",
        n(40, lambda i: _luhn("4" + "".join(R.choice("0123456789") for _ in range(14)))),
        "card_number",
    ),
    (
        "card",
        n(40, lambda i: _spaced(_luhn("5" + "".join(R.choice("0123456789") for _ in range(14))))),
        "card_number",
    ),
    (
        "ref2",
        n(40, lambda i: _luhn("37" + "".join(R.choice("0123456789") for _ in range(12)))),
        "card_number",
    ),
    # ---- government ids
    ("ssn", n(40, _ssn), "government_id"),
    ("tax_number", n(40, _ssn), "government_id"),
    ("doc", n(40, _dni), "government_id"),
    # ---- api secrets
    (
        "token",
        n(
            40,
            lambda i: (
                "sk_live_" + "".join(R.choice("abcdefghijkLMNOP0123456789") for _ in range(24))
            ),
        ),
        "api_secret",
    ),
    (
        "c7",
        n(40, lambda i: "sk_test_" + "".join(R.choice("ABCDEFGHxyz0123456789") for _ in range(20))),
        "api_secret",
    ),
    ("secret_hash", n(40, lambda i: hashlib.sha256(str(i).encode()).hexdigest()), "api_secret"),
    # ---- dates of birth
    (
        "dob",
        n(
            40,
            lambda i: (
                f"{R.randrange(1940, 2008)}-{R.randrange(1, 13):02d}-{R.randrange(1, 29):02d}"
            ),
        ),
        "date_of_birth",
    ),
    (
        "birth_date",
        n(
            40,
            lambda i: (
                f"{R.randrange(1950, 2005)}-{R.randrange(1, 13):02d}-{R.randrange(1, 29):02d}"
            ),
        ),
        "date_of_birth",
    ),
    (
        "born",
        n(
            40,
            lambda i: (
                f"{R.randrange(1945, 2006)}-{R.randrange(1, 13):02d}-{R.randrange(1, 29):02d}"
            ),
        ),
        "date_of_birth",
    ),
    # ---- names
    ("full_name", n(40, lambda i: f"{R.choice(FIRST)} {R.choice(LAST)}"), "person_name"),
    ("customer", n(40, lambda i: f"{R.choice(FIRST)} {R.choice(LAST)}"), "person_name"),
    ("holder", n(40, lambda i: f"{R.choice(FIRST)} van {R.choice(LAST)}"), "person_name"),
    # ---- addresses
    (
        "address",
        n(40, lambda i: f"{R.randrange(1, 300)} Baker Street, London NW1 6XE"),
        "postal_address",
    ),
    (
        "shipping",
        n(40, lambda i: f"Hauptstr. {R.randrange(1, 99)}, {R.randrange(10000, 99999)} Berlin"),
        "postal_address",
    ),
    (
        "line1",
        n(40, lambda i: f"{R.randrange(1, 9999)} Elm Avenue, Springfield, IL 62704"),
        "postal_address",
    ),
    # ---- organisations
    (
        "company",
        n(40, lambda i: R.choice(["Acme", "Globex", "Vandelay", "Initech", "Hooli"]) + f" {i}"),
        "organisation",
    ),
    (
        "employer",
        n(
            40,
            lambda i: R.choice(["Northwind Ltd", "Contoso GmbH", "Fabrikam Inc", "Tailspin LLC"]),
        ),
        "organisation",
    ),
    (
        "org",
        n(40, lambda i: R.choice(["Blue Yonder Corp", "Litware SA", "Proseware plc"])),
        "organisation",
    ),
    # ---- user agents, devices, locations
    (
        "user_agent",
        n(
            40,
            lambda i: R.choice(
                ["Mozilla/5.0 (Windows NT 10.0) Chrome/126.0", "curl/8.4.0", "okhttp/4.12.0"]
            ),
        ),
        "user_agent",
    ),
    (
        "device_id",
        n(
            40,
            lambda i: (
                f"{R.getrandbits(32):08x}-{R.getrandbits(16):04x}-4{R.getrandbits(12):03x}-a{R.getrandbits(12):03x}-{R.getrandbits(48):012x}"
            ),
        ),
        "device_id",
    ),
    (
        "geo",
        n(40, lambda i: f"{R.uniform(-60, 60):.5f},{R.uniform(-170, 170):.5f}"),
        "precise_location",
    ),
    # ---- free text holding other categories
    (
        "message",
        n(
            40,
            lambda i: (
                f"Hi team, please call me on +44 20 7946 {R.randrange(1000, 9999)} about ticket {i}."
                if i % 3 == 0
                else f"The dashboard shows error {i} since the last deploy, thanks."
            ),
        ),
        "free_text",
    ),
    (
        "notes",
        n(
            40,
            lambda i: (
                f"Customer wrote from someone{i}@example.net asking for a refund"
                if i % 4 == 0
                else "Called back, issue resolved after restart of the worker."
            ),
        ),
        "free_text",
    ),
    # ---- look-alikes that are not personal data
    ("amount", n(40, lambda i: f"{R.randrange(100, 99999) / 100:.2f}"), None),
    ("order_ref", n(40, lambda i: f"ORD-{R.randrange(10**5, 10**9)}"), None),
    ("last4", n(40, lambda i: f"{R.randrange(10000):04d}"), None),
    ("card_last4", n(40, lambda i: f"**** **** **** {R.randrange(10000):04d}"), None),
    ("id", n(40, lambda i: str(R.randrange(10**9, 10**12))), None),
    ("user_id", n(40, lambda i: f"U{100000 + i}"), None),
    (
        "request_id",
        n(
            40,
            lambda i: (
                f"{R.getrandbits(32):08x}-{R.getrandbits(16):04x}-4{R.getrandbits(12):03x}-a{R.getrandbits(12):03x}-{R.getrandbits(48):012x}"
            ),
        ),
        None,
    ),
    (
        "path",
        n(
            40,
            lambda i: R.choice(["/v1/quotes", "/v1/usage/2024-01", "/api/v2/items/42", "/health"]),
        ),
        None,
    ),
    (
        "created_at",
        n(
            40,
            lambda i: (
                f"2025-{R.randrange(1, 13):02d}-{R.randrange(1, 29):02d}T{R.randrange(24):02d}:00:00Z"
            ),
        ),
        None,
    ),
    (
        "signup_date",
        n(
            40,
            lambda i: f"202{R.randrange(0, 6)}-{R.randrange(1, 13):02d}-{R.randrange(1, 29):02d}",
        ),
        None,
    ),
    ("status", n(40, lambda i: R.choice(["200", "201", "404", "500"])), None),
    ("currency", n(40, lambda i: R.choice(["EUR", "USD", "GBP"])), None),
    ("flag", n(40, lambda i: R.choice(["Y", "N", "true", "false"])), None),
    (
        "reference",
        n(40, lambda i: "4" + "".join(R.choice("0123456789") for _ in range(14)) + "x"),
        None,
    ),
    (
        "tracking",
        n(40, lambda i: str(R.randrange(10**15, 10**16))),
        None,
    ),  # 16 digits, mostly Luhn-invalid
    ("version", n(40, lambda i: f"{R.randrange(1, 9)}.{R.randrange(20)}.{R.randrange(50)}"), None),
    ("plan", n(40, lambda i: R.choice(["Free Tier", "Pro Plan", "Enterprise Plus"])), None),
    (
        "description",
        n(40, lambda i: f"Monthly invoice for usage of the forecast API, batch {i}."),
        None,
    ),
    ("sku", n(40, lambda i: f"SKU-{R.randrange(1000, 9999)}-{R.choice('ABC')}"), None),
    ("score", n(40, lambda i: f"{R.random():.6f}"), None),
    ("coords_grid", n(40, lambda i: f"{R.randrange(100)},{R.randrange(100)}"), None),
    ("label", n(40, lambda i: R.choice(["ci", "prod", "test", "staging"])), None),
]
