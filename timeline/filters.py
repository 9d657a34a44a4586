"""Query parameters (source, from, to, confidence, conflicts, q) -> an EventFilter -> the events a reader asked for.

The page's script (web/static/timeline.js) applies the same rules to the table and chart, so a filtered CSV holds
the rows the page shows: a date range keeps the events whose days overlap it, confidence is the level in words
(timeline.display.describe_confidence), text search looks case-insensitively in the wording, the articles' names,
the date phrases and the sentences.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from timeline.display import describe_confidence, name_document
from timeline.errors import TimelineError
from timeline.types import Event, Timeline

LEVELS = ("high", "medium", "low")
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("", "0", "false", "no", "off")
LEVEL_PATTERN = "^(high|medium|low)(,(high|medium|low))*$"  # as the OpenAPI document states it
QUERY_CHARS = 500  # a search longer than any summary finds nothing; refusing it keeps the scan cheap
PARAMETERS = ("source", "from", "to", "confidence", "conflicts", "q")


class FilterError(TimelineError):
    """A filter parameter that cannot be read; `path` names it."""


@dataclass(frozen=True)
class EventFilter:
    """Which events to keep; every condition left at its default keeps all."""

    source: str | None = None  # a document id: the events it tells
    first: date | None = None  # `from`: events ending on or after this day
    last: date | None = None  # `to`: events starting on or before this day
    confidence: frozenset[str] = field(default=frozenset())  # levels kept (empty: every level)
    conflicts: bool = False  # only events whose articles give different dates
    text: str = ""  # lower-cased search text

    @property
    def active(self) -> bool:
        return self != EventFilter()

    def keeps(self, event: Event, titles: Mapping[str, str]) -> bool:
        """Whether `event` passes every condition; `titles` names each document as the page does."""
        if self.source is not None and self.source not in event.documents:
            return False
        if self.first is not None and event.interval.last < self.first:
            return False
        if self.last is not None and event.interval.first > self.last:
            return False
        if self.confidence and describe_confidence(event.confidence) not in self.confidence:
            return False
        if self.conflicts and not event.conflict:
            return False
        return not self.text or any(self.text in part.lower() for part in search_parts(event, titles))


def search_parts(event: Event, titles: Mapping[str, str]) -> list[str]:
    """What text search looks in: the wording, each article's name, each date phrase, each sentence. A query
    matches within one part (the page's script reads the same parts from the table row)."""
    return [event.summary, *(titles.get(d, d) for d in event.documents), *event.phrases,
            *dict.fromkeys(m.sentence for m in event.mentions)]


def titles_of(timeline: Timeline) -> dict[str, str]:
    return {d.id: name_document(d.title, d.text) for d in timeline.documents}


def filter_events(timeline: Timeline, keep: EventFilter) -> list[tuple[int, Event]]:
    """(number in the whole timeline, event) of the events `keep` keeps. O(events x their text)."""
    titles = titles_of(timeline) if keep.text else {}
    return [(order, e) for order, e in enumerate(timeline.events, start=1) if keep.keeps(e, titles)]


def read_filter(args: Mapping[str, str], timeline: Timeline, levels: list[str] | None = None) -> EventFilter:
    """The filter of a request's query parameters; `levels` are every `confidence` value given (it may repeat).

    Raises:
        FilterError: an article not in the timeline, a day not YYYY-MM-DD, `from` after `to`, an unknown
            confidence level, `conflicts` not a yes/no word, a search longer than QUERY_CHARS.
    """
    source = args.get("source") or None
    if source is not None and source not in {d.id for d in timeline.documents}:
        raise FilterError(f"no article {source[:200]!r} in this timeline", path="source")
    for name in ("from", "to", "confidence", "conflicts"):  # "?from=" is a mistake, not "any day"
        if name in args and not (args.get(name) or "").strip():
            raise FilterError(f"'{name}' is empty", path=name, hint="leave the parameter out to keep every event")
    first, last = read_day(args.get("from"), "from"), read_day(args.get("to"), "to")
    if first and last and last < first:
        raise FilterError(f"'to' ({last}) is before 'from' ({first})", path="to")
    words = [w.strip() for value in (levels if levels is not None else [args.get("confidence") or ""])
             for w in value.split(",") if w.strip()]
    unknown = [w for w in words if w not in LEVELS]
    if unknown:
        raise FilterError(f"unknown confidence {unknown[0][:40]!r}", path="confidence",
                          hint=f"use {', '.join(LEVELS)} (several separated by commas)")
    conflicts = args.get("conflicts") or ""
    if conflicts not in TRUE_WORDS + FALSE_WORDS:
        raise FilterError(f"'conflicts' must be 1 or 0, not {conflicts[:40]!r}", path="conflicts")
    text = args.get("q") or ""
    if len(text) > QUERY_CHARS:
        raise FilterError(f"the search is longer than {QUERY_CHARS} characters", path="q")
    return EventFilter(source=source, first=first, last=last, confidence=frozenset(words),
                       conflicts=conflicts in TRUE_WORDS, text=text.strip().lower())


def read_day(value: str | None, name: str) -> date | None:
    """Raises: FilterError: not a YYYY-MM-DD day."""
    if not value:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise FilterError(f"'{name}' must be a day YYYY-MM-DD, not {value[:40]!r}", path=name)
