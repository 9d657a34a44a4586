"""A built timeline and a person's edits (delete, re-date, re-word, merge, split an event; rename the timeline) ->
the timeline as edited, with the edited events named. Pure: the store keeps the edits, exports read the result."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from timeline.errors import TimelineError
from timeline.merge import confidence_of, event_id as mention_event_id, interval_of, settle_date
from timeline.types import Event, Granularity, Interval, Mention, Timeline

ACTIONS = ("delete", "redate", "reword", "rename", "merge", "split")
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
    if action == "merge":
        return {"events": checked_merge(timeline, event_id, fields.get("events"))}
    if action == "split":
        event = next(e for e in timeline.events if e.id == event_id)
        moved = checked_split(event, fields.get("mentions"), fields.get("documents"))
        return {"mentions": moved, "new_event_id": new_event_id(timeline, event, moved)}
    if action == "redate":
        first = checked_day(fields.get("start"), "start")
        last = checked_day(fields.get("end") or fields.get("start"), "end")
        if last < first:
            raise EditError(f"the end {last} is before the start {first}", path="end")
        return {"start": first.isoformat(), "end": last.isoformat()}
    return {}


def checked_merge(timeline: Timeline, event_id: str, others) -> list[str]:
    """The ids of the events merged into `event_id`, each an event of the timeline, once, not the event itself.

    Raises:
        EditError: not a list of ids, an unknown id, or none besides the event.
    """
    if not isinstance(others, list) or not all(isinstance(o, str) for o in others):
        raise EditError("'events' must be a list of event ids", path="events")
    known = {e.id for e in timeline.events}
    for other in others:
        if other not in known:
            raise EditError(f"no event {other[:100]!r} in this timeline", path="events")
    merged = [o for o in dict.fromkeys(others) if o != event_id]
    if not merged:
        raise EditError("name at least one other event to merge with", path="events")
    return merged


def checked_split(event: Event, mentions, documents) -> list[int]:
    """The places (in `event.mentions`) of the mentions split off: those given by place, and every mention of the
    documents given; some must stay.

    Raises:
        EditError: neither given, a place or document not in the event, all or none of its mentions.
    """
    if mentions is None and documents is None:
        raise EditError("send 'documents' (article ids) or 'mentions' (their places in the event) to split off",
                        path="body")
    places: set[int] = set()
    if mentions is not None:
        if not isinstance(mentions, list) or not all(type(m) is int for m in mentions):
            raise EditError("'mentions' must be a list of whole numbers", path="mentions")
        bad = [m for m in mentions if not 0 <= m < len(event.mentions)]
        if bad:
            raise EditError(f"the event has no mention {bad[0]} (it has {len(event.mentions)}, from 0)",
                            path="mentions")
        places.update(mentions)
    if documents is not None:
        if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
            raise EditError("'documents' must be a list of article ids", path="documents")
        told = set(event.documents)
        bad = [d for d in documents if d not in told]
        if bad:
            raise EditError(f"article {bad[0][:100]!r} does not tell this event", path="documents")
        places.update(i for i, m in enumerate(event.mentions) if m.document in set(documents))
    if not places or len(places) == len(event.mentions):
        raise EditError("split off some of the event's mentions, not none or all", path="mentions")
    return sorted(places)


def new_event_id(timeline: Timeline, event: Event, moved: list[int]) -> str:
    """An id for the event a split makes, as the merge names events, made distinct from every id there."""
    taken = {e.id for e in timeline.events}
    base = mention_event_id(event.mentions[moved[0]])
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


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


def settled(event: Event, mentions: list[Mention], inferred: set[str], position: dict[str, int]) -> Event:
    """`event` told by `mentions`: its date settled again as the merge settles it (the finest date the others
    allow), its confidence and conflict with it. O(m log m) in the mentions."""
    mentions = sorted(mentions, key=lambda m: (position.get(m.document, 0), m.char_start))
    chosen, conflict = settle_date(mentions)
    return replace(event, mentions=tuple(mentions), interval=interval_of(chosen), value=chosen.timex.value,
                   granularity=chosen.timex.granularity, conflict=conflict,
                   confidence=confidence_of(mentions, chosen, conflict, inferred))


def split_event(event: Event, edit: Edit, inferred: set[str], position: dict[str, int]) -> tuple[Event, Event]:
    """The event left with the mentions not moved, and the new event of the moved ones (worded by its first
    dated telling in an article's body)."""
    moved_places = set(edit.fields["mentions"])
    moved = [m for i, m in enumerate(event.mentions) if i in moved_places]
    kept = [m for i, m in enumerate(event.mentions) if i not in moved_places]
    voice = min(moved, key=lambda m: (m.implicit, m.sentence_index < 0))
    new = replace(event, id=edit.fields["new_event_id"], summary=voice.summary, sentence=voice.sentence)
    left = event
    if event.summary not in {m.summary for m in kept} and event.summary in {m.summary for m in moved}:
        # Its wording went with the moved mentions (and was not a person's): it takes a kept telling's.
        voice = min(kept, key=lambda m: (m.implicit, m.sentence_index < 0))
        left = replace(event, summary=voice.summary, sentence=voice.sentence)
    return settled(left, kept, inferred, position), settled(new, moved, inferred, position)


def apply_edits(timeline: Timeline, edits: list[Edit]) -> Timeline:
    """`timeline` with its applied (not undone) edits, in order; events stay in date order.
    O(events log events + edits + the mentions of the events merged or split)."""
    events = {e.id: e for e in timeline.events}
    order = [e.id for e in timeline.events]
    inferred = {d.id for d in timeline.documents if d.published_source.inferred}
    position = {d.id: i for i, d in enumerate(timeline.documents)}
    splits: dict[str, list[str]] = {}  # an event -> the events split from it, placed after it
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
        elif edit.action == "merge":
            others = [events.pop(other) for other in edit.fields["events"] if other in events]
            if others:
                events[event.id] = settled(event, [m for e in (event, *others) for m in e.mentions], inferred,
                                           position)
                redated = True
        elif edit.action == "split":
            if len(event.mentions) > max(edit.fields["mentions"]):  # the event it was made for
                events[event.id], new = split_event(event, edit, inferred, position)
                events[new.id] = new
                splits.setdefault(event.id, []).append(new.id)
                edited.add(new.id)
                redated = True
        elif edit.action == "redate":
            first, last = date.fromisoformat(edit.fields["start"]), date.fromisoformat(edit.fields["end"])
            redated = True
            # EDTF writes a range of days as first/last; a single day is its ISO date, as the pipeline writes it.
            value = first.isoformat() if first == last else f"{first.isoformat()}/{last.isoformat()}"
            events[event.id] = replace(event, interval=Interval(first, last), value=value,
                                       granularity=Granularity.DAY, conflict="")
    if splits:
        order = [placed for event_id in order for placed in (event_id, *placed_after(event_id, splits))]
    kept = [events[event_id] for event_id in order if event_id in events]
    if redated:  # a new date moves the event to its place; the rest keep the pipeline's order
        place = {event_id: i for i, event_id in enumerate(order)}
        kept.sort(key=lambda e: (e.interval.first, e.interval.last, place[e.id]))
    return replace(timeline, events=tuple(kept), title=title, edited=frozenset(edited & set(events)))


def placed_after(event_id: str, splits: dict[str, list[str]]) -> list[str]:
    """The events split from `event_id` (and from those, in turn), in the order they were made."""
    out: list[str] = []
    for new in splits.get(event_id, ()):
        out.append(new)
        out.extend(placed_after(new, splits))
    return out
