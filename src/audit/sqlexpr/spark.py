r"""Spark SQL in ANSI mode (see :mod:`audit.spark`): every parse is a ``try_cast`` behind a
pattern, so a bad value reads as unreadable instead of raising; string literals escape
backslashes; the session's time zone is UTC; double quotes quote identifiers.

>>> print(SparkDialect().literal(r"\d'"))
'\\d\''
"""

from __future__ import annotations

from .base import TS, ZONE, Dialect


class SparkDialect(Dialect):
    name = "spark"
    TEXT = "STRING"
    DOUBLE = "DOUBLE"

    def trim(self, text: str) -> str:
        return f"btrim({text}, concat(' ', char(9), char(10), char(13)))"

    def literal(self, value: str) -> str:
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    def regex_match(self, text: str, pattern: str) -> str:
        return f"({text} RLIKE {self.literal(pattern)})"

    def to_double(self, t: str) -> str:
        return f"try_cast({t} AS DOUBLE)"

    def to_integer(self, t: str) -> str:
        return f"try_cast({t} AS BIGINT)"

    def _ts(self, col: str) -> str:
        """A time text Spark casts without its zone, the zone applied by hand: Spark's cast
        reads no zone after a time without seconds (``10:00Z``), no offset of hours alone or
        written ``+HHMM``, none past 18 hours, all of which the format allows (the session's
        time zone is UTC, so the cast reads the rest as UTC).

        >>> SparkDialect()._ts("c").startswith("(CASE WHEN NULLIF(btrim(")
        True
        """
        t = self.text(col)
        zone = f"regexp_extract({t}, {self.literal(ZONE)}, 1)"
        naive = f"try_cast(substr({t}, 1, length({t}) - length({zone})) AS TIMESTAMP)"
        moved = f"timestamp_micros(unix_micros({naive}) - {self.offset_minutes(zone)} * 60000000L)"
        return f"(CASE WHEN {t} RLIKE {self.literal(TS)} THEN {moved} END)"

    def epoch(self, col: str) -> str:
        return f"(unix_micros({self._ts(col)}) / 1000000.0D)"

    def ymd(self, col: str) -> str:
        return f"CAST(date_format({self._ts(col)}, 'yyyyMMdd') AS INT)"

    def month(self, col: str) -> str:
        return f"date_format({self._ts(col)}, 'yyyy-MM')"

    def int_div(self, a: str, b: int) -> str:
        return f"(({a}) DIV {b})"

    def row_id(self) -> str:
        return "CAST(monotonically_increasing_id() + 1 AS STRING)"

    def scan_position(self) -> str:
        return "monotonically_increasing_id()"
