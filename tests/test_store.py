"""SQLite store: a timeline round-trips whole; saving is one transaction; a missing id is a clear error."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest

import timeline
from timeline.errors import StoreError
from timeline.export import events_csv
from timeline.store import Store

from conftest import DATA


def test_store_round_trip_gives_same_csv(tmp_path):
    built = timeline.build_timeline(DATA, title="Sample")
    store = Store(tmp_path / "t.sqlite")
    timeline_id = store.save(built)
    loaded = Store(tmp_path / "t.sqlite").load(timeline_id)  # a new connection sees what was stored
    assert events_csv(loaded) == events_csv(built)
    assert loaded.title == "Sample" and [d.id for d in loaded.documents] == [d.id for d in built.documents]


def test_store_save_is_all_or_nothing(tmp_path):
    store = Store(tmp_path / "t.sqlite")
    good = timeline.build_timeline(DATA)
    store.save(good, "keep")
    with sqlite3.connect(store.path) as db:
        db.execute("CREATE TRIGGER fail BEFORE INSERT ON mentions BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    with pytest.raises(StoreError, match="disk full"):
        store.save(good, "broken")
    assert [t.id for t in store.list()] == ["keep"]
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT count(*) FROM events WHERE timeline_id = 'broken'").fetchone() == (0,)


def test_store_missing_timeline(tmp_path):
    with pytest.raises(StoreError, match="no timeline 'nope'"):
        Store(tmp_path / "t.sqlite").load("nope")


def test_store_refuses_other_databases():
    with pytest.raises(StoreError, match="only SQLite"):
        Store("postgresql://localhost/x")


def test_store_delete(tmp_path):
    store = Store(tmp_path / "t.sqlite")
    store.save(timeline.build_timeline(DATA), "x")
    assert store.delete("x") and not store.delete("x") and store.list() == []


def test_store_reads_one_snapshot_while_deleted_and_replaced(tmp_path):
    """GET racing DELETE and a same-id replace: every load is all of A, all of B, or 'not found' (issue 16)."""
    import threading
    import time

    from timeline.store import TimelineNotFound

    first = timeline.build_timeline(DATA, title="A")
    second = timeline.build_from_documents(
        [timeline.types.Document(id="b1", text="The bridge reopened on Monday.", published=date(2025, 3, 12)),
         timeline.types.Document(id="b2", text="Tolls rose on Tuesday.", published=date(2025, 3, 12))], title="B")
    shape = {t.title: ([d.id for d in t.documents], [e.id for e in t.events]) for t in (first, second)}
    store = Store(tmp_path / "t.sqlite")
    store.save(first, "x")
    stop = threading.Event()

    def write():
        while not stop.is_set():
            store.delete("x")
            store.save(second, "x")
            store.save(first, "x")

    counts = {"reads": 0, "torn": 0, "missing": 0}

    def read():
        while not stop.is_set():
            try:
                loaded = store.load("x")
            except TimelineNotFound:
                counts["missing"] += 1
                continue
            counts["reads"] += 1
            if shape.get(loaded.title) != ([d.id for d in loaded.documents], [e.id for e in loaded.events]):
                counts["torn"] += 1

    threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(2)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while counts["reads"] < 500 and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join()
    assert counts["reads"] >= 500 and counts["torn"] == 0, counts
