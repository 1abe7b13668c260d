"""SQLite: text timestamps parsed by its date functions (zones applied, bad values NULL).

>>> SQLiteDialect().epoch('"t"').startswith("CAST(strftime('%s', ")
True
>>> '"a{0}"' in SQLiteDialect().epoch('"a{0}"')  # a column's name is never a template
True
"""

from __future__ import annotations

from ..values import FALSE_WORDS, TRUE_WORDS
from .base import Dialect, words


class SQLiteDialect(Dialect):
    name = "sqlite"
    DOUBLE = "REAL"

    def trim(self, text: str) -> str:
        return f"TRIM({text}, ' ' || char(9) || char(10) || char(13))"

    def regex_match(self, text: str, pattern: str) -> str:
        """SQLite gets REGEXP (Python's ``re``) from :mod:`audit.sources`."""
        return f"({text} REGEXP {self.literal(pattern)})"

    def is_number(self, t: str) -> str:
        return f"(({t} GLOB '[0-9]*' OR {t} GLOB '[-+.][0-9]*') AND {t} NOT GLOB '*[^0-9.eE+-]*')"

    def flag(self, col: str) -> str:
        t = f"LOWER({self.text(col)})"
        return (
            f"(CASE WHEN {t} IS NULL THEN 0 WHEN {t} IN ({words(TRUE_WORDS)}) THEN 1 "
            f"WHEN {t} IN ({words(FALSE_WORDS)}) THEN 0 "
            f"WHEN {t} GLOB '[0-9]*' AND CAST({t} AS REAL) = 1 THEN 1 "
            f"WHEN {t} GLOB '[0-9]*' AND CAST({t} AS REAL) = 0 THEN 0 END)"
        )

    def _ts(self, col: str) -> str:
        """Time text SQLite's date functions read, NULL where it is not a time: it starts
        with a date of the calendar (SQLite would read "2023-02-29" as 1 March, and "now" or
        a number as times); ``+HHMM`` offsets get their colon and ``+HH`` offsets their
        minutes (after a time of day: "2024-11-26" ends in "-26"); an offset of 15 hours or
        more is applied by hand.

        >>> SQLiteDialect()._ts("c").count("datetime(")
        3
        """
        t = self.trim(self.as_text(col))
        # an offset after a time of day, of hours and minutes, or of hours alone
        hhmm = " OR ".join(f"{t} GLOB '*{sep}*[+-][0-9][0-9][0-9][0-9]'" for sep in "T ")
        hh = " OR ".join(f"{t} GLOB '*{sep}*[+-][0-9][0-9]'" for sep in "T ")
        day = f"substr({t}, 1, 10)"
        # an offset of 15 to 23 hours, which SQLite's date functions do not read (NULL past
        # 14:59), applied by hand: the time before it, moved back by it (per way of writing
        # it: its length, where its hours are, and its minutes)
        far = []
        for glob, cut, hours, minutes in (
            ("", 3, "-2", None),
            ("[0-5][0-9]", 5, "-4", "-2"),
            (":[0-5][0-9]", 6, "-5", "-2"),
        ):
            when = " OR ".join(f"{t} GLOB '*[T ]*[+-]{h}{glob}'" for h in ("1[5-9]", "2[0-3]"))
            back = f"(CASE substr({t}, -{cut}, 1) WHEN '+' THEN '-' ELSE '+' END)"
            moves = [f"{back} || substr({t}, {hours}, 2) || ' hours'"] + (
                [f"{back} || substr({t}, {minutes}) || ' minutes'"] if minutes else []
            )
            far.append(
                f"WHEN {when} THEN datetime(substr({t}, 1, length({t}) - {cut}), {', '.join(moves)}) "
            )
        # a date that is in the calendar ("2023-02-29" would be read as 1 March), written first
        return (
            f"(CASE WHEN date(julianday({day})) IS NOT {day} THEN NULL {''.join(far)}"
            f"WHEN {hhmm} THEN substr({t}, 1, length({t}) - 2) || ':' || substr({t}, -2) "
            f"WHEN {hh} THEN {t} || ':' || '00' ELSE {t} END)"  # never ':00': a bind to SQLAlchemy
        )

    def epoch(self, col: str) -> str:
        return f"CAST(strftime('%s', {self._ts(col)}) AS REAL)"

    def ymd(self, col: str) -> str:
        return f"CAST(strftime('%Y%m%d', {self._ts(col)}) AS INTEGER)"

    def month(self, col: str) -> str:
        return f"strftime('%Y-%m', {self._ts(col)})"

    def row_id(self) -> str:
        return "CAST(rowid AS TEXT)"

    def floor_div(self, col: str, width: float) -> str:
        """``floor(col / width) * width``, without a FLOOR function (SQLite may lack it)."""
        q = f"CAST(({col} / {width!r}) AS INTEGER)"
        return f"(({q} - (CASE WHEN {col} < 0 AND {q} * {width!r} <> {col} THEN 1 ELSE 0 END)) * {width!r})"

    def bound_keys(self, param: str) -> str:
        return f"SELECT value AS _key FROM json_each(:{param})"
