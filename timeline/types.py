"""Frozen dataclasses and enums that flow through the pipeline: Document -> Timex -> Event -> Timeline."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date


class TimexType(str, enum.Enum):
    DATE = "DATE"
    TIME = "TIME"
    DURATION = "DURATION"
    SET = "SET"


class Granularity(enum.IntEnum):
    """How fine a date is; smaller is finer, so `min()` picks the most precise."""

    TIME = 0
    DAY = 1
    WEEK = 2
    MONTH = 3
    SEASON = 4
    QUARTER = 5
    HALF = 6
    YEAR = 7
    DECADE = 8
    CENTURY = 9
    FUZZY = 10

    @property
    def label(self) -> str:
        return self.name.lower()


class Direction(enum.Enum):
    """Which way an underspecified date points from its anchor."""

    PAST = "past"
    FUTURE = "future"
    NONE = "none"


class Prefer(enum.Enum):
    """Policy for a date whose direction neither tense nor cue words settle."""

    PAST = "past"
    FUTURE = "future"


class Anchor(str, enum.Enum):
    """What a timex was resolved against."""

    ABSOLUTE = "absolute"  # the text names the date itself
    PUBLISHED = "published"  # the document's publication date
    REFERENCE = "reference"  # a date named earlier in the text (narrative mode)
    UNRESOLVED = "unresolved"  # relative, but no anchor was known


class PublishedSource(str, enum.Enum):
    """Where a document's publication date came from."""

    HEADER = "header"
    FIELD = "field"
    OPTION = "option"
    INFERRED_URL = "inferred-url"
    INFERRED_TEXT = "inferred-text"
    INFERRED_HTML = "inferred-html"
    INFERRED_CORPUS = "inferred-corpus"
    MISSING = "missing"
    FEED = "feed"  # a feed entry's published/updated date
    INFERRED_DATELINE = "inferred-dateline"  # the dateline's date ("NEW YORK, Jan 28 (Reuters) -")

    @property
    def inferred(self) -> bool:
        return self.value.startswith("inferred")


@dataclass(frozen=True)
class Interval:
    """A span of calendar days; both `first` and `last` are included."""

    first: date
    last: date

    end_inclusive = True

    def contains(self, other: Interval) -> bool:
        return self.first <= other.first and other.last <= self.last

    def overlaps(self, other: Interval) -> bool:
        return self.first <= other.last and other.first <= self.last

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


class PublishedReading(str, enum.Enum):
    """How a written publication date was read: plainly, or which evidence settled day/month order."""

    UNAMBIGUOUS = "unambiguous"  # ISO, a month name, or a numeric date only one order makes valid
    SETTLED_CORPUS = "settled-corpus"  # other documents' dates in the same pattern show the order
    SETTLED_URL = "settled-url"  # the document's own URL holds one of the readings
    SETTLED_TEXT = "settled-text"  # the text's own full dates fall on or just before one reading only
    AMBIGUOUS = "ambiguous"  # nothing settled it: both readings kept, the date left unset


@dataclass(frozen=True)
class Document:
    id: str
    text: str
    title: str = ""
    url: str = ""
    published: date | None = None
    published_source: PublishedSource = PublishedSource.MISSING
    path: str = ""
    published_raw: str = ""  # the publication date as written, when it was written down
    published_at: str = ""  # ISO date-time with its UTC offset, when a time was given
    published_reading: PublishedReading = PublishedReading.UNAMBIGUOUS
    published_readings: tuple[date, ...] = ()  # both readings of an ambiguous day/month date
    published_after: date | None = None  # a lower bound: the latest date of a URL the text cites
    place: str = ""  # the dateline's place ("NEW YORK")
    dateline: str = ""  # the dateline removed from the text ("NEW YORK, Jan 28 (Reuters) -")
    line: int | None = None  # the line of its corpus file where the record starts


@dataclass(frozen=True)
class Skipped:
    """A file or record that could not be read as an article, and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}" if where else self.reason


@dataclass(frozen=True)
class Offset:
    """How a timex lies from an event the text names ("two years after the reform", "the day before the storm
    hit", "five years from now"): its TIMEX3 value is the length (or the day), and this says which way and from
    what, so that a later stage can count from the event's own date."""

    signal: str  # the word relating it to the event, lower-cased: after, before, later, earlier, from now
    direction: Direction  # FUTURE: the timex is after the event; PAST: before it
    length: str  # the TIMEX3 duration between event and timex: "P2Y", "P1D", "PXD"


@dataclass(frozen=True)
class Timex:
    """A temporal expression: `text == document_text[start:end]`."""

    start: int
    end: int
    text: str
    type: TimexType
    value: str
    interval: Interval | None
    granularity: Granularity
    anchor: Anchor = Anchor.ABSOLUTE
    anchor_date: date | None = None
    mod: str = ""
    rule: str = ""
    offset: Offset | None = None  # set when the timex counts from an event, not from a date

    @property
    def resolved(self) -> bool:
        return self.anchor is not Anchor.UNRESOLVED


@dataclass(frozen=True)
class Mention:
    """One clause of one document that a timex (or the publication date) dates."""

    document: str
    sentence: str
    sentence_index: int
    clause: str
    summary: str
    timex: Timex
    char_start: int
    char_end: int
    names: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    implicit: bool = False  # dated by the publication date, with no phrase in the sentence


@dataclass(frozen=True)
class Event:
    """Mentions of one happening, possibly from several documents, with the date they agree on."""

    id: str
    mentions: tuple[Mention, ...]
    interval: Interval
    value: str
    granularity: Granularity
    summary: str
    sentence: str
    confidence: float
    conflict: str = ""

    @property
    def documents(self) -> list[str]:
        return list(dict.fromkeys(m.document for m in self.mentions))

    @property
    def phrases(self) -> list[str]:
        return list(dict.fromkeys(m.timex.text for m in self.mentions if not m.implicit))


@dataclass(frozen=True)
class Timeline:
    events: tuple[Event, ...]
    documents: tuple[Document, ...]
    unresolved: tuple[Mention, ...] = field(default=())
    title: str = ""
    skipped: tuple[Skipped, ...] = field(default=())  # inputs left out, each with its reason
    edited: frozenset[str] = field(default=frozenset())  # ids of the events a person changed (timeline/curation.py)
