"""The sample data set against its truth file, on the pandas path and on the SQLite path.

The generator counts its seeded violations with its own arithmetic; the checks must agree.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from audit.checks import NOTEBOOKS, run_notebook
from audit.checks.base import Context
from audit.config import load_config
from audit.sample_data import Sizes, generate

from .conftest import (
    load_mariadb,
    load_postgres,
    truth_violations,
    violations_by_place,
    write_sqlite,
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample")
    generate(out, users=300, events=4000, seed=11)
    return out


def _copy(sample: Path, layout: str) -> Path:
    dst = sample.parent / f"{sample.name}-{layout}"
    shutil.copytree(sample, dst)
    return dst


def _as_files(sample: Path, layout: str = "files") -> Path:
    """Every dataset on the pandas path: the accounts table moved out of SQLite into a CSV."""
    sample = _copy(sample, layout)
    con = sqlite3.connect(sample / "app.db")
    pd.read_sql("SELECT * FROM users", con).to_csv(sample / "files" / "users.csv", index=False)
    con.execute("DROP TABLE users")
    con.commit()
    con.close()
    text = (
        (sample / "audit.yml")
        .read_text()
        .replace("source: app\n    table: users", "source: files\n    files: users.csv")
    )
    cfg = sample / "files.yml"
    cfg.write_text(text)
    return cfg


def _text(df: pd.DataFrame) -> pd.DataFrame:
    """Every value as text, missing values as NULL (as a loosely typed store holds them)."""
    return df.astype(object).where(df.notna(), None).map(lambda x: x if x is None else str(x))


def _as_sqlite(sample: Path) -> Path:
    """Every file dataset loaded into one SQLite database (timestamps as ISO text with +HHMM
    offsets), so every check, the cross-dataset ones included, runs in SQL."""
    sample = _copy(sample, "sqlite")
    files = sample / "files"
    usage = pd.concat(pd.read_parquet(p) for p in sorted((files / "usage").rglob("*.parquet")))
    usage["ts"] = usage["ts"].dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    tables = {"api_requests": _text(usage)}
    for name in ("api_keys", "payments", "rights_requests", "disclosures", "consents"):
        tables[name] = pd.read_csv(files / f"{name}.csv", dtype="str", keep_default_na=False)
    for name in ("support_tickets", "cookie_events"):
        tables[name] = _text(pd.read_json(files / f"{name}.jsonl", lines=True, dtype=False))
    write_sqlite(sample / "logs.db", tables)
    shutil.rmtree(files / "usage")
    for p in [*files.glob("*.csv"), *files.glob("*.jsonl")]:
        p.unlink()  # moved into the database; only the unmapped export stays a file
    text = (sample / "audit.yml").read_text()
    text = text.replace(
        "  files: {path: files}", '  files: {path: files}\n  logs: {url: "sqlite:///logs.db"}'
    )
    text = text.replace(
        'source: files\n    files: "usage/**/*.parquet"', "source: logs\n    table: api_requests"
    )
    for name in tables:
        for ext in ("csv", "jsonl"):
            text = text.replace(
                f"source: files\n    files: {name}.{ext}", f"source: logs\n    table: {name}"
            )
    assert "source: files" not in text
    cfg = sample / "sqlite.yml"
    cfg.write_text(text)
    return cfg


TIMES = {
    "users": ("created_at", "closed_at"),
    "api_requests": ("ts",),
    "api_keys": ("created_at", "revoked_at", "compromised_at"),
    "rights_requests": ("received_at", "completed_at"),
    "consents": ("granted_at", "withdrawn_at"),
    "cookie_events": ("ts",),
    "disclosures": ("disclosed_at",),
    "payments": ("paid_at",),
}


def _typed_tables(sample: Path) -> dict[str, pd.DataFrame]:
    """Every table but the unmapped export, with times as UTC times, the date of birth as a
    date and the minor flag as a boolean, for the databases that type them."""
    files = sample / "files"
    con = sqlite3.connect(sample / "app.db")
    tables = {t: pd.read_sql(f"SELECT * FROM {t}", con) for t in ("users", "newsletter_signups")}
    con.close()
    tables["api_requests"] = pd.concat(
        pd.read_parquet(p) for p in sorted((files / "usage").rglob("*.parquet"))
    )
    for name in ("api_keys", "payments", "rights_requests", "disclosures", "consents"):
        tables[name] = pd.read_csv(files / f"{name}.csv", dtype="str", keep_default_na=False)
    for name in ("support_tickets", "cookie_events"):
        tables[name] = pd.read_json(files / f"{name}.jsonl", lines=True, dtype=False)
    for name, cols in TIMES.items():
        for c in cols:
            tables[name][c] = pd.to_datetime(
                tables[name][c].replace("", None), utc=True, format="ISO8601"
            )
    users = tables["users"]
    users["dob"] = pd.to_datetime(users["dob"].replace("", None)).dt.date
    words = {
        "y": True,
        "yes": True,
        "1": True,
        "true": True,
        "n": False,
        "no": False,
        "0": False,
        "false": False,
    }
    users["is_minor"] = users["is_minor"].map(
        lambda v: words.get(str(v).strip().lower()) if v not in (None, "") else None
    )
    return tables


def _into_database(sample: Path, url: str, tables: dict[str, pd.DataFrame], layout: str) -> Path:
    """The config of the sample with every dataset in the database at ``url`` (only the
    unmapped export stays a file)."""
    files = sample / "files"
    shutil.rmtree(files / "usage")
    for p in [*files.glob("*.csv"), *files.glob("*.jsonl")]:
        p.unlink()
    (sample / "app.db").unlink()
    text = (
        (sample / "audit.yml")
        .read_text()
        .replace('app: {url: "sqlite:///app.db"}', f'app: {{url: "{url}"}}')
    )
    text = text.replace(
        'source: files\n    files: "usage/**/*.parquet"', "source: app\n    table: api_requests"
    )
    for name in tables:
        for ext in ("csv", "jsonl"):
            text = text.replace(
                f"source: files\n    files: {name}.{ext}", f"source: app\n    table: {name}"
            )
    assert "source: files" not in text
    cfg = sample / f"{layout}.yml"
    cfg.write_text(text)
    return cfg


def _as_postgres(sample: Path, url: str) -> Path:
    """Everything in PostgreSQL with typed columns: timestamptz, date of birth as date,
    the minor flag as boolean; the unmapped table too. Only the unmapped export stays a file."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql as pgt

    sample = _copy(sample, "postgres")
    tables = _typed_tables(sample)
    dtypes: dict[str, dict] = {
        name: {c: pgt.TIMESTAMP(timezone=True) for c in cols} for name, cols in TIMES.items()
    }
    dtypes["users"] |= {"dob": sa.Date(), "is_minor": sa.Boolean()}
    load_postgres(url, tables, dtypes)
    return _into_database(sample, url, tables, "postgres")


def _as_mariadb(sample: Path, server, db: str) -> Path:
    """Everything in MariaDB with typed columns (DATETIME in UTC, DATE, BOOLEAN), its default
    case-insensitive collation, and a server time zone that is not UTC."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import mysql

    sample = _copy(sample, db)
    tables = _typed_tables(sample)
    dtypes: dict[str, dict] = {
        name: {c: mysql.DATETIME(fsp=6) for c in cols} for name, cols in TIMES.items()
    }
    dtypes["users"] |= {"dob": sa.Date(), "is_minor": sa.Boolean()}
    url = load_mariadb(server, db, tables, dtypes)
    return _into_database(sample, url, tables, db)


def _as_spark(sample: Path, master: str, conf: str = "", layout: str = "spark") -> Path:
    """Every dataset as files, read by Spark on ``master`` (``conf``: the source's Spark
    settings, as YAML mapping entries)."""
    cfg = _as_files(sample, layout)
    extra = f", conf: {{{conf}}}" if conf else ""
    text = cfg.read_text().replace(
        "  files: {path: files}",
        f'  files: {{path: files, engine: spark, master: "{master}"{extra}}}',
    )
    assert "engine: spark" in text
    cfg.write_text(text)
    return cfg


# Spark: the same sample runs through `audit run` on a Spark cluster in test_spark_cluster.py,
# and the dense sample below on Spark in local mode
@pytest.mark.parametrize("path", ["files", "sqlite", "mixed", "postgres", "mariadb"])
def test_findings_equal_the_truth(sample, path, request):
    if path == "postgres":
        cfg = _as_postgres(sample, request.getfixturevalue("pg").create_db("sample"))
    elif path == "mariadb":
        cfg = _as_mariadb(sample, request.getfixturevalue("mariadb"), "sample")
    else:
        cfg = {"files": _as_files, "sqlite": _as_sqlite, "mixed": lambda s: s / "audit.yml"}[path](
            sample
        )
    ctx = Context.open(load_config(cfg))
    found = [f for nb in NOTEBOOKS for f in run_notebook(ctx, nb)]
    assert all(f.status in ("pass", "fail") for f in found), [
        (f.id, f.message) for f in found if f.status not in ("pass", "fail")
    ]
    assert violations_by_place([f.to_json() for f in found]) == truth_violations(
        sample / "truth.json"
    )
    engines = {d.engine for d in ctx.opened.values()}
    assert (
        engines
        == {
            "files": {"pandas"},
            "sqlite": {"sql"},
            "mixed": {"sql", "pandas"},
            "postgres": {"sql"},
            "mariadb": {"sql"},
        }[path]
    )


#: every seeded violation of every check is past this many (and so past great-expectations'
#: 200-value lists, the inventory's sample and the forced scan size below)
DENSE = 1_050


@pytest.fixture(scope="module")
def dense_sample(tmp_path_factory) -> Path:
    """The sample with more than 1,000 violations of every check at every place, seeded densely
    (5,000 accounts, a few thousand rows a table), and an inventory sample of 400 values."""
    out = tmp_path_factory.mktemp("dense")
    sizes = Sizes(
        keys=4_500, payments=2_400, tickets=2_300, rights=60, cookies=4_600, violations=DENSE
    )
    generate(out, users=5_000, events=3_500, seed=23, sizes=sizes)
    cfg = out / "audit.yml"
    cfg.write_text(cfg.read_text().replace("\nsources:", "\nsample_size: 400\nsources:", 1))
    return out


# MariaDB: the plain sample above (its dense run took 39 s of the suite's 15 minutes)
@pytest.mark.parametrize("path", ["files", "sqlite", "postgres", "spark"])
def test_every_count_past_every_limit_equals_the_truth(dense_sample, path, request, monkeypatch):
    """Counts over a thousand, with the limits forced small: every pandas scan one column at a
    time (fewer values than a column has rows) and a cache of 1 MB (whole datasets evicted
    and read again)."""
    truth = truth_violations(dense_sample / "truth.json")
    assert min(n for places in truth.values() for n in places.values()) > 1_000
    assert len(truth) == 16, "every check has seeded violations"
    monkeypatch.setenv("AUDIT_SCAN_CELLS", "1000")
    monkeypatch.setenv("AUDIT_CACHE_MB", "1")
    if path == "postgres":
        cfg = _as_postgres(dense_sample, request.getfixturevalue("pg").create_db("dense"))
    elif path == "spark":
        cfg = _as_spark(dense_sample, request.getfixturevalue("spark"))
    else:
        cfg = {"files": _as_files, "sqlite": _as_sqlite}[path](dense_sample)
    ctx = Context.open(load_config(cfg))
    assert ctx.cfg.sample_size == 400
    found = [f for nb in NOTEBOOKS for f in run_notebook(ctx, nb)]
    assert all(f.status in ("pass", "fail") for f in found), [
        (f.id, f.message) for f in found if f.status not in ("pass", "fail")
    ]
    assert violations_by_place([f.to_json() for f in found]) == truth


def test_generator_is_deterministic(tmp_path):
    a = generate(tmp_path / "a", users=120, events=500, seed=3).to_json()
    b = generate(tmp_path / "b", users=120, events=500, seed=3).to_json()
    assert a == b
    assert all(sum(v.values()) > 0 for v in a["violations"].values()), (
        "every check has seeded violations"
    )
