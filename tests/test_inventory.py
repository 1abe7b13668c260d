"""The inventory: classification on a hand-written fixture, undeclared and unmapped data,
discovery of unmapped tables and files, a corrupt file that never stops the audit."""

from __future__ import annotations

import pandas as pd
import yaml

from audit.checks import run_notebook
from audit.checks.base import Context
from audit.cli import main
from audit.config import load_config
from audit.inventory import build

from .conftest import write_sqlite

PEOPLE = pd.DataFrame(
    {
        "user_id": [f"u{i}" for i in range(8)],
        "email": [f"p{i}@example.org" for i in range(7)] + [""],
        "birthday": [
            "1980-01-02",
            "1991-05-06",
            "1975-07-08",
            "",
            "2001-11-12",
            "1968-03-04",
            "1999-09-09",
            "1985-10-10",
        ],
        "passport_no": [
            "078-05-1121",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],  # a US SSN where none is declared
        "amount": ["12.50", "3.00", "7.25", "1.00", "9.99", "4.10", "5.55", "6.60"],
    }
)
LEADS = pd.DataFrame(
    {
        "lead": [f"Jana Novak{i}" if i % 2 else f"Ola Berg {i}" for i in range(6)],
        "mail": [f"lead{i}@corp.example" for i in range(6)],
        "score": ["1", "2", "3", "4", "5", "6"],
    }
)


def make(tmp_path):
    (tmp_path / "f").mkdir()
    PEOPLE.to_csv(tmp_path / "f" / "people.csv", index=False)
    (tmp_path / "f" / "old").mkdir()
    pd.DataFrame({"ip": ["203.0.113.9", "198.51.100.7"], "path": ["/a", "/b"]}).to_csv(
        tmp_path / "f" / "old" / "access.csv", index=False
    )
    (tmp_path / "f" / "broken.parquet").write_bytes(b"PAR1 not really parquet")
    write_sqlite(tmp_path / "crm.db", {"leads": LEADS})
    cfg = tmp_path / "audit.yml"
    cfg.write_text(
        "as_of: 2026-11-26\nsources:\n  f: {path: f}\n  crm: {url: 'sqlite:///crm.db'}\n"
        "datasets:\n  people:\n    source: f\n    files: people.csv\n    kind: accounts\n    key: user_id\n"
        "    roles: {date_of_birth: birthday}\n"
    )
    return cfg


def test_inventory_classifies_and_discovers(tmp_path):
    inv = build(Context.open(load_config(make(tmp_path))))
    cats = {(e.dataset, e.column): e.category for e in inv.entries}
    assert cats[("people", "email")] == "email"
    assert cats[("people", "birthday")] == "date_of_birth"
    assert cats[("people", "passport_no")] == "government_id"
    assert cats[("people", "amount")] is None and cats[("people", "user_id")] is None
    assert cats[("leads", "mail")] == "email" and cats[("old/access.csv", "ip")] == "ip_address"
    assert [u.dataset for u in inv.unreadable] == ["broken.parquet"]
    e = next(e for e in inv.entries if e.column == "email")
    assert (e.fideslang, e.declared, e.null_share) == ("user.contact.email", True, 0.125)
    assert e.evidence["matches"] == {"email": 7}


def test_undeclared_and_unmapped_findings(tmp_path):
    found = run_notebook(Context.open(load_config(make(tmp_path))), "inventory")
    got = {(f.check, f.dataset, f.column): (f.status, f.violations) for f in found}
    assert got[("inventory.undeclared_category", "people", "birthday")] == (
        "fail",
        7,
    )  # role: every non-empty value
    assert got[("inventory.undeclared_category", "people", "passport_no")] == ("fail", 1)
    assert got[("inventory.unmapped_personal_data", "leads", "mail")] == ("fail", 6)
    assert got[("inventory.unmapped_personal_data", "old/access.csv", "ip")] == ("fail", 2)
    assert (
        got[("inventory.unmapped_personal_data", "broken.parquet", None)][0] == "error"
    )  # reported, not fatal
    assert ("inventory.undeclared_category", "people", "email") not in got  # email is declared


def test_audit_inventory_writes_inventory_and_a_draft_config(tmp_path, capsys):
    cfg = make(tmp_path)
    out = tmp_path / "inv"
    assert main(["inventory", "--config", str(cfg), "--out", str(out)]) == 0
    rows = pd.read_json(out / "inventory.json")
    assert set(rows.columns) >= {
        "dataset",
        "column",
        "category",
        "fideslang",
        "confidence",
        "evidence",
        "declared",
        "role",
        "null_share",
    }
    assert (out / "inventory.csv").is_file()
    draft = yaml.safe_load((out / "draft-config.yml").read_text())
    assert draft["datasets"]["leads"] == {"source": "crm", "table": "leads", "kind": "other"}
    assert draft["datasets"]["old_access_csv"]["files"] == "old/access.csv"
    text = (out / "inventory.json").read_text() + (out / "draft-config.yml").read_text()
    assert "p1@example.org" not in text and "078-05-1121" not in text


def test_time_spans_and_records_per_month(tmp_path, request):
    from audit.inventory import records_per_month, time_spans

    from .conftest import load_postgres

    events = pd.DataFrame(
        {
            "user_id": ["a", "b", "c", "d", "e"],
            "ts": ["2026-01-31T23:30:00-02:00", "2026-02-01", "2026-02-15T10:00:00Z", "", "bad"],
        }
    )
    (tmp_path / "f").mkdir()
    events.to_csv(tmp_path / "f" / "e.csv", index=False)
    cfg = tmp_path / "audit.yml"
    cfg.write_text(
        "as_of: 2026-11-26\nsources: {f: {path: f}}\ndatasets:\n"
        "  e: {source: f, files: e.csv, kind: usage_log, key: user_id, roles: {event_time: ts}}\n"
    )
    ctx = Context.open(load_config(cfg))
    assert records_per_month(ctx, ctx.opened["e"], "ts").to_dict() == {
        "2026-02": 3
    }  # 31 Jan -02:00 is 1 Feb UTC
    span = time_spans(ctx).iloc[0].to_dict()
    assert (span["first month"], span["last month"], span["rows with a time"]) == (
        "2026-02",
        "2026-02",
        3,
    )
    url = request.getfixturevalue("pg").create_db("months")
    load_postgres(url, {"e": events})
    cfg.write_text(
        f'as_of: 2026-11-26\nsources: {{db: {{url: "{url}"}}}}\ndatasets:\n'
        "  e: {source: db, table: e, kind: usage_log, key: user_id, roles: {event_time: ts}}\n"
    )
    ctx = Context.open(load_config(cfg))
    assert records_per_month(ctx, ctx.opened["e"], "ts").to_dict() == {"2026-02": 3}
