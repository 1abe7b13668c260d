"""PostgreSQL: typed and text columns alike, every time read in UTC whatever the session's
zone. Text is parsed behind a regular-expression guard (PostgreSQL 15 has no safe cast), so a
value that is not a time gives NULL instead of an error; columns of a time type are read as
times (no text round trip; only infinite values are unreadable).

>>> print(PostgresDialect({'"t"': "naive"})._typed('"t"'))
(CASE WHEN isfinite("t") THEN ("t" AT TIME ZONE 'UTC') END)
"""

from __future__ import annotations

from .base import TS, Dialect


class PostgresDialect(Dialect):
    name = "postgresql"
    concurrent = True
    DOUBLE = "float8"

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

    def _valid_ts(self, col: str) -> str:
        return self._valid_text_ts(self.text(col))

    @staticmethod
    def _valid_text_ts(t: str) -> str:
        """Whether trimmed text ``t`` is a time (the pattern, then the day within its month:
        past the 28th only, the month's last day is worked out)."""
        day = f"substr({t}, 9, 2)::int"
        y, m = f"substr({t}, 1, 4)::int", f"substr({t}, 6, 2)::int"
        last = f"EXTRACT(DAY FROM (make_date({y}, {m}, 1) + interval '1 month' - interval '1 day'))"
        # CASE, not AND: PostgreSQL may evaluate AND's operands in any order, and the casts
        # must only ever see text the pattern accepted
        return (
            f"(CASE WHEN {t} ~ '{TS}' THEN "
            f"(CASE WHEN {day} <= 28 THEN TRUE ELSE {day} <= {last} END) ELSE FALSE END)"
        )

    @staticmethod
    def _zoned(t: str) -> str:
        """Whether a valid time text ``t`` has a zone. Past its date, such a text is
        nothing, or a time of day (``T`` or a space, then digits, colons and a point) with an
        optional zone (``Z``, or ``+`` or ``-`` then digits and a colon): without its digits,
        colons and points, it is two characters exactly when it has a zone.

        The same as the pattern ``[T ]hh:mm(:ss(.f)?)?(Z|[+-]hh(:?mm)?)$`` on text that
        :data:`audit.sqlexpr.base.TS` accepts, with ``t`` read once and no second regular
        expression per value (PostgreSQL's regular expressions are most of a parse's cost).
        The date is left out: "2024-11-26" ends in "-26", which is not an offset.

        >>> PostgresDialect._zoned("t")
        "(translate(substr(t, 11), '0123456789:.', '') IN ('TZ', 'T+', 'T-', ' Z', ' +', ' -'))"
        """
        rest = f"translate(substr({t}, 11), '0123456789:.', '')"
        return f"({rest} IN ('TZ', 'T+', 'T-', ' Z', ' +', ' -'))"

    def _ts(self, col: str) -> str:
        typed = self._typed(col)
        if typed is not None:
            return typed
        return self._text_ts(self.text(col))

    def _text_ts(self, t: str) -> str:
        """The time that trimmed text ``t`` writes (UTC without a zone), NULL when it is not
        one."""
        zoned = (
            f"(CASE WHEN {self._zoned(t)} THEN ({t})::timestamptz "
            f"ELSE ({t})::timestamp AT TIME ZONE 'UTC' END)"
        )
        return f"(CASE WHEN {self._valid_text_ts(t)} THEN {zoned} END)"

    def epoch(self, col: str) -> str:
        """``date_part``, not ``EXTRACT``: the same double (the exact microseconds over a
        million, rounded once; the W10 log's 10 M times, none differ), without the numeric
        ``EXTRACT`` returns since PostgreSQL 14 (2 s against 3.2-6 s, one core).

        >>> print(PostgresDialect({'"t"': "tz"}).epoch('"t"'))
        date_part('epoch', (CASE WHEN isfinite("t") THEN "t" END))
        """
        return f"date_part('epoch', {self._ts(col)})"

    def trimmed_time(self, col: str) -> str | None:
        """A text time is used six times by its parse, each use trimming it again.

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

    def month(self, col: str) -> str:
        return f"to_char({self._ts(col)} AT TIME ZONE 'UTC', 'YYYY-MM')"

    def months_query(self, col: str, table: str) -> str:
        """A text column is trimmed once per row, in a fenced subquery: the parse uses the
        text six times, and each use would trim it again (the cookie events' 5 M times: 42 s
        of one core, 28 s fenced).

        >>> q = PostgresDialect().months_query('"ts"', '"log"')
        >>> q.count("btrim"), q.endswith('FROM "log" OFFSET 0) _r GROUP BY 1 ORDER BY 1')
        (1, True)
        """
        once = self.trimmed_time(col)
        if once is None:
            return super().months_query(col, table)
        inner = self.fence(f"SELECT {once} AS _t FROM {table}")
        m = f"to_char({self._text_ts('_t')} AT TIME ZONE 'UTC', 'YYYY-MM')"
        return f"SELECT {m} AS m, COUNT(*) AS n FROM ({inner}) _r GROUP BY 1 ORDER BY 1"

    def time_unreadable(self, col: str) -> str:
        if col in self.times:
            return f"({col} IS NOT NULL AND NOT isfinite({col}))"
        return f"({self.text(col)} IS NOT NULL AND NOT {self._valid_ts(col)})"

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
