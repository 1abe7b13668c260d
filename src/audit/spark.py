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
import time
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .limits import spark_wait

_LOCK = threading.Lock()
_SESSION: Any = None
_MASTER: str | None = None
_CONF: dict[str, str] | None = None

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


#: what every application asks of a cluster (standalone, YARN, Kubernetes) unless the
#: source's ``conf`` says otherwise: one core and 1 GB, no dynamic allocation. In standalone
#: mode an application otherwise takes every free core, and the next one (a run has the
#: preflight's, then one per notebook at a time) waits for executors forever.
CLUSTER_CONF: dict[str, str] = {
    "spark.cores.max": "1",
    "spark.executor.cores": "1",
    "spark.executor.memory": "1g",
    "spark.dynamicAllocation.enabled": "false",
}


_JAVA_OPTIONS = ("spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions")


def is_local(master: str) -> bool:
    """Whether ``master`` runs Spark inside this process (``local``, ``local[4]``, ...).

    >>> is_local("local[*]"), is_local("spark://10.0.0.5:7077")
    (True, False)
    """
    return master == "local" or master.startswith("local[")


def settings(master: str, conf: Mapping[str, str] | None = None, share: int = 1) -> dict[str, str]:
    """The settings of a session: the audit's, a cluster's bounded share, then the source's
    ``conf``. ``share`` multiplies the cores asked for (the preflight measures room for that
    many applications at a time).

    >>> settings("spark://h:7077", {"spark.cores.max": "2"}, share=3)["spark.cores.max"]
    '6'
    >>> "spark.cores.max" in settings("local[2]")
    False
    >>> settings("local", {"spark.driver.extraJavaOptions": "-Xss4m"})["spark.driver.extraJavaOptions"]
    '-Duser.timezone=UTC -Xss4m'
    """
    out = dict(SESSION_CONF)
    if not is_local(master):
        out |= CLUSTER_CONF
    for k, v in (conf or {}).items():
        # JVM options add to the audit's (the UTC time zone stays), every other setting wins
        out[k] = f"{out[k]} {v}" if k in _JAVA_OPTIONS and k in out else str(v)
    if share > 1 and "spark.cores.max" in out:
        out["spark.cores.max"] = str(int(out["spark.cores.max"]) * share)
    return out


@dataclass(frozen=True)
class Where:
    """Where a session's master and settings are configured, for the errors that name them."""

    file: str = "sources"
    key: str | None = None


def session(
    master: str,
    conf: Mapping[str, str] | None = None,
    where: Where = Where(),
    share: int = 1,
) -> Any:
    """The process's Spark session on ``master`` (built once; one master and one ``conf``
    per process). On a cluster, waits for an executor (:func:`audit.limits.spark_wait`);
    with none by then, stops the application and raises a ConfigError naming the master."""
    global _SESSION, _MASTER, _CONF
    base, wanted = settings(master, conf), settings(master, conf, share)
    with _LOCK:
        if _SESSION is not None:
            # a source without conf of its own takes the process's session as it is
            if master != _MASTER or (conf and base != _CONF):
                raise ConfigError(
                    where.file,
                    where.key,
                    f"Spark sources name two masters or two conf ({_MASTER!r} and {master!r})",
                    "give every Spark source the same 'master' and 'conf'",
                )
            return _SESSION
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyspark warns that pandas 3 is new to it
            from pyspark.sql import SparkSession

            builder = SparkSession.builder.master(master).appName("spectra-audit")
            for k, v in wanted.items():
                builder = builder.config(k, v)
            spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("WARN" if os.environ.get("AUDIT_DEBUG") else "OFF")
        if not is_local(master):
            _wait_for_executors(spark, master, wanted, where)
        _SESSION, _MASTER, _CONF = spark, master, base
        return spark


def executors(spark: Any) -> int:
    """Executors registered with the session's application (the driver not counted)."""
    return max(0, int(spark.sparkContext._jsc.sc().getExecutorMemoryStatus().size()) - 1)


def _wait_for_executors(spark: Any, master: str, wanted: Mapping[str, str], where: Where) -> int:
    """Wait until the application has the executors it asked for, or has some and no more
    came for two seconds; raise when none came within the limit."""
    limit = spark_wait()
    per = int(wanted.get("spark.executor.cores", "1"))
    want = max(1, int(wanted.get("spark.cores.max", str(per))) // per)
    start = last_change = time.monotonic()
    seen = 0
    while True:
        n = executors(spark)
        now = time.monotonic()
        if n != seen:
            seen, last_change = n, now
        if n >= want or (n and now - last_change >= 2):
            return n
        if now - start >= limit:
            spark.stop()
            raise ConfigError(
                where.file,
                where.key,
                f"Spark master {master} gave the audit no executor within {limit:.0f} s",
                "start a worker with a free core, lower spark.cores.max in the source's conf, "
                "or wait longer (AUDIT_SPARK_WAIT, seconds)",
            )
        time.sleep(0.25)


def room(apps: int) -> int:
    """How many applications of the configured share the cluster serves at once, as the
    process's application found it (it asked for ``apps`` shares): from 1 to ``apps``;
    ``apps`` in local mode or without a session. See :func:`slots`."""
    with _LOCK:
        if _SESSION is None or _MASTER is None or _CONF is None or is_local(_MASTER):
            return apps
        per = int(_CONF.get("spark.executor.cores", "1"))
        share = int(_CONF.get("spark.cores.max", str(per)))
        return slots(executors(_SESSION) * per, share, apps)


def slots(granted: int, share: int, apps: int) -> int:
    """Applications of ``share`` cores each that ``granted`` cores serve at once, from 1 to
    ``apps``: a cluster with fewer free cores than a run asks for still runs it, one
    notebook at a time, each application taking what there is.

    >>> slots(2, 1, 2), slots(2, 1, 3), slots(1, 4, 2), slots(8, 2, 3)
    (2, 2, 1, 3)
    """
    return max(1, min(apps, granted // max(1, share)))


def stop() -> None:
    """Stop the process's session, releasing its executors (the preflight's, before the
    notebooks' applications ask for theirs)."""
    global _SESSION, _MASTER, _CONF
    with _LOCK:
        if _SESSION is not None:
            _SESSION.stop()
        _SESSION, _MASTER, _CONF = None, None, None


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
