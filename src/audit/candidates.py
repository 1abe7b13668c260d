"""Candidate values of a column scan, found in a file dataset's column before any validator.

A scan that knows what every value it flags must hold (a pre-filter: a regular expression
every flagged value matches; needles: texts one of which every flagged value contains,
:mod:`audit.needles`) hands the validator only the values that hold it. Finding them is a
pass over every value (Arrow's RE2 or substring search), so a run does it where the column is
already in memory and a core is free: the runner, once its share of the reading is handed
over (:mod:`audit.handoff`), for the scans every run makes (:func:`run_scans`); a kernel
finds them itself for any other scan, and when run by hand.

>>> f = Filter(needles=frozenset({"sk_live_"}))
>>> f.key == Filter(needles=frozenset({"sk_live_"})).key != Filter(prefilter="sk_live_").key
True
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .config import AuditConfig
from .detect import CARD_PREFILTER
from .needles import needles_of_any
from .sources import Opened


@dataclass(frozen=True)
class Filter:
    """What a candidate value holds: a match of ``prefilter`` or one of ``needles``."""

    prefilter: str | None = None
    needles: frozenset[str] | None = None

    @property
    def key(self) -> str:
        """A name for the filter, the same in every process."""
        text = f"{self.prefilter}\0{sorted(self.needles or ())}"
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def positions(s: pd.Series, f: Filter, few: bool = False) -> np.ndarray:
    r"""Positions of the values that hold a match of the filter's pre-filter (Arrow's RE2) or
    one of its needles, read as untrimmed text: a trimmed value is part of its untrimmed
    text, so a value whose trimmed text matches is always among them. ``few``: the column
    holds few distinct values (its profile says so), so each is tested once (text or integer
    columns: a column of Python objects could hold 1 and 1.0, equal values of other texts).

    >>> s = pd.Series([" sk_live_1 ", "none", None, "4111 1111 1111 1111", 4111111111111111])
    >>> positions(s, Filter(needles=frozenset({"sk_live_"}))).tolist()
    [0]
    >>> positions(s, Filter(prefilter=r"[0-9](?:[ -]?[0-9]){12}")).tolist()
    [3, 4]
    >>> t = pd.Series(["a sk_live_1", None, "b", "a sk_live_1"], dtype="str")
    >>> positions(t, Filter(needles=frozenset({"sk_live_"})), few=True).tolist()
    [0, 3]
    """
    if few and (s.dtype == "str" or pd.api.types.is_integer_dtype(s)):
        codes, distinct = pd.factorize(s)  # a missing value's code is -1
        held = np.zeros(len(distinct) + 1, dtype=bool)  # the last: missing
        held[positions(pd.Series(distinct, dtype=s.dtype), f)] = True
        return np.flatnonzero(held[codes])
    raw = s if s.dtype == "str" else s.astype("str").where(s.notna())
    hit = np.zeros(len(s), dtype=bool)
    if f.prefilter is not None:
        hit |= raw.str.contains(f.prefilter, regex=True, na=False).to_numpy(dtype=bool)
    if f.needles:  # one pass for all of them (a pass per needle took twice as long)
        either = "|".join(re.escape(n) for n in sorted(f.needles))
        hit |= raw.str.contains(either, regex=True, na=False).to_numpy(dtype=bool)
    return np.flatnonzero(hit)


#: the card scan's filter (:mod:`audit.checks.payment`)
CARDS = Filter(prefilter=CARD_PREFILTER)


def secrets(cfg: AuditConfig) -> Filter | None:
    """The secret scan's filter (:mod:`audit.checks.credentials`): the needles of the
    policy's secret patterns, or None where a pattern has none."""
    found = needles_of_any(list(cfg.policy.credentials.secret_patterns))
    return Filter(needles=found) if found else None


def run_scans(cfg: AuditConfig, datasets: list[Opened]) -> list[tuple[Opened, Filter, list[str]]]:
    """The filtered scans every run makes, in the order the checks make them (the secret
    scan of every dataset, then the card scan), with the columns each reads (the secret scan
    skips the stored-secret column of api_keys; finding its candidates too costs little)."""
    found = secrets(cfg)
    out = [(ds, found, ds.scan_columns()) for ds in datasets if found is not None]
    out += [(ds, CARDS, ds.scan_columns(("text", "integer"))) for ds in datasets]
    return [(ds, f, cols) for ds, f, cols in out if cols]
