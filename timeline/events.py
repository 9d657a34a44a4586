"""Document + its timexes -> Mention per dated clause: who did what, the sentence, the phrase, the names it shares.

A clause is dated by the time expression in it; one that reports an event with none is dated by the story day
(the day the article's lead names within the week before publication, else the publication day); an offset from
an event ("two days after the rout") is resolved against that event's date when the article dates it.
Cost: O(n log n) in the characters and time expressions of a document; the work for a clause is done once,
whatever the number of expressions in it.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import islice
from datetime import date, timedelta

from timeline.clauses import (LEADING, Clause, ClauseKind, clause_kind, first_verb_end, names_in, predicates_in,
                              reporting_verb_end, split_clauses, subject_of, summarize, words_in)
from timeline.resolve import UNIT_GRANULARITY, calendar, duration_value, shift_date, value_at
from timeline.rules import default_rules
from timeline.sentences import Sentence, sentence_at, split_sentences
from timeline.timexes import tag_text
from timeline.types import Anchor, Direction, Document, Granularity, Interval, Mention, Timex, TimexType

__all__ = ["LEADING", "extract_mentions", "story_day", "StoryDay", "event_offset"]

URL_TOKEN = re.compile(r"(?:https?://|www\.)\S+")
LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+")
# The lead: the sentences in which a day-level date names the day of the story.
STORY_SENTENCES = 3
# How far before publication the story's day may lie: news reports the happenings of the past week.
STORY_WEEK = timedelta(days=7)
# Relation words that name the event they count from right after them ("after the rout"); "later" and
# "earlier" count from the date the narrative is on, which the tagger resolves.
EVENT_SIGNALS = ("after", "before")
# Clauses with no date of their own that the story's day dates, and why: a plan is dated by its telling.
STORY_KINDS = {ClauseKind.PAST: "an undated past event", ClauseKind.ONGOING: "under way",
               ClauseKind.PLAN: "a plan told that day"}
# A superlative or ordinal before "since" makes its date the far end of a comparison ("worst day since 2020").
SUPERLATIVE = re.compile(r"\b(?:[a-z]{2,}est|most|least|first|worst|best|only)\b(?!\s+(?:of|in)\b)", re.I)
COMPARISON_REACH = 80
THAN_BEFORE = re.compile(r"\bthan\s+\S*\s*\S*$")
# Words between a reporting verb and a date that dates what is told rather than the telling ("said on Monday").
TOLD_GAP_WORDS = 3
# Clauses telling a thing already done: its date is no later than the publication.
DONE_KINDS = (ClauseKind.PAST, ClauseKind.BACKGROUND)
RELATIVE = re.compile(r"^\s*(?:which|who|whom|whose)\b", re.I)
# A clause that hangs on another ("before the storm hit", "that prices fell"): it dates or tells the other's
# event, so it is not dated on its own.
DEPENDENT = re.compile(r"^\s*(?:after|before|because|since|when|while|until|as|that|which|who)\b", re.I)
LENGTH = re.compile(r"P(?P<count>\d+)(?P<unit>[DWMY])")
SINCE_BEFORE = re.compile(r"\b(?:since|than)\s+(?:(?:in|on|at|during)\s+)?(?:the\s+)?$", re.I)
# A headline of fewer words is a label, not a told happening; so is a name and a topic ("Acme Motors: layoffs").
TITLE_WORDS = 3
LABEL = re.compile(r"^[^:]+:\s*\S+(?:\s\S+)?$")
# Offsets of a headline's mentions: the headline is not part of the body text they index.
HEADLINE = -1
# Fewer words than this is a label, a menu entry or a fragment, not a told event ("Related Posts").
MIN_CLAUSE_WORDS = 4


@dataclass(frozen=True)
class StoryDay:
    """The day an article's story happened, and where that came from."""

    day: date
    source: str


@dataclass(frozen=True)
class Offset:
    """An amount of time before or after an event the text names ("two days after the rout")."""

    sign: int
    count: int
    unit: str
    event: str


# Timexes that date an event: calendar dates and spans around the anchor. Bare durations ("six days"),
# sets ("every Monday") and timeless references ("now") date nothing.
def dates_an_event(timex: Timex) -> bool:
    if timex.interval is None or timex.anchor is Anchor.UNRESOLVED or timex.type is TimexType.SET:
        return False
    return timex.value != "PRESENT_REF"


def story_day(doc: Document, sentences: list[Sentence], timexes: list[Timex]) -> StoryDay | None:
    """The latest day-level date within the week before publication that the lead names, else the publication
    day: a lead tells the newest development, and an earlier day in it is most often its background ("The bridge,
    which the city closed on Monday, stayed shut. On Wednesday engineers began ...").

    None when the document has no publication date. O(expressions of the lead).
    """
    if doc.published is None:
        return None
    lead_end = sentences[min(STORY_SENTENCES, len(sentences)) - 1].end if sentences else 0
    latest = None
    for timex in timexes:
        if timex.start >= lead_end:
            break
        interval = timex.interval
        if (dates_an_event(timex) and timex.granularity <= Granularity.DAY and interval is not None
                and interval.first == interval.last and week_before(doc.published) <= interval.first <= doc.published
                and (latest is None or interval.first > latest.interval.first)
                and not inside_quote(doc.text, sentences[sentence_at(sentences, timex.start)], timex)):
            latest = timex  # a speaker's "today" is the day of the speech, which the lead names: not a candidate
    if latest is None:
        return StoryDay(doc.published, "publication date")
    return StoryDay(latest.interval.first, f"'{latest.text}' in the lead")


def week_before(day: date) -> date:
    """The start of the week before `day` (the calendar's first day at the most: year 1 has no week before)."""
    return day - STORY_WEEK if day - date.min >= STORY_WEEK else date.min


def story_timex(story: StoryDay, at: int, why: str) -> Timex:
    day = story.day
    anchor = Anchor.PUBLISHED if story.source == "publication date" else Anchor.REFERENCE
    return Timex(at, at, "", TimexType.DATE, day.isoformat(), Interval(day, day), Granularity.DAY, anchor, day,
                 rule=f"story day ({story.source}): {why}")


def event_offset(text: str, timex: Timex) -> Offset | None:
    """The offset a timex states from an event named after it ("two days after the rout", "the day before the
    storm hit"), if it is one: the tagger marks the relation (Timex.offset), the event is the words after it."""
    if timex.offset is None or timex.offset.signal not in EVENT_SIGNALS:
        return None
    length = LENGTH.fullmatch(timex.offset.length)
    event = re.match(rf"^\s*{timex.offset.signal}\s+(?P<event>[^,.;:!?()]{{3,80}})", text[timex.end:timex.end + 120],
                     re.I)
    if length is None or event is None:
        return None  # "a few days after ...": no count to move the event's date by
    sign = 1 if timex.offset.direction is Direction.FUTURE else -1
    return Offset(sign, int(length.group("count")), length.group("unit"), event.group("event").strip())


def finest_of(timexes: list[Timex]) -> list[Timex]:
    """The timexes of one clause, one per interval, less those that only frame a finer one ("fell 24%, the most
    this year, on Monday"). O(k log k) in the k timexes: a sweep by start keeps the least end seen so far."""
    unique = list({t.interval: t for t in reversed(timexes)}.values())[::-1]
    by_start = sorted(unique, key=lambda t: (t.interval.first, t.interval.last), reverse=True)
    framing: set[int] = set()
    least_last = None
    for t in by_start:  # later starts first: any seen so far starts at or after t
        if least_last is not None and least_last <= t.interval.last:
            framing.add(id(t))
        least_last = t.interval.last if least_last is None else min(least_last, t.interval.last)
    return [t for t in unique if id(t) not in framing]


@dataclass
class ClauseReading:
    """What is computed once per clause, whatever the number of its expressions."""

    clause: Clause
    sentence: Sentence
    index: int
    subject: str
    names: frozenset[str]
    words: frozenset[str]
    sentence_names: frozenset[str] = frozenset()
    # The sentence's words, shared by the readings of its clauses and computed at most once (when a clause is
    # told with its whole sentence).
    sentence_cache: dict = field(default_factory=dict)

    def sentence_words(self) -> frozenset[str]:
        if "words" not in self.sentence_cache:
            self.sentence_cache["words"] = words_in(self.sentence.text)
        return self.sentence_cache["words"]


def done_by_publication(timex: Timex, published: date | None) -> Timex:
    """"has filed a lawsuit this week", "was sold this year": a thing done in a period that holds the publication
    day happened by that day; the rest of the period is still to come. The value stays the period's."""
    interval = timex.interval
    if published is None or interval is None or not interval.first <= published < interval.last:
        return timex
    return replace(timex, interval=Interval(interval.first, published))


def told_from(text: str) -> int | None:
    """The offset in a clause from which a date dates what is told rather than the telling: well after the
    clause's reporting verb and past the told clause's own verb ("said the company hid losses in 2019"). A date
    before it dates the telling ("In January, Boeing announced", "said on Monday"), and so does one after a mere
    object ("noted corrosion in 2024"). None without an active reporting verb. One pass over the clause."""
    verb_end = reporting_verb_end(text)
    if verb_end is None:
        return None
    rest = text[verb_end:]
    gap = list(islice(re.finditer(r"\S+", rest), TOLD_GAP_WORDS))
    verb = first_verb_end(rest)
    if len(gap) < TOLD_GAP_WORDS or verb is None:
        return None
    return verb_end + max(gap[-1].start() + 1, verb)


def tells_older_events(own: list[Timex], clause: Clause, text: str, sentence: Sentence, story: StoryDay) -> bool:
    """Whether every date of a report clause dates what it tells (older than the story's week, past `told_from`)
    or sits in its quotation: then the telling itself is undated there."""
    told = told_from(clause.text)
    return all(inside_quote(text, sentence, t) or t.interval.last < week_before(story.day)
               and told is not None and t.start - clause.start >= told for t in own)


def mention_of(doc: Document, reading: ClauseReading, timex: Timex, *, implicit: bool, whole_sentence: bool = False
               ) -> Mention:
    text = reading.sentence.text if whole_sentence else reading.clause.text
    words = reading.sentence_words() if whole_sentence else reading.words
    names = (reading.sentence_names or reading.names) if whole_sentence else reading.names
    return Mention(document=doc.id, sentence=reading.sentence.text, sentence_index=reading.index, clause=text,
                   summary=summarize(text, timex.text, reading.subject), timex=timex,
                   char_start=timex.start, char_end=timex.end, names=names, words=words, implicit=implicit)


def title_mentions(doc: Document, story: StoryDay | None, common: frozenset[str]) -> list[Mention]:
    """The headline as an event: dated by its own time expression, else by the story day (headlines tell the
    story's happening in the present tense: "EADS beats Boeing to tanker deal"). Plans are left undated."""
    title = doc.title.strip()
    if len(title.split()) < TITLE_WORDS or LABEL.match(title) or clause_kind(title) is ClauseKind.PLAN:
        return []
    headline = Clause(0, len(title), title)
    found = [t for t in tag_text(title, doc.published) if dates_an_event(t) and not compares(t, title, headline)]
    sentence = Sentence(0, len(title), title)
    reading = ClauseReading(Clause(0, len(title), title), sentence, -1, subject_of(title), names_in(title, common),
                            words_in(title))
    if found:
        return [replace(mention_of(doc, reading, t, implicit=False), char_start=HEADLINE, char_end=HEADLINE)
                for t in finest_of(found)]
    if story is None:
        return []
    return [replace(mention_of(doc, reading, story_timex(story, 0, "headline"), implicit=True),
                    char_start=HEADLINE, char_end=HEADLINE)]


@dataclass(frozen=True)
class PendingOffset:
    """A clause dated by an offset from an event, waiting for the article's other dates."""

    mention: Mention
    offset: Offset
    done: bool  # the clause tells something that happened (past, reported, under way): it cannot be later than
    # the publication


def resolve_offsets(pending: list[PendingOffset], dated: list[Mention], published: date | None
                    ) -> tuple[list[Mention], list[PendingOffset]]:
    """Mentions whose date is an offset from an event, dated from the mention of that event in the same article
    that shares the most of its words (a predicate class counts as a word); and the offsets left undated (no
    such mention, or a date after publication for something already done)."""
    resolved, failed = [], []
    for item in pending:
        mention, offset = item.mention, item.offset
        words = words_in(offset.event)
        predicates = predicates_in(words)
        best, best_score = None, 0
        for other in dated:
            if other.sentence_index == mention.sentence_index and other.clause == mention.clause:
                continue
            score = len(words & other.words) + len(predicates & predicates_in(other.words))
            if score > best_score:
                best, best_score = other, score
        if best is None:
            failed.append(item)
            continue
        base = best.timex.interval
        try:
            first = shift_date(base.first, offset.unit, offset.sign * offset.count)
        except (OverflowError, ValueError):
            failed.append(item)  # past the calendar's ends (year 1, year 9999): no date to give
            continue
        granularity = max(UNIT_GRANULARITY[offset.unit], best.timex.granularity, Granularity.DAY)
        resolution = calendar(value_at(first, granularity), Anchor.REFERENCE, base.first)
        if resolution.interval is None or (item.done and published is not None
                                           and resolution.interval.first > published):
            failed.append(item)  # "three years after it was due, Boeing has rolled out": not in the future
            continue
        timex = replace(mention.timex, type=TimexType.DATE, value=resolution.value, interval=resolution.interval,
                        granularity=resolution.granularity, anchor=Anchor.REFERENCE, anchor_date=base.first,
                        rule=f"offset {duration_value(offset.count, offset.unit)} "
                             f"{'after' if offset.sign > 0 else 'before'} '{offset.event}'")
        resolved.append(replace(mention, timex=timex))
    return resolved, failed


def without_framing(timexes: list[Timex], text: str) -> list[Timex]:
    """"its worst day since March 2020": a date after "since"/"than" frames a comparison when the clause has
    another date for its event, and is left out. Two framed dates ("has been ill since 2004 and on leave since
    January") date their own states: neither is the other's event. O(dates)."""
    framed = [after_since_or_than(t, text) for t in timexes]
    return timexes if all(framed) else [t for t, f in zip(timexes, framed) if not f]


def after_since_or_than(timex: Timex, text: str) -> bool:
    return bool(SINCE_BEFORE.search(text[max(0, timex.start - 12):timex.start]))


def compares(timex: Timex, text: str, clause: Clause) -> bool:
    """"its biggest fall since September 2022", "the first loss since 2019", "lower than in 2020": the date is the
    other end of a comparison, never the time of the clause's event, with or without another date there."""
    if not after_since_or_than(timex, text):
        return False
    before = text[max(clause.start, timex.start - COMPARISON_REACH):timex.start]
    return bool(THAN_BEFORE.search(before) or SUPERLATIVE.search(before))


# Words that count days from the moment they are said: inside quoted speech, from the day it was said.
SPEECH_DEICTIC_RULES = ("relative_day", "tonight")


def said_on_story_day(timex: Timex, text: str, sentences: list[Sentence], story: StoryDay, published: date) -> Timex:
    """"Today is a great day," he said (on Sunday, in Monday's paper): a today, tomorrow or tonight inside quoted
    speech counts from the day the speech was made, the story day, not from the publication."""
    if timex.rule not in SPEECH_DEICTIC_RULES or timex.anchor is not Anchor.PUBLISHED or timex.interval is None:
        return timex
    sentence = sentences[sentence_at(sentences, timex.start)] if sentences else None
    if sentence is None or not inside_quote(text, sentence, timex):
        return timex
    shift = story.day - published
    day = timex.interval.first + shift
    resolution = calendar(day.isoformat() + timex.value[10:], Anchor.REFERENCE, story.day)
    if resolution.interval is None:
        return timex
    return replace(timex, value=resolution.value, interval=resolution.interval, anchor=Anchor.REFERENCE,
                   anchor_date=story.day, rule=f"{timex.rule}, said on the story day")


def in_span(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    """Whether `offset` falls in one of the sorted, disjoint `spans` (O(log n))."""
    at = bisect_right(starts, offset) - 1
    return at >= 0 and spans[at][0] <= offset < spans[at][1]


class QuoteMarks:
    """Where a text's quotation marks are, so that whether an offset sits inside quoted speech is a lookup
    (O(log n)), not a count over its sentence for every expression."""

    def __init__(self, text: str):
        self.opening = [i for i, c in enumerate(text) if c == "“"]
        self.closing = [i for i, c in enumerate(text) if c == "”"]
        self.straight = [i for i, c in enumerate(text) if c == '"']

    @staticmethod
    def between(marks: list[int], start: int, end: int) -> int:
        return bisect_left(marks, end) - bisect_left(marks, start)

    def inside(self, sentence: Sentence, offset: int) -> bool:
        opened = self.between(self.opening, sentence.start, offset)
        closed = self.between(self.closing, sentence.start, offset)
        return opened > closed or self.between(self.straight, sentence.start, offset) % 2 == 1


@lru_cache(maxsize=8)
def quote_marks(text: str) -> QuoteMarks:
    """The quotation marks of `text`, computed once per text (a document's stages ask for them many times)."""
    return QuoteMarks(text)


def inside_quote(text: str, sentence: Sentence, timex: Timex) -> bool:
    """Whether a timex sits inside quoted speech of its sentence (the speaker's time, not the report's)."""
    return quote_marks(text).inside(sentence, timex.start)


def tells_something(text: str) -> bool:
    """A clause of prose, not a link, a caption or a menu: enough words once links are taken out."""
    if text.rstrip(" \"'”’").endswith("?"):
        return False  # a question tells nothing that happened
    return len(URL_TOKEN.sub(" ", text).split()) >= MIN_CLAUSE_WORDS


def extract_mentions(doc: Document, timexes: list[Timex] | None = None) -> list[Mention]:
    """One mention per clause that a time expression dates, plus the headline and each clause that reports an
    event without one (dated by the story day, `implicit`).

    Relative expressions that could not be resolved (no publication date) are returned too, with
    anchor UNRESOLVED, so the caller can report them.
    """
    rules = default_rules()
    sentences = split_sentences(doc.text, rules.abbreviations)
    if timexes is None:
        timexes = tag_text(doc.text, doc.published, sentences=sentences)
    urls = [m.span() for m in URL_TOKEN.finditer(doc.text)]
    url_starts = [s for s, _ in urls]
    # A date inside a link ("/2025-01-29/") dates the linked page, not an event of this text.
    timexes = [t for t in timexes if not in_span(urls, url_starts, t.start)]
    story = story_day(doc, sentences, timexes)
    if story is not None and story.day != doc.published:
        timexes = [said_on_story_day(t, doc.text, sentences, story, doc.published) for t in timexes]
    offsets = {id(t): o for t in timexes if (o := event_offset(doc.text, t)) is not None}
    starts = [s.start for s in sentences]
    by_sentence: dict[int, list[Timex]] = {}
    for timex in timexes:
        if dates_an_event(timex) or timex.anchor is Anchor.UNRESOLVED or id(timex) in offsets:
            by_sentence.setdefault(sentence_at(sentences, timex.start, starts), []).append(timex)
    common = frozenset(LOWER_WORD.findall(doc.text))
    mentions: list[Mention] = title_mentions(doc, story, common)
    pending: list[PendingOffset] = []
    telling = None
    subject = ""
    for index, sentence in enumerate(sentences):
        clauses = split_clauses(sentence)
        main_subject = subject_of(clauses[0].text) if clauses else ""
        found = sorted(by_sentence.get(index, []), key=lambda t: t.start)
        found_starts = [t.start for t in found]
        whole_sentence = Clause(sentence.start, sentence.end, sentence.text)
        dated_here = [t for t in found if id(t) not in offsets and dates_an_event(t)
                      and not compares(t, doc.text, whole_sentence)]
        told_undated = False
        dated_report = None
        sentence_names = None
        sentence_cache: dict = {}
        for clause in clauses:
            # The clause's expressions by bisection: a sentence of thousands of clauses is no loop over pairs.
            in_clause = found[bisect_left(found_starts, clause.start):bisect_left(found_starts, clause.end)]
            in_clause = [t for t in in_clause if not compares(t, doc.text, clause)]
            if not in_clause and story is None:
                continue
            sentence_names = names_in(sentence.text, common) if sentence_names is None else sentence_names
            names = names_in(clause.text, common) or sentence_names
            clause_subject = subject if clause is clauses[0] else main_subject or subject
            reading = ClauseReading(clause, sentence, index, clause_subject,
                                    names or (frozenset([clause_subject]) if clause_subject else frozenset()),
                                    words_in(clause.text), sentence_names, sentence_cache)
            plain = [t for t in in_clause if id(t) not in offsets]
            plain = without_framing(plain, doc.text)
            kind = clause_kind(clause.text)
            # A dated report ("Sacks said on Tuesday that ...") is told with what it reports.
            # ... and a relative clause ("which Port Alder closed on Monday") with the noun it tells about.
            whole = kind is ClauseKind.REPORT or bool(RELATIVE.match(clause.text))
            own = finest_of([t for t in plain if dates_an_event(t)])
            if kind is ClauseKind.REPORT and len(own) == 1 and own[0].granularity == Granularity.DAY and \
                    doc.published is not None and week_before(doc.published) <= own[0].interval.first <= doc.published:
                dated_report = StoryDay(own[0].interval.first, f"'{own[0].text}' of the report before")
            for timex in own:
                if kind in DONE_KINDS:
                    timex = done_by_publication(timex, doc.published)
                mentions.append(mention_of(doc, reading, timex, implicit=False, whole_sentence=whole))
            if own and story is not None and kind in (ClauseKind.REPORT, ClauseKind.PAST) and all(
                    doc.published is not None and t.interval.first >= doc.published and t.interval.last > doc.published
                    for t in own):
                # "has announced 10,000 job cuts over the next four years": the dates are the plan's; the
                # announcing is the story day's.
                mentions.append(mention_of(doc, reading, story_timex(story, clause.start, "an act about the future"),
                                           implicit=True, whole_sentence=whole))
            elif own and story is not None and kind is ClauseKind.REPORT and tells_older_events(
                    own, clause, doc.text, sentence, story):
                # "The regulator said the company hid losses in 2019", "a statement reads: 'Born 1950 ...'": the
                # dates are the told background's or the quotation's; the telling is the story day's.
                mentions.append(mention_of(doc, reading, story_timex(story, clause.start, "a report of older events"),
                                           implicit=True, whole_sentence=whole))
            for timex in (t for t in plain if t.anchor is Anchor.UNRESOLVED):
                mentions.append(mention_of(doc, reading, timex, implicit=False))
            if not plain:
                for timex in (t for t in in_clause if id(t) in offsets):
                    pending.append(PendingOffset(mention_of(doc, reading, timex, implicit=False), offsets[id(timex)],
                                                 kind in STORY_KINDS and kind is not ClauseKind.PLAN
                                                 or kind is ClauseKind.REPORT))
            # An offset from an event ("one year after launching it") dates that clause only once resolved; the
            # act the clause reports is still the story day's.
            quoted_only = in_clause and all(inside_quote(doc.text, sentence, t) for t in in_clause)
            if ((plain or (in_clause and not (kind is ClauseKind.REPORT and quoted_only))) or story is None
                    or not tells_something(sentence.text if whole else clause.text)
                    or not tells_something(sentence.text)):
                continue
            if kind is ClauseKind.REPORT:
                # The telling is an event of the story's day, whatever date the told clause carries; a run of reports
                # ("Jobs announced on Tuesday that ... He said that ...") goes on with the day the first one names.
                day = telling[1] if telling is not None and telling[0] == index - 1 else story
                if day is not story:
                    telling = (index, day)
                mentions.append(mention_of(doc, reading, story_timex(day, clause.start, "a report"),
                                           implicit=True, whole_sentence=True))
                told_undated = True
            elif kind in STORY_KINDS and not dated_here and not told_undated and (
                    clause is clauses[0] or not DEPENDENT.match(clause.text)):
                mentions.append(mention_of(doc, reading, story_timex(story, clause.start, STORY_KINDS[kind]),
                                           implicit=True))
                told_undated = True
        # "it" and "the stock" most often refer to the subject of the last main clause.
        subject = main_subject or subject
        if dated_report is not None:
            telling = (index, dated_report)
    dated = [m for m in mentions if m.timex.interval is not None and m.timex.anchor is not Anchor.UNRESOLVED]
    resolved, failed = resolve_offsets(pending, dated, doc.published)
    mentions.extend(resolved)
    if story is not None:
        # A clause done by the story's time whose offset found no event to count from is the story day's news.
        mentions.extend(replace(item.mention, timex=story_timex(story, item.mention.timex.start,
                                                                 "an offset from an undated event"),
                                char_start=item.mention.timex.start, char_end=item.mention.timex.start, implicit=True)
                        for item in failed if item.done)
    return mentions
