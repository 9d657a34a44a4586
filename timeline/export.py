"""Timeline -> CSV (events, mentions), JSON and TimelineJS JSON; files written atomically."""
from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from timeline.errors import TimelineError
from timeline.resolve import edtf_of
from timeline.types import Event, Timeline

EVENT_COLUMNS = ("order", "event_id", "start", "end", "granularity", "value", "summary", "sentence", "phrases",
                 "documents", "n_documents", "confidence", "conflict", "edtf", "published_source", "inferred_published")
MENTION_COLUMNS = ("event_id", "document", "published", "published_source", "phrase", "value", "start", "end",
                   "sentence", "char_start", "char_end", "type", "anchor", "implicit", "summary")
FORMATS = ("csv", "json", "timelinejs")
# A spreadsheet runs a cell starting with these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralize(cell: Any) -> Any:
    """Prefix text a spreadsheet would run as a formula with an apostrophe; numbers pass unchanged."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return cell


def sources_of(timeline: Timeline) -> dict[str, Any]:
    return {d.id: d for d in timeline.documents}


def event_rows(timeline: Timeline) -> list[dict[str, Any]]:
    documents = sources_of(timeline)
    rows = []
    for order, event in enumerate(timeline.events, start=1):
        docs = event.documents
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
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralize(v) for k, v in row.items()})
    return buffer.getvalue()


def events_csv(timeline: Timeline) -> str:
    return csv_text(event_rows(timeline), EVENT_COLUMNS)


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
        "text": {"headline": event.summary or event.value,
                 "text": f"<p>{escape_html(event.sentence)}</p><p>Sources: {escape_html(sources)}</p>"},
        "display_date": event.value,
    }
    if event.interval.last != event.interval.first:
        slide["end_date"] = timelinejs_date(event.interval.last)
    if event.conflict:
        slide["group"] = "conflicting dates"
    return slide


def escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def timelinejs_json(timeline: Timeline) -> dict[str, Any]:
    """Knight Lab TimelineJS3 JSON: a title slide and one slide per event."""
    titles = {d.id: d.title for d in timeline.documents}
    return {"title": {"text": {"headline": timeline.title or "Timeline",
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
        TimelineError: the folder does not exist or is not writable.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise TimelineError(f"cannot write here: {exc.strerror}", path=str(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
