"""kill -9 against real processes: `timeline serve` killed while builds are posted to it over HTTP on 127.0.0.1,
and `timeline build` killed mid-run; afterwards the database passes `PRAGMA integrity_check`, every stored
timeline loads whole, every acknowledged one is there, and every output file is the old or the new one."""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from timeline.store import Store

from conftest import DATA, ROOT

SERVER_ROUNDS = 4
CLI_ROUNDS = 10
ARTICLES = [{"id": f"a{i}", "title": f"Story {i}", "published": "2025-01-29",
             "text": f"The mill {i} closed on Monday. Workers protested on Tuesday. It reopened last week."}
            for i in range(20)]
pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port: int, method: str, path: str, body: dict | None = None, timeout: float = 30):
    """(status, parsed JSON or text) of one real HTTP request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        connection.request(method, path, body=payload,
                           headers={"Content-Type": "application/json"} if payload else {})
        response = connection.getresponse()
        text = response.read().decode()
        is_json = response.getheader("Content-Type", "").startswith("application/json")
        return response.status, json.loads(text) if is_json else text
    finally:
        connection.close()


def start_server(database: Path, log: Path, **popen) -> tuple[subprocess.Popen, int]:
    """`timeline serve` on a free loopback port, answering; returns the process and the port."""
    port = free_port()
    with log.open("ab") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "timeline.cli", "serve", "--port", str(port),
                                    "--database", str(database)], cwd=ROOT, stdout=subprocess.DEVNULL,
                                   stderr=popen.pop("stderr", stderr), **popen)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if request(port, "GET", "/api/timelines", timeout=2)[0] == 200:
                return process, port
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError(f"the server did not answer: {log.read_text()}")


def kill_hard(process: subprocess.Popen) -> None:
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL


def assert_database_whole(database: Path) -> list[str]:
    """Check integrity and that each stored timeline loads with all its events and documents; returns the ids."""
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    store = Store(database)
    infos = store.list()
    for info in infos:
        timeline = store.load(info.id)
        assert len(timeline.events) == info.n_events and len(timeline.documents) == info.n_documents
        assert info.n_documents == len(ARTICLES) or info.title != "crash"
    return [info.id for info in infos]


def post_until_refused(port: int, acknowledged: list, stop: threading.Event) -> None:
    """POST builds one after another until the server is gone; keep the ids it acknowledged (201)."""
    while not stop.is_set():
        try:
            status, body = request(port, "POST", "/api/timelines", {"title": "crash", "articles": ARTICLES})
        except (OSError, http.client.HTTPException):
            return
        if status == 201:
            acknowledged.append(body["id"])


def test_server_killed_during_builds_loses_nothing_acknowledged(tmp_path):
    database, log = tmp_path / "t.sqlite", tmp_path / "serve.log"
    acknowledged: list[str] = []
    for round_number in range(SERVER_ROUNDS):
        process, port = start_server(database, log)
        stop = threading.Event()
        writers = [threading.Thread(target=post_until_refused, args=(port, acknowledged, stop)) for _ in range(4)]
        for writer in writers:
            writer.start()
        time.sleep(0.3 + 0.4 * round_number)  # builds in flight, commits under way
        kill_hard(process)
        stop.set()
        for writer in writers:
            writer.join(timeout=60)
        stored = assert_database_whole(database)
        assert set(acknowledged) <= set(stored)
    assert len(acknowledged) >= SERVER_ROUNDS  # builds were committing when the server died
    print(f"server: {SERVER_ROUNDS} kill -9 rounds, {len(acknowledged)} acknowledged builds, all stored whole")
    process, port = start_server(database, log)  # and the restarted server serves every one whole
    try:
        status, listing = request(port, "GET", "/api/timelines")
        assert status == 200 and listing["total"] == len(assert_database_whole(database))
        for entry in listing["timelines"]:
            status, body = request(port, "GET", f"/api/timelines/{entry['id']}")
            assert status == 200 and len(body["events"]) == entry["events"]
            assert len(body["documents"]) == entry["documents"] == len(ARTICLES)
        assert request(port, "POST", "/api/timelines", {"title": "after", "articles": ARTICLES})[0] == 201
    finally:
        kill_hard(process)


def build_command(out: Path, mentions: Path, database: Path) -> list[str]:
    return [sys.executable, "-m", "timeline.cli", "build", str(DATA), "--out", str(out), "--mentions", str(mentions),
            "--database", str(database), "--id", "x", "--no-progress"]


def dead_pid() -> int:
    """The id of a process that has exited (a real one, so no live process can own it for a while)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_build_killed_mid_run_leaves_old_or_new_outputs(tmp_path):
    out, mentions, database = tmp_path / "e.csv", tmp_path / "m.csv", tmp_path / "t.sqlite"
    started = time.monotonic()
    subprocess.run(build_command(out, mentions, database), check=True, capture_output=True, cwd=ROOT)
    duration = time.monotonic() - started
    new = {out: out.read_bytes(), mentions: mentions.read_bytes()}
    old = {out: b"old events\n", mentions: b"old mentions\n"}
    outcomes = {"old": 0, "new": 0}
    for round_number in range(CLI_ROUNDS):
        for path, content in old.items():
            path.write_bytes(content)
        process = subprocess.Popen(build_command(out, mentions, database), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # From at once (round 0: before any output is staged) to past the renames; the reference run's time is
        # only a guide under a loaded machine, which is why every round checks, whatever the kill hit.
        time.sleep(duration * 1.3 * round_number / CLI_ROUNDS)
        if process.poll() is None:
            kill_hard(process)
        for path in (out, mentions):
            content = path.read_bytes()
            assert content in (old[path], new[path]), f"round {round_number}: {path.name} is partial"
            outcomes["old" if content == old[path] else "new"] += 1
        assert_database_whole(database)
    # Round 0's kill comes before any output is renamed; later rounds fall wherever the machine's load puts them.
    assert outcomes["old"] >= 1
    print(f"cli: {CLI_ROUNDS} kill -9 rounds, outputs old {outcomes['old']}, new {outcomes['new']}, partial 0")
    # A killed run's temporary file (its process gone) is removed by the next run; a live writer's is left.
    stale = tmp_path / f".e.csv.{dead_pid()}.abcd1234.tmp"
    live = tmp_path / f".m.csv.{os.getpid()}.abcd1234.tmp"
    stale.write_text("partial", encoding="utf-8")
    live.write_text("being written", encoding="utf-8")
    subprocess.run(build_command(out, mentions, database), check=True, capture_output=True, cwd=ROOT)
    assert out.read_bytes() == new[out] and mentions.read_bytes() == new[mentions]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == [live.name]
