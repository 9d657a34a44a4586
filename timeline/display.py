"""TIMEX3 values, intervals and publication-date sources -> the words a reader sees ("Autumn 2024", "Tue 28 Jan
2025, night", "about 8–29 Jan 2025", "date taken from the other articles"). Raw text out: each output escapes."""
from __future__ import annotations

import re
from datetime import date

from timeline.types import Granularity, Interval, PublishedSource

SEASONS = {"SP": "Spring", "SU": "Summer", "FA": "Autumn", "WI": "Winter"}
PARTS_OF_DAY = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}
ORDINAL_PART = {"1": "first", "2": "second", "3": "third", "4": "fourth"}
# English names whatever the process's locale (strftime's %a and %b follow it).
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# An en dash between the ends of a range, as a printed timeline writes it.
DASH = "–"
TIME_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}T(?:(?P<part>MO|MI|AF|EV|NI|DT)|(?P<clock>\d{2}:\d{2}))")
SEASON_VALUE = re.compile(r"^(?P<year>\d{4})-(?P<season>SP|SU|FA|WI)$")
QUARTER_VALUE = re.compile(r"^(?P<year>\d{4})-Q(?P<n>[1-4])$")
HALF_VALUE = re.compile(r"^(?P<year>\d{4})-H(?P<n>[12])$")
WEEKEND_VALUE = re.compile(r"^\d{4}-W\d{2}-WE$")

PUBLISHED_WORDS = {
    PublishedSource.HEADER: "date given in the article's header",
    PublishedSource.FIELD: "date given with the article",
    PublishedSource.OPTION: "the date you entered for articles without one",
    PublishedSource.INFERRED_URL: "date taken from the article's web address",
    PublishedSource.INFERRED_TEXT: "date taken from the article's text",
    PublishedSource.INFERRED_HTML: "date taken from the web page's details",
    PublishedSource.INFERRED_CORPUS: "date taken from the other articles",
    PublishedSource.INFERRED_DATELINE: "date taken from the dateline",
    PublishedSource.FEED: "date given by the news feed",
    PublishedSource.MISSING: "no publication date",
}
# Confidence bands in words; merge.confidence_of starts one source at 0.55 and adds for each agreeing article,
# and lowers it for vague phrases, dates from the publication day alone, guessed publication dates and conflicts.
CONFIDENCE_BANDS = ((0.7, "high"), (0.45, "medium"), (0.0, "low"))


def format_day(day: date, weekday: bool = False) -> str:
    """'28 Jan 2025', or 'Tue 28 Jan 2025' with the weekday."""
    text = f"{day.day} {short_month(day)} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def short_month(day: date) -> str:
    return MONTHS[day.month - 1][:3]


def format_range(first: date, last: date) -> str:
    """Two days as one range, sharing what they share: '8–29 Jan 2025', '29 Jan – 29 Apr 2025'."""
    if first == last:
        return format_day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}{DASH}{last.day} {short_month(last)} {last.year}"
    if first.year == last.year:
        return f"{first.day} {short_month(first)} {DASH} {last.day} {short_month(last)} {last.year}"
    return f"{format_day(first)} {DASH} {format_day(last)}"


def display_date(value: str, interval: Interval | None, granularity: Granularity) -> str:
    """The date a reader sees, at the precision the text gave: 'Autumn 2024', 'Tue 28 Jan 2025, night',
    'week of 20 Jan 2025', 'about 8–29 Jan 2025' (a vague phrase), 'January 2025', 'the 1980s'.

    Falls back to the interval ('3–9 Mar 2025') when the value has no name of its own, and to the value itself
    when there is no interval (an unresolved phrase)."""
    if interval is None:
        return value or "date unknown"
    first, last = interval.first, interval.last
    time = TIME_VALUE.match(value)
    if time:
        moment = PARTS_OF_DAY[time.group("part")] if time.group("part") else time.group("clock")
        return f"{format_day(first, weekday=True)}, {moment}"
    season = SEASON_VALUE.match(value)
    if season:
        return f"{SEASONS[season.group('season')]} {season.group('year')}"
    quarter = QUARTER_VALUE.match(value)
    if quarter:
        return f"{ORDINAL_PART[quarter.group('n')]} quarter of {quarter.group('year')} ({format_range(first, last)})"
    half = HALF_VALUE.match(value)
    if half:
        return f"{ORDINAL_PART[half.group('n')]} half of {half.group('year')}"
    if WEEKEND_VALUE.match(value):
        return f"weekend of {format_range(first, last)}"
    if granularity is Granularity.FUZZY:
        return f"about {format_range(first, last)}"
    if granularity in (Granularity.DAY, Granularity.TIME) and first == last:
        return format_day(first, weekday=True)
    if granularity is Granularity.WEEK:
        return f"week of {format_day(first)}"
    if granularity is Granularity.MONTH and first.day == 1 and (first.year, first.month) == (last.year, last.month):
        return f"{MONTHS[first.month - 1]} {first.year}"
    if granularity is Granularity.YEAR and (first.month, first.day, last.month, last.day) == (1, 1, 12, 31):
        return str(first.year) if first.year == last.year else f"{first.year}{DASH}{last.year}"
    if granularity is Granularity.DECADE:
        return f"the {first.year // 10 * 10}s"
    if granularity is Granularity.CENTURY:
        return f"the {first.year // 100 * 100}s"
    return format_range(first, last)


def describe_published(source: PublishedSource) -> str:
    """Where a publication date came from, in words: 'date taken from the other articles'."""
    return PUBLISHED_WORDS.get(source, source.value)


def describe_confidence(confidence: float) -> str:
    """'high', 'medium' or 'low' for a confidence in [0, 1]."""
    return next(word for floor, word in CONFIDENCE_BANDS if confidence >= floor)


def name_document(title: str, text: str, words: int = 8) -> str:
    """What a reader calls an article: its title, else its first words ('Shares fell on Monday as …')."""
    if title.strip():
        return title.strip()
    first = text.split()
    return " ".join(first[:words]) + (" …" if len(first) > words else "") if first else "untitled article"
