"""Reading values as SPEC §3 says: flags, timestamps with zones, numbers, emptiness."""

import math

import pandas as pd
import pytest

from audit import values as v


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Y", 1),
        ("y", 1),
        ("yes", 1),
        ("TRUE", 1),
        ("true", 1),
        ("1", 1),
        (" T ", 1),
        ("N", 0),
        ("no", 0),
        ("False", 0),
        ("0", 0),
        ("", 0),
        (None, 0),
    ],
)
def test_flags_in_any_form(raw, expected):
    assert v.flag(pd.Series([raw], dtype="object")).iloc[0] == expected


def test_unknown_flag_word_is_unreadable_not_false():
    p = v.flag_parsed(pd.Series(["maybe", "Y"]))
    assert math.isnan(p.values.iloc[0]) and p.unreadable.tolist() == [True, False]


def test_boolean_and_integer_flags():
    assert v.flag(pd.Series([True, False])).tolist() == [1.0, 0.0]
    assert v.flag(pd.Series([1, 0])).tolist() == [1.0, 0.0]


def test_timestamps_with_and_without_zone_are_utc():
    s = pd.Series(
        [
            "2024-01-01T02:00:00+02:00",
            "2024-01-01T00:00:00Z",
            "2024-01-01 00:00:00",
            "2024-01-01",
            "2023-12-31T19:00:00-05:00",
            "",
            None,
            "31/12/2023",
        ]
    )
    p = v.timestamp(s)
    ok = p.values.iloc[:5]
    assert (ok == pd.Timestamp("2024-01-01", tz="UTC")).all()
    assert p.values.iloc[5:].isna().all()
    assert p.unreadable.tolist() == [False] * 7 + [True]


def test_typed_timestamps_naive_read_as_utc():
    naive = pd.Series(pd.to_datetime(["2024-01-01 10:00"]))
    aware = pd.Series(pd.to_datetime(["2024-01-01 12:00+02:00"]))
    assert v.timestamp(naive).values.iloc[0] == v.timestamp(aware).values.iloc[0]


def test_ymd_is_the_utc_date():
    p = v.timestamp(pd.Series(["2024-01-01T01:00:00+02:00"]))  # 31 Dec 23:00 UTC
    assert v.ymd(p.values).iloc[0] == 20231231


def test_numbers_and_empty():
    p = v.number(pd.Series(["12", " 13.5 ", "", "x"]))
    assert p.values.iloc[0] == 12 and p.values.iloc[1] == 13.5
    assert p.unreadable.tolist() == [False, False, False, True]
    assert v.is_empty(pd.Series(["", "  ", None, float("nan"), "a"])).tolist() == [True] * 4 + [
        False
    ]
