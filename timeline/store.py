"""Timeline <-> SQLite: each timeline with its documents, events and mentions saved in one transaction; access
tokens (stored hashed) and who owns which timeline. The only SQL."""
from __future__ import annotations

import enum
import hashlib
import json
import os
import re
import secrets
import sqlite3
import uuid
from collections import Counter
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from timeline.curation import Edit, apply_edits, check_edit
from timeline.errors import StoreError
from timeline.types import (Anchor, Document, Event, Granularity, Interval, Mention, PublishedSource, Skipped,
                            Timeline, Timex, TimexType)

SCHEMA = """
CREATE TABLE IF NOT EXISTS timelines (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, created TEXT NOT NULL,
    n_events INTEGER NOT NULL, n_documents INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    timeline_id TEXT NOT NULL REFERENCES timelines(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    id TEXT NOT NULL, title TEXT, url TEXT, published TEXT, published_source TEXT NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (timeline_id, id)
);
CREATE TABLE IF NOT EXISTS events (
    timeline_id TEXT NOT NULL REFERENCES timelines(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    id TEXT NOT NULL, first TEXT NOT NULL, last TEXT NOT NULL, value TEXT NOT NULL, granularity TEXT NOT NULL,
    summary TEXT, sentence TEXT, confidence REAL, conflict TEXT,
    PRIMARY KEY (timeline_id, id)
);
CREATE TABLE IF NOT EXISTS mentions (
    timeline_id TEXT NOT NULL REFERENCES timelines(id) ON DELETE CASCADE, event_id TEXT,
    document TEXT NOT NULL, sentence TEXT, sentence_index INTEGER, clause TEXT, summary TEXT,
    char_start INTEGER, char_end INTEGER, implicit INTEGER, names TEXT, words TEXT, timex TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS skipped (
    timeline_id TEXT NOT NULL REFERENCES timelines(id) ON DELETE CASCADE, position INTEGER NOT NULL,
    path TEXT NOT NULL, line INTEGER, reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_by_timeline ON mentions (timeline_id, event_id);
CREATE TABLE IF NOT EXISTS edits (
    timeline_id TEXT NOT NULL REFERENCES timelines(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
    action TEXT NOT NULL, event_id TEXT NOT NULL, fields TEXT NOT NULL, created TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (timeline_id, seq)
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
    key TEXT PRIMARY KEY, digest TEXT NOT NULL,
    timeline_id TEXT NOT NULL REFERENCES timelines(id) ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, scope TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL, revoked TEXT
);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY, owner TEXT, title TEXT NOT NULL, status TEXT NOT NULL, stage TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL, timeline_id TEXT, target TEXT, error TEXT,
    runner TEXT NOT NULL, key TEXT UNIQUE, digest TEXT NOT NULL DEFAULT '', created TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""
# Columns added to a table after databases with it were in use: added (ALTER TABLE) when a database lacks them.
# owner: the id of the token that made the timeline (NULL: made without one, by the CLI or before tokens).
ADDED_COLUMNS = {"timelines": (("owner", "TEXT"), ("shared", "INTEGER NOT NULL DEFAULT 0"))}
INFO_COLUMNS = "id, title, created, n_events, n_documents, owner, shared"
# A token id is short and public (it names the token in lists and in `revoke`); the secret is what authenticates.
TOKEN_SECRET_BYTES = 32
# SQLite's messages for a database that is there but cannot be used now: busy, read-only, full, gone.
UNAVAILABLE = ("locked", "busy", "readonly", "read-only", "disk is full", "disk i/o error", "unable to open",
               "no such table")
ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def database_path(url: str | Path) -> str:
    """A SQLite file path from a path or a `sqlite:///path` URL; a SQLite URI (`file:...`) stays one.

    Raises:
        StoreError: the URL names another database system.
    """
    text = str(url)
    if text.startswith("sqlite:///"):
        return text[len("sqlite:///"):] or ":memory:"
    if "://" in text and not is_uri(text):
        raise StoreError(f"only SQLite databases are supported, not {text.split('://')[0]!r}", path=text,
                         hint="use a file path or sqlite:///path")
    return text


def is_uri(path: str) -> bool:
    """Whether a database path is a SQLite URI (`file:db.sqlite?mode=ro`), opened as such."""
    return path.startswith("file:")


def hash_secret(secret: str) -> str:
    """What the database keeps of a token: its SHA-256. A token is 256 random bits, so no salt or slow hash is
    needed: nothing short enough to guess hashes to a stored value."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def timex_to_json(t: Timex) -> str:
    return json.dumps({"start": t.start, "end": t.end, "text": t.text, "type": t.type.value, "value": t.value,
                       "first": t.interval.first.isoformat() if t.interval else None,
                       "last": t.interval.last.isoformat() if t.interval else None,
                       "granularity": t.granularity.name, "anchor": t.anchor.value,
                       "anchor_date": t.anchor_date.isoformat() if t.anchor_date else None,
                       "mod": t.mod, "rule": t.rule})


def timex_from_json(text: str) -> Timex:
    d = json.loads(text)
    interval = Interval(date.fromisoformat(d["first"]), date.fromisoformat(d["last"])) if d["first"] else None
    return Timex(d["start"], d["end"], d["text"], TimexType(d["type"]), d["value"], interval,
                 Granularity[d["granularity"]], Anchor(d["anchor"]),
                 date.fromisoformat(d["anchor_date"]) if d["anchor_date"] else None, d["mod"], d["rule"])


class TimelineNotFound(StoreError):
    """No timeline has that id (the database itself answered)."""


class IdempotencyConflict(StoreError):
    """An idempotency key was sent again with a different request."""


class NotOwner(StoreError):
    """The timeline is visible to this token (shared) but belongs to another one."""


class JobNotFound(StoreError):
    """No job has that id (or it is another token's)."""


class JobFinished(StoreError):
    """The job can no longer be cancelled: it is done, failed or cancelled already."""


class StoreUnavailable(StoreError):
    """The database is locked, read-only, full or cannot be opened: the request may work later.

    Its message never names the database file (it may reach a web client); `path` does."""


@dataclass(frozen=True)
class TimelineInfo:
    id: str
    title: str
    created: str
    n_events: int
    n_documents: int
    owner: str | None = None  # the id of the token that made it; None: made without one
    shared: bool = False


class Scope(enum.Enum):
    """What a token may do: READ answers GET requests only; READ_WRITE may also create, share and delete."""
    READ = "read"
    READ_WRITE = "read-write"


@dataclass(frozen=True)
class Token:
    """An access token as stored: never its secret, only the secret's hash."""
    id: str
    name: str
    scope: Scope
    created: str
    revoked: str | None = None


class JobStatus(enum.Enum):
    """Where a background build is: QUEUED and RUNNING are live; the others are final."""
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def live(self) -> bool:
        return self in (JobStatus.QUEUED, JobStatus.RUNNING)


@dataclass(frozen=True)
class Job:
    """A background build as stored: its progress (documents tagged of `total`), and its timeline or error."""
    id: str
    owner: str | None
    title: str
    status: JobStatus
    stage: str  # what it is doing: 'waiting', 'tagging', 'merging', 'saving', 'finished'
    done: int
    total: int
    timeline_id: str | None
    target: str | None  # the timeline it replaces (a rebuild); None: a new one
    error: str | None
    runner: str  # 'host:pid' of the server process building it
    created: str
    updated: str


JOB_COLUMNS = "id, owner, title, status, stage, done, total, timeline_id, target, error, runner, created, updated"


def job_of(row) -> Job:
    return Job(row[0], row[1], row[2], JobStatus(row[3]), *row[4:])


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def info_of(row) -> TimelineInfo:
    return TimelineInfo(*row[:6], shared=bool(row[6]))


def visible_to(viewer: str | None) -> tuple[str, tuple]:
    """The SQL condition (and its parameters) for timelines `viewer` may see: its own, shared ones and those made
    without a token. viewer None: no access control (no tokens configured, or the CLI)."""
    if viewer is None:
        return "1", ()
    return "(owner = ? OR owner IS NULL OR shared = 1)", (viewer,)


class Store:
    """A SQLite database of timelines; opened per use, so it is safe across threads and processes."""

    def __init__(self, url: str | Path, timeout: float = 30):
        """Open (creating if need be) the database; `timeout` is how long to wait for another writer.

        Raises:
            StoreError: the URL names another database system, or the folder cannot be created.
            StoreUnavailable: the database cannot be opened or set up.
        """
        self.path = database_path(url)
        self.timeout = timeout
        if self.path != ":memory:" and not is_uri(self.path):
            folder = Path(self.path).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the database folder: {exc.strerror}", path=str(folder)) from None
        with self.connect() as db:
            # WAL: readers keep their snapshot while a writer commits, and never block it.
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(SCHEMA)
            for table, columns in ADDED_COLUMNS.items():
                have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
                for name, definition in columns:
                    if name not in have:
                        db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {definition}")

    @contextmanager
    def connect(self):
        """A connection in autocommit mode, for the caller to BEGIN what it needs; sqlite errors become StoreErrors.

        Raises:
            StoreUnavailable: the database is locked past the timeout, read-only, full or cannot be opened.
            StoreError: any other database error.
        """
        try:
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, uri=is_uri(self.path))
        except sqlite3.Error as exc:
            raise StoreUnavailable(f"cannot open the database: {exc}", path=self.path) from None
        with closing(connection):
            try:
                connection.execute("PRAGMA foreign_keys = ON")
                yield connection
                if connection.in_transaction:
                    connection.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                if connection.in_transaction:
                    connection.rollback()
                message = str(exc)
                if any(word in message.lower() for word in UNAVAILABLE):
                    raise StoreUnavailable(f"database unavailable: {message}", path=self.path) from None
                raise StoreError(f"database error: {message}", path=self.path) from None
            except BaseException:
                if connection.in_transaction:
                    connection.rollback()
                raise

    @contextmanager
    def transaction(self, write: bool = False):
        """One transaction: reads see one snapshot; writes are committed whole or rolled back."""
        with self.connect() as db:
            db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield db

    def save(self, timeline: Timeline, timeline_id: str | None = None, *, owner: str | None = None) -> str:
        """Store a timeline (replacing one with the same id) in one transaction; returns its id.

        Raises:
            StoreError: the id is malformed, or two documents share an id.
            StoreUnavailable: the database cannot be written now.
        """
        return self.save_once(timeline, timeline_id, owner=owner)[0]

    def save_once(self, timeline: Timeline, timeline_id: str | None = None, *, key: str | None = None,
                  digest: str = "", owner: str | None = None) -> tuple[str, bool]:
        """Store a timeline unless idempotency `key` was already used: then (the id it made, False).
        `owner` is the id of the token that made it (None: made without one).

        Raises:
            StoreError: the id is malformed, two documents share an id, or `key` was used for another `digest`.
            StoreUnavailable: the database cannot be written now.
        """
        timeline_id = self.check_timeline(timeline, timeline_id)
        with self.transaction(write=True) as db:
            if key is not None:
                row = db.execute("SELECT digest, timeline_id FROM idempotency_keys WHERE key = ?", (key,)).fetchone()
                if row is not None:
                    if row[0] != digest:
                        raise IdempotencyConflict(f"idempotency key {key!r} was used for another request")
                    return row[1], False
            self.save_in(db, timeline, timeline_id, owner)
            if key is not None:
                db.execute("INSERT INTO idempotency_keys VALUES (?, ?, ?)", (key, digest, timeline_id))
        return timeline_id, True

    @staticmethod
    def check_timeline(timeline: Timeline, timeline_id: str | None) -> str:
        """The id to store `timeline` under (a new one when None).

        Raises:
            StoreError: the id is malformed, or two documents share an id.
        """
        timeline_id = timeline_id or uuid.uuid4().hex[:12]
        if not ID.fullmatch(timeline_id):
            raise StoreError(f"timeline id {timeline_id!r} must be 1-64 letters, digits, '-' or '_'")
        ids = Counter(d.id for d in timeline.documents)
        if len(ids) != len(timeline.documents):
            repeated = sorted(i for i, n in ids.items() if n > 1)
            raise StoreError(f"two documents share the id {repeated[0]!r}", hint="give each article its own id")
        return timeline_id

    @staticmethod
    def save_in(db, timeline: Timeline, timeline_id: str, owner: str | None) -> None:
        """Write a checked timeline (replacing one with the same id) in the caller's transaction."""
        created = now()
        db.execute("DELETE FROM timelines WHERE id = ?", (timeline_id,))
        db.execute("INSERT INTO timelines (id, title, created, n_events, n_documents, owner) "
                   "VALUES (?, ?, ?, ?, ?, ?)",
                   (timeline_id, timeline.title, created, len(timeline.events), len(timeline.documents), owner))
        db.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (timeline_id, i, d.id, d.title, d.url, d.published.isoformat() if d.published else None,
             d.published_source.value, d.text) for i, d in enumerate(timeline.documents)])
        db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (timeline_id, i, e.id, e.interval.first.isoformat(), e.interval.last.isoformat(), e.value,
             e.granularity.name, e.summary, e.sentence, e.confidence, e.conflict)
            for i, e in enumerate(timeline.events)])
        rows = [(e.id, m) for e in timeline.events for m in e.mentions] + [(None, m) for m in timeline.unresolved]
        db.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            (timeline_id, event_id, m.document, m.sentence, m.sentence_index, m.clause, m.summary, m.char_start,
             m.char_end, int(m.implicit), json.dumps(sorted(m.names)), json.dumps(sorted(m.words)),
             timex_to_json(m.timex)) for event_id, m in rows])
        db.executemany("INSERT INTO skipped VALUES (?, ?, ?, ?, ?)", [
            (timeline_id, i, s.path, s.line, s.reason) for i, s in enumerate(timeline.skipped)])

    def list(self, limit: int | None = None, offset: int = 0, *, viewer: str | None = None) -> list[TimelineInfo]:
        """Stored timelines `viewer` may see (see visible_to), newest first; `limit` and `offset` page through them.

        Raises:
            StoreUnavailable: the database cannot be read now.
        """
        return self.page(-1 if limit is None else limit, offset, viewer=viewer)[0]

    def page(self, limit: int, offset: int = 0, *, viewer: str | None = None) -> tuple[list[TimelineInfo], int]:
        """One page of the timelines `viewer` may see, newest first, and how many there are, read in one snapshot.

        Raises:
            StoreUnavailable: the database cannot be read now.
        """
        condition, params = visible_to(viewer)
        with self.transaction() as db:
            total = db.execute(f"SELECT count(*) FROM timelines WHERE {condition}", params).fetchone()[0]
            rows = db.execute(f"SELECT {INFO_COLUMNS} FROM timelines WHERE {condition} "
                              "ORDER BY created DESC, id LIMIT ? OFFSET ?", (*params, limit, offset))
            return [info_of(row) for row in rows], total

    def idempotent(self, key: str) -> tuple[str, str] | None:
        """(request digest, timeline id) stored with an idempotency key, or None when the key is new.

        Raises:
            StoreUnavailable: the database cannot be read now.
        """
        with self.transaction() as db:
            row = db.execute("SELECT digest, timeline_id FROM idempotency_keys WHERE key = ?", (key,)).fetchone()
        return tuple(row) if row else None

    def info(self, timeline_id: str, *, viewer: str | None = None) -> TimelineInfo:
        """Raises: TimelineNotFound: no timeline with that id that `viewer` may see. StoreUnavailable: the database
        cannot be read now."""
        with self.transaction() as db:
            return self.info_in(db, timeline_id, viewer)

    @staticmethod
    def info_in(db, timeline_id: str, viewer: str | None = None) -> TimelineInfo:
        condition, params = visible_to(viewer)
        row = db.execute(f"SELECT {INFO_COLUMNS} FROM timelines WHERE id = ? AND {condition}",
                         (timeline_id, *params)).fetchone()
        if row is None:
            # The same answer whether the timeline is missing or another token's: its existence is not told.
            raise TimelineNotFound(f"no timeline {timeline_id!r}")
        return info_of(row)

    def load(self, timeline_id: str, *, viewer: str | None = None) -> Timeline:
        """The stored timeline, rebuilt as the same dataclasses the pipeline made, read in one snapshot.

        Raises:
            TimelineNotFound: there is no timeline with that id that `viewer` may see.
            StoreUnavailable: the database cannot be read now.
        """
        with self.transaction() as db:
            return self.load_in(db, timeline_id, viewer)

    def load_in(self, db, timeline_id: str, viewer: str | None = None) -> Timeline:
        """The stored timeline as edited, read in the caller's transaction.

        Raises:
            TimelineNotFound: there is no timeline with that id that `viewer` may see.
        """
        info = self.info_in(db, timeline_id, viewer)
        documents = tuple(Document(id=r[0], title=r[1] or "", url=r[2] or "",
                                   published=date.fromisoformat(r[3]) if r[3] else None,
                                   published_source=PublishedSource(r[4]), text=r[5])
                          for r in db.execute("SELECT id, title, url, published, published_source, text "
                                              "FROM documents WHERE timeline_id = ? ORDER BY position",
                                              (timeline_id,)))
        mentions: dict[str | None, list[Mention]] = {}
        for r in db.execute("SELECT event_id, document, sentence, sentence_index, clause, summary, char_start, "
                            "char_end, implicit, names, words, timex FROM mentions WHERE timeline_id = ? "
                            "ORDER BY rowid", (timeline_id,)):
            mentions.setdefault(r[0], []).append(Mention(
                document=r[1], sentence=r[2], sentence_index=r[3], clause=r[4], summary=r[5],
                timex=timex_from_json(r[11]), char_start=r[6], char_end=r[7],
                names=frozenset(json.loads(r[9])), words=frozenset(json.loads(r[10])), implicit=bool(r[8])))
        events = tuple(Event(id=r[0], mentions=tuple(mentions.get(r[0], ())),
                             interval=Interval(date.fromisoformat(r[1]), date.fromisoformat(r[2])),
                             value=r[3], granularity=Granularity[r[4]], summary=r[5], sentence=r[6],
                             confidence=r[7], conflict=r[8] or "")
                       for r in db.execute("SELECT id, first, last, value, granularity, summary, sentence, "
                                           "confidence, conflict FROM events WHERE timeline_id = ? "
                                           "ORDER BY position", (timeline_id,)))
        skipped = tuple(Skipped(path=r[0], line=r[1], reason=r[2]) for r in db.execute(
            "SELECT path, line, reason FROM skipped WHERE timeline_id = ? ORDER BY position", (timeline_id,)))
        edits = self.edits_in(db, timeline_id)
        built = Timeline(events=events, documents=documents, unresolved=tuple(mentions.get(None, ())),
                         title=info.title, skipped=skipped)
        return apply_edits(built, edits) if edits else built

    @staticmethod
    def edits_in(db, timeline_id: str) -> list[Edit]:
        return [Edit(seq=r[0], action=r[1], event_id=r[2], fields=json.loads(r[3]), created=r[4], undone=bool(r[5]))
                for r in db.execute("SELECT seq, action, event_id, fields, created, undone FROM edits "
                                    "WHERE timeline_id = ? ORDER BY seq", (timeline_id,))]

    def edits(self, timeline_id: str, *, viewer: str | None = None) -> list[Edit]:
        """A timeline's edit history, oldest first (undone edits included, marked).

        Raises:
            TimelineNotFound: there is no timeline with that id that `viewer` may see.
            StoreUnavailable: the database cannot be read now.
        """
        with self.transaction() as db:
            self.info_in(db, timeline_id, viewer)
            return self.edits_in(db, timeline_id)

    def edit(self, timeline_id: str, action: str, event_id: str = "", fields: dict | None = None, *,
             viewer: str | None = None) -> Edit:
        """Record a person's edit (checked against the timeline as edited so far); returns it. Edits made after an
        undo replace the undone ones, as an editor's redo history does.

        Raises:
            TimelineNotFound: there is no timeline with that id that `viewer` may see.
            NotOwner: another token owns it.
            EditError: the edit does not apply (unknown event, bad date, empty text).
            StoreUnavailable: the database cannot be written now.
        """
        current = self.load(timeline_id, viewer=viewer)
        checked = check_edit(current, action, event_id, fields or {})
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self.transaction(write=True) as db:
            info = self.check_owner(db, timeline_id, viewer)
            if action == "rename":
                checked["previous"] = info.title
            db.execute("DELETE FROM edits WHERE timeline_id = ? AND undone = 1", (timeline_id,))
            seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM edits WHERE timeline_id = ?",
                             (timeline_id,)).fetchone()[0]
            db.execute("INSERT INTO edits VALUES (?, ?, ?, ?, ?, ?, 0)",
                       (timeline_id, seq, action, event_id, json.dumps(checked), created))
            if action == "rename":
                db.execute("UPDATE timelines SET title = ? WHERE id = ?", (checked["title"], timeline_id))
            self.count_events(db, timeline_id)
        return Edit(seq, action, event_id, checked, created)

    def undo(self, timeline_id: str, *, viewer: str | None = None) -> Edit | None:
        """Undo the latest edit still applied; returns it, or None when there is none.

        Raises:
            TimelineNotFound: there is no timeline with that id that `viewer` may see.
            NotOwner: another token owns it.
            StoreUnavailable: the database cannot be written now.
        """
        with self.transaction(write=True) as db:
            self.check_owner(db, timeline_id, viewer)
            row = db.execute("SELECT seq, action, event_id, fields, created FROM edits WHERE timeline_id = ? "
                             "AND undone = 0 ORDER BY seq DESC LIMIT 1", (timeline_id,)).fetchone()
            if row is None:
                return None
            db.execute("UPDATE edits SET undone = 1 WHERE timeline_id = ? AND seq = ?", (timeline_id, row[0]))
            if row[1] == "rename":  # edits are undone last first, so the title before it is the one to restore
                db.execute("UPDATE timelines SET title = ? WHERE id = ?", (json.loads(row[3])["previous"], timeline_id))
            self.count_events(db, timeline_id)
        return Edit(row[0], row[1], row[2], json.loads(row[3]), row[4], undone=True)

    def count_events(self, db, timeline_id: str) -> None:
        """Keep the list's event count in step with deletions, merges, splits and their undoing."""
        if not db.execute("SELECT 1 FROM edits WHERE timeline_id = ? AND action IN ('merge', 'split') LIMIT 1",
                          (timeline_id,)).fetchone():
            deleted = db.execute("SELECT count(DISTINCT event_id) FROM edits WHERE timeline_id = ? "
                                 "AND action = 'delete' AND undone = 0", (timeline_id,)).fetchone()[0]
            built = db.execute("SELECT count(*) FROM events WHERE timeline_id = ?", (timeline_id,)).fetchone()[0]
            count = built - deleted
        else:  # which events a merge or split leaves depends on every edit before it: apply them
            count = len(self.load_in(db, timeline_id).events)
        db.execute("UPDATE timelines SET n_events = ? WHERE id = ?", (count, timeline_id))

    def delete(self, timeline_id: str, *, viewer: str | None = None) -> bool:
        """Whether there was a timeline with that id, visible to `viewer`, to delete.

        Raises:
            NotOwner: `viewer` sees it (shared) but another token owns it.
            StoreUnavailable: the database cannot be written now.
        """
        with self.transaction(write=True) as db:
            try:
                self.check_owner(db, timeline_id, viewer)
            except TimelineNotFound:
                return False
            return db.execute("DELETE FROM timelines WHERE id = ?", (timeline_id,)).rowcount > 0

    def share(self, timeline_id: str, shared: bool, *, viewer: str | None = None) -> TimelineInfo:
        """Show the timeline to every token (`shared`) or only to its owner; returns it as it is now.

        Raises:
            TimelineNotFound: no timeline with that id that `viewer` may see.
            NotOwner: another token owns it.
            StoreUnavailable: the database cannot be written now.
        """
        with self.transaction(write=True) as db:
            self.check_owner(db, timeline_id, viewer)
            db.execute("UPDATE timelines SET shared = ? WHERE id = ?", (int(shared), timeline_id))
            return self.info_in(db, timeline_id)

    def check_may_change(self, timeline_id: str, viewer: str | None) -> TimelineInfo:
        """Raises: TimelineNotFound: `viewer` may not see it. NotOwner: another token owns it."""
        with self.transaction() as db:
            return self.check_owner(db, timeline_id, viewer)

    def check_owner(self, db, timeline_id: str, viewer: str | None) -> TimelineInfo:
        """Raises: TimelineNotFound: `viewer` may not see it. NotOwner: it sees it but another token owns it."""
        info = self.info_in(db, timeline_id, viewer)
        # A timeline made without a token (the CLI, or before tokens) belongs to the team: any writer may change it.
        if viewer is not None and info.owner is not None and info.owner != viewer:
            raise NotOwner(f"timeline {timeline_id!r} belongs to another token", hint="only its owner can change it")
        return info

    def create_token(self, scope: Scope, name: str = "") -> tuple[Token, str]:
        """A new token and its secret, which is shown once and never stored (only its hash is).

        Raises:
            StoreUnavailable: the database cannot be written now.
        """
        secret = secrets.token_urlsafe(TOKEN_SECRET_BYTES)
        token = Token(id=uuid.uuid4().hex[:8], name=name, scope=scope,
                      created=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        with self.transaction(write=True) as db:
            db.execute("INSERT INTO tokens (id, name, scope, hash, created) VALUES (?, ?, ?, ?, ?)",
                       (token.id, token.name, token.scope.value, hash_secret(secret), token.created))
            self.secret_key_in(db)  # the session cookies' key exists once tokens do
        self.make_private()
        return token, secret

    def make_private(self) -> None:
        """Make the database file (and SQLite's side files) readable by its owner only: it holds the key that
        signs session cookies, so whoever reads it could sign in as any token."""
        if self.path == ":memory:" or is_uri(self.path):
            return
        for suffix in ("", "-wal", "-shm"):
            try:
                os.chmod(self.path + suffix, 0o600)
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise StoreUnavailable(f"cannot make the database private: {exc.strerror}") from None

    def tokens(self) -> list[Token]:
        """Every token, revoked ones included, oldest first.

        Raises:
            StoreUnavailable: the database cannot be read now.
        """
        with self.transaction() as db:
            return [Token(r[0], r[1], Scope(r[2]), r[3], r[4]) for r in
                    db.execute("SELECT id, name, scope, created, revoked FROM tokens ORDER BY created, id")]

    def revoke_token(self, token_id: str) -> bool:
        """Whether a token with that id was live and is now revoked (kept, so that access control stays on).

        Raises:
            StoreUnavailable: the database cannot be written now.
        """
        revoked = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self.transaction(write=True) as db:
            return db.execute("UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL",
                              (revoked, token_id)).rowcount > 0

    def token_for(self, secret: str) -> Token | None:
        """The live token with that secret, or None: unknown or revoked (the caller answers 401 either way).

        Raises:
            StoreUnavailable: the database cannot be read now.
        """
        return self.live_token("hash", hash_secret(secret))

    def token_by_id(self, token_id: str) -> Token | None:
        """The live token with that id, or None: unknown or revoked since a session was opened with it.

        Raises:
            StoreUnavailable: the database cannot be read now.
        """
        return self.live_token("id", token_id)

    def live_token(self, column: str, value: str) -> Token | None:
        with self.transaction() as db:
            row = db.execute(f"SELECT id, name, scope, created FROM tokens WHERE {column} = ? AND revoked IS NULL",
                             (value,)).fetchone()
        return Token(row[0], row[1], Scope(row[2]), row[3]) if row else None

    def access_controlled(self) -> bool:
        """Whether any token was ever created: then every request needs one. Revoking every token keeps access
        control on (nothing is let in), so revoking the last token never opens the server.

        Raises:
            StoreUnavailable: the database cannot be read now.
        """
        with self.transaction() as db:
            return db.execute("SELECT 1 FROM tokens LIMIT 1").fetchone() is not None

    def secret_key(self) -> str:
        """The key that signs session cookies, made (random) the first time it is asked for.

        Raises:
            StoreUnavailable: the database cannot be read, or the key cannot be made now.
        """
        with self.transaction() as db:
            row = db.execute("SELECT value FROM settings WHERE name = 'secret_key'").fetchone()
        if row:
            return row[0]
        with self.transaction(write=True) as db:
            return self.secret_key_in(db)

    @staticmethod
    def secret_key_in(db) -> str:
        db.execute("INSERT OR IGNORE INTO settings VALUES ('secret_key', ?)", (secrets.token_urlsafe(32),))
        return db.execute("SELECT value FROM settings WHERE name = 'secret_key'").fetchone()[0]

    def create_job(self, title: str, total: int, runner: str, *, owner: str | None = None, target: str | None = None,
                   key: str | None = None, digest: str = "") -> tuple[Job, bool]:
        """A new queued job (`total` documents to tag), or, when idempotency `key` was used before, that job and
        False.

        Raises:
            IdempotencyConflict: `key` was used for another request `digest`.
            StoreUnavailable: the database cannot be written now.
        """
        created = now()
        with self.transaction(write=True) as db:
            if key is not None:
                row = db.execute(f"SELECT {JOB_COLUMNS}, digest FROM jobs WHERE key = ?", (key,)).fetchone()
                if row is not None:
                    if row[-1] != digest:
                        raise IdempotencyConflict(f"idempotency key {key!r} was used for another request")
                    return job_of(row[:-1]), False
            job = Job(uuid.uuid4().hex[:12], owner, title, JobStatus.QUEUED, "waiting", 0, total, None, target, None,
                      runner, created, created)
            db.execute(f"INSERT INTO jobs ({JOB_COLUMNS}, key, digest) VALUES ({', '.join('?' * 15)})",
                       (job.id, owner, title, job.status.value, job.stage, 0, total, None, target, None, runner,
                        created, created, key, digest))
        return job, True

    def job_for_key(self, key: str) -> tuple[Job, str] | None:
        """(the job, its request digest) made with idempotency `key`, or None.

        Raises:
            StoreUnavailable: the database cannot be read now.
        """
        with self.transaction() as db:
            row = db.execute(f"SELECT {JOB_COLUMNS}, digest FROM jobs WHERE key = ?", (key,)).fetchone()
        return (job_of(row[:-1]), row[-1]) if row else None

    def job(self, job_id: str, *, viewer: str | None = None) -> Job:
        """Raises: JobNotFound: no job with that id that `viewer` started (jobs are never shared: another token's
        answers the same). StoreUnavailable: the database cannot be read now."""
        with self.transaction() as db:
            return self.job_in(db, job_id, viewer)

    @staticmethod
    def job_in(db, job_id: str, viewer: str | None) -> Job:
        row = db.execute(f"SELECT {JOB_COLUMNS} FROM jobs WHERE id = ?", (job_id,)).fetchone()
        # A job made without a token belongs to the team, as a timeline does.
        if row is None or (viewer is not None and row[1] is not None and row[1] != viewer):
            raise JobNotFound(f"no job {job_id!r}")
        return job_of(row)

    def job_progress(self, job_id: str, done: int, stage: str) -> JobStatus:
        """Record a running job's progress; returns its status, which is CANCELLED once someone cancelled it.

        Raises:
            StoreUnavailable: the database cannot be written now.
        """
        with self.transaction(write=True) as db:
            db.execute("UPDATE jobs SET status = 'running', done = ?, stage = ?, updated = ? "
                       "WHERE id = ? AND status IN ('queued', 'running')", (done, stage, now(), job_id))
            row = db.execute("SELECT status FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return JobStatus(row[0]) if row else JobStatus.CANCELLED

    def finish_job(self, job_id: str, timeline: Timeline) -> Job:
        """Store the job's timeline and mark it done, in one transaction: a job cancelled meanwhile stores nothing.

        Raises:
            JobFinished: it was cancelled (or failed) before the timeline could be stored.
            StoreError: the timeline cannot be stored (malformed id, documents sharing an id).
            StoreUnavailable: the database cannot be written now.
        """
        with self.transaction(write=True) as db:
            job = self.job_in(db, job_id, None)
            if not job.status.live:
                raise JobFinished(f"job {job_id!r} is {job.status.value}")
            timeline_id = self.check_timeline(timeline, job.target)
            owner = job.owner
            if job.target is not None:  # a rebuild keeps the timeline's owner, as the request's rebuild does
                row = db.execute("SELECT owner FROM timelines WHERE id = ?", (job.target,)).fetchone()
                owner = row[0] if row else owner
            self.save_in(db, timeline, timeline_id, owner)
            db.execute("UPDATE jobs SET status = 'done', stage = 'finished', done = total, timeline_id = ?, "
                       "updated = ? WHERE id = ?", (timeline_id, now(), job_id))
            return self.job_in(db, job_id, None)

    def fail_job(self, job_id: str, error: str) -> None:
        """Mark a live job failed with `error` (a cancelled one stays cancelled).

        Raises:
            StoreUnavailable: the database cannot be written now.
        """
        with self.transaction(write=True) as db:
            db.execute("UPDATE jobs SET status = 'failed', stage = 'finished', error = ?, updated = ? "
                       "WHERE id = ? AND status IN ('queued', 'running')", (error, now(), job_id))

    def cancel_job(self, job_id: str, *, viewer: str | None = None) -> Job:
        """Cancel a queued or running job (its build stops at the next document it checks); returns it.

        Raises:
            JobNotFound: no job with that id that `viewer` started.
            JobFinished: it is done, failed or cancelled already.
            StoreUnavailable: the database cannot be written now.
        """
        with self.transaction(write=True) as db:
            job = self.job_in(db, job_id, viewer)
            if not job.status.live:
                raise JobFinished(f"job {job_id!r} is {job.status.value} already", hint="only a live job can be cancelled")
            db.execute("UPDATE jobs SET status = 'cancelled', stage = 'finished', updated = ? WHERE id = ?",
                       (now(), job_id))
            return self.job_in(db, job_id, None)

    def fail_orphaned_jobs(self, is_gone) -> int:
        """Mark failed every live job whose runner `is_gone(runner)` says has stopped (a crashed server); returns
        how many.

        Raises:
            StoreUnavailable: the database cannot be written now.
        """
        with self.transaction(write=True) as db:
            live = db.execute("SELECT id, runner FROM jobs WHERE status IN ('queued', 'running')").fetchall()
            gone = [job_id for job_id, runner in live if is_gone(runner)]
            db.executemany("UPDATE jobs SET status = 'failed', stage = 'finished', updated = ?, "
                           "error = 'the server stopped before the build finished; start it again' WHERE id = ?",
                           [(now(), job_id) for job_id in gone])
        return len(gone)
