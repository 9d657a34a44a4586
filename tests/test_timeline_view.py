"""What the timeline page shows: told sentences found and anchored in their articles, marks nested in them,
each event's main name, the events' JSON, and the page's weight for thousands of events."""
from __future__ import annotations

import json
from datetime import date

import pytest

from timeline.types import (Anchor, Document, Event, Granularity, Interval, Mention, PublishedSource, Timeline,
                            Timex, TimexType)
from web import create_app
from web.timeline_view import (NO_ACTOR, PAGE_FIELDS, actor_of, event_views, highlighted, page_events,
                               sentence_spans, told_sentences)

DAY = date(2025, 1, 27)  # a Monday


def mention(doc: Document, sentence: str, index: int, phrase: str | None = None, names=(), implicit=False,
            occurrence: int = 0) -> Mention:
    """A mention of `doc`'s sentence (the `occurrence`-th with that text), dated by `phrase` when given."""
    at = -1
    for _ in range(occurrence + 1):
        at = doc.text.index(sentence, at + 1)
    start = at + sentence.index(phrase) if phrase else at
    end = start + len(phrase) if phrase else at
    timex = Timex(start, end, phrase or "", TimexType.DATE, DAY.isoformat(), Interval(DAY, DAY), Granularity.DAY,
                  Anchor.ABSOLUTE)
    return Mention(doc.id, sentence, index, sentence, sentence, timex, start, end, names=frozenset(names),
                   implicit=implicit)


def document(text: str, doc_id: str = "a") -> Document:
    return Document(id=doc_id, text=text, published=DAY, published_source=PublishedSource.HEADER)


def test_sentence_spans_find_each_told_sentence_in_order():
    # The second sentence is the end of the first (a scraped headline repeated): it is found after it.
    doc = document("Home News Shares fell on Monday\n\nShares fell on Monday\n\n"
                   "They rose on Tuesday. Shares fell on Monday")
    spans = sentence_spans(doc, [mention(doc, "Home News Shares fell on Monday", 0, implicit=True),
                                 mention(doc, "Shares fell on Monday", 1, "Monday", occurrence=1),
                                 mention(doc, "Shares fell on Monday", 3, implicit=True, occurrence=2)])
    assert {i: doc.text[a:b] for i, (a, b) in spans.items()} == {
        0: "Home News Shares fell on Monday", 1: "Shares fell on Monday", 3: "Shares fell on Monday"}
    assert spans[0][0] < spans[1][0] < spans[3][0]


def test_sentence_spans_leave_out_a_sentence_not_in_the_text():
    doc = document("Shares fell on Monday.")
    told = mention(doc, "Shares fell on Monday.", 0, "Monday")
    elsewhere = Mention("a", "A sentence from elsewhere.", 0, "", "", told.timex, 0, 0, implicit=True)
    assert sentence_spans(doc, [elsewhere]) == {}


def test_highlighted_nests_marks_in_sentences_and_escapes_text():
    text = "Intro <b>. Shares & bonds fell on Monday. Then more."
    start = text.index("Shares")
    marks = [(text.index("Monday"), text.index("Monday") + 6, "ev-1", 'Mon 27 Jan 2025 "x"')]
    html = str(highlighted(text, marks, [(start, text.index(" Then"), "said-a-1")]))
    assert html == ('Intro &lt;b&gt;. <span class="sentence" id="said-a-1">Shares &amp; bonds fell on '
                    '<a class="timex" href="#ev-1" data-event="ev-1" title="Mon 27 Jan 2025 &#34;x&#34;">Monday</a>.'
                    '</span> Then more.')


def test_highlighted_moves_a_sentence_edge_out_of_a_mark():
    text = "It fell last week. It rose."
    marks = [(8, 17, "ev-1", "week")]  # "last week"
    html = str(highlighted(text, marks, [(0, 12, "said-a-0")]))  # a sentence end cutting the mark
    assert html == ('<span class="sentence" id="said-a-0">It fell <a class="timex" href="#ev-1" data-event="ev-1" '
                    'title="week">last week</a></span>. It rose.')


@pytest.mark.parametrize("names, summary, expected", [
    ([{"Nvidia"}, {"Nvidia", "DeepSeek"}], "DeepSeek rattled Nvidia", "Nvidia"),  # the name most clauses hold
    ([{"Nvidia", "DeepSeek"}], "DeepSeek rattled Nvidia", "DeepSeek"),  # a tie: the one said first
    ([{"Zeta", "Alpha"}], "Shares fell", "Alpha"),  # neither said: alphabetical
    ([set()], "Shares fell", NO_ACTOR),
], ids=["most-told", "tie-first-said", "tie-alphabetical", "no-name"])
def test_actor_of_picks_the_main_name(names, summary, expected):
    doc = document("Shares fell on Monday.")
    mentions = tuple(mention(doc, "Shares fell on Monday.", 0, "Monday", names=n) for n in names)
    event = Event("ev-1", mentions, Interval(DAY, DAY), DAY.isoformat(), Granularity.DAY, summary, "", 0.5)
    assert actor_of(event) == expected


def test_page_events_hold_each_event_once_with_its_anchored_sentences():
    doc = Document(id="a", title="Paper <one>", url="javascript:alert(1)", text="Shares fell on Monday. More.",
                   published=DAY, published_source=PublishedSource.HEADER)
    m = mention(doc, "Shares fell on Monday.", 0, "Monday", names={"Shares"})
    event = Event("ev-1", (m,), Interval(DAY, DAY), DAY.isoformat(), Granularity.DAY, "Shares fell", m.sentence, 0.8)
    timeline = Timeline(events=(event,), documents=(doc,), edited=frozenset({"ev-1"}))
    views = event_views(timeline, told_sentences(timeline))
    data = page_events(timeline, views, lambda url: url if url.startswith("http") else "")
    assert data["fields"] == list(PAGE_FIELDS) and data["documents"] == [["a", "Paper <one>", ""]]
    row = dict(zip(data["fields"], data["events"][0]))
    assert row == {"id": "ev-1", "order": 1, "first": "2025-01-27", "last": "2025-01-27", "value": "2025-01-27",
                   "date": "Mon 27 Jan 2025", "summary": "Shares fell", "confidence": "high", "score": "0.8",
                   "conflict": "", "edited": 1, "actor": "Shares",
                   "sources": [[0, ["Monday"], [], [["Shares fell on Monday.", "said-a-0"]]]]}


# The page's weight per event, measured on bench/page.py's synthetic events (short texts, one in five a range,
# one in twenty a conflict): 2,000 events weighed 779 kB here (389 bytes an event) once the table's rows came
# from the events' JSON; before, 4.1 MB for 5,000 (820 bytes an event). The budget leaves 10% for growth.
BUDGET_BYTES_PER_EVENT = 430


@pytest.mark.parametrize("events", [2000])
def test_timeline_page_weight_stays_within_its_budget(tmp_path, events):
    from bench.page import synthetic_timeline
    from timeline.store import Store

    Store(tmp_path / "t.sqlite").save(synthetic_timeline(events), "big")
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite")})
    page = app.test_client().get("/timelines/big").get_data()
    assert len(page) <= BUDGET_BYTES_PER_EVENT * events, f"{len(page)} bytes for {events} events"
    # Each event travels once in the events' JSON, and as HTML only in the first PAGE_ROWS rows.
    data = json.loads(page.decode().split('id="page-events">', 1)[1].split("</script>", 1)[0])
    assert len(data["events"]) == events
    assert page.count(b'<tr id="') == app.config["PAGE_ROWS"] < events


def test_actors_are_whole_names_and_a_surname_joins_its_whole_name():
    from timeline.clauses import names_in

    text = ("Mayor Elena Ruiz opened the bridge on Monday. Ruiz praised the work on Monday. "
            "County officials said Work began on Monday.")
    doc = document(text)
    sentences = text.split(". ")
    events = []
    for i, sentence in enumerate(sentences):
        sentence = sentence.rstrip(".") + "."
        m = mention(doc, sentence, i, "Monday", names=set(names_in(sentence)))
        events.append(Event(f"ev-{i}", (m,), Interval(DAY, DAY), DAY.isoformat(), Granularity.DAY, sentence, "", 0.5))
    timeline = Timeline(events=tuple(events), documents=(doc,))
    actors = [v["actor"] for v in event_views(timeline, told_sentences(timeline))]
    assert actors[0] == actors[1] == "Mayor Elena Ruiz"
    assert actors[2] == NO_ACTOR  # "County", "Work": generic words alone are no one
