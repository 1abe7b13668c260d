"""Property tests: whatever YAML a user writes, loading it gives a config or a ConfigError."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.config import load_config
from audit.errors import ConfigError

KEYS = st.sampled_from(
    [
        "sources",
        "datasets",
        "as_of",
        "policy",
        "sample_size",
        "kind",
        "roles",
        "url",
        "path",
        "files",
        "table",
        "key",
        "source",
        "users",
        "x",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.text(max_size=12),
    st.sampled_from(
        ["accounts", "usage_log", "2 years", "2026-11-26", "sqlite:///nope.db", "files", "*.csv"]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=5))
def test_any_yaml_loads_or_raises_a_config_error_naming_the_file(tmp_path_factory, doc):
    path = tmp_path_factory.mktemp("cfg") / "audit.yml"
    path.write_text(yaml.safe_dump(doc))
    try:
        load_config(path)
    except ConfigError as e:
        assert str(path) in str(e) and "\n" not in str(e)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=20))
def test_any_as_of_text_is_a_date_or_a_config_error(text):
    from .conftest import REPO

    try:
        load_config(REPO / "data_samples" / "audit.yml", as_of=text)
    except ConfigError as e:
        assert "--as-of" in str(e)
