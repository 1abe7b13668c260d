"""Work a run does once rather than per value or per reader, with the same results: months
counted by number and written once, text case-folded per distinct value, a relation's rows
computed once for its check and its chart, and freed memory kept for reuse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from audit.checks.base import Context, Relation
from audit.config import load_config
from audit.inventory import month_counts
from audit.values import casefold, text

from .conftest import REPO

SAMPLE = REPO / "data_samples" / "audit.yml"


def test_months_are_counted_as_each_time_would_be_written():
    rng = np.random.default_rng(3)
    secs = rng.integers(-2_000_000_000, 4_000_000_000, 50_000)
    edges = ["2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00Z", "2000-12-31T23:59:59Z"]
    ns = pd.concat(
        [
            pd.Series(pd.to_datetime(secs, unit="s", utc=True)),
            pd.Series(pd.to_datetime(edges, utc=True, format="ISO8601")),
        ],
        ignore_index=True,
    )
    far = pd.Series(
        np.array(
            ["0999-05-01T00:00", "1500-01-31T12:00", "9999-12-31T23:59"], dtype="datetime64[us]"
        )
    ).dt.tz_localize("UTC")
    for ts in (ns, far, ns.iloc[:0]):
        expected = ts.dt.strftime("%Y-%m").value_counts().sort_index().astype("int64")
        got = month_counts(ts)
        assert got.index.tolist() == expected.index.tolist()
        assert got.tolist() == expected.tolist()


def test_casefold_per_distinct_value_is_casefold_per_value():
    values = ["Straße", "ANALYTICS", " Marketing ", "ǅ", "İstanbul", "ﬁ", "", None, "analytics"]
    rng = np.random.default_rng(5)
    for dtype in ("str", object):
        s = text(pd.Series([values[i] for i in rng.integers(0, len(values), 2000)], dtype=dtype))
        pd.testing.assert_series_equal(casefold(s), s.str.casefold())


def test_a_relations_rows_are_computed_once_for_the_readers_one_after_the_other():
    ctx = Context.open(load_config(SAMPLE))
    ds = next(d for d in ctx.opened.values() if d.engine == "pandas" and d.key)
    calls = []

    def rows(df: pd.DataFrame) -> pd.DataFrame:
        calls.append(len(df))
        return pd.DataFrame({"_key": text(df[ds.key])})

    rel = Relation("t", (ds.key,), rows, lambda d, t: "")
    first = ctx.relation_frame(ds, rel)
    assert ctx.relation_frame(ds, rel) is first and len(calls) == 1
    other = Relation("t", (ds.key,), rows, lambda d, t: "")  # same name: another relation
    ctx.relation_frame(ds, other)
    assert len(calls) == 2
    ctx.relation_frame(ds, rel)  # only the last is kept
    assert len(calls) == 3


def test_freed_memory_is_kept_and_arrow_allocates_through_malloc(tmp_path: Path):
    # from a file: with pyspark installed, `python -c` runs pyspark's doctests instead
    script = tmp_path / "keep.py"
    script.write_text(
        "import pyarrow as pa\n"
        "from audit.memory import give_back, keep_freed\n"
        "print(keep_freed(), keep_freed(), pa.default_memory_pool().backend_name)\n"
        "a = pa.array(range(5_000_000))\n"
        "del a\n"
        "give_back()\n"
    )
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "True", "system"]
