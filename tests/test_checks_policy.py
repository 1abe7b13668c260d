"""Credentials, payment, rights, sharing and cookies on a hand-written fixture.

Expected counts are written by hand; the fixture runs as CSV files (pandas), in one SQLite
database (every join in SQL), and mixed (events in SQLite, consents in CSV: grants carried).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from audit.checks import run_notebook
from audit.checks.base import Context
from audit.config import load_config

from .conftest import load_postgres, write_sqlite

SHA256 = "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
KEYS = pd.DataFrame(
    [
        (
            "k1",
            "u1",
            "$2b$12$" + "a" * 53,
            "2026-01-02T00:00:00Z",
            "2026-01-01T00:00:00Z",
            "",
        ),  # revoked at exactly 24 h
        (
            "k2",
            "u2",
            "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
            "2026-01-02T00:00:01Z",
            "2026-01-01T00:00:00Z",
            "",
        ),  # 1 s late
        (
            "k3",
            "u3",
            "$scrypt$ln=16,r=8,p=1$c2FsdA$aGFzaA",
            "",
            "2026-11-25T00:00:00Z",
            "",
        ),  # deadline = as_of: in time
        (
            "k4",
            "u4",
            "pbkdf2_sha256$260000$salt$aGFzaA==",
            "",
            "2026-11-24T23:59:59Z",
            "",
        ),  # deadline before as_of
        (
            "k5",
            "u5",
            SHA256,
            "2026-01-01T23:00:00Z",
            "2026-01-01T02:00:00+02:00",
            "",
        ),  # compromised 00:00 UTC
        (
            "k6",
            "u6",
            "ab" * 64,
            "",
            "",
            "see https://api.example/v1?key=sk_test_abcdefghijklmnop12 now",
        ),
        (
            "k7",
            "u7",
            "sk_live_ABCDEFGHIJKLMNOP1234",
            "",
            "",
            "sk_live_short is not a key",
        ),  # plain text
        ("k8", "u8", "hunter2", "", "", ""),  # not a hash
        ("k9", "u8", "", "", "", ""),  # empty: not counted
        ("k10", "u8", SHA256[:-1], "", "", ""),  # 63 hex digits: not a hash
    ],
    columns=["key_id", "user_id", "secret", "revoked_at", "compromised_at", "note"],
)

PAYMENTS = pd.DataFrame(
    [
        (
            "u1",
            "4111 1111 1111 1111",
            "123",
            "REF 4111111111111112",
        ),  # card; Luhn-failing reference
        ("u2", "5500-0000-0000-0004", "", ""),  # card with dashes
        ("u3", "4111111111111112", "1234", ""),  # fails Luhn
        ("u4", "7000000000000005", "12", ""),  # Luhn-valid, no issuer prefix
        ("u5", "**** **** **** 1111", "abc", ""),
        ("u6", "378282246310005", "", ""),  # 15-digit Amex
        ("u7", "1234", "", ""),
        ("u8", "card 4012888888881881 used", "", ""),  # inside text
        ("u1", "41111111111111111111", "", ""),  # 20 digits: no card
        ("u2", "2223000048400011", "", ""),  # 2-series Mastercard
    ],
    columns=["user_id", "card", "cvv", "reference"],
)

RIGHTS = pd.DataFrame(
    [
        (
            "u1",
            "access",
            "2026-01-01T00:00:00Z",
            "2026-01-31T00:00:00Z",
        ),  # exactly 30 days: in time
        ("u2", "Rectification", "2026-01-01T00:00:00Z", "2026-01-31T00:00:01Z"),  # 1 s late
        ("u3", "access", "2026-10-27T00:00:00Z", ""),  # open, deadline = as_of
        ("u4", "portability", "2026-10-26T23:00:00Z", ""),  # open past the deadline
        ("u1", "Erasure", "2026-02-01", "2026-02-05"),  # deletion, u1 still has rows
        ("u9", " DELETE ", "2026-02-01", "2026-02-03"),  # deletion honoured
        ("u2", "deletion", "2026-11-20", ""),  # open: not yet honoured or not
    ],
    columns=["user_id", "type", "received_at", "completed_at"],
)

DISCLOSURES = pd.DataFrame(
    [
        ("u1", " Hosting Provider ", "hosting"),
        ("u2", "DataBroker", "SALE"),
        ("u3", "payment processor", "Data Sale"),
        ("u4", "", ""),
        ("u5", "Ad Network", "marketing"),
    ],
    columns=["user_id", "recipient", "purpose"],
)

CONSENTS = pd.DataFrame(
    [
        ("u1", "analytics", "2026-01-01T00:00:00Z", "2026-06-01T00:00:00Z"),
        ("u2", "Analytics", "2026-03-01T00:00:00Z", ""),
        ("u3", "marketing", "2026-01-01T00:00:00Z", ""),
    ],
    columns=["user_id", "consent_type", "granted_at", "withdrawn_at"],
)

EVENTS = pd.DataFrame(
    [
        ("u1", "analytics", "2026-01-01T00:00:00Z"),  # at the grant: in force
        ("u1", "analytics", "2025-12-31T23:59:59Z"),  # before the grant
        ("u1", "ANALYTICS", "2026-06-01T00:00:00Z"),  # at the withdrawal: no longer in force
        ("u2", "analytics", "2026-04-01"),
        ("u3", "analytics", "2026-04-01"),  # only a marketing consent
        ("", "analytics", "2026-04-01"),  # no key: no grant
        ("u4", "session", "2026-04-01"),  # no consent needed
        ("u2", " analytics ", "2026-03-01T01:00:00+02:00"),  # 28 Feb 23:00 UTC: before the grant
    ],
    columns=["user_id", "category", "ts"],
)

TABLES = {
    "keys": KEYS,
    "payments": PAYMENTS,
    "rights": RIGHTS,
    "disclosures": DISCLOSURES,
    "consents": CONSENTS,
    "events": EVENTS,
}
DATASETS = {
    "keys": "kind: api_keys\n    key: user_id\n    roles: {secret: secret, revoked_at: revoked_at, compromised_at: compromised_at}",
    "payments": "kind: payments\n    key: user_id\n    roles: {card_number: card, card_security_code: cvv}",
    "rights": "kind: rights_requests\n    key: user_id\n    roles: {request_type: type, received_at: received_at, completed_at: completed_at}",
    "disclosures": "kind: disclosures\n    key: user_id\n    roles: {recipient: recipient, purpose: purpose}",
    "consents": "kind: consents\n    key: user_id\n    roles: {consent_type: consent_type, granted_at: granted_at, withdrawn_at: withdrawn_at}",
    "events": "kind: cookie_events\n    key: user_id\n    roles: {cookie_category: category, event_time: ts}",
}
EXPECTED = {  # (check, dataset, column): (violations, rows_checked)
    ("credentials.plaintext_secret", "keys", "secret"): (3, 9),
    ("credentials.plaintext_secret", "keys", "note"): (1, 2),
    ("credentials.compromised_not_revoked", "keys", None): (2, 5),
    ("payment.full_card_number", "payments", "card"): (5, 10),
    ("payment.card_security_code", "payments", "cvv"): (2, 4),
    ("rights.request_overdue", "rights", None): (2, 7),
    ("rights.deletion_not_honoured", "rights", None): (1, 2),
    ("sharing.unapproved_recipient", "disclosures", None): (2, 4),
    ("sharing.sale", "disclosures", None): (2, 4),
    ("cookies.analytics_without_consent", "events", None): (5, 7),
}


def make(tmp_path: Path, layout: str, pg_url: str | None = None) -> Path:
    """``files``: CSV; ``sqlite`` or ``postgres``: one database; ``mixed``: events and keys in
    SQLite, the rest CSV; ``spark``: the CSV files read by Spark."""
    in_db = (
        set(TABLES)
        if layout in ("sqlite", "postgres")
        else {"events", "keys"}
        if layout == "mixed"
        else set()
    )
    files = tmp_path / "f"
    files.mkdir()
    for name, df in TABLES.items():
        if name not in in_db:
            df.to_csv(files / f"{name}.csv", index=False)
    url = pg_url or "sqlite:///db.sqlite"
    if pg_url:
        load_postgres(pg_url, {n: TABLES[n] for n in in_db})
    elif in_db:
        write_sqlite(tmp_path / "db.sqlite", {n: TABLES[n] for n in in_db})
    lines = [
        "as_of: 2026-11-26",
        "sources:",
        "  files: {path: f"
        + (', engine: spark, master: "local[2]"}' if layout == "spark" else "}"),
        f'  db: {{url: "{url}"}}' if in_db else "",
        "datasets:",
    ]
    for name, spec in DATASETS.items():
        where = (
            f"source: db\n    table: {name}"
            if name in in_db
            else f"source: files\n    files: {name}.csv"
        )
        lines.append(f"  {name}:\n    {where}\n    {spec}")
    cfg = tmp_path / "audit.yml"
    cfg.write_text("\n".join(line for line in lines if line) + "\n")
    return cfg


@pytest.mark.parametrize("layout", ["files", "sqlite", "mixed", "postgres", "spark"])
def test_hand_written_fixture(tmp_path, layout, request):
    if layout == "spark":
        request.getfixturevalue("spark")
    pg_url = (
        request.getfixturevalue("pg").create_db("policy_fixture") if layout == "postgres" else None
    )
    ctx = Context.open(load_config(make(tmp_path, layout, pg_url)))
    found = run_notebook(ctx, "credentials_payment") + run_notebook(ctx, "rights_sharing_cookies")
    got = {(f.check, f.dataset, f.column): f for f in found}
    for key, (violations, checked) in EXPECTED.items():
        f = got[key]
        assert (f.status, f.violations, f.rows_checked) == ("fail", violations, checked), (
            key,
            f.message,
        )
    failing = {k for k, f in got.items() if f.status == "fail"}
    assert failing == set(EXPECTED), failing ^ set(EXPECTED)
    assert "keys" in got[("rights.deletion_not_honoured", "rights", None)].message
    assert [e["key"] for e in got[("rights.deletion_not_honoured", "rights", None)].examples] == [
        "u1"
    ]
    cards = {e["value"] for e in got[("payment.full_card_number", "payments", "card")].examples}
    assert "411111******1111" in cards and "[free text: card_number]" in cards
    assert all(
        e["value"] == "***" for e in got[("payment.card_security_code", "payments", "cvv")].examples
    )
    assert {
        e["value"] for e in got[("credentials.plaintext_secret", "keys", "secret")].examples
    } == {"sk_l…", "hunt…", SHA256[:4] + "…"}


def test_a_deletion_exempt_kind_is_not_searched(tmp_path):
    policy = Path(__file__).resolve().parents[1] / "src" / "audit" / "policies" / "spectra.yml"
    text = policy.read_text().replace(
        "deletion_exempt_kinds: []",
        "deletion_exempt_kinds: [api_keys, payments, disclosures, consents, cookie_events]",
    )
    (tmp_path / "policy.yml").write_text(text)
    cfg = make(tmp_path, "files")
    cfg.write_text("policy: policy.yml\n" + cfg.read_text())
    found = run_notebook(Context.open(load_config(cfg)), "rights_sharing_cookies")
    deletion = next(f for f in found if f.check == "rights.deletion_not_honoured")
    assert (deletion.status, deletion.violations) == ("pass", 0)


def test_without_consents_every_required_event_lacks_consent(tmp_path):
    cfg = make(tmp_path, "files")
    text = cfg.read_text()
    start = text.index("  consents:\n")
    cfg.write_text(text[:start] + text[text.index("  events:\n") :])
    found = run_notebook(Context.open(load_config(cfg)), "rights_sharing_cookies")
    f = next(f for f in found if f.check == "cookies.analytics_without_consent")
    assert (f.violations, f.rows_checked) == (7, 7) and "no consents dataset" in f.message


def test_an_area_that_cannot_run_reports_error_and_the_others_still_run(tmp_path, monkeypatch):
    from audit import checks
    from audit.checks import rights, sharing

    def broken(ctx):
        raise ValueError("secret value 4111111111111111 in the message")

    monkeypatch.setitem(
        checks.AREAS,
        "rights_sharing_cookies",
        ((rights.run, rights.CHECKS), (broken, sharing.CHECKS)),
    )
    found = run_notebook(
        Context.open(load_config(make(tmp_path, "files"))), "rights_sharing_cookies"
    )
    errors = [f for f in found if f.status == "error"]
    assert {f.check for f in errors} == {"sharing.unapproved_recipient", "sharing.sale"}
    assert all("ValueError" in f.message and "4111" not in f.message for f in errors)
    assert any(f.check == "rights.request_overdue" and f.status == "fail" for f in found)


@pytest.mark.parametrize("layout", ["files", "mixed", "postgres"])
def test_the_consent_chart_counts_what_the_check_judged(tmp_path, layout, request):
    """The consent chart's months, with and without consent, sum to the check's events
    (its violations without consent); counted with the check, once, where the check computed
    the relation's rows itself: on a server beside it, from files from the rows it judged
    (events in a database and consents in files: the chart computes them from the candidate
    events again)."""
    from audit.checks import cookies

    pg_url = request.getfixturevalue("pg").create_db("coverage") if layout == "postgres" else None
    ctx = Context.open(load_config(make(tmp_path, layout, pg_url)))
    (found,) = [
        f for f in run_notebook(ctx, "rights_sharing_cookies") if f.check == cookies.CONSENT[0]
    ]
    ds = ctx.opened["events"]
    beside = ctx.peek(f"cookies-coverage:{ds.name}")
    assert (beside is not None) == (layout != "mixed")
    planned = cookies.plan(ctx, ds)
    assert planned is not None
    split = cookies.coverage(ctx, ds, *planned)
    assert beside is None or split is beside
    without, with_ = (int(split.get(k, pd.Series([], dtype="int64")).sum()) for k in (0.0, 1.0))
    assert (without, without + with_) == (found.violations, found.rows_checked)
