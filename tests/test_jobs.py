"""Background builds: a large request answers 202 and a job URL; the job's progress, outcome, cancelling,
ownership, idempotency and budgets; jobs a crashed server left are marked failed on start."""
from __future__ import annotations

import csv
import io
import socket
import subprocess
import sys
import threading
import time

import pytest

import web.jobs
from timeline.store import JobStatus, Scope, Store
from web import create_app

THRESHOLD = 2_000  # characters: past this a request builds in the background
ARTICLES = [{"id": f"a{i}", "title": f"Report {i}",
             "text": f"Shares of Acme{i} fell on Monday. The board of Acme{i} met on Tuesday."} for i in range(60)]
BODY = {"title": "Big", "published": "2025-01-29", "articles": ARTICLES}
WAIT_SECONDS = 30


@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite"), "JOB_THRESHOLD": THRESHOLD})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def gate(monkeypatch):
    """Each document the job tags waits for a permit: the test decides how far a build gets."""
    permits = threading.Semaphore(0)
    tag = web.jobs.extract_mentions

    def gated(doc):
        assert permits.acquire(timeout=WAIT_SECONDS), "the test never let the document through"
        return tag(doc)

    monkeypatch.setattr(web.jobs, "extract_mentions", gated)
    monkeypatch.setattr(web.jobs, "REPORT_SECONDS", 0)  # every document's progress is written before the next waits
    yield permits
    permits.release(10_000)  # let any build still waiting finish, so no thread outlives the test blocked


def wait_for(client, url, condition, headers=None):
    """Poll the job until `condition(job)` holds; fail after WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        job = client.get(url, headers=headers or {}).json
        if condition(job):
            return job
        assert time.monotonic() < deadline, f"job never got there: {job}"
        time.sleep(0.02)


def finished(job) -> bool:
    return job["status"] not in ("queued", "running")


def test_large_request_answers_202_and_builds_the_same_timeline(client, app, tmp_path):
    started = time.perf_counter()
    response = client.post("/api/timelines", json=BODY)
    held = time.perf_counter() - started
    assert response.status_code == 202 and set(response.json) >= {"job", "url"}
    assert response.json["url"] == f"/api/jobs/{response.json['job']}" == response.headers["Location"]
    assert held < 1.0  # the request only queues the work
    job = wait_for(client, response.json["url"], finished)
    assert job["status"] == "done" and job["progress"] == {"done": 60, "total": 60} and job["error"] is None
    assert job["timeline_url"] == f"/timelines/{job['timeline']}"
    background = client.get(f"/api/timelines/{job['timeline']}/events.csv").text
    # The same articles under the threshold (another server) are built in the request: the same events.
    small = create_app({"TESTING": True, "DATABASE": str(tmp_path / "small.sqlite"), "JOB_THRESHOLD": 10**9})
    direct = small.test_client().post("/api/timelines", json=BODY)
    assert direct.status_code == 201
    foreground = small.test_client().get(f"/api/timelines/{direct.json['id']}/events.csv").text
    assert [r["event_id"] for r in csv.DictReader(io.StringIO(background))] == \
        [r["event_id"] for r in csv.DictReader(io.StringIO(foreground))]
    assert len(background.splitlines()) > 60


def test_small_request_still_answers_201(client):
    response = client.post("/api/timelines", json={**BODY, "articles": ARTICLES[:2]})
    assert response.status_code == 201 and response.json["events"] >= 2


def test_job_shows_progress_then_cancel_stops_it(client, app, gate):
    url = client.post("/api/timelines", json=BODY).json["url"]
    gate.release(3)
    job = wait_for(client, url, lambda j: j["progress"]["done"] == 3)
    assert job["status"] == "running" and job["stage"] == "tagging" and job["progress"]["total"] == 60
    cancelled = client.delete(url)
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    gate.release(100)  # the build sees the cancel before its next document
    time.sleep(0.1)
    job = client.get(url).json
    assert job["status"] == "cancelled" and job["timeline"] is None and job["progress"]["done"] <= 4
    assert client.get("/api/timelines").json["timelines"] == []  # nothing stored
    again = client.delete(url)
    assert again.status_code == 409 and "cancelled" in again.json["error"]


def test_unknown_job_is_404(client):
    for response in (client.get("/api/jobs/nope"), client.delete("/api/jobs/nope")):
        assert response.status_code == 404 and set(response.json) == {"error"}


def test_job_past_the_expressions_budget_fails_with_the_limit_named(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite"), "JOB_THRESHOLD": THRESHOLD,
                      "MAX_EXPRESSIONS": 20})
    client = app.test_client()
    job = wait_for(client, client.post("/api/timelines", json=BODY).json["url"], finished)
    assert job["status"] == "failed" and "20 dated mentions" in job["error"]
    assert client.get("/api/timelines").json["timelines"] == []


def test_job_too_large_is_refused_at_once(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite"), "JOB_THRESHOLD": THRESHOLD,
                      "MAX_CHARACTERS": 3_000})
    response = app.test_client().post("/api/timelines", json=BODY)
    assert response.status_code == 413 and "3,000 characters" in response.json["error"]


def test_job_idempotency_key_replays_the_job(client, gate):
    first = client.post("/api/timelines", json=BODY, headers={"Idempotency-Key": "k1"})
    again = client.post("/api/timelines", json=BODY, headers={"Idempotency-Key": "k1"})
    assert first.status_code == again.status_code == 202 and first.json["job"] == again.json["job"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = client.post("/api/timelines", json={**BODY, "title": "Other"}, headers={"Idempotency-Key": "k1"})
    assert other.status_code == 409


def test_jobs_belong_to_the_token_that_started_them(tmp_path, gate):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite"), "JOB_THRESHOLD": THRESHOLD})
    store = Store(app.config["DATABASE"])
    owner, other, reader = (store.create_token(scope)[1] for scope in (Scope.READ_WRITE, Scope.READ_WRITE, Scope.READ))
    client = app.test_client()
    auth = {name: {"Authorization": f"Bearer {secret}"} for name, secret in
            (("owner", owner), ("other", other), ("reader", reader))}
    url = client.post("/api/timelines", json=BODY, headers=auth["owner"]).json["url"]
    assert client.get(url, headers=auth["owner"]).status_code == 200
    assert client.get(url).status_code == 401
    assert client.get(url, headers=auth["other"]).status_code == 404
    assert client.delete(url, headers=auth["other"]).status_code == 404
    assert client.delete(url, headers=auth["reader"]).status_code == 403
    assert client.post("/api/timelines", json=BODY, headers=auth["reader"]).status_code == 403
    assert client.delete(url, headers=auth["owner"]).json["status"] == "cancelled"


def test_jobs_of_a_crashed_server_are_marked_failed_on_start(tmp_path):
    store = Store(tmp_path / "t.sqlite")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    crashed, _ = store.create_job("T", 5, f"{socket.gethostname()}:{int(dead.stdout)}")
    elsewhere, _ = store.create_job("T", 5, "another-host:1")  # another machine's server may still be building it
    create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite")})
    assert store.job(crashed.id).status is JobStatus.FAILED and "server stopped" in store.job(crashed.id).error
    assert store.job(elsewhere.id).status is JobStatus.QUEUED


def test_page_upload_past_the_threshold_goes_to_the_job_page(client, gate):
    text = "\n---\n".join(a["text"] for a in ARTICLES)
    response = client.post("/timelines", data={"title": "Pasted", "text": text, "published": "2025-01-29"})
    assert response.status_code == 303 and response.headers["Location"].startswith("/jobs/")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'id="job-progress"' in page and 'id="job-cancel"' in page and "<script>" not in page
    status = client.get(response.headers["Location"] + "/status").json
    assert status["status"] in ("queued", "running") and status["progress"]["total"] == 60
    cancelled = client.post(response.headers["Location"] + "/cancel")
    assert cancelled.status_code == 303
    assert client.get(response.headers["Location"] + "/status").json["status"] == "cancelled"
    assert "was cancelled" in client.get(response.headers["Location"]).get_data(as_text=True)
