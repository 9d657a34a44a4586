"""The resolver alone: half-specified values + anchor -> values and intervals, no text involved."""
from __future__ import annotations

from datetime import date

import pytest

from timeline.resolve import NotADate, Reference, duration_value, edtf_of, interval_of_value, resolve_timex
from timeline.types import Anchor, Direction, Granularity, Interval, Offset, TimexType

ANCHOR = date(2025, 1, 29)  # a Wednesday

WEEKDAYS = [
    (Direction.PAST, 1, "2025-01-27"), (Direction.FUTURE, 1, "2025-02-03"), (Direction.NONE, 1, "2025-01-27"),
    (Direction.NONE, 3, "2025-01-29"), (Direction.FUTURE, 3, "2025-01-29"), (Direction.PAST, 3, "2025-01-29"),
    (Direction.PAST, 5, "2025-01-24"),
]


@pytest.mark.parametrize("direction,weekday,value", WEEKDAYS, ids=[f"{d.value}-{w}" for d, w, _ in WEEKDAYS])
def test_resolve_weekday_follows_tense(direction, weekday, value):
    assert resolve_timex("weekday", {"weekday": weekday}, ANCHOR, direction=direction).value == value


def test_resolve_weekday_without_anchor_is_unresolved():
    result = resolve_timex("weekday", {"weekday": 2}, None)
    assert result.anchor is Anchor.UNRESOLVED and result.value == "XXXX-WXX-2" and result.interval is None


VALUES = [
    ("2024-FA", "2024-09-01", "2024-11-30"), ("2024-WI", "2024-12-01", "2025-02-28"), ("2024-Q3", "2024-07-01", "2024-09-30"),
    ("2025-W05", "2025-01-27", "2025-02-02"), ("2024", "2024-01-01", "2024-12-31"), ("199", "1990-01-01", "1999-12-31"),
    ("2024-02", "2024-02-01", "2024-02-29"), ("2025-01-28TNI", "2025-01-28", "2025-01-28"), ("2024-H2", "2024-07-01", "2024-12-31"),
]


@pytest.mark.parametrize("value,first,last", VALUES, ids=[v[0] for v in VALUES])
def test_interval_of_value(value, first, last):
    assert interval_of_value(value) == Interval(date.fromisoformat(first), date.fromisoformat(last))


EDTF = [("2024-FA", "2024-23"), ("2025-01-27", "2025-01-27"), ("2024-Q3", "2024-35"), ("199", "199X"), ("2024", "2024")]


@pytest.mark.parametrize("value,edtf", EDTF, ids=[e[0] for e in EDTF])
def test_edtf_of(value, edtf):
    assert edtf_of(value, interval_of_value(value)) == edtf


def test_resolve_offset_is_a_length_whose_interval_counts_from_reference():
    march = Reference("2020-03", Granularity.MONTH, interval_of_value("2020-03"))
    result = resolve_timex("offset", {"number": 2, "unit": "D", "relation": 1, "relation_text": "later"}, ANCHOR,
                           reference=march)
    assert (result.value, result.type, result.anchor) == ("P2D", TimexType.DURATION, Anchor.REFERENCE)
    assert result.interval.first == date(2020, 3, 3)
    assert result.offset == Offset("later", Direction.FUTURE, "P2D")


def test_resolve_offset_without_reference_is_never_counted_from_publication():
    result = resolve_timex("offset", {"number": 2, "unit": "Y", "relation": 1, "relation_text": "after"}, ANCHOR)
    assert (result.value, result.interval, result.anchor) == ("P2Y", None, Anchor.UNRESOLVED)


def test_resolve_offset_from_now_counts_from_publication():
    result = resolve_timex("offset", {"number": 5, "unit": "Y", "relation": 1, "relation_text": "from now"}, ANCHOR)
    assert (result.value, result.anchor, result.interval.first.year) == ("P5Y", Anchor.PUBLISHED, ANCHOR.year + 5)


@pytest.mark.parametrize("century,first,last,value", [(20, "08", "2009", "2009"), (19, "94", "98", "1998"),
                                                      (19, "99", "00", "2000")], ids=["2008-2009", "1994-98", "1999-00"])
def test_resolve_range_year_takes_the_first_years_century(century, first, last, value):
    assert resolve_timex("range_year", {"century": century, "first_year": first, "year": last}, ANCHOR).value == value


def test_resolve_range_year_going_back_is_no_date():
    with pytest.raises(NotADate):
        resolve_timex("range_year", {"century": 20, "first_year": "09", "year": "2008"}, ANCHOR)


def test_resolve_ago_ignores_reference():
    march = Reference("2020-03", Granularity.MONTH, interval_of_value("2020-03"))
    result = resolve_timex("shift", {"number": 2, "unit": "D", "relation": -1, "relation_text": "ago"}, ANCHOR,
                           reference=march)
    assert result.value == "2025-01-27" and result.anchor is Anchor.PUBLISHED


def test_resolve_season_last_autumn_from_spring():
    assert resolve_timex("season", {"season": "FA", "shift": -1}, date(2025, 4, 10)).value == "2024-FA"


@pytest.mark.parametrize("count,unit,value", [
    (2.5, "Y", "P2Y6M"), (5.5, "H", "PT5H30M"), (1.5, "MIN", "PT1M30S"), (0.5, "D", "PT12H"),
    (1.5, "W", "P1.5W"), ("X", "FN", "PXW"), ("X", "DE", "PXDE"), ("X", "H", "PTXH"), (2, "FN", "P4W"),
    (0, "D", "P0D"), (0, "H", "PT0H"),
])
def test_duration_value_writes_fractions_in_the_smaller_unit(count, unit, value):
    assert duration_value(count, unit) == value
