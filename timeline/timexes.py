"""Text + publication date -> resolved Timex list: find expressions, then resolve them in narrative order."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from timeline.errors import DateError, RuleError
from timeline.resolve import PERIODS, PREFER, NotADate, Reference, Resolution, resolve_timex
from timeline.rules import RuleSet, default_rules
from timeline.sentences import Sentence
from timeline.tagger import DEICTIC_KINDS, Found, find_timexes
from timeline.types import Anchor, Granularity, Interval, Prefer, Timex, TimexType

# Granularities fine enough to anchor "two days later" or "the next day" in the sentences that follow.
REFERENCE_GRANULARITIES = (Granularity.TIME, Granularity.DAY, Granularity.WEEK, Granularity.MONTH,
                           Granularity.QUARTER, Granularity.HALF, Granularity.SEASON, Granularity.YEAR)


def as_date(published: str | date | datetime | None) -> date | None:
    """A publication date from an ISO string, date or datetime.

    Raises:
        DateError: the string is not an ISO date (YYYY-MM-DD).
    """
    if published is None or published == "":
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    try:
        return date.fromisoformat(str(published).strip()[:10])
    except ValueError:
        raise DateError(f"{published!r} is not a date in the form YYYY-MM-DD") from None


def to_timex(found: Found, resolution: Resolution) -> Timex:
    return Timex(
        start=found.start,
        end=found.end,
        text=found.text,
        type=resolution.type or found.rule.type,
        value=resolution.value,
        interval=resolution.interval,
        granularity=resolution.granularity,
        anchor=resolution.anchor,
        anchor_date=resolution.anchor_date,
        mod=resolution.mod,
        rule=found.rule.name,
        offset=resolution.offset,
    )


COMPARISONS = frozenset({"year_earlier"})


def story_anchor(item: Found, anchor: date | None, reference: Reference | None,
                 said_at: tuple[int, int]) -> tuple[bool, date | None]:
    """Whether `item` stands in a quote from another time, and the day its "now" is on if the text gives it.

    "In a 2011 letter she wrote: 'I will come on Thursday'": the quote's Thursday is near the letter's day, which
    the sentence named before the quote opened; when that date is no day ("2011"), the weekday stays
    underspecified rather than counted from publication."""
    sentence, end = said_at
    if (item.quoted_from < 0 or item.rule.kind not in DEICTIC_KINDS or reference is None
            or sentence != item.sentence or end > item.quoted_from
            or (anchor is not None and reference.interval.first <= anchor <= reference.interval.last)):
        return False, anchor
    return True, reference.interval.first if reference.granularity <= Granularity.DAY else None


def resolve_all(found: list[Found], anchor: date | None, rules: RuleSet, prefer: Prefer) -> list[Timex]:
    """Resolve in text order, carrying the last named date as the reference for "two days later"."""
    timexes, reference, said_at = [], None, (-1, -1)
    for item in found:
        quoted, now = story_anchor(item, anchor, reference, said_at)
        try:
            resolution = resolve_timex(item.rule.kind, item.slots, now, direction=item.direction,
                                       reference=reference, prefer=prefer, tables=rules.tables)
        except NotADate:
            continue  # "February 30" and the like: the text matched a shape but names no date
        if quoted and now is not None:
            resolution = replace(resolution, anchor=Anchor.REFERENCE)
        timex = to_timex(item, resolution)
        timexes.append(timex)
        if is_part_of_year(timex):
            reference = with_period_of_year(reference, anchor)
        # "A year earlier" compares with the period in focus; it does not move the narrative there. "Two days
        # later" (a length, counted from the narrative's date) moves it as a date would.
        if (item.rule.kind not in COMPARISONS
                and (timex.type in (TimexType.DATE, TimexType.TIME) or timex.offset is not None)
                and timex.interval is not None
                and timex.granularity in REFERENCE_GRANULARITIES and timex.anchor is not Anchor.UNRESOLVED):
            period = reference.period if reference else None
            if timex.granularity in PERIODS:
                period = Reference(timex.value, timex.granularity, timex.interval)
            reference = Reference(timex.value, timex.granularity, timex.interval, period)
            said_at = (item.sentence, item.end)
    return timexes


PART_OF_YEAR = re.compile(r"P([2-9]|1[01])M")


def is_part_of_year(timex: Timex) -> bool:
    """ "For the nine months", "the six months ended Aug. 12": the year to date, in financial reports."""
    return timex.type is TimexType.DURATION and PART_OF_YEAR.fullmatch(timex.value) is not None


def with_period_of_year(reference: Reference | None, anchor: date | None) -> Reference | None:
    """The reference with the year to date in focus, so that "a year earlier" compares with last year."""
    if reference is None:  # nothing named yet: "a year earlier" already counts from the publication's year
        return None
    day = reference.period.interval.first if reference.period else anchor
    if day is None:
        return reference
    year = Reference(f"{day.year:04d}", Granularity.YEAR, Interval(date(day.year, 1, 1), date(day.year, 12, 31)))
    return replace(reference, period=year)


def tag_text(text: str, published: str | date | None = None, *, rules: RuleSet | None = None,
             prefer: Prefer = PREFER, sentences: list[Sentence] | None = None) -> list[Timex]:
    """Temporal expressions of `text` normalized to TIMEX3 values and intervals against `published`.

    Raises:
        DateError: `published` is not an ISO date.
    """
    rules = rules or default_rules()
    anchor = as_date(published)
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, not {type(text).__name__}")
    return resolve_all(find_timexes(text, rules, sentences), anchor, rules, prefer)


def check_examples(rules: RuleSet) -> None:
    """Run every rule's examples through the tagger.

    Raises:
        RuleError: an example is not found whole by its own rule, or resolves to another value.
    """
    for rule in rules.rules:
        for example in rule.examples:
            timexes = tag_text(example.text, example.anchor, rules=rules)
            values = [(t.value, t.rule) for t in timexes]
            if not any(value == example.value for value, _ in values):
                raise RuleError(f"example {example.text!r} (anchor {example.anchor}) gave {values or 'nothing'}, "
                                f"expected {example.value!r}", path=f"{rules.path} rule {rule.name!r}")
