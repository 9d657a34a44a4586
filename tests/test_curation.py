"""Curation: a person's edits (delete, re-date, re-word, rename) stored, applied on load, exported, undone."""
from __future__ import annotations

import csv
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
