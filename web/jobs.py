"""Large builds as background jobs: checked Documents -> a queued job, built by a few threads of the app process,
its progress and outcome kept in the store's jobs table (so a page reload, or another server, reads them)."""
from __future__ import annotations

import os
import queue
import socket
import threading
import time
from dataclasses import dataclass, field

from flask import Flask, url_for

from timeline.errors import TimelineError
from timeline.events import extract_mentions
from timeline.pipeline import Budget, stream_timeline
from timeline.store import Job, JobFinished, JobStatus, Store, StoreError, StoreUnavailable
from timeline.types import Document, Skipped

# How often a running build writes its progress and reads whether it was cancelled (from another thread or
# server): often enough for a progress bar, rarely enough that 100,000 one-line articles make few writes.
REPORT_SECONDS = 0.25


class JobCancelled(TimelineError):
    """Someone cancelled the job while it was built."""


def runner_name() -> str:
    """Who builds a job: this host and process, so a later start knows which jobs a crashed server left."""
    return f"{socket.gethostname()}:{os.getpid()}"


def runner_gone(runner: str) -> bool:
    """Whether the process named by `runner` is gone: only this host's processes can be checked."""
    host, _, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # another user's live process
    return False


def characters_of(documents: list[Document]) -> int:
    return sum(len(d.text) for d in documents)


@dataclass
class Work:
    job_id: str
    documents: list[Document]
    title: str
    skipped: list[Skipped] = field(default_factory=list)


class Runner:
    """A bounded pool of daemon threads building queued jobs, one at a time each. Daemon: a server that stops
    leaves its jobs 'running' in the table, and the next start marks them failed (`Store.fail_orphaned_jobs`)."""

    def __init__(self, store: Store, budget: Budget, workers: int):
        self.store = store
        self.budget = budget
        self.workers = max(1, workers)
        self.queue: queue.Queue[Work] = queue.Queue()
        self.cancelled: set[str] = set()  # jobs cancelled through this process: seen at once, without the database
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def submit(self, work: Work) -> None:
        with self.lock:
            self.threads = [t for t in self.threads if t.is_alive()]  # a bug ends its thread: start another
            if len(self.threads) < self.workers:  # started on first use: an app that never builds runs none
                thread = threading.Thread(target=self.work, name=f"timeline-job-{len(self.threads)}", daemon=True)
                self.threads.append(thread)
                thread.start()
        self.queue.put(work)

    def cancel(self, job_id: str) -> None:
        with self.lock:
            self.cancelled.add(job_id)

    def work(self) -> None:
        while True:
            work = self.queue.get()
            try:
                self.run(work)
            finally:
                self.queue.task_done()

    def run(self, work: Work) -> None:
        """Build one job and store its timeline, or record why not. Every failure is recorded on the job, since
        nobody waits on this thread to hear it."""
        recorded = False
        try:
            timeline = self.build(work)
            self.store.finish_job(work.job_id, timeline)
            recorded = True
        except (JobCancelled, JobFinished):
            recorded = True  # the job says cancelled already
        except TimelineError as exc:  # budgets, nothing read, the store's refusals
            self.fail(work.job_id, str(exc))
            recorded = True
        finally:
            with self.lock:
                self.cancelled.discard(work.job_id)
            if not recorded:  # a bug: the job must not stay 'running'; the error goes on to the thread's hook
                self.fail(work.job_id, "internal error")

    def fail(self, job_id: str, message: str) -> None:
        try:
            self.store.fail_job(job_id, message)
        except StoreError:
            pass  # the database is gone: the next start marks the job failed

    def build(self, work: Work):
        """The job's timeline, tagged one document at a time so that progress and cancelling are seen between
        documents.

        Raises:
            JobCancelled: the job was cancelled. BudgetExceeded, IngestError: as a request's build.
        """
        done = 0
        last_report = 0.0

        def check(stage: str, force: bool = False) -> None:
            nonlocal last_report
            if work.job_id in self.cancelled:
                raise JobCancelled("cancelled")
            if force or time.monotonic() - last_report >= REPORT_SECONDS:
                last_report = time.monotonic()
                if self.store.job_progress(work.job_id, done, stage) is JobStatus.CANCELLED:
                    raise JobCancelled("cancelled")

        def map_chunks(chunks):
            nonlocal done
            for chunk in chunks:
                found = []
                for doc in chunk:
                    check("tagging")
                    found.append(extract_mentions(doc))
                    done += 1
                yield found
            check("merging", force=True)  # every document of this pass is tagged; the merge comes next

        check("tagging", force=True)
        # Tagging is most of a build; merging is O(m log m) in the mentions, so it is not interrupted.
        timeline = stream_timeline(work.documents, title=work.title or "Untitled timeline", map_chunks=map_chunks,
                                   progress=False, skipped=work.skipped, budget=self.budget)
        check("saving", force=True)
        return timeline


def install(app: Flask, store: Store) -> Runner:
    """The app's job runner; jobs a stopped server of this host left live are marked failed first."""
    from web.building import budget_of

    try:
        store.fail_orphaned_jobs(runner_gone)
    except StoreUnavailable:
        pass  # a read-only database: its writes (jobs included) answer 503, so it has no job of its own
    budget = budget_of(app.config)
    budget = Budget(articles=budget.articles, characters=budget.characters, expressions=budget.expressions,
                    seconds=app.config["JOB_SECONDS"])
    runner = app.extensions["timeline_jobs"] = Runner(store, budget, app.config["JOB_WORKERS"])
    return runner


def job_json(job: Job) -> dict:
    """A job as the API and the job page's script read it."""
    done = job.timeline_id is not None
    return {"job": job.id, "url": url_for("api.read_job", job_id=job.id), "title": job.title,
            "status": job.status.value, "stage": job.stage, "progress": {"done": job.done, "total": job.total},
            "timeline": job.timeline_id,
            "timeline_url": url_for("pages.show", timeline_id=job.timeline_id) if done else None,
            "error": job.error, "created": job.created, "updated": job.updated}


def runner_of(app: Flask) -> Runner:
    return app.extensions["timeline_jobs"]


def start_job(app: Flask, documents: list[Document], title: str, *, owner: str | None, target: str | None = None,
              skipped: list[Skipped] | None = None, key: str | None = None, digest: str = "") -> tuple[Job, bool]:
    """Queue the build of `documents` (checked already, within the request limits); returns the job, and False when
    idempotency `key` names an earlier job (then nothing new is queued).

    Raises:
        IdempotencyConflict: `key` was used for another request. StoreUnavailable: the database cannot be written.
    """
    runner = runner_of(app)
    job, created = runner.store.create_job(title or "Untitled timeline", len(documents), runner_name(), owner=owner,
                                           target=target, key=key, digest=digest)
    if created:
        runner.submit(Work(job.id, documents, title, list(skipped or ())))
    return job, created


def large(app: Flask, documents: list[Document]) -> bool:
    """Whether `documents` are built as a background job rather than while the request waits."""
    return characters_of(documents) > app.config["JOB_THRESHOLD"]
