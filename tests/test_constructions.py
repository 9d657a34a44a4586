"""timeline.tag on general constructions of issue 12e, one table per construction; sentences written for these tests."""
from __future__ import annotations

import pytest

import timeline
from timeline.types import TimexType

ANCHOR = "2025-01-29"  # a Wednesday


def tagged(text: str, phrase: str, published: str = ANCHOR):
    """The one expression of `text` that overlaps `phrase`."""
    start = text.index(phrase)
    found = [t for t in timeline.tag(text, published) if t.start < start + len(phrase) and start < t.end]
    assert len(found) == 1, found
    return found[0]


# A plural unit with no count after "for", "in" or "within" is a length of some such units, whatever follows.
UNITS_AFTER_PREPOSITION = [
    ("For weeks the pickets stood at the gate.", "weeks", "PXW"),
    ("Nobody had sailed there in years until the storm.", "years", "PXY"),
    ("The strike could end within days if talks resume.", "days", "PXD"),
    ("The two families have not spoken for decades because of the feud.", "decades", "PXDE"),
]


@pytest.mark.parametrize("text,phrase,value", UNITS_AFTER_PREPOSITION, ids=[c[1] for c in UNITS_AFTER_PREPOSITION])
def test_tag_bare_plural_unit_after_preposition_is_an_indefinite_length(text, phrase, value):
    found = tagged(text, phrase)
    assert (found.text, found.type, found.value) == (phrase, TimexType.DURATION, value)


@pytest.mark.parametrize("text", ["He walked in days-old snow.", "She sold it for years-old stock."])
def test_tag_plural_unit_of_an_age_is_no_length(text):
    assert timeline.tag(text, ANCHOR) == []


# "That (same) day" after a month or year: one day of that period, the day not given ("2024-10-XX"), the interval the
# whole period; after a day it is that day.
DAY_WITHIN = [
    ("The plant closed last October. Its sign came down that same day.", "same day", "2024-10-XX",
     ("2024-10-01", "2024-10-31")),
    ("The dam was finished in 2019. The road opened the same day.", "the same day", "2019-XX-XX",
     ("2019-01-01", "2019-12-31")),
    ("The ship sank on Jan. 3. A second one sank that day too.", "that day", "2025-01-03", ("2025-01-03", "2025-01-03")),
]


@pytest.mark.parametrize("text,phrase,value,interval", DAY_WITHIN, ids=[c[2] for c in DAY_WITHIN])
def test_tag_that_day_within_a_coarser_named_period_leaves_the_day_unknown(text, phrase, value, interval):
    found = tagged(text, phrase)
    assert found.value == value
    assert (found.interval.first.isoformat(), found.interval.last.isoformat()) == interval


# "The week of <date>": the ISO week that holds the date, one DATE spanning the phrase.
WEEK_OF = [
    ("The trial opens the week of March 3.", "2025-W10", ("2025-03-03", "2025-03-09")),
    ("Ballots go out the week of Feb. 9 and are due in March.", "2025-W06", ("2025-02-03", "2025-02-09")),
    ("They met the week of Jan. 6, 2020, in Geneva.", "2020-W02", ("2020-01-06", "2020-01-12")),
]


@pytest.mark.parametrize("text,value,interval", WEEK_OF, ids=[c[1] for c in WEEK_OF])
def test_tag_the_week_of_a_date_is_the_week_holding_it(text, value, interval):
    found = tagged(text, "the week of")
    assert found.text.startswith("the week of") and (found.type, found.value) == (TimexType.DATE, value)
    assert (found.interval.first.isoformat(), found.interval.last.isoformat()) == interval


# A bare day joined by "and"/"or" to the month and day just named is a day of that month; a count is not.
COORDINATED_DAYS = [
    ("The summit meets on April 24 and 25 in Rome.", [("April 24", "2025-04-24"), ("25", "2025-04-25")]),
    ("Talks resumed on Jan. 8 or 9, officials said.", [("Jan. 8", "2025-01-08"), ("9", "2025-01-09")]),
    ("On April 24 and 25 people died.", [("April 24", "2025-04-24")]),
    ("He sold 24 and 25 of them.", []),
]


@pytest.mark.parametrize("text,expected", COORDINATED_DAYS, ids=[c[0][:24] for c in COORDINATED_DAYS])
def test_tag_bare_day_joined_to_a_date_shares_its_month(text, expected):
    assert [(t.text, t.value) for t in timeline.tag(text, ANCHOR)] == expected


def test_tag_bare_day_before_a_shared_year_is_left_untagged():
    # "Dec. 8 and 9, 2023": the year belongs to both days, which one span's rule cannot say; no day in a wrong year
    assert "9" not in [t.text for t in timeline.tag("The fair ran on Dec. 8 and 9, 2023.", ANCHOR)]


# "Christmas week", "the week of Thanksgiving": the week holding the holiday; when that week holds the publication
# day it is the week under way, whatever the tense (published on a Monday before Easter, "Easter week began").
HOLIDAY_WEEKS = [
    ("Protesters marched as Easter week began.", "2000-04-17", "Easter week", "2000-W16"),  # a Monday
    ("Shops were busy as Christmas week began.", "2024-12-23", "Christmas week", "2024-W52"),  # a Monday
    ("Flights will be full the week of Thanksgiving.", ANCHOR, "the week of Thanksgiving", "2025-W48"),
    ("They married in Easter week 1998.", ANCHOR, "Easter week 1998", "1998-W15"),
]


@pytest.mark.parametrize("text,published,phrase,value", HOLIDAY_WEEKS, ids=[c[3] for c in HOLIDAY_WEEKS])
def test_tag_a_holidays_week_is_the_week_holding_it(text, published, phrase, value):
    found = tagged(text, phrase, published)
    assert (found.text, found.type, found.value) == (phrase, TimexType.DATE, value)


# A part of each such weekday is a SET: "Tuesday nights", "every Sunday morning"; a weekday joined to a plural part
# ("Friday and Saturday nights") shares it. A single night stays a TIME.
WEEKDAY_PARTS = [
    ("The club meets on Tuesday nights.", [("Tuesday nights", "XXXX-WXX-2TNI")]),
    ("She swam every Sunday morning.", [("every Sunday morning", "XXXX-WXX-7TMO")]),
    ("Buses run late on Friday and Saturday nights.", [("Friday", "XXXX-WXX-5TNI"), ("Saturday nights", "XXXX-WXX-6TNI")]),
    ("The fire started on Tuesday night.", [("Tuesday night", "2025-01-28TNI")]),
]


@pytest.mark.parametrize("text,expected", WEEKDAY_PARTS, ids=[c[0][:24] for c in WEEKDAY_PARTS])
def test_tag_a_part_of_every_such_weekday_is_a_set(text, expected):
    assert [(t.text, t.value) for t in timeline.tag(text, ANCHOR)] == expected


# "less than N ago", "nearly N ago": some time between N back and now; the value names the far end.
WITHIN_AGO = [
    ("The ferry was refitted less than two weeks ago.", "less than two weeks ago", "2025-W03", "2025-01-15"),
    ("The mayor took office nearly a year ago.", "nearly a year ago", "2024", "2024-01-29"),
]


@pytest.mark.parametrize("text,phrase,value,first", WITHIN_AGO, ids=["less-than", "nearly"])
def test_tag_less_than_n_ago_reaches_publication(text, phrase, value, first):
    timex = tagged(text, phrase)
    assert timex.value == value
    assert (timex.interval.first.isoformat(), timex.interval.last.isoformat()) == (first, ANCHOR)
    plain = tagged("The ferry was refitted two weeks ago.", "two weeks ago")
    assert plain.interval.last.isoformat() < ANCHOR  # without the approximation, the week itself


# "The following year", "the previous month" count from the year or month the narrative is on, not from publication.
FOLLOWING_UNIT = [
    ("The bakery opened in 1998 and the following year it added a cafe.", "the following year", "1999"),
    ("Ferry fares rose in March 2019; the following month they fell again.", "the following month", "2019-04"),
    ("The levy starts next year and the following year it doubles.", "the following year", "2027"),
    ("Sales were 4 percent above the previous year.", "the previous year", "2024"),
]


@pytest.mark.parametrize("text,phrase,value", FOLLOWING_UNIT, ids=["year", "month", "future", "publication"])
def test_tag_following_unit_counts_from_the_narrative(text, phrase, value):
    assert tagged(text, phrase).value == value


# A range with no preposition, "two to three weeks", "30-40 days", "three or four months": both numbers are lengths
# of the unit said once; "and" makes a range only after "between".
RANGES = [
    ("Repairs usually take two to three weeks.", [("two", "P2W"), ("three weeks", "P3W")]),
    ("The batteries last 30-40 days at sea.", [("30", "P30D"), ("40 days", "P40D")]),
    ("The strike could last three or four months.", [("three", "P3M"), ("four months", "P4M")]),
    ("The vote was 3 to 2 on Wednesday.", [("Wednesday", "2025-01-29")]),
]


@pytest.mark.parametrize("text,expected", RANGES, ids=["to", "dash", "or", "no-unit"])
def test_tag_bare_range_counts_both_numbers(text, expected):
    assert [(t.text, t.value) for t in timeline.tag(text, ANCHOR)] == expected


def test_tag_financial_quarter_is_a_fiscal_quarter():
    assert tagged("In the last financial quarter, exports rose.", "the last financial quarter").value == "2024-Q4"
    assert tagged("Costs rose in the current financial year.", "the current financial year").value == "2025"


# "This weekend" with a past verb, in the week after it, is the weekend just gone; otherwise the coming one.
THIS_WEEKEND = [
    ("Thousands marched in the capital this weekend.", "2025-01-27", "2025-W04-WE"),
    ("Thousands will march in the capital this weekend.", "2025-01-27", "2025-W05-WE"),
    ("The fair opened this weekend.", "2025-01-26", "2025-W04-WE"),
]


@pytest.mark.parametrize("text,published,value", THIS_WEEKEND, ids=["past", "future", "sunday"])
def test_tag_this_weekend_follows_the_tense(text, published, value):
    assert tagged(text, "this weekend", published).value == value


def test_tag_years_over_which_a_story_runs_are_a_length():
    assert tagged("The firm thanked its crews for their work over the years and left.", "years").value == "PXY"
    assert tagged("In the years that followed, the mill closed.", "years").value == "PXY"
    assert timeline.tag("It was one of our greatest days. The early days of radio were loud.", ANCHOR) == []


def test_tag_a_later_date_is_the_future():
    found = tagged("The hearing was put off to a later date.", "a later date")
    assert (found.type, found.value) == (TimexType.DATE, "FUTURE_REF")


def test_tag_wire_clock_with_zone_is_a_time():
    found = tagged("The polls close at 8 p.m. (1900 GMT) on Sunday.", "1900 GMT")
    assert (found.type, found.value) == (TimexType.TIME, "2025-01-29T19:00")
    assert [t.text for t in timeline.tag("The ferry carried 1900 passengers.", ANCHOR)] == []


def test_tag_frequency_word_in_a_paper_name_is_no_set():
    assert timeline.tag("The China Daily newspaper reported the deal.", ANCHOR) == []
    assert tagged("The paper is printed daily in Lagos.", "daily").value == "P1D"


# "That summer", "the following spring": a season of (after, before) the period the narrative is on.
NARRATIVE_SEASONS = [
    ("The architect moved to Oslo in 1950. That summer she found work.", "That summer", "1950-SU"),
    ("His last win came in September 2012. The following spring he hurt his wrist.", "The following spring", "2013-SP"),
    ("The levee failed in May 2010 after the previous winter's storms.", "the previous winter", "2009-WI"),
    ("The mine shut in January 2010. That winter was the coldest in years.", "That winter", "2009-WI"),
    ("That summer the river ran dry.", "That summer", "2025-SU"),
]


@pytest.mark.parametrize("text,phrase,value", NARRATIVE_SEASONS, ids=["that", "following", "previous", "january", "none"])
def test_tag_season_counts_from_the_narrative(text, phrase, value):
    assert tagged(text, phrase).value == value


def test_tag_month_joined_to_a_later_month_takes_its_year():
    text = "The survey ran in November and December 2015, and again from June to August 2019."
    assert [(t.text, t.value) for t in timeline.tag(text, ANCHOR)] == [
        ("November", "2015-11"), ("December 2015", "2015-12"), ("June", "2019-06"), ("August 2019", "2019-08")]
    assert [t.value for t in timeline.tag("Prices may or may not rise through June 2015.", ANCHOR)] == ["2015-06"]


# One length in two units, the larger first: "four years and eight months" is P4Y8M; the other way round, two lengths.
COMPOUND_DURATIONS = [
    ("The clerk was jailed for four years and eight months.", [("four years and eight months", "P4Y8M")]),
    ("The hearing lasted an hour and 20 minutes.", [("an hour and 20 minutes", "PT1H20M")]),
    ("The siege lasted two days, six hours.", [("two days, six hours", "P2DT6H")]),
    ("She spent 10 months and two years abroad.", [("10 months", "P10M"), ("two years", "P2Y")]),
    ("The wait was between 30 minutes and two hours.", [("30 minutes", "PT30M"), ("two hours", "PT2H")]),
    ("He served several years and six months abroad.", [("several years", "PXY"), ("six months", "P6M")]),
]


@pytest.mark.parametrize("text,expected", COMPOUND_DURATIONS, ids=["years-months", "hour-minutes", "comma", "reversed", "larger-second", "vague"])
def test_tag_compound_duration_is_one_length(text, expected):
    assert [(t.text, t.value) for t in timeline.tag(text, ANCHOR)] == expected


def test_tag_a_decade_ago_is_a_year():
    found = tagged("A decade ago, analysts expected coal to fade.", "A decade ago", "2024-11-14")
    assert (found.value, found.interval.first.isoformat()) == ("2014", "2014-01-01")


# "Early afternoon", "mid-afternoon", "late evening": a part of the day the narrative is on.
MODIFIED_PARTS = [
    ("Queues formed at dawn, and by early afternoon the wait was two hours.", "early afternoon", "2025-01-29TAF"),
    ("The ferry sank on January 20. By late evening all were rescued.", "late evening", "2025-01-20TEV"),
]


@pytest.mark.parametrize("text,phrase,value", MODIFIED_PARTS, ids=["publication", "narrative"])
def test_tag_modified_part_of_day_is_a_time(text, phrase, value):
    found = tagged(text, phrase)
    assert (found.type, found.value) == (TimexType.TIME, value)


# A clock in local time is one TIME with its weekday: "8 a.m. local time Monday", "21:40 local time".
LOCAL_CLOCKS = [
    ("She reached the port at 8 a.m. local time Monday.", "8 a.m. local time Monday", "2025-01-27T08:00"),
    ("The jet left the runway at 21:40 local time.", "21:40 local time", "2025-01-29T21:40"),
]


@pytest.mark.parametrize("text,phrase,value", LOCAL_CLOCKS, ids=["weekday", "24-hour"])
def test_tag_local_time_clock_is_one_time(text, phrase, value):
    found = tagged(text, phrase)
    assert (found.text, found.value) == (phrase, value)


def test_tag_participle_after_a_linking_verb_sets_no_tense():
    text = "Rail traffic is expected to remain severely disrupted through the weekend."
    assert tagged(text, "the weekend", "2025-01-31").value == "2025-W05-WE"  # the coming one, from a Friday
    assert tagged("The bridge was badly damaged on Monday.", "Monday").value == "2025-01-27"


def test_tag_half_of_a_relative_year_is_one_expression():
    text = "Growth may slow in the first half of next year after the second half of last year."
    assert [(t.text, t.value) for t in timeline.tag(text, "2016-10-28")] == [
        ("the first half of next year", "2017-H1"), ("the second half of last year", "2015-H2")]


def test_tag_hyphenated_century_is_the_century():
    assert tagged("A 17th-century still life went on show.", "17th-century").value == "16"
