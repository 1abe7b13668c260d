"""The same value readings as :mod:`audit.values`, as SQL expressions pushed into an engine.

One family of dialects: :class:`~.base.Dialect` writes the SQL every engine shares, and one
subclass per engine writes what differs (its text type, trimming, time parsing, regular
expressions, how keys from elsewhere are bound). Checks compose these into the relation that
great-expectations validates, so parsing, filters and arithmetic run in the engine.

>>> d = dialect_for("sqlite")
>>> d.flag('"f"').startswith("(CASE WHEN LOWER(NULLIF(TRIM(CAST(")
True
>>> sorted(DIALECTS)
['mariadb', 'mysql', 'postgresql', 'spark', 'sqlite']
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from ..errors import ConfigError
from .base import Dialect, quote
from .mariadb import MariaDBDialect
from .postgres import PostgresDialect
from .spark import SparkDialect
from .sqlite import SQLiteDialect

__all__ = [
    "DIALECTS",
    "Dialect",
    "MariaDBDialect",
    "PostgresDialect",
    "SQLiteDialect",
    "SparkDialect",
    "dialect_for",
    "quote",
]

#: SQLAlchemy dialect name (or ``spark``) -> its dialect
DIALECTS: dict[str, type[Dialect]] = {
    "sqlite": SQLiteDialect,
    "postgresql": PostgresDialect,
    "mysql": MariaDBDialect,
    "mariadb": MariaDBDialect,
    "spark": SparkDialect,
}


def dialect_for(
    name: str, times: Mapping[str, str] | None = None, integers: Collection[str] = ()
) -> Dialect:
    """The dialect of a SQLAlchemy dialect name; a ConfigError names the ones supported.

    ``times`` maps columns of a time type to ``tz``, ``naive`` or ``date`` (PostgreSQL reads
    them as times, without a text round trip); ``integers`` are columns of an integer type.
    """
    try:
        cls = DIALECTS[name]
    except KeyError:
        raise ConfigError(
            "sources",
            None,
            f"database dialect {name!r} is not supported yet",
            f"use one of: {', '.join(sorted(set(DIALECTS) - {'spark'}))} "
            "(other SQLAlchemy databases are not supported yet)",
        ) from None
    return cls({quote(c): k for c, k in (times or {}).items()}, [quote(c) for c in integers])
