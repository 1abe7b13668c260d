"""Age arithmetic at birthdays and leap days, cutoffs in calendar units, periods."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audit.timeutil import Period, age_on, cutoff, minus_months, parse_as_of


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2013, 11, 27), date(2026, 11, 26), 12),  # the day before the 13th birthday
        (date(2013, 11, 27), date(2026, 11, 27), 13),  # on the birthday
        (date(2000, 2, 29), date(2013, 2, 28), 12),  # leap-day birthday, common year: not yet
        (date(2000, 2, 29), date(2013, 3, 1), 13),  # ... a year older on 1 March
        (date(2000, 2, 29), date(2012, 2, 29), 12),  # leap year: on the day
        (date(2000, 2, 29), date(2012, 2, 28), 11),
        (date(1999, 12, 31), date(2000, 1, 1), 0),
        (date(2010, 1, 1), date(2009, 12, 31), -1),  # born after the date
    ],
)
def test_age_is_birthday_exact(born, on, age):
    assert age_on(born, on) == age


@pytest.mark.parametrize(
    ("as_of", "period", "expected"),
    [
        (date(2026, 11, 26), "2 years", datetime(2024, 11, 26, tzinfo=UTC)),
        (date(2028, 2, 29), "2 years", datetime(2026, 2, 28, tzinfo=UTC)),  # clamped to month end
        (date(2028, 2, 29), "P4Y", datetime(2024, 2, 29, tzinfo=UTC)),
        (date(2026, 3, 31), "1 month", datetime(2026, 2, 28, tzinfo=UTC)),
        (date(2026, 11, 26), "90 days", datetime(2026, 8, 28, tzinfo=UTC)),
        (date(2026, 3, 1), "24 hours", datetime(2026, 2, 28, tzinfo=UTC)),
        (date(2026, 11, 26), "P1Y6M", datetime(2025, 5, 26, tzinfo=UTC)),
    ],
)
def test_cutoff_in_calendar_units(as_of, period, expected):
    assert cutoff(as_of, Period.parse(period)) == expected


@pytest.mark.parametrize("bad", ["2 yeers", "two years", "", "P", "2", "years 2", "P2X"])
def test_bad_periods_are_refused(bad):
    with pytest.raises(ValueError):
        Period.parse(bad)


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("2 years", Period(years=2)),
        ("90 days", Period(days=90)),
        ("24 hours", Period(hours=24)),
        ("1 year", Period(years=1)),
        ("P2Y", Period(years=2)),
        ("P90D", Period(days=90)),
        ("PT24H", Period(hours=24)),
        ("2 weeks", Period(days=14)),
        (" 3  Months ", Period(months=3)),
    ],
)
def test_periods_parse(text, period):
    assert Period.parse(text) == period


def test_as_of_parses_and_refuses():
    assert parse_as_of("2026-11-26") == date(2026, 11, 26)
    assert parse_as_of(None) == datetime.now(UTC).date()
    with pytest.raises(ValueError):
        parse_as_of("26/11/2026")


@given(
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
)
def test_age_matches_counting_birthdays(born, on):
    """Age equals the number of birthdays passed (29 Feb celebrated on 1 Mar in common years)."""
    if on < born:
        return
    n = 0
    for year in range(born.year + 1, on.year + 1):
        try:
            bday = born.replace(year=year)
        except ValueError:
            bday = date(year, 3, 1)
        n += bday <= on
    assert age_on(born, on) == n


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.integers(0, 600))
def test_minus_months_lands_on_a_real_day_in_the_right_month(d, months):
    r = minus_months(d, months)
    assert (d.year * 12 + d.month) - (r.year * 12 + r.month) == months
    assert r.day <= d.day
    assert r.day == d.day or (r + timedelta(days=1)).month != r.month  # clamped only at month end
