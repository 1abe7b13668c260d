"""The personal-data inventory: every column of every dataset, and of what no dataset maps.

Values are sampled deterministically (evenly spaced non-empty values, the sampling pushed
into SQL), classified by :mod:`audit.categories`, and profiled without showing a value:
null and distinct shares, value-length ranges.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa

from .categories import FIDESLANG, classify, classify_table
from .checks.base import Context
from .config import Dataset
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
    ctx: Context, ds: Opened, columns: list[str], n: int
) -> dict[str, tuple[list[str], dict[str, Any]]]:
    d = ctx.dialect(ds)
    assert ds.table_sql is not None
    parts = ["COUNT(*) AS n"]
    for i, c in enumerate(columns):
        t = d.text(quote(c))
        parts += [
            f"COUNT({t}) AS p{i}",
            f"COUNT(DISTINCT {t}) AS d{i}",
            f"MIN({d.length(t)}) AS l{i}",
            f"MAX({d.length(t)}) AS h{i}",
        ]
    agg = ctx.query(ds, f"SELECT {', '.join(parts)} FROM {ds.table_sql}").iloc[0]
    rows = int(agg["n"])
    out = {}
    for i, c in enumerate(columns):
        present = int(agg[f"p{i}"])
        step = max(1, present // n)
        t = d.text(quote(c))
        sample = (
            ctx.query(
                ds,
                f"SELECT v FROM (SELECT {t} AS v, {d.row_number()} AS rn FROM {ds.table_sql} "
                f"WHERE {t} IS NOT NULL) s WHERE (rn - 1) % {step} = 0 LIMIT {n}",
            )["v"]
            .astype(str)
            .tolist()
        )
        out[c] = (
            sample,
            {
                "rows": rows,
                "null_share": round(1 - present / rows, 4) if rows else 0.0,
                "distinct_share": round(int(agg[f"d{i}"]) / present, 4) if present else 0.0,
                "length_min": None if pd.isna(agg[f"l{i}"]) else int(agg[f"l{i}"]),
                "length_max": None if pd.isna(agg[f"h{i}"]) else int(agg[f"h{i}"]),
            },
        )
    return out


def profile_dataset(ctx: Context, ds: Opened, mapped: bool) -> list[ColumnEntry]:
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
            )
        )
    return entries


# ---------------------------------------------------------------- discovery of what no dataset maps


def discover_unmapped(ctx: Context) -> tuple[dict[str, Opened], list[Unreadable]]:
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


def build(ctx: Context) -> Inventory:
    """The inventory of every configured dataset, then of everything no dataset maps."""
    inv = Inventory()
    for ds in ctx.opened.values():
        inv.entries.extend(configured_profile(ctx, ds))
    inv.unmapped, inv.unreadable = discover_unmapped(ctx)
    for ds in inv.unmapped.values():
        try:
            inv.entries.extend(profile_dataset(ctx, ds, mapped=False))
        except Exception as e:  # a corrupt file no dataset maps never stops the audit
            inv.unreadable.append(
                Unreadable(ds.name, ds.spec.source, f"cannot read ({type(e).__name__})")
            )
    return inv


def configured_profile(ctx: Context, ds: Opened) -> list[ColumnEntry]:
    """The inventory entries of a configured dataset, profiled once per audit."""
    entries: list[ColumnEntry] = ctx.cached(
        f"inventory:{ds.name}", lambda: profile_dataset(ctx, ds, mapped=True)
    )
    return entries


def personal_columns(ctx: Context, ds: Opened) -> list[str]:
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


def records_per_month(ctx: Context, ds: Opened, column: str) -> pd.Series:
    """Rows per UTC month (``YYYY-MM``) of a time column, counted by the dataset's engine."""
    if ds.engine == "pandas":
        from .values import timestamp

        ts = timestamp(ctx.frame(ds, [column])[column]).values.dropna()
        return ts.dt.strftime("%Y-%m").value_counts().sort_index().astype("int64")
    d = ctx.dialect(ds)
    m = d.month(quote(column))
    rows = ctx.query(
        ds,
        f"SELECT {m} AS m, COUNT(*) AS n FROM {ds.table_sql} WHERE {m} IS NOT NULL GROUP BY 1 ORDER BY 1",
    )
    return pd.Series(rows["n"].astype("int64").values, index=rows["m"].astype(str).values)


def months_of(ctx: Context, ds: Opened, column: str) -> pd.Series:
    """:func:`records_per_month`, counted once per audit."""
    months: pd.Series = ctx.cached(
        f"months:{ds.name}:{column}", lambda: records_per_month(ctx, ds, column)
    )
    return months


def time_spans(ctx: Context) -> pd.DataFrame:
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
