"""Publication dates as written (header, field, metadata, feed) -> a date, its time and zone, and how it was read.

Reading happens per document; an ambiguous numeric day/month date (`03-02-2009`) is first settled by the
document's own evidence (its URL, its text's dates) and, failing that, by the other documents of the run
(`settle_by_corpus`). What nothing settles stays unset, with both readings kept for the report.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone

from timeline.errors import IngestError
from timeline.types import Document, PublishedReading

# Day and month written as numbers in either order: 03-02-2009, 3/2/09, 03.02.2009.
NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$")
# Year first with a two-digit tail is always year-month-day (2009/02/03); ISO is read before all of this.
YEAR_FIRST = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
EPOCH = re.compile(r"^\d{9,10}(?:\.\d+)?$")
# dateparser's parsers without "relative-time" (no "yesterday", "2 days ago") and without "no-spaces-time"
# (which reads any run of digits as a date).
PARSERS = ["timestamp", "custom-formats", "absolute-time"]
SETTINGS = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
            "PREFER_DATES_FROM": "past", "PARSERS": PARSERS}
# The text's own dates settle an ambiguous reading when they fall on it or in the days before it: news
# reports what happened up to a week before it is published.
TEXT_EVIDENCE_DAYS = 7
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/")


@dataclass(frozen=True)
class Published:
    """A publication date read from its written form: one date, or two readings when day/month is ambiguous."""

    day: date | None
    raw: str
    at: str = ""  # ISO date-time with offset, when a time was given
    readings: tuple[date, ...] = ()
    pattern: str = ""  # the numeric shape ("NN-NN-NNNN") whose order other documents can settle


def read_published(value: str, path: str, line: int | None) -> Published:
    """A publication date in any common written form, or both readings of an ambiguous numeric one.

    The date is the publisher's own: "2009-02-03T23:30:00-05:00" is 3 February, the day in that zone.

    Raises:
        IngestError: the value is not a date (relative dates such as "yesterday" are refused).
    """
    raw = value.strip()
    numeric = NUMERIC.match(raw)
    if numeric:
        return read_numeric(numeric, raw, path, line)
    year_first = YEAR_FIRST.match(raw)
    if year_first:
        day = make_date(int(year_first.group(1)), int(year_first.group(3)), int(year_first.group(4)))
        if day is None:
            raise not_a_date(raw, path, line)
        return Published(day, raw)
    if EPOCH.match(raw):
        moment = datetime.fromtimestamp(float(raw), tz=timezone.utc)
        return Published(moment.date(), raw, at=moment.isoformat())
    moment = parse_moment(raw)
    if moment is None:
        raise not_a_date(raw, path, line)
    has_time = (moment.hour, moment.minute, moment.second) != (0, 0, 0) or moment.tzinfo is not None
    return Published(moment.date(), raw, at=moment.isoformat() if has_time else "")


def parse_moment(raw: str) -> datetime | None:
    """The date-time `raw` names, in its own zone when it gives one; None when it names no full date."""
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        pass
    import dateparser

    return dateparser.parse(raw, languages=["en"], settings=SETTINGS)


def read_numeric(match: re.Match, raw: str, path: str, line: int | None) -> Published:
    pattern, first, second, year = numeric_parts(raw)
    readings = tuple(dict.fromkeys(d for d in (make_date(year, second, first), make_date(year, first, second)) if d))
    if not readings:
        raise not_a_date(raw, path, line)
    if len(readings) == 1:
        return Published(readings[0], raw, pattern=pattern)
    return Published(None, raw, readings=readings, pattern=pattern)


def make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def not_a_date(raw: str, path: str, line: int | None) -> IngestError:
    return IngestError(f"Published: {raw!r} is not a date", path=path, line=line,
                       hint="write it as YYYY-MM-DD, '3 February 2009' or 'Tue, 03 Feb 2009 10:00:00 GMT'")


def published_fields(value: str, path: str, line: int | None) -> dict:
    """Document fields for a written publication date (the date, or both readings when it is ambiguous).

    Raises:
        IngestError: the value is not a date.
    """
    read = read_published(value, path, line)
    fields = {"published": read.day, "published_raw": read.raw, "published_at": read.at}
    if read.readings:
        fields.update(published_reading=PublishedReading.AMBIGUOUS, published_readings=read.readings)
    return fields


def settle_by_own_evidence(doc: Document) -> Document:
    """An ambiguous date settled by the document's own URL, else by the full dates its text names."""
    if doc.published_reading is not PublishedReading.AMBIGUOUS:
        return doc
    day = reading_from_url(doc.url, doc.published_readings)
    if day:
        return settled(doc, day, PublishedReading.SETTLED_URL)
    day = reading_from_text(doc.text, doc.published_readings)
    if day:
        return settled(doc, day, PublishedReading.SETTLED_TEXT)
    return doc


def settled(doc: Document, day: date, how: PublishedReading) -> Document:
    return replace(doc, published=day, published_reading=how)


def reading_from_url(url: str, readings: tuple[date, ...]) -> date | None:
    """The one reading the URL's date (/2009/02/03/) or month (/2009/02/) agrees with."""
    match = URL_DATE.search(url or "")
    if match:
        day = make_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if day in readings:
            return day
    match = URL_MONTH.search(url or "")
    if match:
        fits = [d for d in readings if (d.year, d.month) == (int(match.group(1)), int(match.group(2)))]
        if len(fits) == 1:
            return fits[0]
    return None


def reading_from_text(text: str, readings: tuple[date, ...]) -> date | None:
    """The one reading that the text's own full dates fall on or shortly before."""
    from timeline.timexes import tag_text

    named = [t.interval.first for t in tag_text(text[:5000], None)
             if t.resolved and t.interval is not None and t.interval.first == t.interval.last]
    fits = [d for d in readings if any(d - timedelta(days=TEXT_EVIDENCE_DAYS) <= n <= d for n in named)]
    return fits[0] if len(fits) == 1 else None


def numeric_parts(raw: str) -> tuple[str, int, int, int] | None:
    """The pattern ("NN-NN-NNNN"), first and second numbers and the year of a numeric date; None for others."""
    match = NUMERIC.match((raw or "").strip())
    if not match:
        return None
    year = int(match.group(4))
    if len(match.group(4)) == 2:
        year += 2000 if year < 70 else 1900
    sep = match.group(2)
    pattern = sep.join("N" * len(match.group(i)) for i in (1, 3, 4))
    return pattern, int(match.group(1)), int(match.group(3)), year


def order_evidence(raws: Iterable[str]) -> dict[str, set[str]]:
    """For each numeric pattern, the orders ("day-first", "month-first") that unambiguous dates in it show."""
    orders: dict[str, set[str]] = {}
    for raw in raws:
        parts = numeric_parts(raw)
        if parts is None:
            continue
        pattern, first, second, _ = parts
        if first > 12 >= second:
            orders.setdefault(pattern, set()).add("day-first")
        elif second > 12 >= first:
            orders.setdefault(pattern, set()).add("month-first")
    return orders


def settle_by_corpus(documents: list[Document]) -> list[Document]:
    """Ambiguous dates settled by the one order the run's unambiguous dates of the same pattern show."""
    if not any(d.published_reading is PublishedReading.AMBIGUOUS for d in documents):
        return documents
    orders = order_evidence(d.published_raw for d in documents)
    result = []
    for doc in documents:
        parts = numeric_parts(doc.published_raw) if doc.published_reading is PublishedReading.AMBIGUOUS else None
        shown = orders.get(parts[0], set()) if parts else set()
        if parts and len(shown) == 1:
            _, first, second, year = parts
            day = make_date(year, second, first) if shown == {"day-first"} else make_date(year, first, second)
            doc = settled(doc, day, PublishedReading.SETTLED_CORPUS) if day else doc
        result.append(doc)
    return result


def ambiguity_note(doc: Document) -> str:
    """One line for a document whose date nothing settled: both readings, and what to do."""
    readings = " or ".join(d.isoformat() for d in doc.published_readings)
    return (f"{doc.id}: publication date {doc.published_raw!r} is ambiguous ({readings}); nothing in the run "
            f"settles day/month order, so its relative dates are left unresolved")
