"""Memory stays bounded: the raw-column cache keeps to its budget, column scans validate a
bounded number of values at a time (neither changes a count), and great-expectations keeps
no validated frame."""

from __future__ import annotations

import gc
import json
import weakref

import great_expectations.expectations as gxe
import pandas as pd

from audit.checks import run_notebook, violations_by_place
from audit.checks.base import Context
from audit.config import load_config
from audit.judge import Judge
from audit.reader import _nbytes

from .conftest import REPO

NOTEBOOKS = ("retention", "credentials_payment", "rights_sharing_cookies")


def _run(monkeypatch, mb: str | None) -> tuple[dict, Context]:
    if mb is None:
        monkeypatch.delenv("AUDIT_CACHE_MB", raising=False)
    else:
        monkeypatch.setenv("AUDIT_CACHE_MB", mb)
    ctx = Context.open(load_config(REPO / "data_samples" / "audit.yml"))
    found = [f.to_json() for nb in NOTEBOOKS for f in run_notebook(ctx, nb)]
    return violations_by_place(found), ctx


def test_a_small_cache_and_one_column_a_scan_give_the_same_counts(monkeypatch):
    roomy, big = _run(monkeypatch, None)
    monkeypatch.setenv("AUDIT_SCAN_CELLS", "1")  # every column scanned in a validation of its own
    tight, small = _run(monkeypatch, "0.2")  # 200 KB: far less than the sample's columns
    assert tight == roomy

    def kept(ctx: Context) -> list[int]:
        return [sum(_nbytes(s) for s in cols.values()) for cols in ctx._frames.values()]

    # over the budget only the dataset in use stays
    assert len(kept(small)) == 1 or sum(kept(small)) <= 0.2 * 2**20
    assert len(kept(big)) > 1 and sum(kept(big)) > 0.2 * 2**20


def test_the_judge_keeps_no_validated_frame():
    judge = Judge()
    df = pd.DataFrame({"k": ["a", "b"], "v": [1, 20]})
    ref = weakref.ref(df)
    (o,) = judge.frame("t", df, [gxe.ExpectColumnValuesToBeBetween(column="v", min_value=13)], "k")
    assert o.unexpected_count == 1
    del df
    gc.collect()
    assert ref() is None, "great-expectations still holds the validated frame"


def test_each_expectation_is_validated_on_the_columns_it_reads(tmp_path, monkeypatch):
    """great-expectations' pandas engine copies every column of the frame it validates for
    each expectation: it gets only the columns the expectation reads, and the validation is
    still stored as one, in the order of the expectations, with examples carrying the key."""
    seen: list[list[str]] = []
    run = Judge._run

    def spy(self, name, batch, expectations, key, level):  # type: ignore[no-untyped-def]
        seen.append(list(batch.data.dataframe.columns))
        return run(self, name, batch, expectations, key, level)

    monkeypatch.setattr(Judge, "_run", spy)
    df = pd.DataFrame(
        {"k": ["a", "b", "c"], "x": [1, 20, 30], "y": [5, 6, 70], "z": ["p", "q", "r"]}
    )
    judge = Judge(tmp_path)
    late, pair, low = judge.frame(
        "t",
        df,
        [
            gxe.ExpectColumnValuesToBeBetween(column="y", max_value=10),
            gxe.ExpectColumnPairValuesToBeEqual(column_A="y", column_B="x"),
            gxe.ExpectColumnValuesToBeBetween(column="x", min_value=13),
        ],
        "k",
    )
    assert sorted(seen) == [["x"], ["x", "y"], ["y"]]
    assert [o.unexpected_count for o in (late, pair, low)] == [1, 3, 1]
    assert late.examples == [{"k": "c", "y": 70}]
    assert low.examples == [{"k": "a", "x": 1}]
    stored = json.loads((tmp_path / "t.json").read_text())
    assert [r["expectation_config"]["kwargs"].get("column") for r in stored["results"]] == [
        "y",
        None,
        "x",
    ]
    assert stored["statistics"] == {
        "evaluated_expectations": 3,
        "successful_expectations": 0,
        "unsuccessful_expectations": 3,
        "success_percent": 0.0,
    }
    assert stored["success"] is False
