"""What a reader gets from the web layer without a browser: the chart's opening view and wrapped labels, a
conflict's other dates, the CSV's added columns and source filter, the API's losses, the form's dates and pastes."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from timeline.errors import IngestError
from timeline.export import EVENT_COLUMNS
from timeline.types import Anchor, Event, Granularity, Interval, Mention, Timex, TimexType
from web import create_app
from web.building import form_date, split_pasted
from web.charts import build_figure, initial_range, wrap_words

from conftest import DATA

ANCHOR = date(2025, 1, 29)  # a Wednesday
# The contract: the CSV's first columns as they were before issue 13, in order.
OLD_COLUMNS = ("order", "event_id", "start", "end", "granularity", "value", "summary", "sentence", "phrases",
               "documents", "n_documents", "confidence", "conflict", "edtf", "published_source", "inferred_published")
ARTICLE = {"id": "a1", "title": "Fall", "url": "https://news.example/fall",
           "text": "Nvidia shares tumbled 17% on Monday. They rebounded on Tuesday."}


def event_on(first: date, days: int = 1, name: str = "e") -> Event:
    last = first + timedelta(days=days - 1)
    timex = Timex(0, 1, "x", TimexType.DATE, first.isoformat(), Interval(first, last), Granularity.DAY, Anchor.ABSOLUTE)
    mention = Mention("d", "S.", 0, "c", "s", timex, 0, 1)
    return Event(f"{name}-{first}", (mention,), Interval(first, last), first.isoformat(), Granularity.DAY, "s", "S.", 0.5)


def test_initial_range_ignores_an_outlier_and_a_long_range():
    events = ([event_on(date(1987, 1, 1), 365), event_on(date(2024, 9, 1), 91)]
              + [event_on(ANCHOR - timedelta(days=i % 3), name=str(i)) for i in range(12)])
    low, high = initial_range(tuple(events))
    assert "2025-01-20" <= low <= "2025-01-27" and "2025-01-29" < high <= "2025-02-05"


def test_initial_range_spans_at_least_a_week_and_none_without_events():
    low, high = initial_range((event_on(ANCHOR),))
    assert (date.fromisoformat(high) - date.fromisoformat(low)).days >= 7 and low < "2025-01-29" < high
    assert initial_range(()) is None


WRAPS = [
    ("Nvidia experienced the largest single-day stock decline in history", 30, 2,
     ["Nvidia experienced the largest", "single-day stock decline in…"]),
    ("short", 30, 2, ["short"]),
    ("a b", 1, 3, ["a", "b"]),
]


@pytest.mark.parametrize("text,width,lines,wrapped", WRAPS, ids=["long", "short", "narrow"])
def test_wrap_words_breaks_between_words(text, width, lines, wrapped):
    assert wrap_words(text, width, lines) == wrapped
    assert all(len(line) <= width + 1 for line in wrapped)


def test_chart_draws_every_date_a_conflict_was_told():
    import timeline

    tl = timeline.build_timeline([DATA])
    conflicts = [e for e in tl.events if e.conflict]
    assert conflicts
    figure = build_figure(tl)
    told = [t for t in figure["data"] if t.get("meta") == "told"]
    assert len(told) == 1 and "2025-03-04" in told[0]["x"]
    assert figure["layout"]["xaxis"]["range"][0] > "2024-12-31"  # 1987 and autumn 2024 do not squash March 2025


@pytest.fixture
def client(tmp_path):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite")}).test_client()


def test_csv_adds_columns_after_the_old_ones(client):
    assert EVENT_COLUMNS[:len(OLD_COLUMNS)] == OLD_COLUMNS
    assert EVENT_COLUMNS[len(OLD_COLUMNS):] == ("display_date", "source_titles", "source_urls", "edited")
    created = client.post("/api/timelines", json={"published": "2025-01-29", "articles": [ARTICLE]}).json
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/timelines/{created['id']}/events.csv").text)))
    assert [r["display_date"] for r in rows] == ["Mon 27 Jan 2025", "Tue 28 Jan 2025"]
    assert rows[0]["source_titles"] == "Fall" and rows[0]["source_urls"] == "https://news.example/fall"
    timelinejs = client.get(f"/timelines/{created['id']}/timelinejs.json").json
    assert timelinejs["events"][0]["display_date"] == "Mon 27 Jan 2025"


def test_csv_source_filter_keeps_order_numbers(client):
    other = {"id": "b1", "title": "Other", "text": "The mill closed on Thursday."}
    created = client.post("/api/timelines", json={"published": "2025-01-29", "articles": [ARTICLE, other]}).json
    for path in (f"/api/timelines/{created['id']}/events.csv", f"/timelines/{created['id']}/events.csv"):
        everything = list(csv.DictReader(io.StringIO(client.get(path).text)))
        only = list(csv.DictReader(io.StringIO(client.get(path + "?source=b1").text)))
        assert len(everything) == 3 and len(only) == 1 and only[0]["documents"] == "b1"
        assert only[0]["order"] == next(r["order"] for r in everything if r["documents"] == "b1")
        assert client.get(path + "?source=nope").status_code == 400


def test_api_says_what_was_unresolved_and_skipped(client):
    undated = {"id": "u", "text": "Shares fell on Monday. The board met last week."}
    created = client.post("/api/timelines", json={"articles": [undated]})
    body = created.json
    assert created.status_code == 201 and body["events"] == 0 and body["id"]
    assert {u["phrase"] for u in body["unresolved"]} == {"Monday", "last week"}
    assert all(u["reason"] == "the article has no publication date" for u in body["unresolved"])
    assert body["skipped"] == [] and body["undated_documents"] == ["u"]
    replayed = client.post("/api/timelines", json={"articles": [undated]}, headers={"Idempotency-Key": "k1"})
    again = client.post("/api/timelines", json={"articles": [undated]}, headers={"Idempotency-Key": "k1"})
    assert again.headers["Idempotent-Replayed"] == "true" and again.json["unresolved"] == replayed.json["unresolved"]


def test_page_for_no_events_has_no_chart_and_lists_phrases(client):
    created = client.post("/api/timelines", json={"articles": [{"id": "u", "text": "It fell on Monday."}]}).json
    html = client.get(created["url"]).get_data(as_text=True)
    assert 'id="figure"' not in html and 'id="no-events"' in html
    assert "1 date phrase could not be placed" in html and "this article has no publication date — enter one" in html
    response = client.post(f"/timelines/{created['id']}/rebuild", data={"published": "29 Jan 2025"})
    assert response.status_code == 303
    assert client.get(f"/api/timelines/{created['id']}").json["events"][0]["start"] == "2025-01-27"
    assert client.post(f"/timelines/{created['id']}/rebuild", data={"published": "03/04/2025"}).status_code == 400


FORM_DATES = [("2025-01-29", date(2025, 1, 29)), ("29/01/2025", date(2025, 1, 29)), ("1/29/2025", date(2025, 1, 29)),
              ("Jan 29 2025", date(2025, 1, 29)), ("29 January 2025", date(2025, 1, 29)), ("", None)]


@pytest.mark.parametrize("text,day", FORM_DATES, ids=[t or "empty" for t, _ in FORM_DATES])
def test_form_date_reads_written_dates(text, day):
    assert form_date(text) == day


@pytest.mark.parametrize("text,message", [("01/02/2025", "could be 1 Feb 2025 or 2 Jan 2025"),
                                          ("tomorrow", "not a date"), ("2025-02-30", "not a date")],
                         ids=["ambiguous", "relative", "impossible"])
def test_form_date_refuses_naming_the_problem(text, message):
    with pytest.raises(IngestError, match=message):
        form_date(text)


def test_split_pasted_at_dash_lines():
    assert split_pasted("A.\r\n---\r\nB.\n\n-----\nC.\n---") == ["A.", "B.", "C."]
    assert split_pasted("One - two -- three.") == ["One - two -- three."]


def test_form_error_keeps_what_was_typed(client):
    form = {"title": "Kept <title>", "text": "It closed on Monday.", "published": "01/02/2025"}
    response = client.post("/timelines", data=form, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "could be 1 Feb 2025 or 2 Jan 2025" in html
    assert 'value="Kept &lt;title&gt;"' in html and ">It closed on Monday.</textarea>" in html
    assert 'value="01/02/2025"' in html
