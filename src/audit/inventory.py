"""The personal-data inventory: every column of every dataset, and of what no dataset maps.

Values are sampled deterministically (evenly spaced non-empty values, the sampling pushed
into SQL), classified by :mod:`audit.categories`, and profiled without showing a value:
null and distinct shares, value-length ranges.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from .beside import alongside
from .categories import FIDESLANG, classify, classify_table
from .config import Dataset
from .reader import Reader
from .sources import (
    FILE_SUFFIXES,
    Opened,
    file_columns,
    match_files,
    on_spark,
    readonly_url,
    sql_type_kind,
)
from .sqlexpr import quote
from .values import text

#: the parts of the inventory: the config's datasets, and what no dataset maps
CONFIGURED, UNMAPPED = "configured", "unmapped"


@dataclass
class ColumnEntry:
    """One row of the inventory (SPEC §7) and the profile behind it."""

    dataset: str
    column: str
    category: str | None
    fideslang: str | None
    confidence: float
    evidence: dict[str, Any]
    declared: bool | None
    role: str | None
    null_share: float
    rows: int = 0
    distinct_share: float = 0.0
    length_min: int | None = None
    length_max: int | None = None
    mapped: bool = True
    source: str = ""
    #: non-empty values, exact (the card scan's values scanned); None where not counted
    present: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Unreadable:
    """A table or file that could not be read: reported, never fatal."""

    dataset: str
    source: str
    reason: str


@dataclass
class Inventory:
    entries: list[ColumnEntry] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    unmapped: dict[str, Opened] = field(default_factory=dict)

    def of(self, dataset: str) -> list[ColumnEntry]:
        return [e for e in self.entries if e.dataset == dataset]

    def frame(self) -> pd.DataFrame:
        cols = [
            "dataset",
            "column",
            "category",
            "fideslang",
            "confidence",
            "declared",
            "role",
            "null_share",
            "mapped",
        ]
        return pd.DataFrame([{c: getattr(e, c) for c in cols} for e in self.entries], columns=cols)

    def write(self, folder: Path) -> None:
        """``inventory.csv`` and ``inventory.json`` (SPEC §7): categories and profiles, no values;
        ``datasets.json``: rows and columns per dataset (the report's scope)."""
        rows = [
            {
                k: e.to_json()[k]
                for k in (
                    "dataset",
                    "column",
                    "category",
                    "fideslang",
                    "confidence",
                    "evidence",
                    "declared",
                    "role",
                    "null_share",
                )
            }
            for e in self.entries
        ]
        (folder / "inventory.json").write_text(json.dumps(rows, indent=1))
        datasets = [
            {"dataset": name, "rows": es[0].rows, "columns": len(es), "mapped": es[0].mapped}
            for name in dict.fromkeys(e.dataset for e in self.entries)
            for es in [self.of(name)]
        ]
        (folder / "datasets.json").write_text(json.dumps(datasets, indent=1))
        pd.DataFrame([{**r, "evidence": json.dumps(r["evidence"])} for r in rows]).to_csv(
            folder / "inventory.csv", index=False
        )


# ---------------------------------------------------------------- sampling and profiles


def _profile_frame(
    df: pd.DataFrame, columns: list[str], n: int
) -> dict[str, tuple[list[str], dict[str, Any]]]:
    out = {}
    for c in columns:
        col = df[c]
        is_text = pd.api.types.is_string_dtype(col) or col.dtype == object
        # text is trimmed and blanks are empty; typed values stay typed (only the sample
        # is turned into text)
        present = text(col).dropna() if is_text else col.dropna()
        step = max(1, len(present) // n)
        sample = present.iloc[::step].head(n).astype("str").tolist()
        # text lengths over every value; a typed column's lengths from its sample
        lengths = (
            present.str.len() if is_text else pd.Series([len(x) for x in sample], dtype="int64")
        )
        out[c] = (
            sample,
            {
                "rows": len(df),
                "present": len(present),
                "null_share": round(1 - len(present) / len(df), 4) if len(df) else 0.0,
                "distinct_share": round(present.nunique() / len(present), 4)
                if len(present)
                else 0.0,
                "length_min": int(lengths.min()) if len(present) else None,
                "length_max": int(lengths.max()) if len(present) else None,
            },
        )
    return out


def _profile_sql(
    ctx: Reader, ds: Opened, columns: list[str], n: int
) -> dict[str, tuple[list[str], dict[str, Any]]]:
    d = ctx.dialect(ds)
    assert ds.table_sql is not None
    counts = ["COUNT(*) AS n"] + [f"COUNT(v{i}) AS p{i}" for i in range(len(columns))]
    # distinct values counted typed where the type's text is one-to-one with its values
    keys = [d.distinct_key(quote(c)) for c in columns]

    def spread(group: list[int]) -> list[str]:
        return [
            part
            for i in group
            for part in (
                f"COUNT(DISTINCT {'u' if keys[i] else 'v'}{i}) AS d{i}",
                f"MIN({d.length(f'v{i}')}) AS l{i}",
                f"MAX({d.length(f'v{i}')}) AS h{i}",
            )
        ]

    def query(parts: list[str], group: list[int]) -> pd.Series:
        # each value trimmed once, not once per aggregate (PostgreSQL took 2.4x as long)
        values = ", ".join(
            [f"{d.text(quote(columns[i]))} AS v{i}" for i in group]
            + [f"{keys[i]} AS u{i}" for i in group if keys[i]]
            or ["1 AS _"]
        )
        inner = d.fence(f"SELECT {values} FROM {ds.table_sql}")
        return ctx.query(ds, f"SELECT {', '.join(parts)} FROM ({inner}) a").iloc[0]

    def sampled(rows: int, present: list[int]) -> list[list[str]]:
        steps = [max(1, p // n) for p in present]
        return _samples_sql(ctx, ds, columns, steps, n, [p == rows for p in present])

    everyone = list(range(len(columns)))
    if d.concurrent and columns:
        # the distinct counts (a sort of every column) and the samples (a window over every
        # column) are the long statements, each on one core of the server: side by side,
        # the distinct counts in two statements of about equal cost (the W10 log's seven
        # columns in one statement, 50 s of one core, were a whole inventory's long pole),
        # the samples after a count of each column's values (their steps)
        groups = halves([1 if k else 3 for k in keys])
        with ThreadPoolExecutor(max_workers=len(groups)) as pool:
            spreads = [pool.submit(query, spread(g), g) for g in groups]
            rows, present = count_present(ctx, ds, columns)
            samples = sampled(rows, present)
            agg = pd.concat([f.result() for f in spreads])
    else:
        agg = query(counts + spread(everyone), everyone)
        rows, present = int(agg["n"]), [int(agg[f"p{i}"]) for i in range(len(columns))]
        samples = sampled(rows, present)
    return {
        c: (
            samples[i],
            {
                "rows": rows,
                "present": present[i],
                "null_share": round(1 - present[i] / rows, 4) if rows else 0.0,
                "distinct_share": round(int(agg[f"d{i}"]) / present[i], 4) if present[i] else 0.0,
                "length_min": None if pd.isna(agg[f"l{i}"]) else int(agg[f"l{i}"]),
                "length_max": None if pd.isna(agg[f"h{i}"]) else int(agg[f"h{i}"]),
            },
        )
        for i, c in enumerate(columns)
    }


def halves(costs: list[int]) -> list[list[int]]:
    """The indices of ``costs`` in at most two groups of about equal total cost (the
    costliest first, each to the group with less so far), in order within each group;
    no group empty.

    >>> halves([3, 3, 1, 3, 3, 3, 1])
    [[0, 3, 5], [1, 2, 4, 6]]
    >>> halves([3]), halves([])
    ([[0]], [])
    """
    groups: list[list[int]] = [[], []]
    totals = [0, 0]
    for i in sorted(range(len(costs)), key=lambda i: -costs[i]):
        g = totals.index(min(totals))
        groups[g].append(i)
        totals[g] += costs[i]
    return [sorted(g) for g in groups if g]


def count_present(ctx: Reader, ds: Opened, columns: list[str]) -> tuple[int, list[int]]:
    """The rows of a SQL dataset's table and each column's non-empty values (text trimmed,
    empty as missing), in one read of the table straight from it: most values are told
    non-empty without trimming them (:meth:`audit.sqlexpr.Dialect.present`)."""
    d = ctx.dialect(ds)
    parts = ["COUNT(*) AS n"] + [
        f"COUNT({d.present(quote(c))}) AS p{i}" for i, c in enumerate(columns)
    ]
    row = ctx.query(ds, f"SELECT {', '.join(parts)} FROM {ds.table_sql}").iloc[0]
    return int(row["n"]), [int(row[f"p{i}"] or 0) for i in range(len(columns))]


def _samples_sql(
    ctx: Reader,
    ds: Opened,
    columns: list[str],
    steps: list[int],
    n: int,
    full: list[bool] | None = None,
) -> list[list[str]]:
    """Every column's sample in one read of the table: its non-empty values numbered in the
    order the engine reads them (the stored order, whatever else reads the table:
    :meth:`audit.sqlexpr.Dialect.scan_settings`), every ``step``-th from the first, at most
    ``n``. A column ``full`` of values (none empty, as just counted) is numbered by the rows'
    one running count, its values not tested (the W10 log's samples, one core: 18.5 s with
    a count per column, 14.9 s with one)."""
    d = ctx.dialect(ds)
    assert ds.table_sql is not None
    if not columns:
        return []
    pos = d.scan_position()  # computed once per row, beside the values (Spark)
    full = full or [False] * len(columns)
    # per column: NULL where the value is empty (told cheaply: :meth:`Dialect.present`),
    # and the value as stored, trimmed only where the sample takes it
    values = ", ".join(
        (f"{quote(c)} AS c{i}" if full[i] else f"{d.present(quote(c))} AS v{i}, {quote(c)} AS c{i}")
        for i, c in enumerate(columns)
    )
    values += f", {pos} AS _pos" if pos else ""
    order = "_pos" if pos else None
    counted = ", ".join(
        f"c{i}" if full[i] else f"v{i}, c{i}, {d.running_count(f'v{i}', order)} AS r{i}"
        for i in range(len(columns))
    )
    if any(full):
        counted += f", {d.running_count('1', order)} AS _r"
    keeps = [
        f"((_r - 1) % {s} = 0 AND _r <= {(n - 1) * s + 1})"
        if full[i]
        else f"(v{i} IS NOT NULL AND (r{i} - 1) % {s} = 0 AND r{i} <= {(n - 1) * s + 1})"
        for i, s in enumerate(steps)
    ]
    # each column's value where it is in that column's sample, NULL where it is not
    picked = ", ".join(
        f"(CASE WHEN {k} THEN {d.text(f'c{i}')} END) AS k{i}" for i, k in enumerate(keeps)
    )
    # each emptiness told once per row (the fence keeps the engine from inlining it twice)
    inner = d.fence(f"SELECT {values} FROM {ds.table_sql}")
    rows = ctx.query(
        ds,
        f"SELECT {picked} FROM (SELECT {counted} FROM ({inner}) a) s WHERE {' OR '.join(keeps)}",
        settings=d.scan_settings(),
    )
    return [rows[f"k{i}"].dropna().astype(str).tolist() for i in range(len(columns))]


def profile_dataset(ctx: Reader, ds: Opened, mapped: bool) -> list[ColumnEntry]:
    """Sample, classify and profile every column of one dataset."""
    n = ctx.cfg.sample_size
    columns = list(ds.columns)
    prof = (
        _profile_frame(ctx.frame(ds, columns), columns, n)
        if ds.engine == "pandas"
        else _profile_sql(ctx, ds, columns, n)
    )
    roles = {col: role for role, col in ds.spec.roles.items()}
    declared = set(ctx.cfg.policy.declared_categories)
    # the whole table at once: the regions its values point to serve every column
    classes = classify_table(
        [(c, prof[c][0]) for c in columns], [roles.get(c) for c in columns], ctx.cfg.regions
    )
    entries = []
    for c, cls in zip(columns, classes, strict=True):
        p = prof[c][1]
        role = roles.get(c)
        if c == ds.key and cls.category not in ("email", "phone"):
            cls = classify(c, [], None)  # a key is personal only when its values are (an email)
        entries.append(
            ColumnEntry(
                dataset=ds.name,
                column=c,
                category=cls.category,
                fideslang=FIDESLANG.get(cls.category) if cls.category else None,
                confidence=cls.confidence,
                evidence=cls.evidence,
                declared=(cls.category in declared) if cls.category else None,
                role=role,
                null_share=p["null_share"],
                rows=p["rows"],
                distinct_share=p["distinct_share"],
                length_min=p["length_min"],
                length_max=p["length_max"],
                mapped=mapped,
                source=ds.spec.source,
                present=p["present"],
            )
        )
    return entries


# ---------------------------------------------------------------- discovery of what no dataset maps


def discover_unmapped(ctx: Reader) -> tuple[dict[str, Opened], list[Unreadable]]:
    """Tables of SQL sources and files of folder sources that no dataset maps."""
    found: dict[str, Opened] = {}
    bad: list[Unreadable] = []
    cfg = ctx.cfg
    for sname, src in cfg.sources.items():
        mine = [ds for ds in ctx.opened.values() if ds.spec.source == sname]
        if src.kind == "sql":
            url = cfg.source_url(src)
            engine = sa.create_engine(readonly_url(url))
            try:
                insp = sa.inspect(engine)
                mapped = {ds.spec.table for ds in mine}
                for table in sorted(set(insp.get_table_names(schema=src.schema_)) - mapped):
                    cols = insp.get_columns(table, schema=src.schema_)
                    spec = Dataset(source=sname, kind="other", table=table)
                    found[table] = Opened(
                        table,
                        spec,
                        src,
                        "sql",
                        [c["name"] for c in cols],
                        {c["name"]: sql_type_kind(str(c["type"] or "")) for c in cols},
                        url=url,
                        table_sql=(quote(src.schema_) + "." if src.schema_ else "") + quote(table),
                    )
            finally:
                engine.dispose()
            continue
        root = cfg.source_path(src)
        mapped_files = {p.resolve() for ds in mine for p in ds.files}
        for path in sorted(
            p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in FILE_SUFFIXES
        ):
            if path.resolve() in mapped_files or any(
                part.startswith(".") for part in path.relative_to(root).parts
            ):
                continue
            rel = path.relative_to(root).as_posix()
            try:
                types = file_columns(path)
            except Exception as e:
                bad.append(Unreadable(rel, sname, f"cannot read this file ({type(e).__name__})"))
                continue
            spec = Dataset(source=sname, kind="other", files=rel)
            opened = Opened(
                rel, spec, src, "pandas", list(types), types, files=match_files(root, rel)
            )
            found[rel] = on_spark(cfg, opened) if src.kind == "spark" else opened
    return found, bad


def build(ctx: Reader) -> Inventory:
    """The inventory of every configured dataset, then of everything no dataset maps."""
    inv = Inventory()
    _in_turn(ctx, CONFIGURED, list(ctx.opened.values()))
    for ds in ctx.opened.values():
        inv.entries.extend(configured_profile(ctx, ds))
    inv.unmapped, inv.unreadable = discover_unmapped(ctx)
    _in_turn(ctx, UNMAPPED, list(inv.unmapped.values()))
    for ds in inv.unmapped.values():
        try:
            inv.entries.extend(unmapped_profile(ctx, ds))
        except Exception as e:  # a corrupt file no dataset maps never stops the audit
            inv.unreadable.append(
                Unreadable(ds.name, ds.spec.source, f"cannot read ({type(e).__name__})")
            )
    return inv


def _in_turn(ctx: Reader, part: str, datasets: list[Opened]) -> None:
    """Profile the datasets (into the audit's cache) in the order that waits least: while
    the runner profiles one (:mod:`audit.handoff`), this process takes on the next one
    nobody has claimed, and waits only when every dataset left is the runner's. A profile
    that fails here fails again, and is reported, where the inventory is built."""
    if ctx.handoff is None:
        return
    left = list(datasets)
    while left:
        ds = next((d for d in left if not ctx.handoff.pending(part, d.name)), left[0])
        left.remove(ds)
        try:
            if part == CONFIGURED:  # the inventory's months too, beside a profile made here
                configured_profile(ctx, ds, partial(all_months, ctx, ds))
            else:
                unmapped_profile(ctx, ds)
        except Exception:  # noqa: BLE001, S112 - met again below, in the config's order
            continue


def configured_profile(
    ctx: Reader, ds: Opened, beside: Callable[[], object] | None = None
) -> list[ColumnEntry]:
    """The inventory entries of a configured dataset, profiled once per run: by the runner
    when it handed them over (:mod:`audit.handoff`), else here (with ``beside`` run at the
    same time, on a server that runs statements side by side)."""
    entries: list[ColumnEntry] = ctx.cached(
        f"inventory:{ds.name}", lambda: _profiled(ctx, ds, CONFIGURED, beside)
    )
    return entries


def unmapped_profile(ctx: Reader, ds: Opened) -> list[ColumnEntry]:
    """The inventory entries of a table or file no dataset maps, profiled once per run."""
    entries: list[ColumnEntry] = ctx.cached(
        f"inventory-unmapped:{ds.name}", lambda: _profiled(ctx, ds, UNMAPPED)
    )
    return entries


def _profiled(
    ctx: Reader, ds: Opened, part: str, beside: Callable[[], object] | None = None
) -> list[ColumnEntry]:
    handed = ctx.handoff.take(part, ds.name) if ctx.handoff is not None else None
    if handed is not None:
        return handed
    return alongside(ctx, ds, partial(profile_dataset, ctx, ds, part == CONFIGURED), beside)


def all_months(ctx: Reader, ds: Opened) -> None:
    """:func:`months_of` every time column of a dataset (into the audit's cache)."""
    for col in time_columns(ds):
        months_of(ctx, ds, col)


def present_counts(ctx: Reader, ds: Opened) -> dict[str, int] | None:
    """Non-empty values per column of a configured dataset (text trimmed, empty as
    missing), exact, where this run has counted them already: the inventory's profile, made
    here or handed over by the runner. None where it has not, or not yet (the runner is
    profiling the dataset now): nothing is profiled or waited for, the caller counts.

    A check that reports values scanned takes them from here rather than reading the table
    once more for them."""
    entries = ctx.peek(f"inventory:{ds.name}")
    handoff = ctx.handoff
    if entries is None and handoff is not None and not handoff.pending(CONFIGURED, ds.name):
        entries = handoff.entries(CONFIGURED, ds.name)
    if entries is None:
        return None
    return {e.column: e.present for e in entries if e.present is not None}


def personal_columns(ctx: Reader, ds: Opened) -> list[str]:
    """The columns of a configured dataset that the inventory classifies as personal data."""
    entries = configured_profile(ctx, ds)
    return [e.column for e in entries if e.category is not None and e.column != ds.key]


def draft_config(inv: Inventory) -> str:
    """A draft config block for every table and file no dataset maps, with what it holds."""
    lines = [
        "# Draft: datasets for what no dataset of the config maps (written by `audit inventory`).",
        "# Review each: set the kind and roles, then paste it under `datasets:` of the config.",
        "datasets:",
    ]
    for name, ds in inv.unmapped.items():
        entries = inv.of(name)
        cats = sorted({f"{e.column}: {e.category}" for e in entries if e.category})
        key = next(
            (
                e.column
                for e in entries
                if e.column.lower() in ("user_id", "customer_id", "account_id", "subject_id")
            ),
            None,
        )
        ident = "".join(ch if ch.isalnum() else "_" for ch in name).strip("_").lower()
        lines.append(f"  {ident}:")
        lines.append(f"    source: {ds.spec.source}")
        lines.append(f"    table: {name}" if ds.engine == "sql" else f'    files: "{name}"')
        lines.append(
            "    kind: other            # holds: " + ("; ".join(cats) or "no personal data found")
        )
        if key:
            lines.append(f"    key: {key}")
    if not inv.unmapped:
        lines.append("  {}  # every table and file is mapped")
    return "\n".join(lines) + "\n"


def time_columns(ds: Opened) -> list[str]:
    """The columns mapped to a time role (``created_at``, ``event_time``, ...)."""
    return [
        col for role, col in ds.spec.roles.items() if role.endswith("_at") or role == "event_time"
    ]


def month_counts(ts: pd.Series) -> pd.Series:
    """Values per month (``YYYY-MM``, in order) of parsed times: counted by a month number
    and each month written once (writing every value took 6 s of a W10 log's 10 M).

    >>> month_counts(pd.Series(pd.to_datetime(["2024-02-29T23:00Z", "2023-12-01T00:00Z", "2024-02-01T00:00Z"])))
    2023-12    1
    2024-02    2
    dtype: int64
    """
    number = ts.dt.year.astype("int64") * 12 + ts.dt.month.astype("int64") - 1
    counts = number.value_counts()
    months = [f"{int(n) // 12:04d}-{int(n) % 12 + 1:02d}" for n in counts.index]
    return pd.Series(counts.to_numpy(dtype="int64"), index=months).sort_index()


def records_per_month(ctx: Reader, ds: Opened, column: str) -> pd.Series:
    """Rows per UTC month (``YYYY-MM``) of a time column, counted by the dataset's engine."""
    if ds.engine == "pandas":
        from .values import timestamp

        ts = timestamp(ctx.frame(ds, [column])[column]).values.dropna()
        return month_counts(ts)
    assert ds.table_sql is not None
    rows = ctx.query(ds, ctx.dialect(ds).months_query(quote(column), ds.table_sql))
    rows = rows[rows["m"].notna()]  # empty or unreadable
    return pd.Series(rows["n"].astype("int64").values, index=rows["m"].astype(str).values)


def months_of(ctx: Reader, ds: Opened, column: str) -> pd.Series:
    """:func:`records_per_month`, counted once per run (by the runner, where it handed the
    dataset over: :mod:`audit.handoff`)."""

    def count() -> pd.Series:
        handed = ctx.handoff.months(ds.name, column) if ctx.handoff is not None else None
        return handed if handed is not None else records_per_month(ctx, ds, column)

    months: pd.Series = ctx.cached(f"months:{ds.name}:{column}", count)
    return months


def time_spans(ctx: Reader) -> pd.DataFrame:
    """Per time column of every configured dataset: first and last month, months covered."""
    out = []
    for ds in ctx.opened.values():
        for col in time_columns(ds):
            months = months_of(ctx, ds, col)
            out.append(
                {
                    "dataset": ds.name,
                    "column": col,
                    "first month": months.index[0] if len(months) else None,
                    "last month": months.index[-1] if len(months) else None,
                    "months": len(months),
                    "rows with a time": int(months.sum()),
                }
            )
    return pd.DataFrame(
        out,
        columns=["dataset", "column", "first month", "last month", "months", "rows with a time"],
    )
