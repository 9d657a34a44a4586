"""Timeline -> what its page shows: rows of the events table with who said what, the articles with their dated
phrases and told sentences marked, and the events as one JSON object the page's script builds rows from."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from markupsafe import Markup, escape

from timeline.display import describe_confidence, describe_published, display_date, format_day, name_document
from timeline.clauses import LEADING, NAME
from timeline.event_words import default_event_words
from timeline.types import Document, Event, Mention, Timeline

NO_ACTOR = "no name"  # the lane of events whose clauses name no one
NOT_ACTOR = default_event_words().not_actor_names


def sentence_anchor(document: str, sentence_index: int) -> str:
    """The id of a told sentence in the article section; a headline's (index -1) is the article's heading."""
    return f"doc-{document}" if sentence_index < 0 else f"said-{document}-{sentence_index}"


def sentence_spans(doc: Document, mentions: list[Mention]) -> dict[int, tuple[int, int]]:
    """sentence_index -> (start, end) in `doc.text` of each body sentence that `mentions` (of `doc`) come from.

    O(text + mentions) per article: sentences are found in their order, each search starting where the previous
    sentence ended (a dated phrase bounds its own sentence's search to the phrase's neighbourhood)."""
    text, spans, cursor = doc.text, {}, 0
    by_index = {m.sentence_index: m for m in mentions if m.sentence_index >= 0 and m.sentence}
    for index in sorted(by_index):
        m = by_index[index]
        if not m.implicit and m.char_start >= 0:
            found = text.find(m.sentence, max(cursor, m.char_end - len(m.sentence)), m.char_start + len(m.sentence))
        else:
            found = text.find(m.sentence, cursor)
        if found >= 0:
            spans[index] = (found, found + len(m.sentence))
            cursor = found + len(m.sentence)  # sentences do not overlap: a later one never starts inside
    return spans


def highlighted(text: str, marks: list[tuple[int, int, str, str]],
                sentences: list[tuple[int, int, str]] = ()) -> Markup:
    """Article text, escaped, with each dated phrase wrapped in a link to its event (its date in the title) and
    each told sentence (start, end, anchor) in a span a table row links to."""
    kept, last = [], 0
    for mark in sorted(marks):
        if mark[0] >= last:
            kept.append(mark)
            last = mark[1]
    starts = [m[0] for m in kept]
    items = [(start, 2, start, end, event_id, shown) for start, end, event_id, shown in kept]
    previous_end = 0
    for start, end, anchor in sorted(sentences):
        start, end = widened(kept, starts, start, end)
        if start < previous_end:
            continue
        items += [(start, 1, anchor), (end, 0)]
        previous_end = end
    pieces, last = [], 0
    for item in sorted(items, key=lambda i: (i[0], i[1])):
        pieces.append(escape(text[last:item[0]]))
        last = item[0]
        if item[1] == 0:
            pieces.append(Markup("</span>"))
        elif item[1] == 1:
            pieces.append(Markup('<span class="sentence" id="{0}">').format(item[2]))
        else:
            _, _, start, end, event_id, shown = item
            pieces.append(Markup('<a class="timex" href="#{0}" data-event="{0}" title="{1}">{2}</a>').format(
                event_id, shown, text[start:end]))
            last = end
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def widened(marks: list[tuple], starts: list[int], start: int, end: int) -> tuple[int, int]:
    """A sentence's edges moved out to the edges of any mark they fall inside, so the tags nest."""
    i = bisect_left(starts, start) - 1
    if i >= 0 and marks[i][0] < start < marks[i][1]:
        start = marks[i][0]
    i = bisect_left(starts, end) - 1
    if i >= 0 and marks[i][0] < end < marks[i][1]:
        end = marks[i][1]
    return start, end


def mentions_by_document(timeline: Timeline) -> dict[str, list[Mention]]:
    found: dict[str, list[Mention]] = {}
    for event in timeline.events:
        for m in event.mentions:
            found.setdefault(m.document, []).append(m)
    return found


def told_sentences(timeline: Timeline) -> dict[str, dict[int, tuple[int, int]]]:
    """Per article, where each sentence a mention comes from lies in its text (see sentence_spans)."""
    mentions = mentions_by_document(timeline)
    return {d.id: sentence_spans(d, mentions.get(d.id, [])) for d in timeline.documents}


def articles_of(timeline: Timeline, spans: dict[str, dict[int, tuple[int, int]]]) -> list[dict]:
    marks: dict[str, list] = {}
    for event in timeline.events:
        for m in event.mentions:
            if not m.implicit and m.char_start >= 0:  # a headline's phrase is not in the body
                shown = display_date(m.timex.value, m.timex.interval, m.timex.granularity)
                marks.setdefault(m.document, []).append((m.char_start, m.char_end, event.id,
                                                         f"{shown} ({m.timex.value})"))
    return [{"doc": d, "name": name_document(d.title, d.text),
             "html": highlighted(d.text, marks.get(d.id, []),
                                 [(start, end, sentence_anchor(d.id, index))
                                  for index, (start, end) in spans.get(d.id, {}).items()]),
             "published": published_of(d)}
            for d in timeline.documents]


def published_of(doc: Document) -> dict:
    """An article's publication date as the page shows it: the day, and where it came from in words."""
    return {"day": format_day(doc.published, weekday=True) if doc.published else "unknown",
            "how": describe_published(doc.published_source), "inferred": doc.published_source.inferred}


def who_said_what(event: Event, documents: dict[str, Document],
                  spans: dict[str, dict[int, tuple[int, int]]]) -> list[dict]:
    """Each article telling `event`: its title, link, own sentences (each with the anchor of its place in the
    article, '' when it was not found there) and phrases, and the date it gave when that is not the date the
    timeline keeps (a conflict shows every date told)."""
    sources = []
    for doc_id in event.documents:
        doc = documents.get(doc_id)
        mentions = [m for m in event.mentions if m.document == doc_id]
        told = [m for m in mentions if not m.implicit and m.timex.interval is not None
                and m.timex.interval != event.interval]
        said: dict[str, str] = {}
        for m in mentions:
            placed = m.sentence_index < 0 or m.sentence_index in spans.get(doc_id, {})
            if not said.get(m.sentence):
                said[m.sentence] = sentence_anchor(doc_id, m.sentence_index) if placed and doc else ""
        sources.append({
            "id": doc_id, "title": name_document(doc.title, doc.text) if doc else doc_id, "url": doc.url if doc else "",
            "sentences": list(said), "said": [{"sentence": s, "anchor": a} for s, a in said.items()],
            "phrases": list(dict.fromkeys(m.timex.text for m in mentions if not m.implicit)),
            "told": list(dict.fromkeys(display_date(m.timex.value, m.timex.interval, m.timex.granularity)
                                       for m in told))})
    return sources


# A capitalised word alone that names no one: a sentence's first word or a part of a longer name.
GENERIC_ACTORS = frozenset("""county city state bridge work works council court police board government
    department ministry agency office committee authority company group street road river park school
    hospital university centre center north south east west new the officials""".split())


def whole_names(m: Mention, common: frozenset[str]) -> set[str]:
    """The whole names (all their words, as the sentence writes them) of the names `m`'s clause holds; a single
    word is kept only when it is no generic word and the articles never write it in lower case."""
    names = {n for n in m.names if not n.startswith(LEADING)}
    found = set()
    for match in NAME.finditer(m.sentence):
        parts = [re.sub(r"['’]s$", "", part).strip(".") for part in re.split(r"\s(?:of\s)?", match.group())]
        parts = [w for w in parts if len(w) > 1 and w.lower() not in NOT_ACTOR and not w.isdigit()]
        if parts and parts[-1] in names:
            found.add(" ".join(parts))
    found |= {n for n in names if not any(f.split()[-1] == n for f in found)}
    return {f for f in found if " " in f or (f.lower() not in common and f.lower() not in GENERIC_ACTORS)}


def actor_of(event: Event, common: frozenset[str] = frozenset()) -> str:
    """The event's main name, its lane 'by actor': the whole name (see whole_names) most of its clauses hold, a
    surname alone counting for the longer name it ends; ties go to the longer name, then the one its summary says
    first, then alphabetically; NO_ACTOR when they name no one."""
    counts = Counter(name for m in event.mentions for name in whole_names(m, common))
    if not counts:
        return NO_ACTOR
    for name in [n for n in counts if " " not in n]:
        longer = [n for n in counts if " " in n and n.split()[-1] == name]
        if longer:
            counts[max(longer, key=lambda n: (counts[n], len(n)))] += counts.pop(name)
    summary = event.summary

    def rank(name: str) -> tuple:
        at = summary.find(name)
        return (-counts[name], -len(name.split()), at if at >= 0 else len(summary), name)

    return min(counts, key=rank)


def lower_case_words(timeline: Timeline) -> frozenset[str]:
    """The words the timeline's articles write in lower case somewhere ("work", "bridge")."""
    return frozenset(w for d in timeline.documents for w in re.findall(r"\b[a-z][a-z'’-]+\b", d.text))


def actors_of(timeline: Timeline) -> list[str]:
    """Each event's actor, a surname alone ("Ruiz") given as the whole name the timeline's other events use
    ("Mayor Elena Ruiz"), the most used one when several end in it."""
    common = lower_case_words(timeline)
    actors = [actor_of(e, common) for e in timeline.events]
    whole = Counter(a for a in actors if " " in a)
    for i, actor in enumerate(actors):
        longer = [n for n in whole if n.split()[-1] == actor]
        if actor != NO_ACTOR and " " not in actor and longer:
            actors[i] = max(longer, key=lambda n: (whole[n], len(n)))
    return actors


def event_views(timeline: Timeline, spans: dict[str, dict[int, tuple[int, int]]]) -> list[dict]:
    documents = {d.id: d for d in timeline.documents}
    actors = actors_of(timeline)
    return [{"order": i, "event": e, "date": display_date(e.value, e.interval, e.granularity),
             "confidence": describe_confidence(e.confidence), "sources": who_said_what(e, documents, spans),
             "edited": e.id in timeline.edited, "actor": actor}
            for (i, e), actor in zip(enumerate(timeline.events, start=1), actors)]


def page_events(timeline: Timeline, views: list[dict], link_of) -> dict:
    """The events once, as the page's script reads them (web/static/timeline.js builds table rows, filters and
    lanes from it): {"documents": [[id, name, url]], "fields": [...], "events": [[...], ...]}, each event a list
    in the order of "fields" (lists rather than objects: 5,000 events repeat no key). A source is
    [document index, phrases, dates told, [[sentence, anchor], ...]]; `link_of` keeps an http(s) url, else ''."""
    index = {d.id: i for i, d in enumerate(timeline.documents)}
    documents = [[d.id, name_document(d.title, d.text), link_of(d.url)] for d in timeline.documents]
    for doc_id in {s["id"] for v in views for s in v["sources"] if s["id"] not in index}:
        index[doc_id] = len(documents)  # an event told by an article the timeline no longer holds
        documents.append([doc_id, doc_id, ""])
    events = []
    for v in views:
        e = v["event"]
        events.append([e.id, v["order"], e.interval.first.isoformat(), e.interval.last.isoformat(), e.value,
                       v["date"], e.summary, v["confidence"], str(e.confidence), e.conflict, int(v["edited"]),
                       v["actor"],
                       [[index[s["id"]], s["phrases"], s["told"], [[x["sentence"], x["anchor"]] for x in s["said"]]]
                        for s in v["sources"]]])
    return {"documents": documents, "fields": list(PAGE_FIELDS), "events": events}


PAGE_FIELDS = ("id", "order", "first", "last", "value", "date", "summary", "confidence", "score", "conflict",
               "edited", "actor", "sources")


def unplaced(timeline: Timeline) -> list[dict]:
    """Date phrases that could not be placed, by article, saying why where the article has no date."""
    documents = {d.id: d for d in timeline.documents}
    groups: dict[str, list] = {}
    for m in timeline.unresolved:
        groups.setdefault(m.document, []).append(m)
    return [{"doc": documents.get(doc_id), "id": doc_id,
             "name": name_document(documents[doc_id].title, documents[doc_id].text) if doc_id in documents else doc_id,
             "undated": documents.get(doc_id) is None or documents[doc_id].published is None,
             "phrases": [{"phrase": m.timex.text, "sentence": m.sentence} for m in mentions]}
            for doc_id, mentions in groups.items()]
