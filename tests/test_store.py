"""SQLite store: a timeline round-trips whole; saving is one transaction; a missing id is a clear error."""
from __future__ import annotations

import sqlite3

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
