"""Timeline -> CSV (events, mentions), JSON and TimelineJS JSON; files written atomically."""
from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from timeline.errors import TimelineError
from timeline.display import display_date
from timeline.filters import EventFilter, titles_of
from timeline.resolve import edtf_of
from timeline.types import Event, Timeline

EVENT_COLUMNS = ("order", "event_id", "start", "end", "granularity", "value", "summary", "sentence", "phrases",
                 "documents", "n_documents", "confidence", "conflict", "edtf", "published_source", "inferred_published",
                 "display_date", "source_titles", "source_urls", "edited")
MENTION_COLUMNS = ("event_id", "document", "published", "published_source", "phrase", "value", "start", "end",
                   "sentence", "char_start", "char_end", "type", "anchor", "implicit", "summary")
FORMATS = ("csv", "json", "timelinejs")
# A spreadsheet runs a cell starting with these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Where a spreadsheet may start a new cell: the start of the text, after a line break (an importer that splits
# rows on a bare CR), after ';' (the separator of many locales' spreadsheets); spaces before the formula are
# trimmed by some importers, so they do not protect it.
FORMULA = re.compile(r"(^|\r\n|\r|\n|;)( *)(?=[=+\-@\t\r])")
# A field holding any of these is quoted: without quotes it would end the cell or the row.
NEEDS_QUOTES = re.compile(r'[",;\r\n]|^\s|\s$')


def neutralize(cell: Any) -> Any:
    """Prefix with an apostrophe every part of text a spreadsheet could run as a formula; numbers pass unchanged."""
    if isinstance(cell, str):
        return FORMULA.sub(lambda m: f"{m.group(1)}{m.group(2)}'", cell)
    return cell


def csv_cell(value: Any) -> str:
    """One CSV cell: formulas neutralized, quoted when it holds a quote, separator, line break or edge space."""
    text = "" if value is None else str(neutralize(value))
    if NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def sources_of(timeline: Timeline) -> dict[str, Any]:
    return {d.id: d for d in timeline.documents}


def event_rows(timeline: Timeline, source: str | None = None, keep: EventFilter | None = None) -> list[dict[str, Any]]:
    """One row per event, numbered in timeline order; with `source`, only the events that document tells, and
    with `keep`, only those it keeps (keeping their numbers, so a filtered download matches the page)."""
    documents = sources_of(timeline)
    titles = titles_of(timeline) if keep is not None and keep.text else {}
    rows = []
    for order, event in enumerate(timeline.events, start=1):
        docs = event.documents
        if source is not None and source not in docs:
            continue
        if keep is not None and not keep.keeps(event, titles):
            continue
        sources = [documents[d].published_source.value for d in docs if d in documents]
        rows.append({
            "order": order,
            "event_id": event.id,
            "start": event.interval.first.isoformat(),
            "end": event.interval.last.isoformat(),
            "granularity": event.granularity.label,
            "value": event.value,
            "summary": event.summary,
            "sentence": event.sentence,
            "phrases": "; ".join(event.phrases),
            "documents": ";".join(docs),
            "n_documents": len(docs),
            "confidence": event.confidence,
            "conflict": event.conflict,
            "edtf": edtf_of(event.value, event.interval),
            "published_source": ";".join(dict.fromkeys(sources)),
            "inferred_published": any(documents[d].published_source.inferred for d in docs if d in documents),
            "display_date": display_date(event.value, event.interval, event.granularity),
            # Separated like `documents`, one entry per document in the same order ('' where none is known).
            "source_titles": ";".join(documents[d].title if d in documents else "" for d in docs),
            "source_urls": ";".join(documents[d].url if d in documents else "" for d in docs),
            "edited": event.id in timeline.edited,  # a person re-dated or re-worded it (timeline/curation.py)
        })
    return rows


def mention_rows(timeline: Timeline) -> list[dict[str, Any]]:
    documents = sources_of(timeline)
    rows = []
    mentions = [(e.id, m) for e in timeline.events for m in e.mentions]
    mentions += [("", m) for m in timeline.unresolved]
    for event_id, m in sorted(mentions, key=lambda p: (p[1].document, p[1].char_start)):
        doc = documents.get(m.document)
        interval = m.timex.interval
        rows.append({
            "event_id": event_id,
            "document": m.document,
            "published": doc.published.isoformat() if doc and doc.published else "",
            "published_source": doc.published_source.value if doc else "",
            "phrase": m.timex.text,
            "value": m.timex.value,
            "start": interval.first.isoformat() if interval else "",
            "end": interval.last.isoformat() if interval else "",
            "sentence": m.sentence,
            "char_start": m.char_start,
            "char_end": m.char_end,
            "type": m.timex.type.value,
            "anchor": m.timex.anchor.value,
            "implicit": m.implicit,
            "summary": m.summary,
        })
    return rows


def csv_text(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> str:
    """The CSV of `rows` (every CSV output goes through here, so every cell through csv_cell)."""
    lines = [",".join(csv_cell(c) for c in columns)]
    lines += [",".join(csv_cell(row.get(c)) for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def events_csv(timeline: Timeline, source: str | None = None, keep: EventFilter | None = None) -> str:
    """The events CSV; with `source` (a document id), only the events that document tells; with `keep`, only
    the events it keeps (timeline.filters)."""
    return csv_text(event_rows(timeline, source, keep), EVENT_COLUMNS)


def mentions_csv(timeline: Timeline) -> str:
    return csv_text(mention_rows(timeline), MENTION_COLUMNS)


def document_json(timeline: Timeline) -> list[dict[str, Any]]:
    return [{"id": d.id, "title": d.title, "url": d.url,
             "published": d.published.isoformat() if d.published else None,
             "published_source": d.published_source.value, "inferred": d.published_source.inferred,
             "published_reading": d.published_reading.value,
             "published_readings": [r.isoformat() for r in d.published_readings]}
            for d in timeline.documents]


def timeline_json(timeline: Timeline) -> dict[str, Any]:
    events = event_rows(timeline)
    for row, event in zip(events, timeline.events):
        row["documents"] = event.documents
        row["phrases"] = event.phrases
        row["mentions"] = [{"document": m.document, "phrase": m.timex.text, "value": m.timex.value,
                            "char_start": m.char_start, "char_end": m.char_end, "implicit": m.implicit}
                           for m in event.mentions]
    return {"title": timeline.title, "events": events, "documents": document_json(timeline),
            "unresolved": [{"document": m.document, "phrase": m.timex.text, "value": m.timex.value,
                            "sentence": m.sentence} for m in timeline.unresolved],
            "skipped": [{"path": s.path, "line": s.line, "reason": s.reason} for s in timeline.skipped]}


def timelinejs_date(day) -> dict[str, int]:
    return {"year": day.year, "month": day.month, "day": day.day}


def timelinejs_event(event: Event, titles: dict[str, str]) -> dict[str, Any]:
    sources = ", ".join(titles.get(d) or d for d in event.documents)
    slide: dict[str, Any] = {
        "unique_id": event.id,
        "start_date": timelinejs_date(event.interval.first),
        "text": {"headline": escape_html(event.summary or event.value),
                 "text": f"<p>{escape_html(event.sentence)}</p><p>Sources: {escape_html(sources)}</p>"},
        "display_date": escape_html(display_date(event.value, event.interval, event.granularity)),
    }
    if event.interval.last != event.interval.first:
        slide["end_date"] = timelinejs_date(event.interval.last)
    if event.conflict:
        slide["group"] = "conflicting dates"
    return slide


def escape_html(text: str) -> str:
    """Text for an HTML renderer (TimelineJS shows headlines and texts as HTML): escaped once, here only."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("'", "&#39;"))


def timelinejs_json(timeline: Timeline) -> dict[str, Any]:
    """Knight Lab TimelineJS3 JSON: a title slide and one slide per event."""
    titles = {d.id: d.title for d in timeline.documents}
    return {"title": {"text": {"headline": escape_html(timeline.title or "Timeline"),
                               "text": f"{len(timeline.events)} events from {len(timeline.documents)} articles"}},
            "events": [timelinejs_event(e, titles) for e in timeline.events]}


def render(timeline: Timeline, fmt: str) -> str:
    if fmt == "csv":
        return events_csv(timeline)
    if fmt == "json":
        return json.dumps(timeline_json(timeline), indent=2, ensure_ascii=False) + "\n"
    if fmt == "timelinejs":
        return json.dumps(timelinejs_json(timeline), indent=2, ensure_ascii=False) + "\n"
    raise TimelineError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")


def format_of(path: str | Path, fmt: str | None) -> str:
    """The output format: given, or from the file extension (.csv, .json, .timelinejs.json)."""
    if fmt:
        if fmt not in FORMATS:
            raise TimelineError(f"unknown format {fmt!r}", hint=f"use one of {', '.join(FORMATS)}")
        return fmt
    name = str(path).lower()
    if name.endswith((".timelinejs.json", ".tljs.json")):
        return "timelinejs"
    if name.endswith(".json"):
        return "json"
    if name.endswith(".csv"):
        return "csv"
    raise TimelineError(f"cannot tell the format of {path}", path=str(path), hint="use --format csv|json|timelinejs")


def write_atomically(path: str | Path, text: str) -> None:
    """Write `text` to `path` through a temporary file in the same folder, so readers never see half a file.

    Raises:
        TimelineError: the folder does not exist or is not writable, or the disk is full.
    """
    with staged_outputs() as stage:
        stage.add(path, text)


class StagedOutputs:
    """Output files written to temporary files first and renamed into place together, or not at all."""

    def __init__(self):
        self.staged: list[tuple[Path, str]] = []

    def add(self, path: str | Path, text: str) -> None:
        """Write `text` to a synced temporary file beside `path`, with the mode the file it replaces has.

        Raises:
            TimelineError: the folder does not exist or is not writable, or the disk is full.
        """
        path = Path(path)
        folder = path.parent if str(path.parent) else Path(".")
        remove_stale_temps(path)
        try:
            # The writer's process id is in the name, so that a later run can tell a crashed run's file.
            fd, temp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise TimelineError(f"cannot write here: {exc.strerror}", path=str(path)) from None
        self.staged.append((path, temp))
        try:
            os.fchmod(fd, mode_for(path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise TimelineError(f"cannot write: {exc.strerror}", path=str(path)) from None

    def commit(self) -> None:
        """Rename every staged file into place, then sync the folders so the renames survive a crash.

        Raises:
            TimelineError: a rename failed (the files renamed before it stay replaced).
        """
        folders = set()
        for path, temp in self.staged:
            try:
                os.replace(temp, path)
            except OSError as exc:
                raise TimelineError(f"cannot write: {exc.strerror}", path=str(path)) from None
            folders.add(path.parent if str(path.parent) else Path("."))
        self.staged = []
        for folder in folders:
            sync_folder(folder)

    def discard(self) -> None:
        for _, temp in self.staged:
            Path(temp).unlink(missing_ok=True)
        self.staged = []


@contextmanager
def staged_outputs():
    """Stage output files; they are renamed into place when the block ends without error, else removed."""
    stage = StagedOutputs()
    try:
        yield stage
        stage.commit()
    finally:
        stage.discard()


def remove_stale_temps(path: Path) -> None:
    """Remove the temporary files a killed run left beside `path` (`.NAME.PID.XXXX.tmp` whose process is gone)."""
    folder = path.parent if str(path.parent) else Path(".")
    prefix = f".{path.name}."
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return  # the write that follows says what is wrong with the folder
    for name in names:
        pid = name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not process_alive(int(pid)):
            try:
                os.unlink(folder / name)
            except FileNotFoundError:
                pass  # another run removed it first


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


def mode_for(path: Path) -> int:
    """The mode of the file `path` replaces, else the mode a new file gets under the umask (mkstemp's is 0600)."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # a folder that cannot be opened (some platforms) cannot be synced either
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every file system syncs folders; the rename itself is done
    finally:
        os.close(fd)
