"""great-expectations as the judge: validate a relation, keep counts, store no values.

Every check hands its rows (a pandas frame, or a SQL query that the database evaluates) and
its expectations to :class:`Judge`. Results come back as :class:`Outcome` records; the
validation results written to disk are stripped of every value (``partial_unexpected_list``,
``observed_value``, ``value_set``, queries), leaving expectation types, columns and counts.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
# great-expectations imports pyspark when it is installed; pyspark warns about pandas 3 on
# every import (the Spark tests pass on pandas 3.1: the warning is noise on stderr)
warnings.filterwarnings(
    "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
)

import great_expectations as gx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.execution_engine import (  # noqa: E402
    pandas_execution_engine as gx_pandas_engine,
)
from great_expectations.expectations import Expectation  # noqa: E402
from great_expectations.expectations.metrics import util as gx_metric_util  # noqa: E402
from great_expectations.validator.metrics_calculator import MetricsCalculator  # noqa: E402
from great_expectations.validator.validation_graph import (  # noqa: E402
    MetricEdge,
    ValidationGraph,
)

from .limits import EXAMPLES  # noqa: E402
from .sources import readonly_url  # noqa: E402

_gx_column_reflection = gx_metric_util.column_reflection_fallback


def _columns_without_running(
    selectable: Any, dialect: Any, sqlalchemy_engine: Any, schema_name: str | None = None
) -> list[dict[str, str]]:
    """great-expectations learns a query's column names by running the whole query and
    fetching every row into this process: a full scan of the relation per validation, and
    memory that grows with the table. ``LIMIT 0`` around it gives the names without a row.
    (great-expectations 1.24.1, ``metrics.util.column_reflection_fallback``; tables go to
    great-expectations' own code.)"""
    if not isinstance(selectable, sa.TextClause):
        return _gx_column_reflection(selectable, dialect, sqlalchemy_engine, schema_name)
    with sqlalchemy_engine.connect() as conn:
        result = conn.execute(sa.text(f"SELECT * FROM ({selectable.text}) AS q LIMIT 0"))
        return [{"name": name} for name in list(result.keys())]


gx_metric_util.column_reflection_fallback = _columns_without_running
# great-expectations fingerprints every pandas batch under 1 GB (an MD5 of every value: a
# minute per scan group of a 10 M-row log, for batch metadata the audit never reads)
gx_pandas_engine.HASH_THRESHOLD = 0

_SAFE_KWARGS = (
    "column",
    "column_A",
    "column_B",
    "column_list",
    "min_value",
    "max_value",
    "strict_min",
    "strict_max",
    "mostly",
    "ignore_row_if",
)


class EvaluationError(RuntimeError):
    """great-expectations could not evaluate an expectation; the message holds no data."""


@dataclass
class Outcome:
    """What one expectation found. ``examples`` hold raw rows: mask them before they leave."""

    expectation: str
    column: str | None
    success: bool
    element_count: int
    unexpected_count: int
    missing_count: int
    examples: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    #: the relation columns the expectation read
    columns: tuple[str, ...] = ()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120] or "x"


def sanitize(result: dict[str, Any]) -> dict[str, Any]:
    """A validation result with every data value removed; counts and columns kept.

    >>> r = {"success": False, "expectation_config": {"type": "t", "kwargs": {"column": "c",
    ...      "value_set": ["a@b.c"]}}, "result": {"unexpected_count": 1,
    ...      "partial_unexpected_list": ["x"], "observed_value": "1990-01-01"}}
    >>> sanitize(r)["expectation_config"]["kwargs"], sanitize(r)["result"]
    ({'column': 'c', 'value_set': '<1 values withheld>'}, {'unexpected_count': 1})
    """
    cfg = result.get("expectation_config") or {}
    kwargs = {k: v for k, v in (cfg.get("kwargs") or {}).items() if k in _SAFE_KWARGS}
    for k in ("value_set", "unexpected_rows_query", "regex", "regex_list"):
        if k in (cfg.get("kwargs") or {}):
            v = cfg["kwargs"][k]
            kwargs[k] = f"<{len(v) if isinstance(v, list | tuple | set) else 1} values withheld>"
    counts = {
        k: v
        for k, v in (result.get("result") or {}).items()
        if k
        in (
            "element_count",
            "unexpected_count",
            "unexpected_percent",
            "missing_count",
            "missing_percent",
            "unexpected_percent_nonmissing",
        )
    }
    exc = result.get("exception_info") or {}
    out: dict[str, Any] = {
        "success": result.get("success"),
        "expectation_config": {"type": cfg.get("type"), "kwargs": kwargs},
        "result": counts,
    }
    if _raised(exc):
        out["exception"] = "raised (message withheld: it may quote data)"
    return out


class Judge:
    """Runs expectations on pandas frames or SQL relations, one ephemeral GX context.

    >>> import great_expectations.expectations as gxe
    >>> j = Judge()
    >>> df = pd.DataFrame({"id": ["a", "b"], "age": [10, 20]})
    >>> [o.unexpected_count for o in j.frame("t", df, [gxe.ExpectColumnValuesToBeBetween(column="age", min_value=13)], "id")]
    [1]
    """

    def __init__(self, store: Path | None = None) -> None:
        # great-expectations logs failed SQL with its text, which can hold carried keys
        logging.getLogger("great_expectations").setLevel(logging.CRITICAL)
        self.store = store
        self.ctx = gx.get_context(mode="ephemeral")
        self.ctx.enable_analytics(False)
        self.ctx.variables.progress_bars = ProgressBarsConfig(
            globally=False, metric_calculations=False
        )
        self._sql: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}
        self._pandas = self.ctx.data_sources.add_pandas("frames")
        # one asset for every frame, each given to its own batch: adding an asset saves the
        # context's whole configuration as YAML (10 ms; a W10 run validates 300 frames)
        self._frames = self._pandas.add_dataframe_asset(
            "frames"
        ).add_batch_definition_whole_dataframe("all")
        self._spark: Any = None
        self._n = 0

    def _next(self, name: str) -> str:
        self._n += 1
        return f"{_slug(name)}-{self._n}"

    def frame(
        self,
        name: str,
        df: pd.DataFrame,
        expectations: Sequence[Expectation],
        key: str | None,
    ) -> list[Outcome]:
        """Validate a pandas frame (its rows are the relation the rule is about).

        great-expectations' pandas engine filters the whole frame for each expectation (the
        rows with a value, the failing rows, their values): every column of it, however few
        the expectation reads (a scan of six text columns of a 10 M-row log copied them
        six times over). So each group of expectations reading the same columns is
        validated on those columns alone, and the results are stored as one validation.
        """
        frame = df.reset_index(drop=True) if not isinstance(df.index, pd.RangeIndex) else df
        groups: dict[tuple[str, ...] | None, list[int]] = {}
        for n, e in enumerate(expectations):
            groups.setdefault(_reads(e, frame), []).append(n)
        results: list[dict[str, Any]] = [{} for _ in expectations]
        for cols, members in groups.items():
            batch = self._frames.get_batch(
                batch_parameters={"dataframe": frame if cols is None else frame[list(cols)]}
            )
            # On pandas, GX builds the index list of *every* unexpected row when asked for
            # key columns (20 s for 300 k of 1 M rows, against 0.8 s without): ask for row
            # positions and look up the few example rows here.
            try:
                found = self._run(name, batch, [expectations[n] for n in members], None, "SUMMARY")
            finally:
                _release(self._pandas)
            for n, r in zip(members, found, strict=True):
                results[n] = r
        outcomes = self._outcomes(name, results)
        for o in outcomes:
            rows = [e["row"] for e in o.examples if isinstance(e.get("row"), int | np.integer)]
            shown = [
                c for c in dict.fromkeys((key, *o.columns)) if c is not None and c in frame.columns
            ]
            o.examples = frame.iloc[rows][shown].to_dict("records") if rows else []
        return outcomes

    def sql(
        self,
        name: str,
        url: str,
        query: str,
        expectations: Sequence[Expectation],
        key: str | None,
        examples: Sequence[int] | None = None,
        settings: Mapping[str, str] | None = None,
    ) -> list[Outcome]:
        """Validate the relation of a SQL query; the database does the work (in sessions with
        the planner ``settings``, PostgreSQL)."""
        place = (url, tuple(sorted((settings or {}).items())))
        ds = self._sql.get(place)
        if ds is None:
            ro = readonly_url(url, settings)
            label = f"db{len(self._sql) + 1}"
            if ro.startswith("sqlite"):
                ds = self.ctx.data_sources.add_sqlite(label, connection_string=ro)
            else:  # the generic SQL datasource: add_postgres refuses socket URLs (no host)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    ds = self.ctx.data_sources.add_sql(label, connection_string=ro)
            self._sql[place] = ds
        asset = ds.add_query_asset(self._next(name), query=query)
        try:
            batch = asset.add_batch_definition_whole_table("all").get_batch()
            return self._counts_then_examples(name, batch, expectations, key, examples)
        finally:
            _release(ds)

    def spark(
        self,
        name: str,
        frame: Any,
        expectations: Sequence[Expectation],
        key: str | None,
        examples: Sequence[int] | None = None,
    ) -> list[Outcome]:
        """Validate a Spark DataFrame (the relation's query, not yet run): Spark does the work."""
        if self._spark is None:
            self._spark = self.ctx.data_sources.add_spark("spark")
        asset = self._spark.add_dataframe_asset(self._next(name))
        try:
            batch = asset.add_batch_definition_whole_dataframe("all").get_batch(
                batch_parameters={"dataframe": frame}
            )
            return self._counts_then_examples(name, batch, expectations, key, examples)
        finally:
            _release(self._spark)

    def _counts_then_examples(
        self,
        name: str,
        batch: Any,
        expectations: Sequence[Expectation],
        key: str | None,
        examples: Sequence[int] | None,
    ) -> list[Outcome]:
        """Validate in an engine that re-evaluates the relation for every query (SQL, Spark).

        Asked for examples, great-expectations runs two more queries per expectation (some
        unexpected values, and their keys); for an expectation that holds, each is a full
        evaluation of the relation that finds nothing. So the counts come first, and the
        examples are asked for only of the expectations that failed (and of those only the
        ones in ``examples``, when given), by :meth:`_examples`.
        """
        with _row_count_with_the_counts():
            outcomes = self._validate(name, batch, expectations, None, "BASIC")
        wanted = range(len(expectations)) if examples is None else examples
        failed = [n for n in wanted if outcomes[n].unexpected_count and key is not None]
        if failed:
            assert key is not None
            found = self._examples(
                name,
                batch,
                [expectations[n] for n in failed],
                key,
                [outcomes[n].element_count for n in failed],
            )
            for n, found_rows in zip(failed, found, strict=True):
                outcomes[n].examples = found_rows
        return outcomes

    def _examples(
        self,
        name: str,
        batch: Any,
        expectations: Sequence[Expectation],
        key: str,
        counted: Sequence[int],
    ) -> list[list[dict[str, Any]]]:
        """Example rows (``key`` and the expectation's columns) of failed expectations, one
        query each: only great-expectations' ``unexpected_index_list`` metric of the
        expectation, limited to :data:`audit.limits.EXAMPLES` rows.

        A whole SUMMARY validation would evaluate the relation four times for the same rows
        (its row count, the unexpected count, some unexpected values and their keys); on a
        relation that joins or aggregates a large table each evaluation is a full one. The
        metric depends on the relation's row count, which the counts pass has just found
        (``counted``: each expectation's ``element_count``): it is given, not counted
        again (great-expectations 1.24.1 resolves a graph from given metrics in
        ``ValidationGraph._resolve``). An expectation with no such metric (not a map
        expectation) is validated in SUMMARY."""
        fmt = _result_format("SUMMARY", key)
        runtime = {"result_format": fmt}
        engine = batch.data.execution_engine
        engine.batch_manager.load_batch_list(batch_list=[batch])
        configs: list[Any] = []
        for e in expectations:
            cfg = copy.deepcopy(e.configuration)
            cfg.kwargs["batch_id"] = batch.id
            deps = cfg.to_domain_obj().get_validation_dependencies(
                execution_engine=engine, runtime_configuration=runtime
            )
            index = [n for n in deps.get_metric_names() if n.endswith(".unexpected_index_list")]
            configs.append(deps.get_metric_configuration(index[0]) if index else None)
        asked = [c for c in configs if c is not None]
        # a map expectation's element count is the relation's row count
        rows = next((n for c, n in zip(configs, counted, strict=True) if c is not None), 0)
        resolved: dict[Any, Any] = {}
        if asked:
            calc = MetricsCalculator(execution_engine=engine, show_progress_bars=False)
            graph = calc.build_metric_dependency_graph(asked, runtime_configuration=runtime)
            resolved = {
                m.id: rows
                for edge in graph.edges
                for m in (edge.left, edge.right)
                if m is not None and m.metric_name == "table.row_count"
            }
            aborted = graph._resolve(resolved, runtime, show_progress_bars=False)
            if aborted or any(c.id not in resolved for c in asked):
                raise EvaluationError(f"{_slug(name)}: great-expectations found no examples")
        rest = [e for e, c in zip(expectations, configs, strict=True) if c is None]
        summary = iter(
            self._validate(name, batch, rest, key, "SUMMARY", store=False) if rest else []
        )
        return [
            _example_rows(resolved[c.id]) if c is not None else next(summary).examples
            for c in configs
        ]

    def _validate(
        self,
        name: str,
        batch: Any,
        expectations: Sequence[Expectation],
        key: str | None,
        level: str = "SUMMARY",
        store: bool = True,
    ) -> list[Outcome]:
        """``level``: great-expectations' result format: SUMMARY gives examples (of the rows
        with ``key``), BASIC only counts (no example is fetched). Never COMPLETE: its lists
        are cut at 200 values, and no count is ever read from a list."""
        return self._outcomes(name, self._run(name, batch, expectations, key, level), store)

    def _run(
        self,
        name: str,
        batch: Any,
        expectations: Sequence[Expectation],
        key: str | None,
        level: str,
    ) -> list[dict[str, Any]]:
        """One suite of ``expectations`` validated on ``batch``: its results (JSON), in the
        order of ``expectations``."""
        suite = gx.ExpectationSuite(name=_slug(name))
        ids = [f"e{n}" for n in range(len(expectations))]
        for i, e in zip(ids, expectations, strict=True):
            e.id = None  # the examples pass adds an expectation to a second suite
            suite.add_expectation(e)
            e.id = i  # an unsaved suite leaves ids empty: name them, to order the results
        result = batch.validate(suite, result_format=_result_format(level, key)).to_json_dict()
        # results come back in the engine's order (Spark's differs): put them in the suite's
        order = {i: n for n, i in enumerate(ids)}
        return sorted(
            result.get("results", []),
            key=lambda r: order.get(str((r.get("expectation_config") or {}).get("id")), len(order)),
        )

    def _outcomes(
        self, name: str, results: list[dict[str, Any]], store: bool = True
    ) -> list[Outcome]:
        """The outcomes of one validation's results; stored (without values) when asked."""
        if self.store is not None and store:
            self.store.mkdir(parents=True, exist_ok=True)
            passed = sum(bool(r.get("success")) for r in results)
            clean = {
                "suite": _slug(name),
                "success": passed == len(results),
                "statistics": {
                    "evaluated_expectations": len(results),
                    "successful_expectations": passed,
                    "unsuccessful_expectations": len(results) - passed,
                    "success_percent": passed / len(results) * 100 if results else None,
                },
                "great_expectations_version": gx.__version__,
                "results": [sanitize(r) for r in results],
            }
            (self.store / f"{_slug(name)}.json").write_text(
                json.dumps(clean, indent=1, default=str)
            )
        outcomes = [_outcome(r) for r in results]
        failed = [o.error for o in outcomes if o.error]
        if failed:  # never read a failed evaluation as a pass
            raise EvaluationError(f"{_slug(name)}: {failed[0]}")
        return outcomes


def _reads(e: Expectation, frame: pd.DataFrame) -> tuple[str, ...] | None:
    """The frame columns an expectation reads (its column, or pair), in frame order; None
    when it may read others (a row condition, a column list, a table expectation).

    >>> import great_expectations.expectations as gxe
    >>> f = pd.DataFrame({"k": [1], "a": [2], "b": [3]})
    >>> _reads(gxe.ExpectColumnPairValuesToBeEqual(column_A="b", column_B="a"), f)
    ('a', 'b')
    >>> _reads(gxe.ExpectTableRowCountToBeBetween(min_value=1), f) is None
    True
    """
    if getattr(e, "row_condition", None) or getattr(e, "column_list", None):
        return None
    named = {getattr(e, k, None) for k in ("column", "column_A", "column_B")}
    cols = tuple(c for c in frame.columns if c in named)
    return cols if cols and len(cols) == len(named - {None}) else None


@contextmanager
def _row_count_with_the_counts() -> Iterator[None]:
    """Validations in the block count the relation's rows in the same statement as the
    unexpected and missing counts (:func:`_rewired`), not in one of their own: on a
    relation that joins or aggregates large tables, each statement is a full evaluation."""
    original = MetricsCalculator.resolve_validation_graph

    def resolve(self: MetricsCalculator, graph: ValidationGraph, *a: Any, **kw: Any) -> Any:
        return original(self, _rewired(graph), *a, **kw)

    MetricsCalculator.resolve_validation_graph = resolve  # type: ignore[method-assign]
    try:
        yield
    finally:
        MetricsCalculator.resolve_validation_graph = original  # type: ignore[method-assign]


#: great-expectations' map metrics (conditions, their counts, values and index lists)
_MAP_METRICS = (
    "column_values.",
    "column_pair_values.",
    "multicolumn_values.",
    "compound_columns.",
    "select_column_values.",
)


def _rewired(graph: ValidationGraph) -> ValidationGraph:
    """``graph`` with the relation's row count computed in the statement of the counts.

    great-expectations 1.24.1 makes every map metric depend on ``table.row_count``
    (``ColumnMapMetricProvider._get_evaluation_dependencies``), which none of them reads
    (the expectation reads it, when it judges): the row count is then resolved in a pass,
    and a statement, of its own before any condition is built. Conditions built from other
    map metrics (a value's length) are ready a pass later than the rest, and their counts
    with them, in a statement of their own. Here the map metrics no longer wait for the row
    count, and every aggregate (the row count's, each count's) waits for every condition:
    they are ready in one pass, and the engine bundles them into one statement."""
    # by object: the graph holds equal metrics as distinct objects, and great-expectations
    # tells ready from waiting by object (``ValidationGraph._parse``)
    aggregates = {
        id(e.left): e.left for e in graph.edges if e.left.metric_name.endswith(".aggregate_fn")
    }
    conditions = {
        e.left.id: e.left for e in graph.edges if e.left.metric_name.endswith(".condition")
    }
    if "table.row_count.aggregate_fn" not in {m.metric_name for m in aggregates.values()}:
        return graph

    def freed(m: Any) -> bool:
        return bool(m.metric_name.startswith(_MAP_METRICS))

    kept = [
        e
        for e in graph.edges
        if not (e.right is not None and e.right.metric_name == "table.row_count" and freed(e.left))
    ]
    for e in graph.edges:  # the engine checks each metric's own list of what it depends on
        for m in (e.left, e.right):
            if m is not None and freed(m) and "table.row_count" in m.metric_dependencies:
                deps = m.metric_dependencies
                m.metric_dependencies = {k: v for k, v in deps.items() if k != "table.row_count"}
    out = ValidationGraph(execution_engine=graph._execution_engine, edges=kept)
    for a in aggregates.values():
        for c in conditions.values():
            out.add(MetricEdge(a, c))
    return out


def _result_format(level: str, key: str | None) -> dict[str, Any]:
    """great-expectations' result format: SUMMARY gives examples (of the rows, with ``key``),
    BASIC only counts.

    >>> _result_format("BASIC", "_key")["partial_unexpected_count"]
    0
    >>> _result_format("SUMMARY", "_key")["unexpected_index_column_names"]
    ['_key']
    """
    fmt: dict[str, Any] = {
        "result_format": level,
        "partial_unexpected_count": 0 if level == "BASIC" else EXAMPLES,
        "return_unexpected_index_query": False,
    }
    if key is not None and level != "BASIC":
        fmt["unexpected_index_column_names"] = [key]
    return fmt


def _example_rows(found: Any) -> list[dict[str, Any]]:
    """The rows of an ``unexpected_index_list`` metric (dicts of the key and the columns).

    >>> _example_rows([{"_key": "u1", "age": 9}, {"_key": "u2", "age": 11}])
    [{'_key': 'u1', 'age': 9}, {'_key': 'u2', 'age': 11}]
    >>> _example_rows(None)
    []
    """
    return [dict(r) for r in (found or []) if isinstance(r, Mapping)][:EXAMPLES]


def _release(datasource: Any) -> None:
    """Forget a validated batch: great-expectations' engine keeps every batch's data (each
    validated frame, for the life of the process) unless told otherwise. (The asset itself
    holds no data; deleting it would cost 15 ms a validation.)"""
    manager = datasource.get_execution_engine().batch_manager
    manager.reset_batch_cache()
    manager.batch_data_cache.clear()


def _raised(exc: dict[str, Any]) -> bool:
    """Whether a result carries an exception: at its top, or per metric (GX nests those)."""
    if exc.get("raised_exception"):
        return True
    return any(
        isinstance(v, dict) and (v.get("raised_exception") or v.get("exception_traceback"))
        for v in exc.values()
    )


def _outcome(r: dict[str, Any]) -> Outcome:
    cfg = r.get("expectation_config") or {}
    kw = cfg.get("kwargs") or {}
    res = r.get("result") or {}
    exc = r.get("exception_info") or {}
    examples = res.get("partial_unexpected_index_list") or []
    return Outcome(
        expectation=str(cfg.get("type")),
        column=kw.get("column") or kw.get("column_A"),
        columns=tuple(str(kw[k]) for k in ("column", "column_A", "column_B") if kw.get(k)),
        success=bool(r.get("success")),
        element_count=int(res.get("element_count") or 0),
        unexpected_count=int(res.get("unexpected_count") or 0),
        missing_count=int(res.get("missing_count") or 0),
        examples=[e if isinstance(e, dict) else {"row": e} for e in examples][:EXAMPLES],
        # the exception text may quote data: keep only that it failed, and where
        error=f"great-expectations could not evaluate {cfg.get('type')}"
        if _raised(exc) or "element_count" not in res
        else None,
    )
