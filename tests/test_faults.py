"""Storage faults on real SQLite files, and the status each request must give: a read-only database (file and
folder, or a read-only URI where root ignores file modes) and a full disk (the kernel's file size limit on a real
server process) answer 503 with Retry-After to writes and 200 to reads, and lose nothing."""
from __future__ import annotations

import os
import resource
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from timeline.store import Store
from web import create_app

from test_crash import ARTICLES, assert_database_whole, kill_hard, request, start_server

ARTICLE = {"id": "a1", "title": "Fall", "text": "Nvidia shares tumbled 17% on Monday. They rebounded on Tuesday."}
BODY = {"title": "T", "published": "2025-01-29", "articles": [ARTICLE]}
# root writes through file modes, so for root the read-only mechanism is SQLite's own (mode=ro), not chmod.
READ_ONLY = ["uri"] if os.geteuid() == 0 else ["chmod", "uri"]


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.headers["Retry-After"].isdigit()


@pytest.fixture
def stored(tmp_path):
    """A database folder holding one timeline, made the ordinary way; yields (folder, database, timeline id)."""
    folder = tmp_path / "db"
    database = folder / "t.sqlite"
    app = create_app({"TESTING": True, "DATABASE": str(database)})
    timeline_id = app.test_client().post("/api/timelines", json=BODY).json["id"]
    yield folder, database, timeline_id
    folder.chmod(0o755)
    for path in folder.iterdir():
        path.chmod(0o644)


@pytest.mark.parametrize("mechanism", READ_ONLY)
def test_read_only_database_reads_200_writes_503(stored, mechanism):
    folder, database, timeline_id = stored
    if mechanism == "chmod":
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)
        url = str(database)
    else:
        url = f"file://{database}?mode=ro"
    client = create_app({"TESTING": True, "DATABASE": url, "DATABASE_TIMEOUT": 0.2}).test_client()
    for path in ("/api/timelines", f"/api/timelines/{timeline_id}", f"/api/timelines/{timeline_id}/events.csv", "/",
                 f"/timelines/{timeline_id}"):
        assert client.get(path).status_code == 200, path
    assert client.get(f"/api/timelines/{timeline_id}").json["title"] == "T"
    writes = [client.post("/api/timelines", json=BODY), client.delete(f"/api/timelines/{timeline_id}"),
              client.patch(f"/api/timelines/{timeline_id}", json={"shared": True}),
              client.post("/timelines", data={"title": "x", "text": "It closed on Monday.", "published": "2025-01-29"})]
    for response in writes:
        assert_unavailable(response)
    for response in writes[:3]:
        assert set(response.json) == {"error"} and str(folder) not in response.json["error"]
    assert [t.id for t in Store(database).list()] == [timeline_id]  # nothing written, nothing lost


def test_full_disk_writes_503_reads_200_and_nothing_is_torn(stored, tmp_path):
    folder, database, timeline_id = stored
    # Another connection keeps the -wal and -shm files in place, so the server needs no new file to read; the
    # kernel then refuses every write past 4 KiB (EFBIG), as a full disk refuses it (SQLite reports both alike).
    keeper = sqlite3.connect(database)
    keeper.execute("SELECT count(*) FROM timelines").fetchone()

    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    log = tmp_path / "serve.log"
    process, port = start_server(database, log, stderr=subprocess.PIPE, preexec_fn=limit_file_size)
    try:
        statuses = {}
        statuses["POST"] = request(port, "POST", "/api/timelines", {"title": "full", "articles": ARTICLES})
        statuses["DELETE"] = request(port, "DELETE", f"/api/timelines/{timeline_id}")
        statuses["PATCH"] = request(port, "PATCH", f"/api/timelines/{timeline_id}", {"shared": True})
        for method, (status, body) in statuses.items():
            assert status == 503 and set(body) == {"error"} and str(folder) not in body["error"], (method, body)
        status, body = request(port, "GET", f"/api/timelines/{timeline_id}")
        assert status == 200 and body["title"] == "T" and len(body["events"]) == 2
        assert request(port, "GET", "/api/timelines")[1]["total"] == 1
    finally:
        kill_hard(process)
        process.stderr.close()
    keeper.close()
    assert assert_database_whole(database) == [timeline_id]
    process, port = start_server(database, log)  # room again: the same server writes
    try:
        assert request(port, "POST", "/api/timelines", {"title": "room", "articles": ARTICLES})[0] == 201
    finally:
        kill_hard(process)
    assert len(assert_database_whole(database)) == 2
