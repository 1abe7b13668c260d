"""The hand-written baseline: the audit's violation counts in plain vectorized pandas.

Single-threaded, no great-expectations, one pass per rule, only the columns a rule needs.
It reads a workload whose datasets are all files (the Parquet workload of the bench) and
prints ``{"seconds": ..., "violations": {check: {place: n}}}`` as JSON, places as the truth
file writes them (``dataset`` for row checks, ``dataset:column`` for column scans).

The inventory's two checks (categories of columns) are not rules over rows and are left
out; the card-number judgement of candidate values uses ``audit.detect`` (Luhn, issuer
prefixes), as writing it twice would only test the copy.

Usage: ``python -m benchmarks.baseline WORKLOAD/parquet.yml``
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import yaml

from audit.detect import (
    CARD_PREFILTER,
    HASHED,
    SECURITY_CODE_VALUE,
    holds_card_number,
    is_security_code_column,
)

BLANKS = " \t\n\r"
APPROVED = {"hosting provider", "payment processor", "analytics provider", "law enforcement"}
PROHIBITED = {"sale", "selling", "data sale", "data brokerage", "advertising resale"}
DELETION = {"deletion", "erasure", "delete", "removal", "forget", "right_to_be_forgotten"}
SECRET = r"sk_(?:live|test)_[A-Za-z0-9]{16,}"
DAY = 86400.0


def read(root: Path, spec: dict, columns: list[str] | None = None) -> pd.DataFrame:
    files = sorted(root.glob(spec["files"]))
    return pd.concat([pd.read_parquet(f, columns=columns) for f in files], ignore_index=True)


def txt(s: pd.Series) -> pd.Series:
    t = s.astype("str").str.strip(BLANKS).where(s.notna())
    return t.where(t != "")


def epoch(s: pd.Series) -> pd.Series:
    if not pd.api.types.is_datetime64_any_dtype(s):
        s = pd.to_datetime(txt(s), utc=True, format="ISO8601", errors="coerce")
    return (s - pd.Timestamp("1970-01-01", tz="UTC")) / pd.Timedelta(seconds=1)


def ymd(s: pd.Series) -> pd.Series:
    t = pd.to_datetime(txt(s), utc=True, format="ISO8601", errors="coerce")
    return t.dt.year * 10000 + t.dt.month * 100 + t.dt.day


def count(cfg_path: Path) -> dict[str, dict[str, int]]:
    cfg = yaml.safe_load(cfg_path.read_text())
    root = cfg_path.parent / cfg["sources"]["files"]["path"]
    as_of = pd.Timestamp(str(cfg["as_of"]), tz="UTC")
    now, now_ymd = as_of.timestamp(), as_of.year * 10000 + as_of.month * 100 + as_of.day
    two_years = pd.Timestamp(
        as_of.year - 2, as_of.month, min(as_of.day, 28) if as_of.month == 2 else as_of.day, tz="UTC"
    ).timestamp()
    ds = cfg["datasets"]
    kind = {
        k: [n for n, d in ds.items() if d["kind"] == k] for k in {d["kind"] for d in ds.values()}
    }
    out: dict[str, dict[str, int]] = defaultdict(dict)

    def put(check: str, place: str, n: int) -> None:
        if n:
            out[check][place] = int(n)

    for name in kind.get("accounts", []):
        r = ds[name]["roles"]
        u = read(root, ds[name])
        dob, created = ymd(u[r["date_of_birth"]]), ymd(u[r["created_at"]]).fillna(now_ymd)
        put("minors.under_minimum_age", name, ((created - dob) // 10000 < 13).sum())
        flag = (
            txt(u[r["minor_flag"]])
            .str.lower()
            .map(
                lambda v: (
                    1
                    if v in ("1", "y", "yes", "true", "t")
                    else 0
                    if v in ("0", "n", "no", "false", "f")
                    else None
                )
            )
            .where(txt(u[r["minor_flag"]]).notna(), 0)
        )
        minor = ((now_ymd - dob) // 10000 < 18).astype("float").where(dob.notna())
        put("minors.flag_mismatch", name, (minor.notna() & flag.notna() & (flag != minor)).sum())
        put("minors.age_unknown", name, txt(u[r["date_of_birth"]]).isna().sum())
        closed = epoch(u[r["closed_at"]]) < now - 90 * DAY
        personal = [
            c
            for c in u.columns
            if c not in (ds[name]["key"], r["minor_flag"], r["created_at"], r["closed_at"])
        ]
        put(
            "retention.closed_account_data",
            name,
            (closed & u[personal].apply(txt).notna().any(axis=1)).sum(),
        )
    for name in kind.get("usage_log", []):
        col = ds[name]["roles"]["event_time"]
        put(
            "retention.expired_records",
            name,
            (epoch(read(root, ds[name], [col])[col]) < two_years).sum(),
        )
    role_secret = {}
    for name in kind.get("api_keys", []):
        r = ds[name]["roles"]
        k = read(root, ds[name])
        put("retention.expired_records", name, (epoch(k[r["revoked_at"]]) < two_years).sum())
        s = txt(k[r["secret"]]).dropna()
        put(
            "credentials.plaintext_secret", f"{name}:{r['secret']}", (~s.str.contains(HASHED)).sum()
        )
        role_secret[name] = r["secret"]
        c, v = epoch(k[r["compromised_at"]]), epoch(k[r["revoked_at"]])
        late = c.notna() & (v.fillna(now) - c > DAY)
        put("credentials.compromised_not_revoked", name, late.sum())
    keys_of: dict[str, set[str]] = {}
    for name, spec in ds.items():
        f = read(root, spec)
        if spec.get("key") and spec["kind"] != "rights_requests":
            keys_of[name] = set(txt(f[spec["key"]]).dropna())
        role = spec.get("roles", {}).get("card_security_code")
        for col in f.columns:
            is_text = pd.api.types.is_string_dtype(f[col]) or f[col].dtype == object
            t = txt(f[col]).dropna()
            if is_text or pd.api.types.is_integer_dtype(f[col]):
                cand = t[t.str.contains(CARD_PREFILTER)]
                put("payment.full_card_number", f"{name}:{col}", cand.map(holds_card_number).sum())
            if is_text and col != role_secret.get(name):
                put("credentials.plaintext_secret", f"{name}:{col}", t.str.contains(SECRET).sum())
            if col == role or (col != spec.get("key") and is_security_code_column(col)):
                put(
                    "payment.card_security_code",
                    f"{name}:{col}",
                    t.str.match(SECURITY_CODE_VALUE.strip("^$") + "$").sum(),
                )
    for name in kind.get("rights_requests", []):
        r = ds[name]["roles"]
        q = read(root, ds[name])
        rec, done = epoch(q[r["received_at"]]), epoch(q[r["completed_at"]])
        put("rights.request_overdue", name, (done.fillna(now) - rec > 30 * DAY).sum())
        typ = txt(q[r["request_type"]]).str.casefold()
        gone = set(txt(q[ds[name]["key"]])[typ.isin(DELETION) & done.notna()].dropna())
        put(
            "rights.deletion_not_honoured",
            name,
            sum(1 for s in gone if any(s in k for k in keys_of.values())),
        )
    for name in kind.get("disclosures", []):
        r = ds[name]["roles"]
        d = read(root, ds[name])
        rec, pur = txt(d[r["recipient"]]).str.casefold(), txt(d[r["purpose"]]).str.casefold()
        put("sharing.unapproved_recipient", name, (rec.notna() & ~rec.isin(APPROVED)).sum())
        put("sharing.sale", name, pur.isin(PROHIBITED).sum())
    grants = []
    for name in kind.get("consents", []):
        r, key = ds[name]["roles"], ds[name]["key"]
        c = read(root, ds[name])
        g = pd.DataFrame(
            {
                "k": txt(c[key]),
                "t": txt(c[r["consent_type"]]).str.casefold(),
                "g": epoch(c[r["granted_at"]]),
                "w": epoch(c[r["withdrawn_at"]]),
            }
        )
        grants.append(g[(g["t"] == "analytics") & g["g"].notna()])
    gr = pd.concat(grants) if grants else pd.DataFrame(columns=["k", "t", "g", "w"])
    for name in kind.get("cookie_events", []):
        r, key = ds[name]["roles"], ds[name]["key"]
        e = read(root, ds[name], [key, r["cookie_category"], r["event_time"]])
        ev = pd.DataFrame(
            {
                "k": txt(e[key]),
                "c": txt(e[r["cookie_category"]]).str.casefold(),
                "at": epoch(e[r["event_time"]]),
            }
        )
        ev = ev[ev["c"] == "analytics"].reset_index()
        m = ev.merge(gr, on="k")
        ok = set(m.loc[(m["g"] <= m["at"]) & (m["w"].isna() | (m["w"] > m["at"])), "index"])
        put("cookies.analytics_without_consent", name, len(ev) - len(ok))
    return dict(out)


def main(argv: list[str], counter: Callable[[Path], dict[str, dict[str, int]]] = count) -> None:
    """Print what ``counter`` counts on the config ``argv[0]``, and the seconds it took (the
    SQL baseline prints through it too)."""
    t0 = time.perf_counter()
    found = counter(Path(argv[0]))
    print(json.dumps({"seconds": time.perf_counter() - t0, "violations": found}))


if __name__ == "__main__":
    main(sys.argv[1:])
