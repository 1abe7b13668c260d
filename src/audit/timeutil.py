"""Periods, cutoffs and ages: calendar arithmetic in UTC, pure functions.

A cutoff is ``as_of`` 00:00 UTC minus a period in calendar units, clamped to the month's end.
Age is whole years, birthday-exact; people born on 29 February turn a year older on 1 March
in common years.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

_UNITS = {
    "year": "years",
    "years": "years",
    "y": "years",
    "month": "months",
    "months": "months",
    "mo": "months",
    "week": "weeks",
    "weeks": "weeks",
    "w": "weeks",
    "day": "days",
    "days": "days",
    "d": "days",
    "hour": "hours",
    "hours": "hours",
    "h": "hours",
}
_PLAIN = re.compile(r"^\s*(\d+)\s*([A-Za-z]+)\s*$")
_ISO = re.compile(
    r"^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?)?$", re.IGNORECASE
)


@dataclass(frozen=True)
class Period:
    """A period in calendar units.

    >>> Period.parse("2 years")
    Period(years=2, months=0, days=0, hours=0)
    >>> Period.parse("P1Y6M").months
    6
    """

    years: int = 0
    months: int = 0
    days: int = 0
    hours: int = 0

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``2 years``, ``90 days``, ``24 hours`` or ISO 8601 ``P2Y``; ValueError otherwise."""
        raw = str(text).strip()
        m = _PLAIN.match(raw)
        if m:
            unit = _UNITS.get(m.group(2).lower())
            if unit is None:
                raise ValueError(f"unknown unit {m.group(2)!r} in period {raw!r}")
            n = int(m.group(1))
            if unit == "weeks":
                return cls(days=7 * n)
            return cls(**{unit: n})
        m = _ISO.match(raw)
        if m:
            y, mo, w, d, h = (int(g) if g else 0 for g in m.groups())
            return cls(years=y, months=mo, days=d + 7 * w, hours=h)
        raise ValueError(f"cannot read period {raw!r}")

    def __str__(self) -> str:
        parts = [
            (self.years, "year"),
            (self.months, "month"),
            (self.days, "day"),
            (self.hours, "hour"),
        ]
        return " ".join(f"{n} {u}{'s' if n != 1 else ''}" for n, u in parts if n) or "0 days"

    @property
    def fixed(self) -> timedelta:
        """The days and hours part, which needs no calendar."""
        return timedelta(days=self.days, hours=self.hours)


def minus_months(d: date, months: int) -> date:
    """``d`` minus whole months, clamped to the month's end.

    >>> minus_months(date(2028, 2, 29), 24)
    datetime.date(2026, 2, 28)
    >>> minus_months(date(2026, 3, 31), 1)
    datetime.date(2026, 2, 28)
    """
    total = d.year * 12 + (d.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def cutoff(as_of: date, period: Period) -> datetime:
    """``as_of`` 00:00 UTC minus ``period``: records before this are past retention.

    >>> cutoff(date(2028, 2, 29), Period(years=2)).isoformat()
    '2026-02-28T00:00:00+00:00'
    """
    start = minus_months(as_of, period.years * 12 + period.months)
    return datetime(start.year, start.month, start.day, tzinfo=UTC) - period.fixed


#: days ahead of the audit date that the retention forecast looks
HORIZONS = (30, 60, 90)


def future_cutoffs(as_of: date, period: Period) -> list[tuple[int, datetime]]:
    """The cutoff of each forecast horizon: the rule's cutoff on the day ``as_of + days``.
    A record whose time lies between today's cutoff and a horizon's passes its retention
    within that many days.

    >>> [(d, c.date().isoformat()) for d, c in future_cutoffs(date(2026, 11, 26), Period(years=2))]
    [(30, '2024-12-26'), (60, '2025-01-25'), (90, '2025-02-24')]
    """
    return [(days, cutoff(as_of + timedelta(days=days), period)) for days in HORIZONS]


def age_on(born: date, on: date) -> int:
    """Whole years between ``born`` and ``on``, birthday-exact.

    >>> age_on(date(2013, 11, 27), date(2026, 11, 26)), age_on(date(2013, 11, 27), date(2026, 11, 27))
    (12, 13)
    >>> age_on(date(2000, 2, 29), date(2013, 2, 28)), age_on(date(2000, 2, 29), date(2013, 3, 1))
    (12, 13)
    """
    return (ymd(on) - ymd(born)) // 10000


def ymd(d: date) -> int:
    """A date as the integer YYYYMMDD; age is ``(ymd(on) - ymd(born)) // 10000`` on every engine.

    >>> ymd(date(2026, 11, 26))
    20261126
    """
    return d.year * 10000 + d.month * 100 + d.day


def epoch(dt: datetime) -> float:
    """Seconds since 1970-01-01 UTC; naive datetimes are read as UTC.

    >>> epoch(datetime(1970, 1, 2))
    86400.0
    """
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.timestamp()


def parse_as_of(text: str | date | None) -> date:
    """The audit date: an ISO date, or today (UTC) when None; ValueError otherwise.

    >>> parse_as_of("2026-11-26")
    datetime.date(2026, 11, 26)
    """
    if text is None:
        return datetime.now(UTC).date()
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    return date.fromisoformat(str(text).strip())
