"""The sample's CSV and JSON Lines tables: keys, payments, tickets, rights, sharing, cookies.

Each table seeds violations on purpose and adds them to the truth as it writes them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .sample_data import Sizes, Truth, _Gen


def _iso(t: datetime | None) -> str:
    return "" if t is None else t.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_tables(
    g: _Gen, folder: Path, people: list[dict[str, Any]], truth: Truth, sizes: Sizes
) -> None:
    from .sample_data import write_csv

    live = [u for u in people if u["plan"] != "closed_clean"]
    ids = [u["user_id"] for u in live]
    now = g.now
    dense = sizes.violations  # at least this many of every violation (0: the usual few)
    key_cutoff = now.replace(year=now.year - 2)

    # ---- API keys: hashed secrets, a few in plain text; revocations; compromises
    keys = []
    n_keys = sizes.keys or max(30, len(ids) * 3 // 2)
    plan = (
        ["plain"] * max(2, n_keys // 40, dense)
        + ["late"] * max(2, dense // 2 + 1)
        + ["never"] * max(2, dense // 2 + 1)
        + ["fresh"]
        + ["quick"] * 2
        + ["exact"]
        + ["old"] * dense  # revoked before the 2-year cutoff
    )
    _room("keys", n_keys, len(plan))
    plan += ["normal"] * (n_keys - len(plan))
    for i, kind in enumerate(plan):
        created = g.ts_between(now - timedelta(days=5 * 365), now - timedelta(days=5))
        plain = g.secret()
        revoked = compromised = None
        if kind == "normal" and g.r.random() < 0.35:
            revoked = g.ts_between(created, now)
        elif kind in ("late", "quick", "exact"):
            compromised = g.ts_between(created, now - timedelta(days=4))
            delay = {
                "late": timedelta(hours=g.r.randrange(30, 90)),
                "quick": timedelta(hours=g.r.randrange(1, 20)),
                "exact": timedelta(hours=24),
            }[kind]
            revoked = compromised + delay
        elif kind == "never":
            compromised = g.ts_between(created, now - timedelta(days=3))
        elif kind == "fresh":  # compromised two hours ago: still within the 24 hours
            compromised = now - timedelta(hours=2)
        elif kind == "old":
            created = g.ts_between(now - timedelta(days=5 * 365), key_cutoff - timedelta(days=2))
            revoked = g.ts_between(created, key_cutoff - timedelta(days=1))
        keys.append(
            {
                "key_id": f"K{i:06d}",
                "user_id": g.r.choice(ids),
                "label": g.r.choice(["ci", "prod", "test"]),
                "secret": plain if kind == "plain" else g.hashed(plain),
                "created_at": _iso(created),
                "revoked_at": _iso(revoked),
                "compromised_at": _iso(compromised),
                "_revoked": revoked,
                "_compromised": compromised,
            }
        )
    truth.set(
        "credentials.plaintext_secret",
        "api_keys:secret",
        sum(k["secret"].startswith("sk_") for k in keys),
    )
    truth.set(
        "retention.expired_records",
        "api_keys",
        sum(k["_revoked"] is not None and k["_revoked"] < key_cutoff for k in keys),
    )
    late = 0
    for k in keys:
        c, r = k["_compromised"], k["_revoked"]
        if c is not None:
            deadline = c + timedelta(hours=24)
            late += (r is not None and r > deadline) or (r is None and deadline < now)
    truth.set("credentials.compromised_not_revoked", "api_keys", late)
    write_csv(
        folder / "api_keys.csv",
        keys,
        ["key_id", "user_id", "label", "secret", "created_at", "revoked_at", "compromised_at"],
    )

    # ---- payments: last-4 and masked numbers; seeded full numbers and security codes
    pays = []
    n_pay = sizes.payments or max(30, len(ids))
    n_full, n_cvv = max(3, n_pay // 30, dense), max(2, n_pay // 40, dense)
    _room("payments", n_pay, max(n_full, n_cvv))
    for i in range(n_pay):
        card = g.card(g.r.choice(["4", "51", "37"]), 15 if g.r.random() < 0.1 else 16)
        shown = g.r.choice(["**** **** **** " + card[-4:], card[-4:], "XXXX-" + card[-4:]])
        pays.append(
            {
                "payment_id": f"P{i:06d}",
                "user_id": g.r.choice(ids),
                "amount": f"{g.r.randrange(500, 90000) / 100:.2f}",
                "currency": "EUR",
                "card_number": shown,
                "cvv": "",
                "reference": f"ORD-{g.r.randrange(10**9, 10**10)}",
                "paid_at": _iso(g.ts_between(now - timedelta(days=700), now)),
            }
        )
    for p in g.r.sample(pays, n_full):
        c = g.card(g.r.choice(["4", "55", "6011"]), 16)
        p["card_number"] = g.r.choice(
            [
                c,
                " ".join(c[i : i + 4] for i in range(0, 16, 4)),
                "-".join(c[i : i + 4] for i in range(0, 16, 4)),
            ]
        )
    for p in g.r.sample(pays, n_cvv):
        p["cvv"] = str(g.r.randrange(100, 9999))
    # a 16-digit reference that fails Luhn is not a card
    pays[0]["reference"] = "4" + "1" * 14 + "2"
    truth.set("payment.full_card_number", "payments:card_number", n_full)
    truth.set("payment.card_security_code", "payments:cvv", n_cvv)
    write_csv(
        folder / "payments.csv",
        pays,
        [
            "payment_id",
            "user_id",
            "amount",
            "currency",
            "card_number",
            "cvv",
            "reference",
            "paid_at",
        ],
    )

    # ---- support tickets (JSON Lines, free text): some quote contact data, a card, a secret
    tickets = []
    bodies = [
        "The forecast endpoint returns 429 too often.",
        "Please raise my quota.",
        "Invoice shows the wrong VAT number.",
        "How do I rotate keys?",
        "Great service, thanks!",
    ]
    for i in range(sizes.tickets or max(20, len(ids) // 3)):
        u = g.r.choice(live)
        body = g.r.choice(bodies)
        if i % 7 == 3:
            body += f" You can reach me at {u['email'] or 'support'} or {u['phone'] or 'chat'}."
        tickets.append(
            {
                "ticket_id": i,
                "user_id": u["user_id"],
                "subject": body[:24],
                "body": body,
                "created_at": _iso(g.ts_between(now - timedelta(days=500), now)),
            }
        )
    tickets[1]["body"] = "My key " + g.secret() + " stopped working, please check."
    tickets[2]["body"] = (
        "Calling https://api.spectra.example/v1/quotes?api_key=" + g.secret() + " fails."
    )
    card = g.card("4", 16)
    tickets[4]["body"] = (
        "Please refund card " + " ".join(card[i : i + 4] for i in range(0, 16, 4)) + ", thank you."
    )
    if dense:  # more tickets quoting a secret, and more quoting a card
        _room("tickets", len(tickets), 2 * dense + 5)
        for n, i in enumerate(g.r.sample(range(5, len(tickets)), 2 * dense)):
            if n < dense:
                tickets[i]["body"] = "Key " + g.secret() + " was rotated?"
            else:
                c = g.card("5", 16)
                tickets[i]["body"] = "Charge " + "-".join(c[j : j + 4] for j in range(0, 16, 4))
    truth.set("credentials.plaintext_secret", "support_tickets:body", 2 + dense)
    truth.set("payment.full_card_number", "support_tickets:body", 1 + dense)
    with (folder / "support_tickets.jsonl").open("w", encoding="utf-8") as fh:
        for t in tickets:
            fh.write(json.dumps(t) + "\n")

    # ---- rights requests: aliases and case; overdue and open; deletions honoured or not
    reqs = []
    day = timedelta(days=1)
    types = ["access", "Correction", "PORTABILITY", "rectification", "export"]
    overdue = 0
    for _ in range(sizes.rights or max(20, len(ids) // 8)):
        received = g.ts_between(now - timedelta(days=400), now - timedelta(days=40))
        done = received + timedelta(days=g.r.randrange(1, 29))
        reqs.append(
            {"user_id": g.r.choice(ids), "type": g.r.choice(types), "_r": received, "_c": done}
        )
    for rtype in ("access", "erasure"):  # completed late
        r0 = g.ts_between(now - timedelta(days=300), now - timedelta(days=80))
        reqs.append(
            {
                "user_id": g.r.choice(ids),
                "type": rtype,
                "_r": r0,
                "_c": r0 + timedelta(days=g.r.randrange(31, 60)),
            }
        )
    r0 = g.ts_between(
        now - timedelta(days=300), now - timedelta(days=80)
    )  # exactly at the deadline: in time
    reqs.append({"user_id": g.r.choice(ids), "type": "Access", "_r": r0, "_c": r0 + 30 * day})
    reqs.append(
        {"user_id": g.r.choice(ids), "type": "correction", "_r": now - 45 * day, "_c": None}
    )  # open, overdue
    reqs.append(
        {"user_id": g.r.choice(ids), "type": "access", "_r": now - 5 * day, "_c": None}
    )  # open, in time
    for _ in range(dense):  # open and overdue
        r0 = g.ts_between(now - timedelta(days=300), now - timedelta(days=31))
        reqs.append({"user_id": g.r.choice(ids), "type": "portability", "_r": r0, "_c": None})
    not_honoured = g.r.sample(ids, max(3, dense))
    for uid in not_honoured:
        r0 = g.ts_between(now - timedelta(days=300), now - timedelta(days=60))
        reqs.append(
            {
                "user_id": uid,
                "type": g.r.choice(["deletion", "Erasure", " delete "]),
                "_r": r0,
                "_c": r0 + 7 * day,
            }
        )
    for j in range(4):  # honoured: the subject is gone from every dataset
        r0 = g.ts_between(now - timedelta(days=300), now - timedelta(days=60))
        reqs.append({"user_id": f"D{900000 + j}", "type": "deletion", "_r": r0, "_c": r0 + 3 * day})
    reqs.append(
        {"user_id": g.r.choice(ids), "type": "deletion", "_r": now - 3 * day, "_c": None}
    )  # open: not yet due
    for i, q in enumerate(reqs):
        deadline = q["_r"] + 30 * day
        overdue += (q["_c"] is not None and q["_c"] > deadline) or (
            q["_c"] is None and deadline < now
        )
        q.update(request_id=f"Q{i:05d}", received_at=_iso(q["_r"]), completed_at=_iso(q["_c"]))
    truth.set("rights.request_overdue", "rights_requests", overdue)
    # subjects of completed deletions (any spelling this generator writes) who still have rows:
    # every user id has a row in the accounts table; the D9... subjects have none anywhere
    deletion_words = {"deletion", "erasure", "delete"}
    all_ids = {u["user_id"] for u in people}
    deleted = {
        q["user_id"]
        for q in reqs
        if q["type"].strip().lower() in deletion_words and q["_c"] is not None
    }
    truth.set("rights.deletion_not_honoured", "rights_requests", len(deleted & all_ids))
    write_csv(
        folder / "rights_requests.csv",
        reqs,
        ["request_id", "user_id", "type", "received_at", "completed_at"],
    )

    # ---- disclosures: approved recipients in any case; one unapproved broker; a sale
    recips = ["Hosting Provider", " payment processor", "ANALYTICS PROVIDER", "law enforcement"]
    purposes = ["hosting", "payment processing", "usage analytics", "legal request"]
    disc = []
    for i in range(max(20, len(ids) // 5, dense + 20)):
        j = g.r.randrange(4)
        disc.append(
            {
                "disclosure_id": f"X{i:05d}",
                "user_id": g.r.choice(ids),
                "recipient": recips[j],
                "purpose": purposes[j],
                "disclosed_at": _iso(g.ts_between(now - timedelta(days=600), now)),
            }
        )
    disc[3].update(recipient="DataBroker Ltd", purpose="Sale")
    disc[5].update(recipient="AdNetwork Inc", purpose="marketing")
    disc[8].update(purpose=" SALE ")
    for d in disc[10 : 10 + dense]:  # sold to a broker: unapproved, and a sale
        d.update(recipient=g.r.choice(["DataBroker Ltd", "data broker"]), purpose="sale")
    truth.set("sharing.unapproved_recipient", "disclosures", 2 + dense)
    truth.set("sharing.sale", "disclosures", 2 + dense)
    write_csv(
        folder / "disclosures.csv",
        disc,
        ["disclosure_id", "user_id", "recipient", "purpose", "disclosed_at"],
    )

    # ---- consents and cookie events
    consents: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    grant: dict[str, tuple[datetime, datetime | None]] = {}
    for uid in ids:
        if g.r.random() < 0.6:
            gt = g.ts_between(now - timedelta(days=700), now - timedelta(days=100))
            wd = gt + timedelta(days=g.r.randrange(20, 60)) if g.r.random() < 0.15 else None
            grant[uid] = (gt, wd)
            consents.append(
                {
                    "consent_id": f"C{len(consents):05d}",
                    "user_id": uid,
                    "consent_type": g.r.choice(["analytics", "Analytics"]),
                    "granted_at": _iso(gt),
                    "withdrawn_at": _iso(wd),
                }
            )
        if g.r.random() < 0.2:
            consents.append(
                {
                    "consent_id": f"C{len(consents):05d}",
                    "user_id": uid,
                    "consent_type": "marketing",
                    "granted_at": _iso(now - timedelta(days=50)),
                    "withdrawn_at": "",
                }
            )
    bad = 0
    for i in range(sizes.cookies or max(60, len(ids) * 2)):
        uid = g.r.choice(ids) if i % 29 else ""
        cat = g.r.choice(["analytics", "session", "Analytics ", "session"])
        when = g.ts_between(now - timedelta(days=720), now)
        if uid in grant and cat.strip().lower() == "analytics" and i % 3:
            gt, wd = grant[uid]
            when = g.ts_between(gt, wd or now)  # mostly inside the consent
        if i == 10 and grant:  # exactly at the grant: consent in force
            uid = next(iter(grant))
            cat, when = "analytics", grant[uid][0]
        events.append(
            {"event_id": i, "user_id": uid, "category": cat, "ts": _iso(when), "_t": when}
        )
    for e in events:
        if e["category"].strip().lower() != "analytics":
            continue
        gw = grant.get(e["user_id"])
        in_force = gw is not None and gw[0] <= e["_t"] and (gw[1] is None or gw[1] > e["_t"])
        bad += not in_force
    truth.set("cookies.analytics_without_consent", "cookie_events", bad)
    write_csv(
        folder / "consents.csv",
        consents,
        ["consent_id", "user_id", "consent_type", "granted_at", "withdrawn_at"],
    )
    with (folder / "cookie_events.jsonl").open("w", encoding="utf-8") as fh:
        for e in events:
            fh.write(json.dumps({k: v for k, v in e.items() if not k.startswith("_")}) + "\n")

    # ---- a file no dataset maps: the inventory must find it
    exports = folder / "exports"
    exports.mkdir(exist_ok=True)
    rows = [
        {
            "contact": u["email"],
            "name": u["full_name"],
            "ip": f"10.1.{i % 250}.{i % 200 + 1}",
            "exported_at": _iso(now - timedelta(days=20)),
        }
        for i, u in enumerate(live[: max(40, dense)])
    ]
    write_csv(exports / "crm_export.csv", rows, ["contact", "name", "ip", "exported_at"])
    for col in ("contact", "name", "ip"):
        truth.set(
            "inventory.unmapped_personal_data",
            f"exports/crm_export.csv:{col}",
            sum(bool(r[col]) for r in rows),
        )
    # the policy does not declare card security codes: each stored one is undeclared data too
    truth.set("inventory.undeclared_category", "payments:cvv", n_cvv)
    truth.notes["unmapped"] = (
        "app.db table newsletter_signups and files/exports/crm_export.csv hold personal data no dataset maps"
    )
    truth.notes["consents"] = f"{len(grant)} subjects granted analytics consent"
    _ = UTC


def _room(table: str, rows: int, needed: int) -> None:
    """A table too small for the violations seeded in it is the caller's mistake: say so."""
    if rows < needed:
        raise ValueError(f"{rows} {table} cannot hold the seeded violations: use {needed} or more")
