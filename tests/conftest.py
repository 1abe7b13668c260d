"""Shared test helpers: write small data sets and configs by hand."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pandas as pd
import pytest

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


@pytest.fixture
def write_config(tmp_path: Path):
    """Write a config YAML into tmp_path and return its path."""

    def _write(text: str, name: str = "audit.yml") -> Path:
        p = tmp_path / name
        p.write_text(text)
        return p

    return _write
