"""Candidate values of the file scans (audit.candidates): every value whose trimmed text
holds a match is a candidate, whoever finds them (the runner, in its share of the reading,
or a kernel), however the column is read (one value at a time, or each distinct value once);
and the scans' findings are the same as judging every value."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from audit import handoff as handoff_module
from audit.candidates import CARDS, Filter, positions, run_scans, secrets
from audit.config import load_config
from audit.detect import CARD_PREFILTER
from audit.handoff import Handoff, hand_over
from audit.needles import needles_of_any
from audit.reader import Reader
from audit.sources import preflight
from audit.values import text

from .conftest import REPO

SAMPLE = REPO / "data_samples" / "audit.yml"
SECRET = needles_of_any([r"sk_(?:live|test)_[A-Za-z0-9]{24,}"])

# values that sit at the edges of the filters: blanks around a match, a match cut by a
# blank, separators, numbers of 12 and 13 digits, a needle split across text, missing values
EDGES = [
    " 4111 1111 1111 1111 ",
    "4111-1111-1111-1111",
    "411111111111",
    "4111111111111",
    "41111111111 11",
    "4 1 1 1 1 1 1 1 1 1 1 1 1",
    "4  111111111111",
    "\tsk_live_abc\n",
    "sk_",
    "live_sk_test_",
    "s k_live_",
    "SK_LIVE_",
    "",
    "   ",
    None,
    "x" * 300 + "sk_test_" + "1234567890123",
]


def _truth(s: pd.Series, f: Filter) -> set[int]:
    """Positions whose trimmed text holds a match, by Python's own reading of each value."""
    t = text(s)
    out = set()
    for i, v in enumerate(t.tolist()):
        if not isinstance(v, str):
            continue
        if f.prefilter is not None and re.search(f.prefilter, v):
            out.add(i)
        if any(n in v for n in f.needles or ()):
            out.add(i)
    return out


@pytest.mark.parametrize("flt", [CARDS, Filter(needles=SECRET)], ids=["cards", "secrets"])
@pytest.mark.parametrize("few", [False, True])
def test_every_value_that_matches_once_trimmed_is_a_candidate(flt, few):
    rng = np.random.default_rng(7)
    values = [EDGES[i] for i in rng.integers(0, len(EDGES), 5000)]
    for s in (
        pd.Series(values, dtype="str"),
        pd.Series(values, dtype=object),
        pd.Series(rng.choice([4111111111111111, 411111111111, -4111111111111, 7], 3000)),
        pd.Series([4111111111111111.0, np.nan, 12.5, 1e20]),
    ):
        got = positions(s, flt, few=few)
        assert got.dtype.kind == "i" and list(got) == sorted(set(got.tolist()))
        truth = _truth(s, flt)
        assert truth <= set(got.tolist()), (s.dtype, sorted(truth - set(got.tolist()))[:5])
        # untrimmed text can hold more; never a value with nothing in it
        for i in set(got.tolist()) - truth:
            assert s.iloc[i] is not None and str(s.iloc[i]).strip() != str(s.iloc[i]), s.iloc[i]


def test_few_distinct_values_give_the_same_positions():
    rng = np.random.default_rng(11)
    s = pd.Series([EDGES[i] for i in rng.integers(0, len(EDGES), 20000)], dtype="str")
    for flt in (CARDS, Filter(needles=SECRET), Filter(CARD_PREFILTER, SECRET)):
        assert positions(s, flt, few=True).tolist() == positions(s, flt).tolist()


def test_the_runs_filters_are_the_checks_filters():
    cfg = load_config(SAMPLE)
    opened = preflight(cfg)
    files = [ds for ds in opened.values() if ds.engine == "pandas"]
    scans = run_scans(cfg, files)
    # the secret scan of every dataset first, then the card scan: the checks' order
    kinds = [f for _, f, _ in scans]
    assert kinds == sorted(kinds, key=lambda f: f is CARDS)
    found = secrets(cfg)
    assert found is not None and found.needles == needles_of_any(
        list(cfg.policy.credentials.secret_patterns)
    )
    assert {f.key for f in kinds} == {found.key, CARDS.key}


@pytest.fixture
def shared(tmp_path: Path):
    h = Handoff.create(tmp_path / ".run.tmp")
    yield h
    h.remove()


@pytest.mark.parametrize("few", [0.05, 1.0], ids=["profile-decides", "every-column-few"])
def test_the_runners_candidates_are_the_kernels(shared, monkeypatch, few):
    monkeypatch.setattr(handoff_module, "FEW", few)
    cfg = load_config(SAMPLE)
    hand_over(cfg, shared)
    reader = Reader(cfg, preflight(cfg))
    files = [ds for ds in reader.opened.values() if ds.engine == "pandas"]
    held = 0
    for ds, flt, columns in run_scans(cfg, files):
        theirs = shared.candidates(ds.name, flt.key)
        assert theirs is not None and set(theirs) == set(columns), ds.name
        for c in columns:
            mine = positions(reader.frame(ds, [c])[c], flt)
            assert theirs[c].tolist() == mine.tolist(), (ds.name, c)
            held += len(mine)
    assert held > 0  # the sample holds seeded cards and secrets


def test_a_scan_a_kernel_claimed_first_is_left_to_it(shared):
    cfg = load_config(SAMPLE)
    opened = preflight(cfg)
    name = next(n for n, ds in opened.items() if ds.engine == "pandas")
    assert shared.candidates(name, CARDS.key) is None  # the kernel's now
    hand_over(cfg, shared)
    assert shared.candidates(name, CARDS.key) is None  # the runner did not take it over
    other = next(n for n, ds in opened.items() if ds.engine == "pandas" and n != name)
    assert shared.candidates(other, CARDS.key) is not None
