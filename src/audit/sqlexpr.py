"""The same value readings as :mod:`audit.values`, as SQL expressions pushed into a database.

One class per dialect; checks compose these into the relation that great-expectations
validates, so parsing, filters and arithmetic run in the database.

>>> d = dialect_for("sqlite")
>>> d.flag('"f"').startswith("(CASE WHEN LOWER(NULLIF(TRIM(CAST(")
True
"""

from __future__ import annotations

from .errors import ConfigError
from .values import FALSE_WORDS, TRUE_WORDS


def quote(name: str) -> str:
    """A quoted SQL identifier (standard double quotes).

    >>> quote('order')
    '"order"'
    """
    return '"' + name.replace('"', '""') + '"'


def _words(words: tuple[str, ...]) -> str:
    return ", ".join("'" + w + "'" for w in words)


class SQLiteDialect:
    """SQLite: text timestamps parsed by its date functions (zones applied, bad values NULL)."""

    name = "sqlite"

    def text(self, col: str) -> str:
        """Trimmed text, NULL when empty."""
        return f"NULLIF(TRIM(CAST({col} AS TEXT)), '')"

    def is_empty(self, col: str) -> str:
        return f"({self.text(col)} IS NULL)"

    def _ts(self, col: str) -> str:
        """Time text SQLite's date functions read: ``+HHMM`` offsets get their colon."""
        t = f"TRIM(CAST({col} AS TEXT))"
        return (
            f"(CASE WHEN {t} GLOB '*T*[+-][0-9][0-9][0-9][0-9]' OR {t} GLOB '* *[+-][0-9][0-9][0-9][0-9]' "
            f"THEN substr({t}, 1, length({t}) - 2) || ':' || substr({t}, -2) ELSE {t} END)"
        )

    def epoch(self, col: str) -> str:
        """UTC seconds since 1970; NULL when empty or unreadable."""
        return f"CAST(strftime('%s', {self._ts(col)}) AS REAL)"

    def ymd(self, col: str) -> str:
        """The UTC date as integer YYYYMMDD."""
        return f"CAST(strftime('%Y%m%d', {self._ts(col)}) AS INTEGER)"

    def time_unreadable(self, col: str) -> str:
        return f"({self.text(col)} IS NOT NULL AND strftime('%s', {self._ts(col)}) IS NULL)"

    def flag(self, col: str) -> str:
        t = f"LOWER({self.text(col)})"
        return (
            f"(CASE WHEN {t} IS NULL THEN 0 WHEN {t} IN ({_words(TRUE_WORDS)}) THEN 1 "
            f"WHEN {t} IN ({_words(FALSE_WORDS)}) THEN 0 "
            f"WHEN {t} GLOB '[0-9]*' AND CAST({t} AS REAL) = 1 THEN 1 "
            f"WHEN {t} GLOB '[0-9]*' AND CAST({t} AS REAL) = 0 THEN 0 END)"
        )

    def flag_unreadable(self, col: str) -> str:
        return f"({self.flag(col)} IS NULL)"

    def number(self, col: str) -> str:
        t = self.text(col)
        return f"(CASE WHEN {self._is_number(t)} THEN CAST({t} AS REAL) END)"

    def number_unreadable(self, col: str) -> str:
        t = self.text(col)
        return f"({t} IS NOT NULL AND NOT ({self._is_number(t)}))"

    @staticmethod
    def _is_number(t: str) -> str:
        return f"({t} GLOB '[0-9]*' OR {t} GLOB '[-+.][0-9]*') AND {t} NOT GLOB '*[^0-9.eE+-]*'"

    def regex_match(self, text: str, pattern: str) -> str:
        """``text`` matches a regular expression (SQLite gets REGEXP from audit.sources)."""
        return f"({text} REGEXP '{pattern.replace(chr(39), chr(39) * 2)}')"

    def lower_text(self, col: str) -> str:
        """Trimmed, lower-cased text, NULL when empty (text values compare case-folded)."""
        return f"LOWER({self.text(col)})"

    def row_id(self) -> str:
        """A row's number as text, for datasets without a key."""
        return "CAST(rowid AS TEXT)"

    def bool_int(self, cond: str) -> str:
        """A condition as 1/0."""
        return f"(CASE WHEN {cond} THEN 1 ELSE 0 END)"


Dialect = SQLiteDialect
_DIALECTS: dict[str, type[SQLiteDialect]] = {"sqlite": SQLiteDialect}


def dialect_for(name: str) -> SQLiteDialect:
    """The expressions of a SQLAlchemy dialect name; a ConfigError names the ones supported."""
    try:
        return _DIALECTS[name]()
    except KeyError:
        raise ConfigError(
            "sources",
            None,
            f"database dialect {name!r} is not supported yet",
            f"use one of: {', '.join(_DIALECTS)} (PostgreSQL support is tracked in its own issue)",
        ) from None
