"""Curation: a person's edits (delete, re-date, re-word, rename) stored, applied on load, exported, undone."""
from __future__ import annotations

import csv
from collections import Counter
import io

import pytest

import timeline as tl_module
from timeline.curation import EditError, check_edit
from timeline.export import events_csv
from timeline.store import Store
from web import create_app

from conftest import DATA

ARTICLE = {"id": "a1", "title": "Fall", "text": "Nvidia shares tumbled 17% on Monday. They rebounded on Tuesday."}


@pytest.fixture
def stored(tmp_path):
    store = Store(tmp_path / "t.sqlite")
    built = tl_module.build_timeline([DATA])
    return store, store.save(built), built


def test_edits_apply_on_load_and_reach_the_csv(stored):
    store, timeline_id, built = stored
    target, doomed = built.events[5], built.events[0]
    store.edit(timeline_id, "reword", target.id, {"summary": "Engineers closed the bridge"})
    store.edit(timeline_id, "redate", target.id, {"start": "2025-05-01", "end": "2025-05-03"})
    store.edit(timeline_id, "delete", doomed.id)
    store.edit(timeline_id, "rename", "", {"title": "Bridge (checked)"})
    edited = store.load(timeline_id)
    assert edited.title == "Bridge (checked)" and store.info(timeline_id).title == "Bridge (checked)"
    assert len(edited.events) == len(built.events) - 1 and doomed.id not in {e.id for e in edited.events}
    assert store.info(timeline_id).n_events == len(built.events) - 1
    moved = next(e for e in edited.events if e.id == target.id)
    assert moved.summary == "Engineers closed the bridge" and moved.value == "2025-05-01/2025-05-03"
    assert edited.events[-1].id == target.id  # May 2025 is after every other event: it moved to its place
    rows = {r["event_id"]: r for r in csv.DictReader(io.StringIO(events_csv(edited)))}
    assert rows[target.id]["edited"] == "True" and rows[target.id]["display_date"] == "1–3 May 2025"
    assert rows[target.id]["start"] == "2025-05-01" and rows[target.id]["end"] == "2025-05-03"
    assert sum(r["edited"] == "True" for r in rows.values()) == 1


def test_undo_restores_the_built_timeline(stored):
    store, timeline_id, built = stored
    store.edit(timeline_id, "rename", "", {"title": "First"})
    store.edit(timeline_id, "delete", built.events[0].id)
    store.edit(timeline_id, "rename", "", {"title": "Second"})
    assert store.undo(timeline_id).action == "rename" and store.load(timeline_id).title == "First"
    assert store.undo(timeline_id).action == "delete"
    assert store.undo(timeline_id).action == "rename" and store.undo(timeline_id) is None
    restored = store.load(timeline_id)
    assert restored.events == built.events and restored.title == built.title and not restored.edited
    assert [e.undone for e in store.edits(timeline_id)] == [True, True, True]
    store.edit(timeline_id, "reword", built.events[1].id, {"summary": "New"})  # a new edit drops undone ones
    assert [e.action for e in store.edits(timeline_id)] == ["reword"]


BAD_EDITS = [("explode", "", {}, "unknown edit"), ("delete", "nope", {}, "no event"),
             ("reword", "FIRST", {"summary": "  "}, "non-empty"),
             ("redate", "FIRST", {"start": "2025-02-30"}, "YYYY-MM-DD"),
             ("redate", "FIRST", {"start": "2025-03-02", "end": "2025-03-01"}, "before the start"),
             ("rename", "", {"title": 5}, "non-empty")]


@pytest.mark.parametrize("action,event_id,fields,message", BAD_EDITS,
                         ids=["action", "event", "blank", "date", "order", "title"])
def test_check_edit_refuses_naming_the_problem(stored, action, event_id, fields, message):
    built = stored[2]
    with pytest.raises(EditError, match=message):
        check_edit(built, action, built.events[0].id if event_id == "FIRST" else event_id, fields)


@pytest.fixture
def client(tmp_path):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite")}).test_client()


def test_api_edit_routes_round_trip(client):
    timeline_id = client.post("/api/timelines", json={"published": "2025-01-29", "articles": [ARTICLE]}).json["id"]
    events = client.get(f"/api/timelines/{timeline_id}").json["events"]
    first, second = events[0]["event_id"], events[1]["event_id"]
    changed = client.patch(f"/api/timelines/{timeline_id}/events/{first}", json={"summary": "Shares fell",
                                                                                    "start": "2025-01-26"})
    assert changed.status_code == 200 and changed.json["summary"] == "Shares fell"
    assert changed.json["start"] == "2025-01-26" and changed.json["edited"] is True
    assert client.delete(f"/api/timelines/{timeline_id}/events/{second}").status_code == 204
    assert client.patch(f"/api/timelines/{timeline_id}", json={"title": "Renamed"}).json["title"] == "Renamed"
    body = client.get(f"/api/timelines/{timeline_id}").json
    assert body["title"] == "Renamed" and [e["event_id"] for e in body["events"]] == [first]
    assert [e["action"] for e in client.get(f"/api/timelines/{timeline_id}/edits").json["edits"]] == [
        "reword", "redate", "delete", "rename"]
    for _ in range(4):
        assert client.post(f"/api/timelines/{timeline_id}/edits/undo").status_code == 200
    assert client.post(f"/api/timelines/{timeline_id}/edits/undo").status_code == 409
    assert [e["summary"] for e in client.get(f"/api/timelines/{timeline_id}").json["events"]] == [
        e["summary"] for e in events]


def test_api_edit_errors_are_json(client):
    timeline_id = client.post("/api/timelines", json={"published": "2025-01-29", "articles": [ARTICLE]}).json["id"]
    event_id = client.get(f"/api/timelines/{timeline_id}").json["events"][0]["event_id"]
    cases = [(client.patch(f"/api/timelines/{timeline_id}/events/nope", json={"summary": "x"}), 404),
             (client.patch(f"/api/timelines/{timeline_id}/events/{event_id}", json={"start": "tomorrow"}), 400),
             (client.patch(f"/api/timelines/{timeline_id}/events/{event_id}", json={}), 400),
             (client.patch(f"/api/timelines/{timeline_id}", json={"title": ""}), 400),
             (client.patch("/api/timelines/none", json={"title": "x"}), 404),
             (client.delete(f"/api/timelines/{timeline_id}/events/nope"), 404)]
    for response, status in cases:
        assert response.status_code == status and set(response.json) == {"error"}
    assert client.get(f"/api/timelines/{timeline_id}/edits").json["edits"] == []  # nothing half-stored


def test_page_edit_forms_change_and_undo(client):
    timeline_id = client.post("/api/timelines", json={"published": "2025-01-29", "articles": [ARTICLE]}).json["id"]
    event_id = client.get(f"/api/timelines/{timeline_id}").json["events"][0]["event_id"]
    response = client.post(f"/timelines/{timeline_id}/edit", data={"action": "reword", "event_id": event_id,
                                                                  "summary": "Shares <b>fell</b>"})
    assert response.status_code == 303
    html = client.get(f"/timelines/{timeline_id}").get_data(as_text=True)
    assert "Shares &lt;b&gt;fell&lt;/b&gt;" in html and 'class="edited"' in html and 'id="history"' in html
    bad = client.post(f"/timelines/{timeline_id}/edit", data={"action": "redate", "event_id": event_id,
                                                             "start": "2025-13-01"})
    assert bad.status_code == 400 and "Could not change the event" in bad.get_data(as_text=True)
    assert client.post(f"/timelines/{timeline_id}/undo").status_code == 303
    html = client.get(f"/timelines/{timeline_id}").get_data(as_text=True)
    assert 'class="edited"' not in html and "(undone)</li>" in html  # the history keeps it, marked
    assert client.get(f"/api/timelines/{timeline_id}").json["events"][0]["summary"] != "Shares <b>fell</b>"
    assert client.post(f"/timelines/{timeline_id}/rename", data={"title": "New name"}).status_code == 303
    assert client.get("/api/timelines").json["timelines"][0]["title"] == "New name"
    assert client.post(f"/timelines/{timeline_id}/delete").status_code == 303
    assert client.get(f"/api/timelines/{timeline_id}").status_code == 404


TWO = [{"id": "a", "title": "Wire", "text": "Nvidia shares tumbled 17% on Monday. They rebounded on Tuesday."},
       {"id": "b", "title": "Paper", "text": "Nvidia stock fell sharply on Monday, analysts said."}]


def test_merge_joins_mentions_and_settles_the_date(stored):
    store, timeline_id, built = stored
    # Two events on different days, told by different articles: merged, one date wins and the other is a conflict.
    first = built.events[0]
    other = next(e for e in built.events
                 if e.interval.first > first.interval.last and set(e.documents) != set(first.documents))
    store.edit(timeline_id, "merge", first.id, {"events": [other.id]})
    edited = store.load(timeline_id)
    merged = next(e for e in edited.events if e.id == first.id)
    assert other.id not in {e.id for e in edited.events} and len(edited.events) == len(built.events) - 1
    assert set(merged.mentions) == set(first.mentions) | set(other.mentions)
    assert set(merged.documents) == set(first.documents) | set(other.documents)
    assert merged.interval in {m.timex.interval for m in merged.mentions}  # a date one of them told
    assert merged.conflict  # the two days disagree, and the event says so
    assert store.info(timeline_id).n_events == len(built.events) - 1
    rows = list(csv.DictReader(io.StringIO(events_csv(edited))))
    assert len(rows) == len(built.events) - 1
    row = next(r for r in rows if r["event_id"] == first.id)
    assert row["edited"] == "True" and int(row["n_documents"]) == len(merged.documents)
    store.undo(timeline_id)
    assert store.load(timeline_id).events == built.events and store.info(timeline_id).n_events == len(built.events)


def test_split_moves_an_articles_mentions_into_a_new_event(stored):
    store, timeline_id, built = stored
    told = next(e for e in built.events if len(e.documents) >= 2)
    gone = told.documents[-1]
    store.edit(timeline_id, "split", told.id, {"documents": [gone]})
    edited = store.load(timeline_id)
    left = next(e for e in edited.events if e.id == told.id)
    new = next(e for e in edited.events if e.id not in {b.id for b in built.events})
    assert gone not in left.documents and new.documents == [gone]
    assert Counter(left.mentions + new.mentions) == Counter(told.mentions)
    assert new.summary in {m.summary for m in new.mentions} and {left.id, new.id} <= edited.edited
    assert len(edited.events) == len(built.events) + 1 == store.info(timeline_id).n_events
    rows = {r["event_id"]: r for r in csv.DictReader(io.StringIO(events_csv(edited)))}
    assert rows[new.id]["documents"] == gone and gone not in rows[told.id]["documents"].split(";")
    # The split event can be merged back: the same mentions, the same date.
    store.edit(timeline_id, "merge", told.id, {"events": [new.id]})
    back = next(e for e in store.load(timeline_id).events if e.id == told.id)
    assert set(back.mentions) == set(told.mentions) and back.interval == told.interval
    store.undo(timeline_id)
    store.undo(timeline_id)
    assert store.load(timeline_id).events == built.events


SPLIT_MERGE_ERRORS = [("merge", {"events": []}, "at least one other"), ("merge", {"events": ["nope"]}, "no event"),
                      ("merge", {"events": "x"}, "list of event ids"), ("merge", {"events": ["FIRST"]}, "at least one"),
                      ("split", {}, "send 'documents'"), ("split", {"mentions": [99]}, "no mention 99"),
                      ("split", {"documents": ["nope"]}, "does not tell"),
                      ("split", {"mentions": "ALL"}, "not none or all"), ("split", {"mentions": [True]}, "whole numbers")]


@pytest.mark.parametrize("action,fields,message", SPLIT_MERGE_ERRORS,
                         ids=["merge-none", "merge-unknown", "merge-type", "merge-self", "split-nothing",
                              "split-place", "split-document", "split-all", "split-bool"])
def test_check_merge_and_split_refuse_naming_the_problem(stored, action, fields, message):
    built = stored[2]
    event = next(e for e in built.events if len(e.mentions) >= 2)
    if fields.get("mentions") == "ALL":
        fields = {"mentions": list(range(len(event.mentions)))}
    if fields.get("events") == ["FIRST"]:
        fields = {"events": [event.id]}
    with pytest.raises(EditError, match=message):
        check_edit(built, action, event.id, fields)


def test_api_merge_and_split_round_trip(client):
    timeline_id = client.post("/api/timelines", json={"published": "2025-01-29", "articles": TWO}).json["id"]
    events = client.get(f"/api/timelines/{timeline_id}").json["events"]
    fall, rebound = events[0]["event_id"], events[1]["event_id"]
    assert events[0]["documents"] == ["a", "b"]
    split = client.post(f"/api/timelines/{timeline_id}/events/{fall}/split", json={"documents": ["b"]})
    assert split.status_code == 200 and split.json["event"]["documents"] == ["a"]
    new = split.json["new_event"]
    assert new["documents"] == ["b"] and new["start"] == "2025-01-27" and new["edited"] is True
    merged = client.post(f"/api/timelines/{timeline_id}/merge", json={"events": [fall, rebound, new["event_id"]]})
    assert merged.status_code == 200 and merged.json["event_id"] == fall
    assert merged.json["documents"] == ["a", "b"] and merged.json["start"] == "2025-01-27"  # told twice of three
    assert "2025-01-28" in merged.json["conflict"]
    assert [e["event_id"] for e in client.get(f"/api/timelines/{timeline_id}").json["events"]] == [fall]
    rows = list(csv.DictReader(io.StringIO(client.get(f"/api/timelines/{timeline_id}/events.csv").text)))
    assert [r["event_id"] for r in rows] == [fall] and rows[0]["phrases"] == "Monday; Tuesday"
    assert [e["action"] for e in client.get(f"/api/timelines/{timeline_id}/edits").json["edits"]] == ["split", "merge"]
    assert client.get("/api/timelines").json["timelines"][0]["events"] == 1
    client.post(f"/api/timelines/{timeline_id}/edits/undo")
    client.post(f"/api/timelines/{timeline_id}/edits/undo")
    assert client.get(f"/api/timelines/{timeline_id}").json["events"] == events
    for response, status in (
            (client.post(f"/api/timelines/{timeline_id}/merge", json={"events": [fall]}), 400),
            (client.post(f"/api/timelines/{timeline_id}/merge", json={"events": "x"}), 400),
            (client.post(f"/api/timelines/{timeline_id}/events/nope/split", json={"documents": ["a"]}), 404),
            (client.post(f"/api/timelines/{timeline_id}/events/{fall}/split", json={"documents": ["a", "b"]}), 400),
            (client.post("/api/timelines/none/merge", json={"events": [fall, rebound]}), 404)):
        assert response.status_code == status and set(response.json) == {"error"}


def test_page_merge_by_table_numbers_and_split_by_article(client):
    timeline_id = client.post("/api/timelines", json={"published": "2025-01-29", "articles": TWO}).json["id"]
    fall, rebound = [e["event_id"] for e in client.get(f"/api/timelines/{timeline_id}").json["events"]]
    split = client.post(f"/timelines/{timeline_id}/edit", data={"action": "split", "event_id": fall,
                                                               "documents": ["b"]})
    assert split.status_code == 303
    events = client.get(f"/api/timelines/{timeline_id}").json["events"]
    assert len(events) == 3 and split.headers["Location"].endswith("#" + events[1]["event_id"])
    merged = client.post(f"/timelines/{timeline_id}/edit", data={"action": "merge", "event_id": fall,
                                                                "merge_with": "2, 3"})
    assert merged.status_code == 303
    assert [e["event_id"] for e in client.get(f"/api/timelines/{timeline_id}").json["events"]] == [fall]
    html = client.get(f"/timelines/{timeline_id}").get_data(as_text=True)
    assert "merged event " + fall in html and "into new event" in html
    bad = client.post(f"/timelines/{timeline_id}/edit", data={"action": "merge", "event_id": fall, "merge_with": "9"})
    assert bad.status_code == 400 and "there is no event 9" in bad.get_data(as_text=True)
