"""Filters: query parameters read (and refused, naming the parameter), each condition kept by the events CSV and
the API, numbers kept as in the whole timeline."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

import timeline as tl_module
from timeline.display import describe_confidence
from timeline.export import events_csv
from timeline.filters import EventFilter, FilterError, filter_events, read_filter
from web import create_app

from conftest import DATA


@pytest.fixture(scope="module")
def built():
    return tl_module.build_timeline([DATA])  # the Harbor Bridge sample: 21 events, 1987 to April 2025


def csv_ids(text: str) -> list[str]:
    return [r["event_id"] for r in csv.DictReader(io.StringIO(text))]


FILTERS = [
    ({"from": "2025-03-05", "to": "2025-03-07"},
     lambda e: e.interval.last >= date(2025, 3, 5) and e.interval.first <= date(2025, 3, 7)),
    ({"from": "2025-04-01"}, lambda e: e.interval.last >= date(2025, 4, 1)),
    ({"confidence": "low"}, lambda e: describe_confidence(e.confidence) == "low"),
    ({"confidence": "high,medium"}, lambda e: describe_confidence(e.confidence) != "low"),
    ({"conflicts": "1"}, lambda e: bool(e.conflict)),
    ({"q": "VANTOR"}, lambda e: "vantor" in (e.summary + " ".join(m.sentence for m in e.mentions)).lower()),
    ({"q": "went wrong"}, lambda e: "2025-03-12-gazette-assessment" in e.documents),  # its title
    ({"conflicts": "1", "q": "engineers", "confidence": "low", "from": "2025-03-01"}, lambda e: bool(e.conflict)),
]


@pytest.mark.parametrize("query,expected", FILTERS,
                         ids=["range", "from", "low", "two-levels", "conflicts", "text", "title", "combined"])
def test_read_filter_keeps_what_each_condition_says(built, query, expected):
    keep = read_filter(query, built, [query["confidence"]] if "confidence" in query else None)
    kept = [e.id for _, e in filter_events(built, keep)]
    assert kept == [e.id for e in built.events if expected(e)]
    assert 0 < len(kept) < len(built.events)  # each case narrows the sample, and keeps something
    assert csv_ids(events_csv(built, keep=keep)) == kept


def test_filtered_rows_keep_their_numbers(built):
    keep = read_filter({"conflicts": "1"}, built)
    rows = list(csv.DictReader(io.StringIO(events_csv(built, keep=keep))))
    order = [i for i, e in enumerate(built.events, start=1) if e.conflict]
    assert [int(r["order"]) for r in rows] == order and order != list(range(1, len(order) + 1))


BAD = [({"source": "nope"}, "source", "no article"), ({"from": "2025-3-5"}, "from", "YYYY-MM-DD"),
       ({"from": "2025-03-07", "to": "2025-03-05"}, "to", "before"), ({"confidence": "sure"}, "confidence", "unknown"),
       ({"conflicts": "maybe"}, "conflicts", "1 or 0"), ({"q": "x" * 501}, "q", "longer than")]


@pytest.mark.parametrize("query,path,message", BAD, ids=["source", "day", "order", "level", "conflicts", "long"])
def test_read_filter_refuses_naming_the_parameter(built, query, path, message):
    with pytest.raises(FilterError, match=message) as caught:
        read_filter(query, built)
    assert caught.value.path == path


def test_absent_parameters_keep_everything_and_empty_ones_are_refused(built):
    keep = read_filter({"source": "", "conflicts": "0", "q": "  "}, built)
    assert keep == EventFilter() and not keep.active and len(filter_events(built, keep)) == len(built.events)
    for name in ("from", "to", "confidence", "conflicts"):
        with pytest.raises(FilterError, match="empty"):
            read_filter({name: ""}, built)


def test_api_and_page_csv_take_the_filters(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite")})
    client = app.test_client()
    articles = [{"id": p.stem, "text": p.read_text()} for p in sorted(DATA.glob("*.txt"))]
    timeline_id = client.post("/api/timelines", json={"articles": articles}).json["id"]
    everything = csv_ids(client.get(f"/api/timelines/{timeline_id}/events.csv").text)
    query = "from=2025-03-05&to=2025-03-07&confidence=low&confidence=medium&q=council"
    api = csv_ids(client.get(f"/api/timelines/{timeline_id}/events.csv?{query}").text)
    page = client.get(f"/timelines/{timeline_id}/events.csv?{query}")
    assert api == csv_ids(page.get_data(as_text=True)) and 0 < len(api) < len(everything)
    assert "filtered" in page.headers["Content-Disposition"]
    bad = client.get(f"/api/timelines/{timeline_id}/events.csv?conflicts=maybe")
    assert bad.status_code == 400 and "conflicts" in bad.json["error"]
    assert client.get(f"/timelines/{timeline_id}/events.csv?from=soon").status_code == 400
