"""The bench's two hand-written baselines agree: the SQL baseline on PostgreSQL counts what the
pandas baseline counts on the same workload as Parquet (each is the limit one engine of the
audit is measured against, so each must be right to the row)."""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks import baseline, sql_baseline, workload

#: a small workload with every rule violated somewhere (the generator's defects are rates)
SIZES = {
    "users": 600,
    "events": 6000,
    "keys": 300,
    "payments": 600,
    "tickets": 200,
    "rights": 200,
    "cookies": 3000,
}


def test_sql_baseline_counts_what_the_pandas_baseline_counts(pg, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(workload, "sizes", lambda scale: SIZES)
    folder = workload.generate(tmp_path / "w", 0.0006)
    expected = {k: v for k, v in baseline.count(folder / "parquet.yml").items() if v}
    cfg = workload.load_postgres(folder, pg.create_db("bench_baselines"))
    got = sql_baseline.count(cfg)
    # every rule with violations in the workload is counted, by both alike
    assert {
        "minors.under_minimum_age",
        "retention.expired_records",
        "credentials.plaintext_secret",
        "payment.full_card_number",
        "payment.card_security_code",
        "rights.deletion_not_honoured",
        "cookies.analytics_without_consent",
    } <= set(expected)
    assert got == expected
    shutil.rmtree(folder)
