"""Opening datasets on their engine: files on pandas, databases through SQLAlchemy.

Nothing is ever written: SQLite files are opened read-only, files are only read.
``preflight`` opens every source and dataset before any notebook runs (SPEC §3).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import sqlalchemy as sa

from .config import AuditConfig, Dataset, Source
from .errors import ConfigError
from .limits import (
    MARIADB_STATEMENT_TIMEOUT,
    PG_STATEMENT_TIMEOUT,
    REGEX_CACHE,
    cache_budget,
    scan_cells,
    spark_wait,
)
from .sqlexpr import quote

FILE_SUFFIXES = (".csv", ".parquet", ".jsonl", ".json", ".ndjson")


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_regexp(dbapi_con: Any, _record: Any) -> None:
    """Give SQLite connections a REGEXP operator (Python ``re``), as other databases have."""
    if isinstance(dbapi_con, sqlite3.Connection):
        dbapi_con.create_function("REGEXP", 2, _regexp, deterministic=True)


@lru_cache(maxsize=REGEX_CACHE)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _regexp(pattern: str, value: object) -> bool:
    return value is not None and _compiled(pattern).search(str(value)) is not None


@dataclass
class Opened:
    """A dataset found and checked: where it lives and which columns it has."""

    name: str
    spec: Dataset
    source: Source
    engine: str  # "pandas" | "sql" | "spark"
    columns: list[str]
    types: dict[str, str] = field(default_factory=dict)  # column -> text | integer | other
    files: list[Path] = field(default_factory=list)
    #: matched files that could not be read (a data fault: the dataset's checks report error)
    unreadable_files: list[str] = field(default_factory=list)
    url: str | None = None
    table_sql: str | None = None  # quoted schema.table for SQL, the temporary view for Spark
    #: PostgreSQL columns of a time type: column -> "tz" (timestamptz), "naive" or "date"
    times: dict[str, str] = field(default_factory=dict)
    #: PostgreSQL columns of an integer type (smallint, integer, bigint)
    integers: list[str] = field(default_factory=list)

    def role(self, role: str) -> str | None:
        """The column mapped to ``role``, or None."""
        return self.spec.roles.get(role)

    @property
    def key(self) -> str | None:
        return self.spec.key

    def scan_columns(self, kinds: tuple[str, ...] = ("text",)) -> list[str]:
        """Columns whose values are of these kinds (``text``, ``integer``), in order."""
        return [c for c in self.columns if self.types.get(c, "text") in kinds]


def readonly_url(url: str, settings: Mapping[str, str] | None = None) -> str:
    """A URL opened read-only: SQLite files never created or written, PostgreSQL and MariaDB
    sessions read-only with a statement timeout (and ``settings``, planner settings for the
    session).

    >>> readonly_url("sqlite:////tmp/app.db")
    'sqlite:///file:/tmp/app.db?mode=ro&uri=true'
    >>> readonly_url("postgresql+psycopg://u@h/db").endswith("statement_timeout%3D30min%20-c%20jit%3Doff")
    True
    >>> readonly_url("postgresql+psycopg://u@h/db", {"enable_hashagg": "off"}).endswith("%20-c%20enable_hashagg%3Doff")
    True
    """
    if url.startswith("sqlite:///") and "mode=ro" not in url:
        path = url.removeprefix("sqlite:///")
        if not path.startswith("file:"):
            return f"sqlite:///file:{path}?mode=ro&uri=true"
    if url.startswith("postgresql") and "default_transaction_read_only" not in url:
        sep = "&" if "?" in url else "?"
        options = {
            "default_transaction_read_only": "on",
            "statement_timeout": PG_STATEMENT_TIMEOUT,
            # no JIT: compiling the audit's long expressions costs more than it saves (the
            # W10 minors statement: 1.0 s of compiling; 6.3-7.5 s with it, 5.9-6.0 s without)
            "jit": "off",
            **(settings or {}),
        }
        return url + sep + "options=" + "%20".join(f"-c%20{k}%3D{v}" for k, v in options.items())
    if url.startswith(("mysql", "mariadb")) and "tx_read_only" not in url:
        return _mariadb_session(url, settings)
    return url


def _mariadb_session(url: str, settings: Mapping[str, str] | None = None) -> str:
    """MariaDB sessions read standard SQL (double-quoted names, ``||``, literal backslashes),
    in UTC, read-only, with a statement timeout; text is utf8mb4.

    >>> "tx_read_only%3D1" in _mariadb_session("mysql+pymysql://audit@h/app")
    True
    """
    from urllib.parse import quote as q

    from .sqlexpr.mariadb import SQL_MODE

    init = (
        "SET SESSION time_zone='+00:00', SESSION tx_read_only=1, "
        f"SESSION max_statement_time={MARIADB_STATEMENT_TIMEOUT}"
        + "".join(f", SESSION {k}='{v}'" for k, v in (settings or {}).items())
    )
    sep = "&" if "?" in url else "?"
    charset = "" if "charset=" in url else "&charset=utf8mb4"
    return f"{url}{sep}sql_mode={q(SQL_MODE)}&init_command={q(init)}{charset}"


@contextmanager
def connect(url: str, settings: Mapping[str, str] | None = None) -> Iterator[sa.Connection]:
    """A read-only connection to a SQL source (with the session ``settings``, PostgreSQL)."""
    engine = sa.create_engine(readonly_url(url, settings))
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def match_files(root: Path, pattern: str) -> list[Path]:
    """Files under ``root`` matching a file name or glob, sorted, data files only."""
    if any(ch in pattern for ch in "*?["):
        found = sorted(p for p in root.glob(pattern) if p.is_file())
    else:
        p = root / pattern
        found = [p] if p.is_file() else []
    return [p for p in found if p.suffix.lower() in FILE_SUFFIXES]


def file_columns(path: Path) -> dict[str, str]:
    """The columns of one data file and their kind (text, integer, other): from the header
    of a CSV, the schema of a Parquet file, every line of JSON Lines."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return dict.fromkeys(pd.read_csv(path, nrows=0, dtype="str").columns, "text")
    if suffix == ".parquet":
        import pyarrow as pa

        schema = pq.read_schema(path)
        return {
            f.name: "text"
            if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)
            else "integer"
            if pa.types.is_integer(f.type)
            else "other"
            for f in schema
        }
    # every line, not the first few: a field that first appears (or first holds text) late in
    # the file must still be scanned, or its values would go uncounted
    cols: dict[str, str] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                for k, v in json.loads(line).items():
                    kind = (
                        "text" if isinstance(v, str) else "integer" if type(v) is int else "other"
                    )
                    if v is not None and cols.get(k) != "text":
                        cols[k] = kind
                    cols.setdefault(k, "other")
    return cols


def sql_type_kind(type_name: str) -> str:
    """The kind of a database column type (untyped SQLite columns hold text).

    >>> sql_type_kind("VARCHAR(20)"), sql_type_kind("BIGINT"), sql_type_kind(""), sql_type_kind("DATE")
    ('text', 'integer', 'text', 'other')
    """
    t = type_name.upper()
    if not t or any(w in t for w in ("CHAR", "TEXT", "CLOB", "STRING", "NULL")):
        return "text"
    return "integer" if "INT" in t else "other"


def read_file(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """One data file as a frame; CSV values are read as text (card numbers stay text)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return pd.read_csv(path, dtype="str", keep_default_na=False, usecols=columns)
    if suffix == ".parquet":
        return pd.read_parquet(path, columns=columns)
    df = pd.read_json(path, lines=True, dtype=False)
    if columns is not None:
        df = df.reindex(columns=columns)
    return df


def read_frame(ds: Opened, columns: list[str] | None = None) -> pd.DataFrame:
    """A file dataset's rows (all matched files), only ``columns`` when given."""
    wanted = None if columns is None else list(dict.fromkeys(columns))
    frames = [read_file(p, wanted) for p in ds.files]
    if not frames:
        return pd.DataFrame(columns=wanted or ds.columns)
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _open_files(cfg: AuditConfig, name: str, spec: Dataset, src: Source) -> Opened:
    root = cfg.source_path(src)
    if not root.is_dir():
        raise ConfigError(
            str(cfg.path),
            f"sources.{spec.source}.path",
            f"folder {root} does not exist",
            "fix the path (relative paths are relative to the config file)",
        )
    assert spec.files is not None
    files = match_files(root, spec.files)
    if not files:
        raise ConfigError(
            str(cfg.path),
            f"datasets.{name}.files",
            f"no .csv, .parquet or .jsonl file matches {spec.files!r} under {root}",
            "fix the file name or glob",
        )
    columns: dict[str, str] = {}
    readable, unreadable = [], []
    for f in files:
        try:
            for col, kind in file_columns(f).items():
                columns[col] = kind if columns.get(col) in (None, "other", kind) else "text"
            readable.append(f)
        except Exception as e:  # a corrupt file is a data fault: its checks report error
            unreadable.append(f"{f.relative_to(root).as_posix()} ({type(e).__name__})")
    if not readable:
        raise ConfigError(
            str(files[0]),
            None,
            f"no file of dataset {name} can be read ({unreadable[0]})",
            f"repair the files, or point datasets.{name}.files elsewhere",
        )
    return Opened(
        name,
        spec,
        src,
        "pandas",
        list(columns),
        dict(columns),
        files=readable,
        unreadable_files=unreadable,
    )


def _open_sql(cfg: AuditConfig, name: str, spec: Dataset, src: Source) -> Opened:
    url = cfg.source_url(src)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///file:"):
        db = Path(url.removeprefix("sqlite:///"))
        if not db.is_file():
            raise ConfigError(
                str(cfg.path),
                f"sources.{spec.source}.url",
                f"SQLite file {db} does not exist",
                "fix the path (it is relative to the config file; it is never created)",
            )
    assert spec.table is not None
    try:
        engine = sa.create_engine(readonly_url(url))
        insp = sa.inspect(engine)
        tables = insp.get_table_names(schema=src.schema_) + insp.get_view_names(schema=src.schema_)
        if spec.table not in tables:
            raise ConfigError(
                str(cfg.path),
                f"datasets.{name}.table",
                f"table {spec.table!r} not found in source {spec.source!r}",
                f"use one of: {', '.join(sorted(tables)) or '(no tables)'}",
            )
        cols = insp.get_columns(spec.table, schema=src.schema_)
        columns = [c["name"] for c in cols]
        types = {
            c["name"]: sql_type_kind(str(c["type"]) if c["type"] is not None else "") for c in cols
        }
        dialect = engine.dialect.name
        times = _time_columns(cols) if dialect == "postgresql" else {}
        integers = (
            [c["name"] for c in cols if isinstance(c["type"], sa.Integer)]
            if dialect == "postgresql"
            else []
        )
        engine.dispose()
    except ConfigError:
        raise
    except Exception as e:
        raise ConfigError(
            str(cfg.path),
            f"sources.{spec.source}.url",
            f"cannot open database ({type(e).__name__})",
            "check the URL, server and credentials",
        ) from None
    from .sqlexpr import dialect_for

    dialect_for(dialect)
    table_sql = (quote(src.schema_) + "." if src.schema_ else "") + quote(spec.table)
    return Opened(
        name,
        spec,
        src,
        "sql",
        columns,
        types,
        url=url,
        table_sql=table_sql,
        times=times,
        integers=integers,
    )


def _time_columns(cols: list[Any]) -> dict[str, str]:
    """PostgreSQL's time-typed columns (reflected by SQLAlchemy): read as times, not text.

    >>> from sqlalchemy.dialects import postgresql as pg
    >>> _time_columns([{"name": "t", "type": pg.TIMESTAMP(timezone=True)},
    ...                {"name": "d", "type": pg.DATE()}, {"name": "s", "type": pg.TEXT()}])
    {'t': 'tz', 'd': 'date'}
    """
    out = {}
    for c in cols:
        t = c["type"]
        if isinstance(t, sa.DateTime):  # TIMESTAMP is a DateTime
            out[c["name"]] = "tz" if getattr(t, "timezone", False) else "naive"
        elif isinstance(t, sa.Date):
            out[c["name"]] = "date"
    return out


def on_spark(cfg: AuditConfig, opened: Opened, share: int = 1) -> Opened:
    """A file dataset of a Spark source, registered as a temporary view of the session
    (``share``: applications the session measures room for, see :func:`audit.spark.room`).

    Files the header check found unreadable stay out of the view and keep the dataset's
    checks at ``error``, as on pandas.
    """
    from . import spark

    sname = opened.spec.source
    spark.require(str(cfg.path), f"sources.{sname}.engine")
    session = spark.session(
        opened.source.spark_master,
        opened.source.spark_conf,
        spark.Where(str(cfg.path), f"sources.{sname}.master"),
        share,
    )
    try:
        view, kinds = spark.register(session, opened.name, opened.files)
    except spark.DataFormatError as e:
        raise ConfigError(
            str(cfg.path),
            f"datasets.{opened.name}.files",
            f"the matched files {e}",
            "match files of one format",
        ) from None
    opened.engine, opened.table_sql = "spark", quote(view)
    opened.columns, opened.types = list(kinds), kinds
    return opened


def open_dataset(cfg: AuditConfig, name: str, spark_share: int = 1) -> Opened:
    """Find a dataset and check that its key and role columns exist."""
    spec = cfg.datasets[name]
    src = cfg.sources[spec.source]
    if src.kind == "sql":
        opened = _open_sql(cfg, name, spec, src)
    else:
        opened = _open_files(cfg, name, spec, src)
        if src.kind == "spark":
            opened = on_spark(cfg, opened, spark_share)
    where = f"datasets.{name}"
    if spec.key is not None and spec.key not in opened.columns:
        raise ConfigError(
            str(cfg.path),
            f"{where}.key",
            f"column {spec.key!r} not found",
            f"use one of: {', '.join(opened.columns)}",
        )
    for role, col in spec.roles.items():
        if col not in opened.columns:
            raise ConfigError(
                str(cfg.path),
                f"{where}.roles.{role}",
                f"column {col!r} not found",
                f"use one of: {', '.join(opened.columns)}",
            )
    return opened


def preflight(cfg: AuditConfig, spark_share: int = 1) -> dict[str, Opened]:
    """Open every dataset of the config; the first problem raises a ConfigError. A Spark
    cluster's application asks for ``spark_share`` applications' cores, to measure how many
    notebooks it can serve at once (:func:`audit.spark.room`)."""
    cache_budget(), scan_cells(), spark_wait()  # a bad limit in the environment: config error
    return {name: open_dataset(cfg, name, spark_share) for name in cfg.datasets}
