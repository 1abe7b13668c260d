r"""MariaDB and MySQL. Every session the audit opens reads standard SQL (``sql_mode`` with
``ANSI_QUOTES``, ``PIPES_AS_CONCAT`` and ``NO_BACKSLASH_ESCAPES``), in UTC (``time_zone``
``+00:00``), read-only (see :mod:`audit.sources`). What differs, handled here:

- text is compared in the binary ``utf8mb4_bin`` collation: a table's case-insensitive
  default collation would make ``U1`` and ``u1`` one subject key, and ``'Y'`` equal ``'y'``;
- ``TRIM`` removes one string only: spaces, tabs and line breaks go with a regular expression;
- ``REGEXP`` is PCRE, case-sensitive in the binary collation;
- times are parsed behind the same pattern as PostgreSQL's, the zone applied by hand, and
  counted with ``TIMESTAMPDIFF`` from 1970 (``UNIX_TIMESTAMP`` stops at 1970 and 2038); a zero
  date ``0000-00-00`` is unreadable, never a time;
- keys from elsewhere come in one JSON parameter through ``JSON_TABLE``;
- ``LENGTH`` counts bytes: lengths are ``CHAR_LENGTH``;
- no ``%`` in any statement (no ``DATE_FORMAT``, ``STR_TO_DATE``): great-expectations 1.24.1
  escapes a query's ``%`` twice for pymysql, and ``'%Y'`` would reach the server as ``'%%Y'``.

>>> MariaDBDialect().text('"k"')
'(NULLIF(REGEXP_REPLACE(CAST("k" AS CHAR CHARACTER SET utf8mb4), \'^[ \\t\\r\\n]+|[ \\t\\r\\n]+$\', \'\'), \'\') COLLATE utf8mb4_bin)'
"""

from __future__ import annotations

from .base import TS, Dialect

#: the session settings of every MariaDB/MySQL connection (with a read-only transaction and
#: the statement timeout, set in :func:`audit.sources.readonly_url`)
SQL_MODE = "ANSI_QUOTES,PIPES_AS_CONCAT,NO_BACKSLASH_ESCAPES,NO_ENGINE_SUBSTITUTION"
_ZONE = r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)$"


class MariaDBDialect(Dialect):
    name = "mariadb"
    concurrent = True
    TEXT = "CHAR CHARACTER SET utf8mb4"
    DOUBLE = "DOUBLE"

    def text(self, col: str) -> str:
        return f"({super().text(col)} COLLATE utf8mb4_bin)"

    def trim(self, text: str) -> str:
        return f"REGEXP_REPLACE({text}, '^[ \\t\\r\\n]+|[ \\t\\r\\n]+$', '')"

    def regex_match(self, text: str, pattern: str) -> str:
        return f"(CAST({text} AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin REGEXP {self.literal(pattern)})"

    def length(self, text: str) -> str:
        return f"CHAR_LENGTH({text})"

    def concat(self, parts: list[str]) -> str:
        return "CONCAT(" + ", ".join(parts) + ")"

    def int_div(self, a: str, b: int) -> str:
        return f"(({a}) DIV {b})"

    def _local(self, t: str) -> str:
        """The date and time written in a valid time text, without its zone or fraction."""
        clock = f"REGEXP_SUBSTR(SUBSTRING({t}, 12), '^[0-9]{{2}}:[0-9]{{2}}(:[0-9]{{2}})?')"
        return (
            f"CAST(CONCAT(LEFT({t}, 10), ' ', "
            f"CASE CHAR_LENGTH({clock}) WHEN 8 THEN {clock} WHEN 5 THEN CONCAT({clock}, ':', '00') "
            f"ELSE '00:00:00' END) AS DATETIME)"
        )

    def _offset(self, t: str) -> str:
        """Seconds the written zone is ahead of UTC (0 without a zone, or Z)."""
        z = f"REGEXP_SUBSTR(SUBSTRING({t}, 11), '{_ZONE}')"
        digits = f"REPLACE(SUBSTRING({z}, 2), ':', '')"
        return (
            f"(CASE WHEN CHAR_LENGTH({t}) <= 10 OR {z} = '' OR {z} = 'Z' THEN 0 ELSE "
            f"(CASE WHEN LEFT({z}, 1) = '-' THEN -1 ELSE 1 END) * "
            f"(CAST(LEFT({digits}, 2) AS SIGNED) * 3600 + "
            f"COALESCE(CAST(NULLIF(SUBSTRING({digits}, 3, 2), '') AS SIGNED), 0) * 60) END)"
        )

    def _fraction(self, t: str) -> str:
        f = f"REGEXP_SUBSTR({t}, '\\.[0-9]+')"
        return f"COALESCE(CAST(NULLIF(CONCAT('0', {f}), '0') AS DOUBLE), 0)"

    def _valid(self, t: str) -> str:
        """The pattern, then a day the month has (a cast would read 30 February as 1 March).
        CASE, not AND: the date functions only ever see text the pattern accepted."""
        last = f"DAYOFMONTH(LAST_DAY(CAST(CONCAT(LEFT({t}, 7), '-01') AS DATE)))"
        return (
            f"(CASE WHEN {self.regex_match(t, TS)} THEN "
            f"CAST(SUBSTRING({t}, 9, 2) AS SIGNED) <= {last} ELSE FALSE END)"
        )

    def _utc(self, col: str) -> str:
        """The UTC time a value is, NULL when empty or unreadable."""
        t = self.text(col)
        return (
            f"(CASE WHEN {self._valid(t)} THEN "
            f"DATE_SUB({self._local(t)}, INTERVAL {self._offset(t)} SECOND) END)"
        )

    def epoch(self, col: str) -> str:
        t = self.text(col)
        return (
            f"(CASE WHEN {self._valid(t)} THEN "
            f"TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', {self._local(t)}) - {self._offset(t)} "
            f"+ {self._fraction(t)} END)"
        )

    def ymd(self, col: str) -> str:
        u = self._utc(col)
        return f"(YEAR({u}) * 10000 + MONTH({u}) * 100 + DAYOFMONTH({u}))"

    def month(self, col: str) -> str:
        u = self._utc(col)
        return f"CONCAT(YEAR({u}), '-', LPAD(MONTH({u}), 2, '0'))"

    def join_settings(self) -> dict[str, str]:
        """Derived tables materialized, so that MariaDB indexes them for the join: merged into
        the outer query, a join on a computed key is a nested loop (the cookie consent of
        4,600 events took 28 s a statement, 1.4 s materialized)."""
        return {"optimizer_switch": "derived_merge=off"}

    def bound_keys(self, param: str) -> str:
        return (
            "SELECT CAST(j.k AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin AS _key "
            f"FROM JSON_TABLE(:{param}, '$[*]' COLUMNS (k VARCHAR(4096) PATH '$')) AS j"
        )
