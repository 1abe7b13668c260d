"""Custom great-expectations expectations for what the built-ins cannot express.

``ExpectColumnValuesToHoldNoCardNumber``: no value holds a full card number (13-19 digits,
an issuer prefix, a passing Luhn check), alone or inside text. Runs on pandas; on SQL the
database pre-filters candidate rows (``detect.CARD_PREFILTER``) and only those come back.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

from .detect import CARD_PREFILTER, holds_card_number


class ColumnValuesHoldNoCardNumber(ColumnMapMetricProvider):
    """True where a value holds no full card number."""

    condition_metric_name = "column_values.hold_no_card_number"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
        text = column.astype("str")
        # vectorized pre-filter: 13 digits with single separators (no look-arounds, so the
        # Arrow strings' RE2 engine runs it; CARD_RUN's look-behinds fall back to Python)
        maybe = np.flatnonzero(text.str.contains(CARD_PREFILTER, regex=True, na=False).to_numpy())
        ok = np.ones(len(column), dtype=bool)
        ok[maybe] = [not holds_card_number(v) for v in text.iloc[maybe]]
        return pd.Series(ok, index=column.index)


class ExpectColumnValuesToHoldNoCardNumber(ColumnMapExpectation):
    """Expect no value of the column to hold a full card number."""

    map_metric = "column_values.hold_no_card_number"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly",)
    args_keys: ClassVar[tuple[str, ...]] = ("column",)


class ColumnValuesHoldNoCategory(ColumnMapMetricProvider):
    """True where a value holds no personal data of the given category."""

    condition_metric_name = "column_values.hold_no_category"
    condition_value_keys = ("category", "regions", "by_name")

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        column: pd.Series,
        category: str,
        regions: list[str] | None = None,
        by_name: bool = False,
        **kwargs: Any,
    ) -> pd.Series:
        from .categories import holds

        where = tuple(regions or ())
        # each distinct value is judged once (logs repeat their values)
        verdict = {v: holds(category, v, where, by_name) for v in column.dropna().unique()}
        return ~column.map(verdict).fillna(False).astype(bool)


class ExpectColumnValuesToHoldNoCategory(ColumnMapExpectation):
    """Expect no value of the column to hold personal data of ``category`` (SPEC §5), read in
    the dataset's ``regions`` and, where the column's name decided its category, ``by_name``."""

    category: str
    regions: list[str] = []
    by_name: bool = False
    map_metric = "column_values.hold_no_category"
    success_keys: ClassVar[tuple[str, ...]] = ("mostly", "category", "regions", "by_name")
    args_keys: ClassVar[tuple[str, ...]] = ("column", "category")
