"""Every cap, chunk size, sample size and timeout the audit uses, and why none changes a count.

A count in a finding is always an aggregate computed over every row in scope: a database's
``COUNT``/``SUM``, or great-expectations' ``element_count``/``unexpected_count`` (which it
never cuts). Lists that a library returns (great-expectations cuts each at
``great_expectations.constants.MAX_RESULT_RECORDS``, 200) only ever give examples. The README
("Limits, and why none changes a count") names the test that stands behind each line here.

Three limits can be set from the environment, for small machines and for the tests that force
them small: ``AUDIT_CACHE_MB``, ``AUDIT_SCAN_CELLS`` and ``AUDIT_SPARK_WAIT``.

>>> os.environ["AUDIT_CACHE_MB"] = "2"; cache_budget(); del os.environ["AUDIT_CACHE_MB"]
2097152
>>> scan_cells()
20000000
"""

from __future__ import annotations

import os

from .errors import ConfigError

#: Masked examples per finding (great-expectations' ``partial_unexpected_count``). Examples
#: are shown, never counted.
EXAMPLES = 5

#: Values one pandas validation of a column scan holds at most (columns x rows), so memory
#: stays bounded on wide files. Columns are grouped, never split: each column's count comes
#: from one validation over all its rows, whatever the number of groups.
SCAN_CELLS = 20_000_000

#: Megabytes of raw file columns one process keeps between checks. Over it, whole datasets
#: leave (least recently used first) and are read again, whole, when a check needs them.
CACHE_MB = 1024

#: Non-empty values the inventory samples per column to classify it (``sample_size`` in the
#: config). The sample decides a column's category, never a count: counts are full scans of
#: the classified columns.
SAMPLE_SIZE = 10_000

#: Every PostgreSQL session is read-only with this statement timeout: a statement that runs
#: longer fails, and its check reports ``error``; it never returns a partial count.
PG_STATEMENT_TIMEOUT = "30min"
#: The same for MariaDB sessions, in seconds (``max_statement_time``).
MARIADB_STATEMENT_TIMEOUT = 1800

#: Seconds a Spark application waits for its first executor on a cluster before the run stops
#: with an error naming the master (a cluster with no free core would otherwise hang it).
SPARK_WAIT = 120

#: Compiled regular expressions kept for SQLite's REGEXP (a cache of pure functions).
REGEX_CACHE = 256


def _env_number(name: str, default: float, what: str, example: str) -> float:
    """A non-negative number from the environment; a ConfigError names the variable."""
    raw = os.environ.get(name, "").strip()
    try:
        value = float(raw) if raw else default
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise ConfigError(name, None, f"not {what}: {raw!r}", f"set it to e.g. {example}")
    return value


def cache_budget() -> int:
    """Bytes of the column cache: ``AUDIT_CACHE_MB`` (default :data:`CACHE_MB`)."""
    return int(_env_number("AUDIT_CACHE_MB", CACHE_MB, "a size in megabytes", "1024") * 2**20)


def scan_cells() -> int:
    """Values per pandas scan validation: ``AUDIT_SCAN_CELLS`` (default :data:`SCAN_CELLS`;
    at least 1, which scans one column at a time)."""
    return max(
        1, int(_env_number("AUDIT_SCAN_CELLS", SCAN_CELLS, "a number of values", "20000000"))
    )


def spark_wait() -> float:
    """Seconds to wait for a Spark cluster's executors: ``AUDIT_SPARK_WAIT`` (default
    :data:`SPARK_WAIT`)."""
    return _env_number("AUDIT_SPARK_WAIT", SPARK_WAIT, "a number of seconds", "120")
