"""A built timeline and a person's edits (delete, re-date, re-word an event; rename the timeline) -> the timeline
as edited, with the edited events named. Pure: the store keeps the edits, exports read the result."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from timeline.errors import TimelineError
from timeline.types import Granularity, Interval, Timeline

ACTIONS = ("delete", "redate", "reword", "rename")
SUMMARY_CHARS = 1000
TITLE_CHARS = 500


class EditError(TimelineError):
    """An edit that cannot apply: unknown event, bad date, empty text."""


@dataclass(frozen=True)
class Edit:
    """One change a person made; `undone` edits are kept in the history but not applied."""

    seq: int
    action: str
    event_id: str  # '' for a change to the timeline itself (rename)
    fields: dict
    created: str = ""
    undone: bool = False


def check_edit(timeline: Timeline, action: str, event_id: str, fields: dict) -> dict:
    """The fields of an edit, checked against the timeline it changes; returns them normalised.

    Raises:
        EditError: unknown action or event, a date that is not YYYY-MM-DD or ends before it starts, empty text.
    """
    if action not in ACTIONS:
        raise EditError(f"unknown edit {action!r}", hint=f"use one of {', '.join(ACTIONS)}")
    if action == "rename":
        return {"title": checked_text(fields.get("title"), "title", TITLE_CHARS)}
    if event_id not in {e.id for e in timeline.events}:
        raise EditError(f"no event {event_id[:100]!r} in this timeline", path="event_id")
    if action == "reword":
        return {"summary": checked_text(fields.get("summary"), "summary", SUMMARY_CHARS)}
    if action == "redate":
        first = checked_day(fields.get("start"), "start")
        last = checked_day(fields.get("end") or fields.get("start"), "end")
        if last < first:
            raise EditError(f"the end {last} is before the start {first}", path="end")
        return {"start": first.isoformat(), "end": last.isoformat()}
    return {}


def checked_text(value, field: str, limit: int) -> str:
    """Raises: EditError: not a string, empty, or longer than `limit`."""
    if not isinstance(value, str) or not value.strip():
        raise EditError(f"'{field}' must be non-empty text", path=field)
    if len(value) > limit:
        raise EditError(f"'{field}' is longer than {limit} characters", path=field)
    return value.strip()


def checked_day(value, field: str) -> date:
    """Raises: EditError: not a YYYY-MM-DD date."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise EditError(f"'{field}' must be a date YYYY-MM-DD, not {str(value)[:40]!r}", path=field)


def apply_edits(timeline: Timeline, edits: list[Edit]) -> Timeline:
    """`timeline` with its applied (not undone) edits, in order; events stay in date order. O(events + edits)."""
    events = {e.id: e for e in timeline.events}
    order = [e.id for e in timeline.events]
    title = timeline.title
    edited: set[str] = set()
    redated = False
    for edit in edits:
        if edit.undone:
            continue
        if edit.action == "rename":
            title = edit.fields["title"]
            continue
        event = events.get(edit.event_id)
        if event is None:  # deleted by an earlier edit
            continue
        edited.add(event.id)
        if edit.action == "delete":
            del events[event.id]
        elif edit.action == "reword":
            events[event.id] = replace(event, summary=edit.fields["summary"])
        elif edit.action == "redate":
            first, last = date.fromisoformat(edit.fields["start"]), date.fromisoformat(edit.fields["end"])
            redated = True
            # EDTF writes a range of days as first/last; a single day is its ISO date, as the pipeline writes it.
            value = first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"
            events[event.id] = replace(event, interval=Interval(first, last), value=value,
                                       granularity=Granularity.DAY, conflict="")
    kept = [events[event_id] for event_id in order if event_id in events]
    if redated:  # a new date moves the event to its place; the rest keep the pipeline's order
        position = {event_id: i for i, event_id in enumerate(order)}
        kept.sort(key=lambda e: (e.interval.first, e.interval.last, position[e.id]))
    return replace(timeline, events=tuple(kept), title=title, edited=frozenset(edited & set(events)))
