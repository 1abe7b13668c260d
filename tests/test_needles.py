"""A pattern's needles (:mod:`audit.needles`): every match of the pattern holds one of them,
and the secret scan that judges the values without any as an empty text counts, on every
engine, what the pattern alone counts."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from audit.checks import run_notebook
from audit.checks.base import Context
from audit.config import load_config
from audit.needles import needles, needles_of_any

from .conftest import load_mariadb, load_postgres, write_sqlite

ALPHABET = "abk_-"

ATOMS = st.one_of(
    st.sampled_from(list(ALPHABET)).map(re.escape),
    st.sampled_from(["[ab]", "[a-k]", "[^a]", ".", r"\d", r"\w", "[_-]"]),
)


def _combine(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(inner, min_size=2, max_size=4).map("".join),
        st.lists(inner, min_size=2, max_size=3).map(lambda a: "(?:" + "|".join(a) + ")"),
        inner.map(lambda a: f"({a})"),
        inner.map(lambda a: f"(?i:{a})"),
        st.tuples(inner, st.sampled_from(["*", "+", "?", "{2}", "{1,3}", "{0,2}", "+?"])).map(
            lambda t: f"(?:{t[0]}){t[1]}"
        ),
        st.tuples(st.sampled_from(["^", r"\b", ""]), inner, st.sampled_from(["$", r"\b", ""])).map(
            "".join
        ),
    )


PATTERNS = st.recursive(ATOMS, _combine, max_leaves=8)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(pattern=PATTERNS, data=st.data())
def test_every_match_of_a_pattern_holds_one_of_its_needles(pattern, data):
    found = needles(pattern)
    assume(found is not None)
    assert found and "" not in found
    for text in (
        data.draw(st.from_regex(pattern)),
        data.draw(st.text(alphabet=ALPHABET + "AK1 ", max_size=30)),
    ):
        for m in re.finditer(pattern, text):
            assert any(n in m.group(0) for n in found), (pattern, text, m.group(0), found)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"sk_(?:live|test)_[A-Za-z0-9]{16,}", {"sk_live_", "sk_test_"}),  # the policy's
        (r"AKIA[0-9A-Z]{16}", {"AKIA"}),
        (r"xox[baprs]-[0-9A-Za-z-]{10,}", {"xox"}),  # five letters: not carried
        (r"-----BEGIN (?:RSA |EC )?PRIVATE KEY-----", {"PRIVATE KEY-----"}),  # the longest
        (r"(?i)sk_live_[0-9a-z]{24}", None),  # case-insensitive: no fixed text
        (r"[0-9a-f]{40}", None),
        (r"", None),
    ],
)
def test_needles_of_secret_patterns(pattern, expected):
    assert needles(pattern) == (None if expected is None else frozenset(expected))


def test_patterns_without_needles_leave_a_scan_without_any():
    assert needles_of_any([r"sk_live_[0-9a-z]{24}", r"[0-9a-f]{40}"]) is None
    assert needles_of_any([]) is None


NOTES = [
    "sk_live_ABCDEFGHIJKLMNOP1234",  # a secret
    "  sk_test_abcdefghijklmnop12\t",  # trimmed first
    "url?key=sk_test_abcdefghijklmnop12&x=1",  # inside text
    "sk_livesk_live_ABCDEFGHIJKLMNOP",  # the needle once broken, then whole
    "sk_live_short",  # a needle, too short to match
    "SK_LIVE_ABCDEFGHIJKLMNOP1234",  # upper case: the pattern is case-sensitive
    "sk_",
    "sk _live_ABCDEFGHIJKLMNOP1234",
    "no key here",
    "it's a \\ backslash $ and (paren sk_test_",
    "clé: sk_test_abcdefghijklmnop12 — 東京の鍵",  # after and before other scripts
    "",
    " \t",
    None,
]
#: the pattern alone, on the trimmed values
FLAGGED = sum(
    bool(re.search(r"sk_(?:live|test)_[A-Za-z0-9]{16,}", n.strip(" \t\r\n"))) for n in NOTES if n
)
SCANNED = sum(bool(n and n.strip(" \t\r\n")) for n in NOTES)


@pytest.mark.parametrize("engine", ["files", "sqlite", "postgres", "mariadb", "spark"])
def test_the_secret_scan_with_needles_counts_what_the_pattern_counts(tmp_path, engine, request):
    df = pd.DataFrame({"id": [f"n{i}" for i in range(len(NOTES))], "note": NOTES})
    source = "  files: {path: f}\n"
    where = "source: files\n    files: notes.csv"
    if engine in ("files", "spark"):
        (tmp_path / "f").mkdir()
        df.to_csv(tmp_path / "f" / "notes.csv", index=False)
        if engine == "spark":
            request.getfixturevalue("spark")
            source = '  files: {path: f, engine: spark, master: "local[2]"}\n'
    else:
        if engine == "sqlite":
            write_sqlite(tmp_path / "db.sqlite", {"notes": df})
            url = "sqlite:///db.sqlite"
        elif engine == "postgres":
            url = request.getfixturevalue("pg").create_db("needles")
            load_postgres(url, {"notes": df})
        else:
            url = load_mariadb(request.getfixturevalue("mariadb"), "needles", {"notes": df})
        source = f'  db: {{url: "{url}"}}\n'
        where = "source: db\n    table: notes"
    cfg = tmp_path / "audit.yml"
    cfg.write_text(
        "as_of: 2026-11-26\nsources:\n"
        + source
        + f"datasets:\n  notes:\n    {where}\n    kind: other\n    key: id\n"
    )
    found = [
        f
        for f in run_notebook(Context.open(load_config(Path(cfg))), "credentials_payment")
        if f.check == "credentials.plaintext_secret" and f.dataset == "notes"
    ]
    assert [(f.column, f.violations, f.rows_checked) for f in found] == [
        ("note", FLAGGED, SCANNED)
    ], [f.message for f in found]
    assert FLAGGED == 5 and SCANNED == 11  # by hand
