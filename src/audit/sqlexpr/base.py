"""The SQL every engine shares, and the hooks each engine's dialect fills in.

>>> print(Dialect().literal("it's"))
'it''s'
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from ..values import FALSE_WORDS, TRUE_WORDS

#: An ISO 8601 date or time as the audit reads them: a zone only after a time of day, as
#: pandas reads them ("2024-11-26-05:00" is not a time; PostgreSQL's cast refused it with
#: an error, and read "2024-11-26+02" as midnight UTC).
_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
TS = (
    _DATE + r"([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?"
    r"(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)?)?$"
)
#: A date as :data:`TS` begins (its day not yet checked against its month's length).
DATE = _DATE + "$"
#: The zone of a time text :data:`TS` accepted, its first group: ``Z`` or an offset after
#: a time of day (no match when none).
ZONE = r"[T ][0-9:.]+(Z|[+-][0-9:]+)$"
#: A number as text.
NUMBER = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
#: A whole number with an optional fraction of zeros (a flag written as 1 or 1.0).
FLAG_NUMBER = r"^[0-9]+(\.0+)?$"


def quote(name: str) -> str:
    """A quoted SQL identifier (standard double quotes; every session the audit opens reads
    them so).

    >>> quote('order')
    '"order"'
    """
    return '"' + name.replace('"', '""') + '"'


def words(items: tuple[str, ...]) -> str:
    """Plain words as a list of string literals (words of ``audit.values``: no quotes)."""
    return ", ".join("'" + w + "'" for w in items)


class Dialect:
    """Standard SQL; each engine's subclass overrides what differs.

    ``times`` (quoted column -> ``tz``, ``naive`` or ``date``) names columns of a time type,
    for the engines that read them without a text round trip; ``integers`` (quoted) columns
    of an integer type, whose text is that of their value.
    """

    name = "standard"
    #: a server that runs statements of one client side by side, each on a core of its own
    concurrent = False
    #: the type a value is cast to for text
    TEXT = "TEXT"
    #: the type of a floating-point number
    DOUBLE = "DOUBLE PRECISION"

    def __init__(
        self, times: Mapping[str, str] | None = None, integers: Collection[str] = ()
    ) -> None:
        self.times = dict(times or {})
        self.integers = frozenset(integers)

    # ------------------------------------------------------------------ text

    def as_text(self, col: str) -> str:
        """A value as text, untrimmed."""
        return f"CAST({col} AS {self.TEXT})"

    def trim(self, text: str) -> str:
        """``text`` without leading and trailing spaces, tabs, CR and LF."""
        raise NotImplementedError

    def text(self, col: str) -> str:
        """Text trimmed of spaces, tabs and line breaks (as :func:`audit.values.text`), NULL
        when empty."""
        return f"NULLIF({self.trim(self.as_text(col))}, '')"

    def is_empty(self, col: str) -> str:
        """Whether a value is empty (NULL, or nothing but spaces, tabs and line breaks)."""
        return f"({self.present(col)} IS NULL)"

    def present(self, col: str) -> str:
        """An expression that is NULL exactly when the value is empty (NULL, or nothing but
        spaces, tabs and line breaks), for counting non-empty values: the trimmed text here;
        engines that can tell most values without trimming them do so.

        >>> class Trimming(Dialect):
        ...     def trim(self, text: str) -> str:
        ...         return f"trim({text})"
        >>> Trimming().present("c")
        "NULLIF(trim(CAST(c AS TEXT)), '')"
        """
        return self.text(col)

    def distinct_key(self, col: str) -> str | None:
        """An expression with exactly as many distinct values as the column's trimmed text,
        and cheaper to sort (a typed value whose text is one-to-one with it), or None when
        only the text will do.

        >>> Dialect(integers=["n"]).distinct_key("n"), Dialect().distinct_key("n")
        ('n', None)
        """
        return col if col in self.integers else None

    def lower_text(self, col: str) -> str:
        """Trimmed, lower-cased text, NULL when empty (text values compare case-folded)."""
        return f"LOWER({self.text(col)})"

    def literal(self, value: str) -> str:
        """A string literal (single quotes doubled; backslashes are literal)."""
        return "'" + value.replace("'", "''") + "'"

    def concat(self, parts: list[str]) -> str:
        """Text expressions joined end to end.

        >>> Dialect().concat(["'a'", "x"])
        "('a' || x)"
        """
        return "(" + " || ".join(parts) + ")"

    def length(self, text: str) -> str:
        """Characters of a text."""
        return f"LENGTH({text})"

    def regex_match(self, text: str, pattern: str) -> str:
        """``text`` matches a regular expression (case-sensitively)."""
        raise NotImplementedError

    def contains(self, text: str, needle: str) -> str:
        """``text`` holds ``needle`` somewhere (at least where it does case-sensitively).

        >>> Dialect().contains("t", "sk_")
        "(INSTR(t, 'sk_') > 0)"
        """
        return f"(INSTR({text}, {self.literal(needle)}) > 0)"

    # ------------------------------------------------------------------ numbers and flags

    def is_number(self, t: str) -> str:
        """Whether trimmed text ``t`` is a number."""
        return f"({self.regex_match(t, NUMBER)})"

    def to_double(self, t: str) -> str:
        """Text already known to be a number, as a floating-point number."""
        return f"CAST({t} AS {self.DOUBLE})"

    def to_integer(self, t: str) -> str:
        """Text already known to be digits, as an integer."""
        return f"CAST({t} AS INTEGER)"

    def offset_minutes(self, zone: str) -> str:
        """The signed minutes of a time's zone text ``zone``: an offset ``+HH``, ``+HHMM`` or
        ``+HH:MM`` (0 for ``Z`` or none), for engines whose casts refuse some offsets the
        format allows.

        >>> Dialect().offset_minutes("z")[:37]
        '(CASE WHEN length(z) < 3 THEN 0 ELSE '
        """
        hours, minutes = (
            self.to_integer(f"substr({zone}, 2, 2)"),
            self.to_integer(f"right({zone}, 2)"),
        )
        return (
            f"(CASE WHEN length({zone}) < 3 THEN 0 ELSE "
            f"(CASE WHEN left({zone}, 1) = '-' THEN -1 ELSE 1 END) "
            f"* ({hours} * 60 + (CASE WHEN length({zone}) > 3 THEN {minutes} ELSE 0 END)) END)"
        )

    def number(self, col: str) -> str:
        t = self.text(col)
        return f"(CASE WHEN {self.is_number(t)} THEN {self.to_double(t)} END)"

    def number_unreadable(self, col: str) -> str:
        t = self.text(col)
        return f"({t} IS NOT NULL AND NOT ({self.is_number(t)}))"

    def flag(self, col: str) -> str:
        """1, 0, or NULL where the value is no flag (booleans, 0/1, Y/N, yes/no, true/false)."""
        t = f"LOWER({self.text(col)})"
        return (
            f"(CASE WHEN {t} IS NULL THEN 0 WHEN {t} IN ({words(TRUE_WORDS)}) THEN 1 "
            f"WHEN {t} IN ({words(FALSE_WORDS)}) THEN 0 "
            f"WHEN {self.regex_match(t, FLAG_NUMBER)} "
            f"THEN (CASE {self.to_double(t)} WHEN 1 THEN 1 WHEN 0 THEN 0 END) END)"
        )

    def flag_unreadable(self, col: str) -> str:
        return f"({self.flag(col)} IS NULL)"

    def int_div(self, a: str, b: int) -> str:
        """Integer division, truncating toward zero (``a`` is an integer expression)."""
        return f"(({a}) / {b})"

    def floor_div(self, col: str, width: float) -> str:
        """``floor(col / width) * width``."""
        return f"(FLOOR({col} / {width!r}) * {width!r})"

    def bool_int(self, cond: str) -> str:
        """A condition as 1/0."""
        return f"(CASE WHEN {cond} THEN 1 ELSE 0 END)"

    # ------------------------------------------------------------------ times (UTC)

    def epoch(self, col: str) -> str:
        """UTC seconds since 1970; NULL exactly when empty or unreadable (a time that is present
        and readable is never NULL: a check may read unreadable as present with no epoch)."""
        raise NotImplementedError

    def trimmed_time(self, col: str) -> str | None:
        """For a time column this engine parses as text at a cost per use of the text: that
        text trimmed (NULL when empty), for a relation to compute once per row below a fence
        and read with :meth:`epoch_of_trimmed`; None where the column is read otherwise.

        >>> Dialect().trimmed_time('"t"') is None
        True
        """
        return None

    def epoch_of_trimmed(self, t: str) -> str:
        """:meth:`epoch` of a time column from its :meth:`trimmed_time` ``t``."""
        return self.epoch(t)

    def ymd(self, col: str) -> str:
        """The UTC date as integer YYYYMMDD."""
        raise NotImplementedError

    def readable(self) -> Dialect:
        """This dialect for statements a person reads and runs (:mod:`audit.remediation`):
        the same values, written to be read; the same dialect where it writes them so
        already."""
        return self

    def ymd_of_trimmed(self, t: str) -> str:
        """:meth:`ymd` of a time column from its :meth:`trimmed_time` ``t``."""
        return self.ymd(t)

    def times_once(
        self,
        table: str,
        keep: dict[str, str],
        times: dict[str, tuple[str, str]],
        where: str | None = None,
    ) -> str:
        """A query of the rows of ``table`` (where ``where``) with the expressions ``keep``
        (name: SQL) and, for each of ``times`` (name: quoted column and ``"epoch"`` or
        ``"ymd"``), the time read so (:meth:`epoch`, :meth:`ymd`) as ``name`` and
        ``name_bad``: 1 where the value is present but not a time, else 0.

        Each time is parsed once per row, in a fenced query (an engine would otherwise parse
        it again at every use of ``name``), from its text trimmed once below that where the
        engine's parse would trim it at every use (:meth:`trimmed_time`). Unreadable is
        present with no parsed time: a parse is NULL exactly when the value is empty or
        unreadable, so no second parse tells it.

        >>> from audit.sqlexpr.postgres import PostgresDialect
        >>> q = PostgresDialect().times_once("t", {"_key": "k"}, {"_a": ('"a"', "epoch")})
        >>> q.count("btrim("), q.count("OFFSET 0"), q.startswith("SELECT _key, _a, (CASE WHEN _a_e = 0")
        (1, 2, True)
        """
        raw = [f"{sql} AS {name}" for name, sql in keep.items()]
        parsed, out = list(keep), list(keep)
        for name, (col, kind) in times.items():
            once = self.trimmed_time(col)
            if once is None:
                raw += [] if col in raw else [col]
                value = self.epoch(col) if kind == "epoch" else self.ymd(col)
                empty = self.is_empty(col)
            else:
                raw.append(f"{once} AS {name}_tt")
                read = self.epoch_of_trimmed if kind == "epoch" else self.ymd_of_trimmed
                value, empty = read(f"{name}_tt"), f"({name}_tt IS NULL)"
            parsed += [f"{value} AS {name}", f"{self.bool_int(empty)} AS {name}_e"]
            out += [
                name,
                f"(CASE WHEN {name}_e = 0 AND {name} IS NULL THEN 1 ELSE 0 END) AS {name}_bad",
            ]
        rows = f"SELECT {', '.join(raw)} FROM {table}" + (f" WHERE {where}" if where else "")
        inner = f"SELECT {', '.join(parsed)} FROM ({self.fence(rows)}) AS raw"
        return f"SELECT {', '.join(out)} FROM ({self.fence(inner)}) AS parsed"

    def month(self, col: str) -> str:
        """The UTC month of a time as ``YYYY-MM``."""
        raise NotImplementedError

    def months_query(self, col: str, table: str) -> str:
        """Rows per UTC month of a time column: ``m`` (NULL for empty or unreadable) and
        ``n``, one row per month, in order. The month is computed once per row: its NULL
        group is left to the caller to drop (filtered in ``WHERE``, every time would be
        parsed a second time).

        >>> class Monthly(Dialect):
        ...     def month(self, col: str) -> str:
        ...         return f"m({col})"
        >>> Monthly().months_query('"t"', '"log"')
        'SELECT m("t") AS m, COUNT(*) AS n FROM "log" GROUP BY 1 ORDER BY 1'
        """
        return f"SELECT {self.month(col)} AS m, COUNT(*) AS n FROM {table} GROUP BY 1 ORDER BY 1"

    # ------------------------------------------------------------------ rows and statements

    def row_number(self) -> str:
        """A row's number in the order the engine reads the table, from 1."""
        return "ROW_NUMBER() OVER ()"

    def scan_position(self) -> str | None:
        """An expression that numbers rows in the order the engine reads them, for the
        engines whose windows need an order (None: a window without one keeps that order)."""
        return None

    def running_count(self, expr: str, order: str | None = None) -> str:
        """How many rows up to this one, in the order the engine reads the table (by
        ``order``, a column of :meth:`scan_position`, where given), have ``expr`` not NULL:
        a non-empty value's number among the non-empty values.

        >>> Dialect().running_count("v")
        'COUNT(v) OVER (ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)'
        """
        by = f"ORDER BY {order} " if order else ""
        return f"COUNT({expr}) OVER ({by}ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"

    def row_id(self) -> str:
        """A row's number as text, for datasets without a key."""
        return self.as_text(self.row_number())

    def scan_settings(self) -> dict[str, str]:
        """Session settings under which a table is read in its stored order, whatever else
        reads it at the same time (a sample numbers values in the order they are read)."""
        return {}

    def cte(self, name: str, query: str) -> str:
        """A common table expression of a ``WITH`` clause.

        >>> Dialect().cte("e", "SELECT 1 AS x")
        'e AS (SELECT 1 AS x)'
        """
        return f"{name} AS ({query})"

    def fence(self, query: str) -> str:
        """A subquery the engine evaluates as written, each expression once per row."""
        return query

    def bound_keys(self, param: str) -> str:
        """A query of the keys bound to ``:param`` as a JSON array of strings (one column
        ``_key``): any number of keys in one parameter, never one literal per key."""
        raise NotImplementedError(f"{self.name} takes keys from elsewhere as a view")

    def grouping_settings(self) -> dict[str, str]:
        """Session settings for a statement that groups a number of keys the engine cannot
        estimate (every deleted subject, say)."""
        return {}

    def join_settings(self) -> dict[str, str]:
        """Session settings for a statement that joins derived tables on computed keys."""
        return {}
