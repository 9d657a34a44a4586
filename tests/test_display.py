"""Human dates: TIMEX3 values and intervals -> the words a reader sees; publication sources and confidence in words."""
from __future__ import annotations

from datetime import date

import pytest

from timeline.display import describe_confidence, describe_published, display_date, format_range, name_document
from timeline.types import Granularity, Interval, PublishedSource

G = Granularity
D = date

# (value, first, last, granularity, shown)
DATES = [
    ("2024-FA", D(2024, 9, 1), D(2024, 11, 30), G.SEASON, "Autumn 2024"),
    ("2024-WI", D(2024, 12, 1), D(2025, 2, 28), G.SEASON, "Winter 2024"),
    ("2025-01-28TNI", D(2025, 1, 28), D(2025, 1, 28), G.TIME, "Tue 28 Jan 2025, night"),
    ("2025-01-27TMO", D(2025, 1, 27), D(2025, 1, 27), G.TIME, "Mon 27 Jan 2025, morning"),
    ("2025-01-28T14:30", D(2025, 1, 28), D(2025, 1, 28), G.TIME, "Tue 28 Jan 2025, 14:30"),
    ("2025-01-27", D(2025, 1, 27), D(2025, 1, 27), G.DAY, "Mon 27 Jan 2025"),
    ("2025-W04", D(2025, 1, 20), D(2025, 1, 26), G.WEEK, "week of 20 Jan 2025"),
    ("2025-W04-WE", D(2025, 1, 25), D(2025, 1, 26), G.DAY, "weekend of 25–26 Jan 2025"),
    ("PAST_REF", D(2025, 1, 8), D(2025, 1, 29), G.FUZZY, "about 8–29 Jan 2025"),
    ("PAST_REF", D(2024, 12, 29), D(2025, 1, 29), G.FUZZY, "about 29 Dec 2024 – 29 Jan 2025"),
    ("PXM", D(2025, 1, 29), D(2025, 4, 29), G.FUZZY, "about 29 Jan – 29 Apr 2025"),
    ("2025-04", D(2025, 4, 1), D(2025, 4, 30), G.MONTH, "April 2025"),
    ("1987", D(1987, 1, 1), D(1987, 12, 31), G.YEAR, "1987"),
    ("2025-Q1", D(2025, 1, 1), D(2025, 3, 31), G.QUARTER, "first quarter of 2025 (1 Jan – 31 Mar 2025)"),
    ("2025-H2", D(2025, 7, 1), D(2025, 12, 31), G.HALF, "second half of 2025"),
    ("198", D(1980, 1, 1), D(1989, 12, 31), G.DECADE, "the 1980s"),
    ("19", D(1900, 1, 1), D(1999, 12, 31), G.CENTURY, "the 1900s"),
    ("P3M", D(2025, 3, 10), D(2025, 6, 10), G.MONTH, "10 Mar – 10 Jun 2025"),  # a span, not a calendar month
]


@pytest.mark.parametrize("value,first,last,granularity,shown", DATES, ids=[f"{d[0]}-{d[1]}" for d in DATES])
def test_display_date_reads_as_words(value, first, last, granularity, shown):
    assert display_date(value, Interval(first, last), granularity) == shown


def test_display_date_without_interval_keeps_the_value():
    assert display_date("XXXX-XX-XX", None, G.DAY) == "XXXX-XX-XX"
    assert display_date("", None, G.DAY) == "date unknown"


RANGES = [
    (D(2025, 1, 8), D(2025, 1, 8), "8 Jan 2025"),
    (D(2025, 1, 8), D(2025, 1, 29), "8–29 Jan 2025"),
    (D(2025, 1, 29), D(2025, 4, 29), "29 Jan – 29 Apr 2025"),
    (D(2024, 12, 29), D(2025, 1, 2), "29 Dec 2024 – 2 Jan 2025"),
]


@pytest.mark.parametrize("first,last,shown", RANGES, ids=["day", "month", "year", "years"])
def test_format_range_shares_what_ends_share(first, last, shown):
    assert format_range(first, last) == shown


@pytest.mark.parametrize("source", list(PublishedSource), ids=[s.value for s in PublishedSource])
def test_describe_published_has_words_for_every_source(source):
    words = describe_published(source)
    assert words != source.value and "inferred" not in words and "-" not in words


def test_describe_published_corpus_in_words():
    assert describe_published(PublishedSource.INFERRED_CORPUS) == "date taken from the other articles"


CONFIDENCES = [(0.95, "high"), (0.7, "high"), (0.55, "medium"), (0.45, "medium"), (0.26, "low"), (0.0, "low")]


@pytest.mark.parametrize("confidence,word", CONFIDENCES, ids=[str(c) for c, _ in CONFIDENCES])
def test_describe_confidence_bands(confidence, word):
    assert describe_confidence(confidence) == word


NAMES = [("Nvidia falls", "x", "Nvidia falls"), ("", "Shares fell on Monday.", "Shares fell on Monday."),
         ("", "one two three four five six seven eight nine", "one two three four five six seven eight …"),
         ("  ", "", "untitled article")]


@pytest.mark.parametrize("title,text,name", NAMES, ids=["title", "short-text", "long-text", "empty"])
def test_name_document_uses_title_else_first_words(title, text, name):
    assert name_document(title, text) == name
