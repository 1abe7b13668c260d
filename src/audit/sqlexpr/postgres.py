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

    def regex_match(self, text: str, pattern: str) -> str:
        return f"({text} ~ {self.literal(pattern)})"

    def _typed(self, col: str) -> str | None:
        """A time-typed column as a finite timestamptz (NULL when infinite), else None."""
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
        return f"(CASE WHEN {t} ~ '{TS}' THEN substr({t}, 9, 2)::int <= {last} ELSE FALSE END)"

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

    def month(self, col: str) -> str:
        return f"to_char({self._ts(col)} AT TIME ZONE 'UTC', 'YYYY-MM')"

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
