"""PostgreSQL: typed and text columns alike, every time read in UTC whatever the session's
zone. Text is taken apart and each part checked before any cast (PostgreSQL 15 has no safe
cast), so a value that is not a time gives NULL instead of an error; columns of a time type
are read as times (no text round trip; only infinite values are unreadable).

>>> print(PostgresDialect({'"t"': "naive"})._typed('"t"'))
(CASE WHEN isfinite("t") THEN ("t" AT TIME ZONE 'UTC') END)
"""

from __future__ import annotations

import calendar
import copy

from .base import DATE, TS, ZONE, Dialect


def _texts(values: list[str]) -> str:
    """An SQL list of texts: PostgreSQL (14 and later) looks a value up in a list of nine or
    more constants by hashing, wherever the expression is evaluated."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


#: the valid texts of the parts of a time: the years read without the pattern, those of
#: them that are leap years, month and day (2000 is a leap year: every day of every month),
#: hours, minutes or seconds
YEARS = _texts([f"{y:04d}" for y in range(1900, 2200)])
LEAP_YEARS = _texts([f"{y:04d}" for y in range(1900, 2200) if calendar.isleap(y)])
MONTH_DAYS = _texts(
    [
        f"-{m:02d}-{d:02d}"
        for m in range(1, 13)
        for d in range(1, calendar.monthrange(2000, m)[1] + 1)
    ]
)
HOURS = _texts([f"{h:02d}" for h in range(24)])
SIXTY = _texts([f"{m:02d}" for m in range(60)])


class PostgresDialect(Dialect):
    name = "postgresql"
    concurrent = True
    DOUBLE = "float8"
    #: text times read by the pattern (:meth:`readable`)
    compact = False

    def trim(self, text: str) -> str:
        return f"btrim({text}, ' ' || chr(9) || chr(10) || chr(13))"

    def present(self, col: str) -> str:
        """Only a value whose first character is a space, tab or line break is trimmed to
        tell whether it is empty: any other non-empty text is not (trimming every value of
        the W10 log's seven columns took 22 s of one core, this 3.5 s).

        >>> PostgresDialect().present("c")[:60]
        '(CASE WHEN ascii(CAST(c AS TEXT)) IN (9, 10, 13, 32) THEN NU'
        >>> PostgresDialect({"c": "tz"}).present("c"), PostgresDialect(integers=["n"]).present("n")
        ('c', 'n')
        """
        if col in self.times or col in self.integers:
            return col
        t = self.as_text(col)
        return f"(CASE WHEN ascii({t}) IN (9, 10, 13, 32) THEN {self.text(col)} ELSE NULLIF({t}, '') END)"

    def regex_match(self, text: str, pattern: str) -> str:
        return f"({text} ~ {self.literal(pattern)})"

    def distinct_key(self, col: str) -> str | None:
        """Integers and times compare typed: distinct instants have distinct texts (the text
        carries the offset), and a typed sort is a third of the text's (the W10 log's times,
        one core: 11.6 s as text, 3.9 s typed).

        >>> PostgresDialect({"t": "tz"}).distinct_key("t")
        't'
        """
        return col if col in self.times else super().distinct_key(col)

    def contains(self, text: str, needle: str) -> str:
        return f"(strpos({text}, {self.literal(needle)}) > 0)"

    def _typed(self, col: str) -> str | None:
        """A time-typed column as a finite timestamptz (NULL when infinite), else None."""
        kind = self.times.get(col)
        if kind is None:
            return None
        utc = {"tz": col, "naive": f"({col} AT TIME ZONE 'UTC')"}.get(
            kind, f"({col}::timestamp AT TIME ZONE 'UTC')"
        )
        return f"(CASE WHEN isfinite({col}) THEN {utc} END)"

    def _ts(self, col: str) -> str:
        typed = self._typed(col)
        if typed is not None:
            return typed
        return self._text_ts(self.text(col))

    def _text_ts(self, t: str) -> str:
        """The time that trimmed text ``t`` writes (UTC without a zone), NULL when it is not
        one."""
        if self.compact:
            zone = f"COALESCE(substring({t} from '{ZONE}'), '')"
            return f"(CASE WHEN {self._matches_ts(t, TS)} THEN {self._instant(t, zone)} END)"
        return self._read_text_ts(t)

    def readable(self) -> PostgresDialect:
        """For statements a person reads (:mod:`audit.remediation`): a text time checked by
        the pattern itself, one regular expression, not taken apart part by part (its text
        used 77 times); the same times, read more slowly.

        >>> d = PostgresDialect()
        >>> len(d.readable().epoch('"t"')) < len(d.epoch('"t"')) / 5, d.compact
        (True, False)
        """
        twin = copy.copy(self)
        twin.compact = True
        return twin

    @staticmethod
    def _matches_ts(t: str, pattern: str) -> str:
        """Whether trimmed text ``t`` matches ``pattern`` (:data:`audit.sqlexpr.base.TS`, or
        its date :data:`audit.sqlexpr.base.DATE`) with a day its month has (past the 28th only, the month's
        last day is worked out), in a year PostgreSQL has: its calendar has no year 0, and
        a cast of one stopped the whole statement with an error (pandas reads year 0: on
        PostgreSQL such a time is unreadable instead). CASE, not AND: PostgreSQL may
        evaluate AND's operands in any order, and the casts must only ever see text the
        pattern accepted."""
        day = f"substr({t}, 9, 2)::int"
        y, m = f"left({t}, 4)::int", f"substr({t}, 6, 2)::int"
        last = f"EXTRACT(DAY FROM (make_date({y}, {m}, 1) + interval '1 month' - interval '1 day'))"
        return (
            f"(CASE WHEN left({t}, 4) = '0000' THEN FALSE "
            f"WHEN {t} ~ '{pattern}' THEN {day} <= 28 OR {day} <= {last} ELSE FALSE END)"
        )

    def _read_text_ts(self, t: str) -> str:
        """The instant of trimmed text ``t`` where the pattern :data:`audit.sqlexpr.base.TS`
        reads it as a time (:meth:`_instant`, given its zone's text), else NULL.

        The pattern is most of the cost of a parse on PostgreSQL (the W10 cookie events' 5 M
        times, one core: the pattern 11 s, the cast 2.5 s), so the text is taken apart by
        position instead, each part looked up among its valid texts: the year, the month and
        day (the 29th of February in a leap year only), hour, minute and second, the offset's
        hours and minutes (past the fraction's digits, when there is one). A year outside
        :data:`YEARS` is read by the pattern and the month's last day.

        >>> sql = PostgresDialect()._read_text_ts("t")
        >>> sql.count(" ~ "), sql.count(YEARS), sql.count(" IN ('00', '01', ")
        (1, 1, 9)
        """
        sub = lambda at, n="": f"substr({t}, {at}{n and f', {n}'})"  # noqa: E731

        def zone(z: str) -> str:
            # empty, Z, or an offset: +HH, +HHMM or +HH:MM
            minutes = (
                f"(length({z}) = 5 OR length({z}) = 6 AND substr({z}, 4, 1) = ':') "
                f"AND right({z}, 2) IN {SIXTY}"
            )
            offset = (
                f"left({z}, 1) IN ('+', '-') AND substr({z}, 2, 2) IN {HOURS} "
                f"AND (length({z}) = 3 OR {minutes})"
            )
            return f"(CASE WHEN {z} IN ('', 'Z') OR {offset} THEN {self._instant(t, z)} END)"

        fraction = f"ltrim({sub(21)}, '0123456789')"
        no_zone = self._instant(t, "''")
        clock = f"{sub(11, 1)} IN ('T', ' ') AND {sub(12, 2)} IN {HOURS} AND {sub(14, 1)} = ':' AND {sub(15, 2)} IN {SIXTY}"
        rest = (
            f"(CASE WHEN length({t}) = 10 THEN {no_zone} "
            f"WHEN NOT ({clock}) THEN NULL "
            f"WHEN {sub(17, 1)} <> ':' THEN {zone(sub(17))} "
            f"WHEN {sub(18, 2)} NOT IN {SIXTY} THEN NULL "
            f"WHEN {sub(20, 1)} <> '.' THEN {zone(sub(20))} "
            f"WHEN length({fraction}) < length({sub(21)}) THEN {zone(fraction)} "
            f"END)"
        )
        year = f"left({t}, 4)"
        # CASE, not AND or OR: PostgreSQL may evaluate their operands in any order, and the
        # casts must only ever see text the pattern accepted
        date = (
            f"(CASE WHEN {year} IN {YEARS} THEN {sub(5, 6)} IN {MONTH_DAYS} "
            f"AND ({sub(5, 6)} <> '-02-29' OR {year} IN {LEAP_YEARS}) "
            f"ELSE {PostgresDialect._matches_ts(f'left({t}, 10)', DATE)} END)"
        )
        return f"(CASE WHEN {date} THEN {rest} END)"

    def _instant(self, t: str, zone: str) -> str:
        """The instant of a time text ``t`` whose zone (its suffix: empty, ``Z`` or an offset)
        is ``zone``. An offset is subtracted by hand: PostgreSQL's casts refuse one of 16
        hours or more ("time zone displacement out of range"), which the format allows.

        >>> print(PostgresDialect()._instant("t", "''"))
        ((t)::timestamp AT TIME ZONE 'UTC')
        """
        if zone == "''":
            return f"(({t})::timestamp AT TIME ZONE 'UTC')"
        naive = f"(left({t}, length({t}) - length({zone}))::timestamp AT TIME ZONE 'UTC')"
        return (
            f"(CASE WHEN {zone} = '' THEN (({t})::timestamp AT TIME ZONE 'UTC') "
            f"WHEN {zone} = 'Z' THEN ({t})::timestamptz "
            f"ELSE {naive} - make_interval(mins => {self.offset_minutes(zone)}) END)"
        )

    def epoch(self, col: str) -> str:
        """``date_part``, not ``EXTRACT``: the same double (the exact microseconds over a
        million, rounded once; the W10 log's 10 M times, none differ), without the numeric
        ``EXTRACT`` returns since PostgreSQL 14 (2 s against 3.2-6 s, one core).

        >>> print(PostgresDialect({'"t"': "tz"}).epoch('"t"'))
        date_part('epoch', (CASE WHEN isfinite("t") THEN "t" END))
        """
        return f"date_part('epoch', {self._ts(col)})"

    def trimmed_time(self, col: str) -> str | None:
        """A text time's parse reads its text at every part it checks (77 uses, each trimming
        it again).

        >>> PostgresDialect({'"t"': "tz"}).trimmed_time('"t"') is None
        True
        >>> PostgresDialect().epoch_of_trimmed("_tt").count("btrim")
        0
        """
        return None if col in self.times else self.text(col)

    def epoch_of_trimmed(self, t: str) -> str:
        return f"date_part('epoch', {self._text_ts(t)})"

    def ymd(self, col: str) -> str:
        return f"to_char({self._ts(col)} AT TIME ZONE 'UTC', 'YYYYMMDD')::int"

    def ymd_of_trimmed(self, t: str) -> str:
        return f"to_char({self._text_ts(t)} AT TIME ZONE 'UTC', 'YYYYMMDD')::int"

    def month(self, col: str) -> str:
        return f"to_char({self._ts(col)} AT TIME ZONE 'UTC', 'YYYY-MM')"

    def months_query(self, col: str, table: str) -> str:
        """Rows are grouped by the first instant of their month, and only each group's month
        written as text (``to_char`` on every row: the W10 log's 10 M times, one core, 8.8 s;
        on each month, 3.5 s). A text column is trimmed once per row, in a fenced subquery:
        the parse reads the text at every part it checks, and each use would trim it again
        (the cookie events' 5 M times, with the regular expression that guarded a parse
        before: 42 s of one core, 28 s fenced).

        >>> q = PostgresDialect().months_query('"ts"', '"log"')
        >>> q.count("btrim"), q.endswith('FROM "log" OFFSET 0) _r GROUP BY 1) g ORDER BY 1')
        (1, True)
        """
        once = self.trimmed_time(col)
        if once is None:
            rows, ts = table, self._ts(col)
        else:
            rows, ts = (
                f"({self.fence(f'SELECT {once} AS _t FROM {table}')}) _r",
                self._text_ts("_t"),
            )
        month = f"date_trunc('month', {ts} AT TIME ZONE 'UTC')"
        return (
            f"SELECT to_char(m, 'YYYY-MM') AS m, n FROM "
            f"(SELECT {month} AS m, COUNT(*) AS n FROM {rows} GROUP BY 1) g ORDER BY 1"
        )

    def row_id(self) -> str:
        return "ctid::text"

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

    def bound_keys(self, param: str) -> str:
        return f"SELECT jsonb_array_elements_text(CAST(:{param} AS jsonb)) AS _key"

    def scan_settings(self) -> dict[str, str]:
        """No synchronized scans, no parallel workers: a scan of a large table that another
        statement is reading starts where that one is (``synchronize_seqscans``), and
        parallel workers return rows in the order they finish; either way a sample would
        depend on what else ran (the inventory's statements run side by side)."""
        return {"synchronize_seqscans": "off", "max_parallel_workers_per_gather": "0"}

    def join_settings(self) -> dict[str, str]:
        """No merge joins. A key computed from text (trimmed, NULL when empty) has no
        statistics, so PostgreSQL guesses the sizes of both sides, and it chose to sort a
        whole log to merge it with a few deleted subjects: 20 s, where a hash join on the
        subjects took 6.6 s (W10: 10 M rows, 8 subjects)."""
        return {"enable_mergejoin": "off"}

    def grouping_settings(self) -> dict[str, str]:
        """Group by sorting. Keys are expressions PostgreSQL has no statistics for, so it
        guesses 200 groups; where a million came, its hash aggregate (PostgreSQL 15) spent
        minutes resetting its table for every batch it spilled (over 120 s against 4.2 s
        sorted, for a million deleted subjects)."""
        return {"enable_hashagg": "off"}
