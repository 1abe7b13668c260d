"""Spark: folder sources read by a Spark session (``engine: spark``), queried with Spark SQL.

Each file dataset of a Spark source becomes a temporary view; checks then run the same
relations as on a database, written in Spark SQL by :class:`audit.sqlexpr.SparkDialect`.
The session is built once per process with the traps of the engine closed:

- times are UTC (``spark.sql.session.timeZone``), whatever the machine's zone;
- ANSI mode is on, so a bad cast would raise: every parse goes through ``try_cast`` behind
  a pattern, and a value that is not a time reads as unreadable, as on every engine;
- double quotes quote identifiers (``spark.sql.ansi.doubleQuotedIdentifiers``), so one
  quoting serves SQLite, PostgreSQL and Spark, reserved words included;
- CSV is read as text (no schema inference: card numbers stay text, ``007`` stays ``007``);
- Spark's own log is off: its messages can quote values (``AUDIT_DEBUG=1`` shows warnings).

pyspark is an optional extra (``pip install -e '.[spark]'``); without it, a config that asks
for Spark fails the preflight with a one-line error (exit 2).

>>> view_name("api requests")
'audit_api_requests'
"""

from __future__ import annotations

import os
import re
import threading
import warnings
from pathlib import Path
from typing import Any

from .errors import ConfigError

_LOCK = threading.Lock()
_SESSION: Any = None
_MASTER: str | None = None

#: settings of every session the audit builds
SESSION_CONF: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.ansi.enabled": "true",
    "spark.sql.ansi.doubleQuotedIdentifiers": "true",
    "spark.sql.caseSensitive": "true",  # column names match exactly, as in the other engines
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "8",
    # keys carried in from another engine (a million deleted subjects) cross as Arrow batches
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.driver.extraJavaOptions": "-Duser.timezone=UTC",
    "spark.executor.extraJavaOptions": "-Duser.timezone=UTC",
}


def available() -> str | None:
    """Why Spark cannot run here, or None when it can (pyspark importable, Java found)."""
    import shutil

    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -e '.[spark]')"
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        return "no Java runtime found (Spark needs Java 17: install openjdk-17-jre)"
    return None


def require(config_file: str, key: str) -> None:
    """Raise a ConfigError naming ``key`` when Spark cannot run."""
    why = available()
    if why:
        raise ConfigError(
            config_file,
            key,
            f"engine 'spark' cannot run: {why}",
            "install it, or remove 'engine' to read the files with pandas",
        )


def session(master: str) -> Any:
    """The process's Spark session on ``master`` (built once; one master per process)."""
    global _SESSION, _MASTER
    with _LOCK:
        if _SESSION is not None:
            if master != _MASTER:
                raise ConfigError(
                    "sources",
                    None,
                    f"Spark sources name two masters ({_MASTER!r} and {master!r})",
                    "give every Spark source the same 'master'",
                )
            return _SESSION
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyspark warns that pandas 3 is new to it
            from pyspark.sql import SparkSession

            builder = SparkSession.builder.master(master).appName("spectra-audit")
            for k, v in SESSION_CONF.items():
                builder = builder.config(k, v)
            spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("WARN" if os.environ.get("AUDIT_DEBUG") else "OFF")
        _SESSION, _MASTER = spark, master
        return spark


def view_name(dataset: str) -> str:
    """The temporary view a dataset is registered as."""
    return "audit_" + re.sub(r"[^A-Za-z0-9_]", "_", dataset)


def read(spark: Any, files: list[Path]) -> Any:
    """A Spark DataFrame of data files (all of one format: .csv, .parquet or JSON lines)."""
    paths = [str(p) for p in files]
    suffixes = {p.suffix.lower() for p in files}
    if len(suffixes) != 1:
        raise DataFormatError(f"mixes file formats ({', '.join(sorted(suffixes))})")
    suffix = suffixes.pop()
    if suffix == ".csv":
        # every column as text; an empty field reads as NULL, which every check treats as empty
        return spark.read.csv(paths, header=True, inferSchema=False, multiLine=True)
    if suffix == ".parquet":
        return spark.read.option("mergeSchema", "true").parquet(*paths)
    return spark.read.option("primitivesAsString", "false").json(paths)


class DataFormatError(ValueError):
    """A dataset's files cannot be read together by Spark."""


def register(spark: Any, dataset: str, files: list[Path]) -> tuple[str, dict[str, str]]:
    """Register a dataset's files as a temporary view: (view name, column -> kind)."""
    df = read(spark, files)
    name = view_name(dataset)
    df.createOrReplaceTempView(name)
    kinds = {}
    for field in df.schema.fields:
        t = field.dataType.typeName()
        kinds[field.name] = (
            "text"
            if t in ("string", "varchar", "char")
            else "integer"
            if t in ("integer", "long", "short", "byte")
            else "other"
        )
    return name, kinds


def carry(spark: Any, frame: Any) -> str:
    """A pandas frame from another engine (keys, say) as a temporary view; returns its name.

    One view per call, so a later carry never replaces rows a query still reads."""
    global _CARRIED
    with _LOCK:
        _CARRIED += 1
        name = f"audit__carried_{_CARRIED}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyspark warns that pandas 3 is new to it
        spark.createDataFrame(frame).createOrReplaceTempView(name)
    return name


_CARRIED = 0


def to_pandas(frame: Any) -> Any:
    """A Spark result (candidate rows, aggregates, carried keys) as a pandas frame of Python
    values, None where empty; through Arrow (600,000 rows in 0.8 s, against 5.7 s row by
    row)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyspark warns that pandas 3 is new to it
        df = frame.toPandas()
    return df.astype(object).where(df.notna(), None)
