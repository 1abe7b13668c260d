"""The bench's workloads: ``audit sample-data`` at a size, then as Parquet and in PostgreSQL.

``W10`` (scale 1.0): 1 M accounts, 10 M usage-log rows, 200 k API keys, 1 M payments,
100 k support tickets, 50 k rights requests, 5 M cookie events.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd

W10 = {
    "users": 1_000_000,
    "events": 10_000_000,
    "keys": 200_000,
    "payments": 1_000_000,
    "tickets": 100_000,
    "rights": 50_000,
    "cookies": 5_000_000,
}
FILES = {
    "api_keys": "api_keys.csv",
    "payments": "payments.csv",
    "support_tickets": "support_tickets.jsonl",
    "rights_requests": "rights_requests.csv",
    "disclosures": "disclosures.csv",
    "consents": "consents.csv",
    "cookie_events": "cookie_events.jsonl",
}


def sizes(scale: float) -> dict[str, int]:
    return {k: max(50 if k == "users" else 30, int(v * scale)) for k, v in W10.items()}


def generate(folder: Path, scale: float) -> Path:
    """``audit sample-data`` into ``folder`` (kept when it already holds this scale)."""
    stamp = folder / ".scale"
    if stamp.exists() and stamp.read_text() == str(scale):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    args = [f"--{k}={v}" for k, v in sizes(scale).items()]
    audit = Path(sys.executable).with_name("audit")
    subprocess.run([str(audit), "sample-data", "--out", str(folder), *args], check=True)
    as_parquet(folder)
    stamp.write_text(str(scale))
    return folder


def as_parquet(folder: Path) -> Path:
    """Every dataset as Parquet files (text stays text), config ``parquet.yml``."""
    files = folder / "files"
    con = sqlite3.connect(folder / "app.db")
    pd.read_sql("SELECT * FROM users", con).astype("str").where(lambda d: d != "None").to_parquet(
        files / "users.parquet", index=False
    )
    con.close()
    for name, f in FILES.items():
        p = files / f
        df = (
            pd.read_csv(p, dtype="str", keep_default_na=False)
            if f.endswith(".csv")
            else pd.read_json(p, lines=True, dtype=False)
        )
        df.to_parquet(files / f"{name}.parquet", index=False)
        p.unlink()
    text = (folder / "audit.yml").read_text()
    text = text.replace('  app: {url: "sqlite:///app.db"}\n', "")
    text = text.replace("source: app\n    table: users", "source: files\n    files: users.parquet")
    for name, f in FILES.items():
        text = text.replace(f"files: {f}", f"files: {name}.parquet")
    (folder / "parquet.yml").write_text(text)
    return folder / "parquet.yml"


def load_postgres(folder: Path, url: str) -> Path:
    """The Parquet workload copied into PostgreSQL (text columns, timestamptz for usage
    times), config ``postgres.yml``."""
    import psycopg

    files = folder / "files"
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    tables: dict[str, list[Path]] = {
        "api_requests": sorted((files / "usage").rglob("*.parquet")),
        "users": [files / "users.parquet"],
        **{n: [files / f"{n}.parquet"] for n in FILES},
    }
    with psycopg.connect(plain, autocommit=True) as con:
        for table, parts in tables.items():
            first = pd.read_parquet(parts[0])
            cols = ", ".join(
                f'"{c}" '
                + (
                    "timestamptz"
                    if str(t).startswith("datetime")
                    else "bigint"
                    if str(t) == "int64"
                    else "text"
                )
                for c, t in first.dtypes.items()
            )
            con.execute(f'DROP TABLE IF EXISTS "{table}"')
            con.execute(f'CREATE TABLE "{table}" ({cols})')
            names = ", ".join(f'"{c}"' for c in first.columns)
            copy = f"COPY \"{table}\" ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            for part in parts:
                df = pd.read_parquet(part)
                with con.cursor().copy(copy) as cp:
                    for start in range(0, len(df), 200_000):  # CSV text: NULL apart from ""
                        chunk = df.iloc[start : start + 200_000]
                        cp.write(chunk.to_csv(index=False, header=False, na_rep="\\N"))
            con.execute(f'ANALYZE "{table}"')
    text = (folder / "parquet.yml").read_text()
    text = text.replace(
        # the files source keeps only what is not in the database (the unmapped export), so
        # the audit on PostgreSQL reads no Parquet copy of the tables
        "  files: {path: files}",
        f'  files: {{path: files/exports}}\n  db: {{url: "{url}"}}',
    )
    text = text.replace(
        'source: files\n    files: "usage/**/*.parquet"', "source: db\n    table: api_requests"
    )
    text = text.replace("source: files\n    files: users.parquet", "source: db\n    table: users")
    for name in FILES:
        text = text.replace(
            f"source: files\n    files: {name}.parquet", f"source: db\n    table: {name}"
        )
    (folder / "postgres.yml").write_text(text)
    return folder / "postgres.yml"
