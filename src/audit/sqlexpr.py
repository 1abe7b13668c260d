"""The same value readings as :mod:`audit.values`, as SQL expressions pushed into a database.

One class per dialect; checks compose these into the relation that great-expectations
validates, so parsing, filters and arithmetic run in the database.

>>> d = dialect_for("sqlite")
>>> d.flag('"f"').startswith("(CASE WHEN LOWER(NULLIF(TRIM(CAST(")
True
"""

from __future__ import annotations

from collections.abc import Mapping

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

    def as_text(self, col: str) -> str:
        """A value as text, untrimmed."""
        return f"CAST({col} AS TEXT)"

    def text(self, col: str) -> str:
        """Text trimmed of spaces, tabs and line breaks (as :func:`audit.values.text`), NULL
        when empty."""
        return f"NULLIF({self.trim(self.as_text(col))}, '')"

    def trim(self, text: str) -> str:
        """``text`` without leading and trailing spaces, tabs, CR and LF."""
        return f"TRIM({text}, ' ' || char(9) || char(10) || char(13))"

    def literal(self, value: str) -> str:
        """A string literal (single quotes doubled; backslashes are literal here).

        >>> SQLiteDialect().literal("it's")
        "'it''s'"
        """
        return "'" + value.replace("'", "''") + "'"

    def int_div(self, a: str, b: int) -> str:
        """Integer division, truncating toward zero (``a`` is an integer expression)."""
        return f"(({a}) / {b})"

    def row_number(self) -> str:
        """A row's number in the order the engine reads the table, from 1."""
        return "ROW_NUMBER() OVER ()"

    def is_empty(self, col: str) -> str:
        return f"({self.text(col)} IS NULL)"

    def _ts(self, col: str) -> str:
        """Time text SQLite's date functions read: ``+HHMM`` offsets get their colon."""
        t = self.trim(self.as_text(col))
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

    def month(self, col: str) -> str:
        """The UTC month of a time as ``YYYY-MM``."""
        return f"strftime('%Y-%m', {self._ts(col)})"

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
        return f"({text} REGEXP {self.literal(pattern)})"

    def lower_text(self, col: str) -> str:
        """Trimmed, lower-cased text, NULL when empty (text values compare case-folded)."""
        return f"LOWER({self.text(col)})"

    def row_id(self) -> str:
        """A row's number as text, for datasets without a key."""
        return "CAST(rowid AS TEXT)"

    def floor_div(self, col: str, width: float) -> str:
        """``floor(col / width) * width``, without a FLOOR function (SQLite may lack it)."""
        q = f"CAST(({col} / {width!r}) AS INTEGER)"
        return f"(({q} - (CASE WHEN {col} < 0 AND {q} * {width!r} <> {col} THEN 1 ELSE 0 END)) * {width!r})"

    def cte(self, name: str, query: str) -> str:
        """A common table expression of a ``WITH`` clause.

        >>> SQLiteDialect().cte("e", "SELECT 1 AS x")
        'e AS (SELECT 1 AS x)'
        """
        return f"{name} AS ({query})"

    def fence(self, query: str) -> str:
        """A subquery the engine evaluates as written, each expression once per row (SQLite
        and Spark do; see :class:`PostgresDialect`)."""
        return query

    def bool_int(self, cond: str) -> str:
        """A condition as 1/0."""
        return f"(CASE WHEN {cond} THEN 1 ELSE 0 END)"

    def grouping_settings(self) -> dict[str, str]:
        """Session settings for a statement that groups a number of keys the database cannot
        estimate (every deleted subject, say)."""
        return {}

    def concat(self, parts: list[str]) -> str:
        """Text expressions joined end to end.

        >>> SQLiteDialect().concat(["'a'", "x"])
        "('a' || x)"
        """
        return "(" + " || ".join(parts) + ")"

    def bound_keys(self, param: str) -> str:
        """A query of the keys bound to ``:param`` as a JSON array of strings (one column
        ``_key``): any number of keys in one parameter, never one literal per key."""
        return f"SELECT value AS _key FROM json_each(:{param})"


_TS = (
    r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
    r"([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?)?"
    r"(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?$"
)


_NUMBER = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def _spark_literal(value: str) -> str:
    """A Spark SQL string literal: backslashes and quotes escaped."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class PostgresDialect(SQLiteDialect):
    """PostgreSQL: typed and text columns alike are read through their text form, guarded so
    that a value that is not a timestamp gives NULL instead of an error (PostgreSQL 15 has
    no safe cast); times are UTC whatever the session's time zone."""

    name = "postgresql"

    def __init__(self, times: Mapping[str, str] | None = None) -> None:
        #: quoted column -> "tz" | "naive" | "date": columns of a time type, read as times
        #: (no text round trip; only infinite values are unreadable)
        self.times = dict(times or {})

    def _typed(self, col: str) -> str | None:
        """A time-typed column as a finite timestamptz (NULL when infinite), else None.

        >>> print(PostgresDialect({'"t"': "naive"})._typed('"t"'))
        (CASE WHEN isfinite("t") THEN ("t" AT TIME ZONE 'UTC') END)
        """
        kind = self.times.get(col)
        if kind is None:
            return None
        utc = {"tz": col, "naive": f"({col} AT TIME ZONE 'UTC')"}.get(
            kind, f"({col}::timestamp AT TIME ZONE 'UTC')"
        )
        return f"(CASE WHEN isfinite({col}) THEN {utc} END)"

    def is_empty(self, col: str) -> str:
        return f"({col} IS NULL)" if col in self.times else super().is_empty(col)

    def _valid_ts(self, col: str) -> str:
        t = self.text(col)
        y, m = f"substr({t}, 1, 4)::int", f"substr({t}, 6, 2)::int"
        last = f"EXTRACT(DAY FROM (make_date({y}, {m}, 1) + interval '1 month' - interval '1 day'))"
        # CASE, not AND: PostgreSQL may evaluate AND's operands in any order, and the casts
        # must only ever see text the pattern accepted
        return f"(CASE WHEN {t} ~ '{_TS}' THEN substr({t}, 9, 2)::int <= {last} ELSE FALSE END)"

    def _ts(self, col: str) -> str:
        typed = self._typed(col)
        if typed is not None:
            return typed
        t = self.text(col)
        # a zone only after a time ("2024-11-26" ends in "-26", which is not an offset)
        has_zone = f"{t} ~ '[T ][0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}}(\\.[0-9]+)?)?(Z|[+-][0-9]{{2}}(:?[0-9]{{2}})?)$'"
        zoned = f"(CASE WHEN {has_zone} THEN ({t})::timestamptz ELSE ({t})::timestamp AT TIME ZONE 'UTC' END)"
        return f"(CASE WHEN {self._valid_ts(col)} THEN {zoned} END)"

    def epoch(self, col: str) -> str:
        return f"EXTRACT(EPOCH FROM {self._ts(col)})::float8"

    def ymd(self, col: str) -> str:
        return f"to_char({self._ts(col)} AT TIME ZONE 'UTC', 'YYYYMMDD')::int"

    def time_unreadable(self, col: str) -> str:
        if col in self.times:
            return f"({col} IS NOT NULL AND NOT isfinite({col}))"
        return f"({self.text(col)} IS NOT NULL AND NOT {self._valid_ts(col)})"

    def month(self, col: str) -> str:
        return f"to_char({self._ts(col)} AT TIME ZONE 'UTC', 'YYYY-MM')"

    def flag(self, col: str) -> str:
        t = f"LOWER({self.text(col)})"
        return (
            f"(CASE WHEN {t} IS NULL THEN 0 WHEN {t} IN ({_words(TRUE_WORDS)}) THEN 1 "
            f"WHEN {t} IN ({_words(FALSE_WORDS)}) THEN 0 "
            rf"WHEN {t} ~ '^[0-9]+(\.0+)?$' THEN (CASE {t}::float8 WHEN 1 THEN 1 WHEN 0 THEN 0 END) END)"
        )

    @staticmethod
    def _is_number(t: str) -> str:
        return f"({t} ~ '{_NUMBER}')"

    def number(self, col: str) -> str:
        t = self.text(col)
        return f"(CASE WHEN {self._is_number(t)} THEN ({t})::float8 END)"

    def regex_match(self, text: str, pattern: str) -> str:
        return f"({text} ~ {self.literal(pattern)})"

    def row_id(self) -> str:
        return "ctid::text"

    def floor_div(self, col: str, width: float) -> str:
        return f"(FLOOR({col} / {width!r}) * {width!r})"

    def trim(self, text: str) -> str:
        return f"btrim({text}, ' ' || chr(9) || chr(10) || chr(13))"

    def bound_keys(self, param: str) -> str:
        return f"SELECT jsonb_array_elements_text(CAST(:{param} AS jsonb)) AS _key"

    def grouping_settings(self) -> dict[str, str]:
        """Group by sorting. Keys are expressions PostgreSQL has no statistics for, so it
        guesses 200 groups; where a million came, its hash aggregate (PostgreSQL 15) spent
        minutes resetting its table for every batch it spilled (over 120 s against 4.2 s
        sorted, for a million deleted subjects)."""
        return {"enable_hashagg": "off"}

    def cte(self, name: str, query: str) -> str:
        """Computed once per statement, however often the statement reads it (PostgreSQL
        would otherwise inline it, and evaluate its expressions at every use)."""
        return f"{name} AS MATERIALIZED ({query})"

    def fence(self, query: str) -> str:
        """``OFFSET 0`` keeps PostgreSQL from merging the subquery into the outer query, where
        each use of an output column would evaluate its expression again.

        >>> PostgresDialect().fence("SELECT 1 AS x")
        'SELECT 1 AS x OFFSET 0'
        """
        return f"{query} OFFSET 0"


class SparkDialect(PostgresDialect):
    r"""Spark SQL in ANSI mode (see :mod:`audit.spark`): every parse is a ``try_cast`` behind
    the same pattern as PostgreSQL's, so a bad value reads as unreadable instead of raising;
    string literals escape backslashes; the session's time zone is UTC.

    >>> print(SparkDialect().literal(r"\d'"))
    '\\d\''
    """

    name = "spark"

    def as_text(self, col: str) -> str:
        return f"CAST({col} AS STRING)"

    def trim(self, text: str) -> str:
        return f"btrim({text}, concat(' ', char(9), char(10), char(13)))"

    def literal(self, value: str) -> str:
        return _spark_literal(value)

    def regex_match(self, text: str, pattern: str) -> str:
        return f"({text} RLIKE {self.literal(pattern)})"

    def _valid_ts(self, col: str) -> str:
        return f"({self._ts(col)} IS NOT NULL)"

    def _ts(self, col: str) -> str:
        t = self.text(col)
        return f"(CASE WHEN {t} RLIKE {self.literal(_TS)} THEN try_cast({t} AS TIMESTAMP) END)"

    def epoch(self, col: str) -> str:
        return f"(unix_micros({self._ts(col)}) / 1000000.0D)"

    def ymd(self, col: str) -> str:
        return f"CAST(date_format({self._ts(col)}, 'yyyyMMdd') AS INT)"

    def month(self, col: str) -> str:
        return f"date_format({self._ts(col)}, 'yyyy-MM')"

    def flag(self, col: str) -> str:
        t = f"LOWER({self.text(col)})"
        num = self.literal(r"^[0-9]+(\.0+)?$")
        return (
            f"(CASE WHEN {t} IS NULL THEN 0 WHEN {t} IN ({_words(TRUE_WORDS)}) THEN 1 "
            f"WHEN {t} IN ({_words(FALSE_WORDS)}) THEN 0 "
            f"WHEN {t} RLIKE {num} THEN (CASE try_cast({t} AS DOUBLE) WHEN 1 THEN 1 WHEN 0 THEN 0 END) END)"
        )

    @staticmethod
    def _is_number(t: str) -> str:
        return f"({t} RLIKE {_spark_literal(_NUMBER)})"

    def number(self, col: str) -> str:
        t = self.text(col)
        return f"(CASE WHEN {self._is_number(t)} THEN try_cast({t} AS DOUBLE) END)"

    def int_div(self, a: str, b: int) -> str:
        return f"(({a}) DIV {b})"

    def cte(self, name: str, query: str) -> str:
        return SQLiteDialect.cte(self, name, query)

    def fence(self, query: str) -> str:
        return query

    def grouping_settings(self) -> dict[str, str]:
        return {}

    def row_id(self) -> str:
        return "CAST(monotonically_increasing_id() + 1 AS STRING)"

    def row_number(self) -> str:
        return "ROW_NUMBER() OVER (ORDER BY monotonically_increasing_id())"


Dialect = SQLiteDialect
_DIALECTS: dict[str, type[SQLiteDialect]] = {
    "sqlite": SQLiteDialect,
    "postgresql": PostgresDialect,
    "spark": SparkDialect,
}


def dialect_for(name: str, times: Mapping[str, str] | None = None) -> SQLiteDialect:
    """The expressions of a SQLAlchemy dialect name; a ConfigError names the ones supported.

    ``times`` (PostgreSQL) maps time-typed columns to ``tz``, ``naive`` or ``date``.
    """
    try:
        cls = _DIALECTS[name]
    except KeyError:
        raise ConfigError(
            "sources",
            None,
            f"database dialect {name!r} is not supported yet",
            f"use one of: {', '.join(_DIALECTS)} (other SQLAlchemy databases are not supported yet)",
        ) from None
    if cls is PostgresDialect:
        return PostgresDialect({quote(c): k for c, k in (times or {}).items()})
    return cls()
