"""Detectors and masking: validated card numbers, hash formats, masks that keep nothing."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.detect import card_numbers_in, hash_format, is_security_code_column, luhn_ok
from audit.mask import mask_card, mask_email, mask_ip, mask_key, mask_name, mask_phone, mask_secret


def with_check_digit(body: str) -> str:
    for d in "0123456789":
        if luhn_ok(body + d):
            return body + d
    raise AssertionError


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("4111111111111111", ["4111111111111111"]),
        ("4111 1111 1111 1111", ["4111111111111111"]),
        ("4111-1111-1111-1111", ["4111111111111111"]),
        ("pay with 5500 0000 0000 0004 today", ["5500000000000004"]),
        ("378282246310005", ["378282246310005"]),  # 15-digit Amex
        ("2221000000000009", ["2221000000000009"]),  # 2-series Mastercard
        ("4111111111111112", []),  # Luhn fails
        ("7000000000000005", []),  # Luhn passes, no issuer prefix
        ("41111111111111111111", []),  # 20 digits: part of a longer number
        ("9 4111 1111 1111 1111", []),  # adjacent to another digit group
        ("4111  1111 1111 1111", []),  # double space breaks the run
        ("last4 1111", []),
        ("**** **** **** 1111", []),
        ("12.50", []),
    ],
)
def test_card_numbers_are_validated(text, found):
    assert card_numbers_in(text) == found


def test_uatp_cards_start_with_1_and_have_15_digits():
    uatp = with_check_digit("10000000000000")
    assert card_numbers_in(uatp) == [uatp]
    assert card_numbers_in(with_check_digit("100000000000000")) == []  # 16 digits starting 1


@given(st.text(alphabet="0123456789", min_size=12, max_size=18).map(lambda b: "4" + b))
def test_every_luhn_valid_visa_length_is_found(body):
    number = with_check_digit(body[:-1]) if len(body) >= 13 else None
    if number and 13 <= len(number) <= 19:
        assert card_numbers_in(f"x {number} y") == [number]


@pytest.mark.parametrize(
    ("value", "fmt"),
    [
        ("$2b$12$" + "a" * 53, "bcrypt"),
        ("$2y$10$" + "Z" * 53, "bcrypt"),
        ("$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo", "argon2"),
        ("$argon2i$m=4096,t=3,p=1$c2FsdA$aGFzaA", "argon2"),
        ("$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA", "scrypt"),
        ("scrypt:32768:8:1$salt$" + "ab" * 32, "scrypt"),
        ("pbkdf2_sha256$260000$salt$aGFzaA==", "pbkdf2"),
        ("$pbkdf2-sha256$29000$c2FsdA$aGFzaA", "pbkdf2"),
        ("pbkdf2:sha256:260000$salt$" + "ab" * 32, "pbkdf2"),
        (hashlib.sha256(b"x").hexdigest(), "sha256"),
        (hashlib.sha512(b"x").hexdigest().upper(), "sha512"),
        ("sk_live_abcdefghijklmnop", None),
        ("hunter2", None),
        (hashlib.sha256(b"x").hexdigest()[:-1], None),
        (hashlib.md5(b"x").hexdigest(), None),  # MD5 is not a one-way hash the policy accepts
        ("$2b$12$short", None),
    ],
)
def test_hash_formats(value, fmt):
    assert hash_format(value) == fmt


def test_security_code_columns_by_name_token():
    assert [
        c
        for c in ("cvv", "card_cvc", "CSC", "cvv2_code", "discovery", "access", "csv_row")
        if is_security_code_column(c)
    ] == ["cvv", "card_cvc", "CSC", "cvv2_code"]


@pytest.mark.parametrize(
    ("fn", "value", "masked"),
    [
        (mask_email, "jane.doe@example.com", "j***@e***.com"),
        (mask_card, "4111 1111 1111 1111", "411111******1111"),
        (mask_card, "378282246310005", "***********0005"),
        (mask_secret, "sk_live_abcdefghijklmnop", "sk_l…"),
        (mask_ip, "203.0.113.77", "203.0.113.0/24"),
        (mask_ip, "2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3::/48"),
        (mask_phone, "+49 30 1234567", "…67"),
        (mask_name, "Ada Lovelace", "A. L."),
        (mask_key, "U100001", "U100001"),
        (mask_key, "ada@example.org", "a***@e***.org"),
    ],
)
def test_masks(fn, value, masked):
    assert fn(value) == masked
    assert fn(masked) == masked  # idempotent


@given(st.emails())
def test_masked_emails_keep_neither_local_part_nor_domain(email):
    local, domain = email.rsplit("@", 1)
    m = mask_email(email)
    assert mask_email(m) == m
    if len(local) > 3:
        assert local not in m
    host = domain.rsplit(".", 1)[0]
    if len(host) > 3:
        assert host not in m


@given(st.text(alphabet="0123456789", min_size=13, max_size=19))
def test_masked_cards_hold_no_full_number(digits):
    m = mask_card(digits)
    assert not card_numbers_in(m) and sum(c.isdigit() for c in m) <= 10
