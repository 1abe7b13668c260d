"""Shared test helpers: write small data sets and configs by hand."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from audit.checks import violations_by_place  # noqa: F401 (the tests' import)

REPO = Path(__file__).resolve().parents[1]


def write_sqlite(path: Path, tables: dict[str, pd.DataFrame]) -> None:
    """Tables into a SQLite file, every column as loosely typed text (as real stores hold it)."""
    con = sqlite3.connect(path)
    for name, df in tables.items():
        cols = ", ".join(f'"{c}"' for c in df.columns)
        con.execute(f'CREATE TABLE "{name}" ({cols})')
        rows = [
            [None if (isinstance(v, float) and pd.isna(v)) else v for v in r]
            for r in df.itertuples(index=False)
        ]
        con.executemany(f'INSERT INTO "{name}" VALUES ({", ".join("?" * len(df.columns))})', rows)
    con.commit()
    con.close()


def truth_violations(path: Path) -> dict[str, dict[str, int]]:
    """The truth file's violations, places with none left out."""
    import json

    truth = json.loads(path.read_text())["violations"]
    return {c: {k: n for k, n in v.items() if n} for c, v in truth.items() if any(v.values())}


def _hashes(folder: Path) -> dict[str, str]:
    import hashlib

    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def sample_runs(tmp_path_factory):
    """Two audits of the committed sample into one report folder: as of its date (three
    notebooks at a time), then a month on.

    Returns (exit codes, report folder, [first run folder, second run folder]).
    """
    from audit.cli import main
    from audit.pdf import chromium

    sample = REPO / "data_samples"
    out = tmp_path_factory.mktemp("reports")
    before = _hashes(sample)
    codes = [
        # three notebooks at once, with the default limits (test_limits compares a run with one
        # notebook at a time and every limit small against this one)
        main(["run", "--config", str(sample / "audit.yml"), "--out", str(out), "--workers", "3"]),
        main(
            [
                "run",
                "--config",
                str(sample / "audit.yml"),
                "--out",
                str(out),
                "--as-of",
                "2026-12-31",
                # with the report printed into report.pdf, where a Chromium can print it
                *(["--pdf"] if chromium() else []),
            ]
        ),
    ]
    assert _hashes(sample) == before, "the audit must never change what it reads"
    folders = sorted((p for p in out.iterdir() if p.is_dir()), key=lambda p: p.name)
    assert [f.name[:10] for f in folders] == ["2026-11-26", "2026-12-31"]
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")], "no temporary folder is left"
    return codes, out, folders


def require(why: str | None, env: str) -> None:
    """Skip the test when ``why`` says a part cannot run here; fail instead when the
    environment variable ``env`` is set (as .ci/run sets it: CI never skips a real part)."""
    import os

    if why:
        if os.environ.get(env):
            pytest.fail(f"{why}; {env} is set")
        pytest.skip(why)


@pytest.fixture(scope="session")
def pg():
    """A throwaway PostgreSQL 15 server (skips where none can run; AUDIT_REQUIRE_POSTGRES=1,
    set by .ci/run, turns the skip into a failure)."""
    from . import pgserver

    require(pgserver.available(), "AUDIT_REQUIRE_POSTGRES")
    server = pgserver.Server()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def mariadb():
    """A throwaway MariaDB server (skips where none can run; AUDIT_REQUIRE_MARIADB=1, set by
    .ci/run, turns the skip into a failure)."""
    from . import mariadbserver

    require(mariadbserver.available(), "AUDIT_REQUIRE_MARIADB")
    server = mariadbserver.Server()
    yield server
    server.stop()


def load_mariadb(
    server, db: str, tables: dict[str, pd.DataFrame], dtypes: dict[str, dict] | None = None
) -> str:
    """Tables into a new MariaDB database (text columns unless ``dtypes`` types them; times
    naive UTC, as a DATETIME holds them); returns the URL of the read-only user ``audit``."""
    import sqlalchemy as sa

    engine = sa.create_engine(server.create_db(db))
    try:
        for name, df in tables.items():
            df = df.copy()
            for c in df.columns:
                if isinstance(df[c].dtype, pd.DatetimeTZDtype):
                    df[c] = df[c].dt.tz_convert("UTC").dt.tz_localize(None)
            df.to_sql(name, engine, index=False, dtype=(dtypes or {}).get(name), chunksize=5000)
    finally:
        engine.dispose()
    return server.url(db)


@pytest.fixture(scope="session")
def spark():
    """Spark in local mode (skips where pyspark or Java is missing; AUDIT_REQUIRE_SPARK=1,
    set by .ci/run, turns the skip into a failure). Returns the master URL to configure."""
    from audit import spark as audit_spark

    require(audit_spark.available(), "AUDIT_REQUIRE_SPARK")
    audit_spark.session(SPARK_MASTER)
    return SPARK_MASTER


#: the master every Spark test configures (one session per test process)
SPARK_MASTER = "local[2]"

#: the JVMs of the test cluster (six at once on two cores: master, worker, two drivers and
#: their executors): the quick compiler only and the serial collector; the sample audit on
#: the cluster took 158 s so, against 290 s (the in-process local session keeps the defaults:
#: it lives for the whole test session, where the full compiler pays)
JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"


def load_postgres(
    url: str, tables: dict[str, pd.DataFrame], dtypes: dict[str, dict] | None = None
) -> None:
    """Tables into a PostgreSQL database (text columns unless ``dtypes`` types them); the
    table is created by pandas, the rows copied in with COPY (a million rows in seconds)."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        for name, df in tables.items():
            df.head(0).to_sql(name, engine, index=False, dtype=(dtypes or {}).get(name))
            rows = df.astype(object).where(df.notna(), None)
            raw = engine.raw_connection()
            try:
                cols = ", ".join('"' + c + '"' for c in df.columns)
                with raw.cursor() as cur, cur.copy(f'COPY "{name}" ({cols}) FROM STDIN') as copy:
                    for row in rows.itertuples(index=False):
                        copy.write_row(row)
                raw.commit()
            finally:
                raw.close()
    finally:
        engine.dispose()


@pytest.fixture
def write_config(tmp_path: Path):
    """Write a config YAML into tmp_path and return its path."""

    def _write(text: str, name: str = "audit.yml") -> Path:
        p = tmp_path / name
        p.write_text(text)
        return p

    return _write
