"""Precision and recall of the inventory's column classification on a labelled set.

Run ``pytest tests/test_categories.py -s`` to print the table quoted in the README.
"""

from __future__ import annotations

import pytest

from audit.categories import CATEGORIES, classify, detect_value, embedded

from .labelled_columns import COLUMNS

VALIDATED = (
    "email",
    "phone",
    "ip_address",
    "card_number",
    "government_id",
    "api_secret",
    "date_of_birth",
)
HEURISTIC = ("person_name", "postal_address", "organisation")


def scores() -> dict[str, tuple[float, float, int]]:
    """Per category: precision, recall, and the number of labelled positive columns."""
    out = {}
    predicted = [(classify(name, values).category, truth) for name, values, truth in COLUMNS]
    for cat in CATEGORIES:
        tp = sum(p == cat and t == cat for p, t in predicted)
        fp = sum(p == cat and t != cat for p, t in predicted)
        fn = sum(p != cat and t == cat for p, t in predicted)
        if tp + fp + fn:
            out[cat] = (
                tp / (tp + fp) if tp + fp else 0.0,
                tp / (tp + fn) if tp + fn else 0.0,
                tp + fn,
            )
    return out


def test_precision_and_recall_per_category():
    s = scores()
    print("\n| category | precision | recall | positive columns |\n|---|---|---|---|")
    for cat, (p, r, k) in sorted(s.items()):
        print(f"| {cat} | {p:.2f} | {r:.2f} | {k} |")
    for cat in VALIDATED:
        assert s[cat][0] >= 0.95 and s[cat][1] >= 0.95, (cat, s[cat])
    for cat in HEURISTIC:
        assert s[cat][0] >= 0.85 and s[cat][1] >= 0.85, (cat, s[cat])


@pytest.mark.parametrize(
    ("name", "values", "truth"),
    [c for c in COLUMNS if c[2] is None],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_look_alikes_stay_unclassified(name, values, truth):
    assert classify(name, values).category is None, (name, classify(name, values).evidence)


def test_a_role_decides_the_category():
    assert classify("x", ["hunter2"], role="secret").category == "api_secret"
    c = classify("birthday", ["2001-02-03"], role="date_of_birth")
    assert (c.category, c.confidence) == ("date_of_birth", 1.0)


def test_evidence_names_the_detectors_and_counts():
    c = classify("contact", ["a@b.io", "c@d.org", "+44 20 7946 0018"])
    assert c.evidence["matches"] == {"email": 2, "phone": 1} and c.evidence["sampled"] == 3


@pytest.mark.parametrize(
    ("value", "category"),
    [
        ("ada@example.org", "email"),
        ("+1 (415) 555-0123", "phone"),
        ("192.168.0.1", "ip_address"),
        ("4111 1111 1111 1111", "card_number"),
        ("078-05-1121", "government_id"),
        ("12345678Z", "government_id"),
        ("Grace Hopper", "person_name"),
        ("12 Baker Street, London NW1 6XE", "postal_address"),
        ("Contoso GmbH", "organisation"),
        ("52.52001,13.40495", "precise_location"),
        ("12.50", None),
        ("/v1/quotes", None),
        ("2025-01-01T10:00:00Z", None),
        ("1234", None),
        ("9414857385", None),
    ],
)
def test_single_values(value, category):
    assert detect_value(value) == category


def test_categories_inside_free_text():
    assert embedded("mail jo@example.com, key sk_live_abcdefghijklmnopqrst") == [
        "email",
        "api_secret",
    ]
    assert embedded("order 4111111111111112 shipped") == []
