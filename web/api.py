"""JSON API: create, list, read, export and delete timelines; every error is {"error": "..."} (see web/errors.py)."""
from __future__ import annotations

import hashlib
import json
import re

from flask import Blueprint, Response, current_app, request, url_for

from timeline.curation import Edit, EditError, check_edit
from timeline.errors import BudgetExceeded, TimelineError
from timeline.export import events_csv, timeline_json
from timeline.filters import FilterError, read_filter
from timeline.store import (IdempotencyConflict, Job, JobFinished, JobNotFound, NotOwner, StoreUnavailable,
                            TimelineNotFound)
from timeline.types import Timeline
from web import store_of
from web.auth import viewer
from web.building import (TITLE_CHARS, budget_of, build, check_json, default_date, documents_from_json,
                          optional_text)
from web.jobs import characters_of, job_json, large, runner_of, start_job
from web.errors import refuse

bp = Blueprint("api", __name__, url_prefix="/api")

PAGE_LIMIT = 1000  # the default and the largest page of GET /api/timelines
MAX_OFFSET = 2**31 - 1  # SQLite takes 64-bit integers; no list is near this long
# Idempotency-Key: an opaque client-chosen string of visible ASCII (a UUID, typically).
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")


def error(message: str, status: int, **headers):
    return refuse(message, status, headers=headers)


class BadRequest(Exception):
    """A request the API refuses with 400, naming the field."""


def refuse_constant(name: str):
    """Raises: ValueError: for NaN and Infinity, which Python's reader takes but JSON does not have."""
    raise ValueError(f"{name} is not a JSON value")


def parse_body() -> dict:
    """The request's JSON object, checked for depth and lone surrogates before anything reads it.

    Raises:
        TimelineError: it is not JSON, not an object, nested too deep or not valid Unicode.
    """
    try:
        body = json.loads(request.get_data(cache=True), parse_constant=refuse_constant)
    except RecursionError:
        raise TimelineError("JSON nested too deeply", path="body") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise TimelineError(f"not valid JSON: {exc}", path="body") from None
    check_json(body)
    if not isinstance(body, dict):
        raise TimelineError("the body must be a JSON object", path="body")
    return body


@bp.post("/timelines")
def create():
    if not request.is_json:
        return error("send JSON with Content-Type: application/json", 415)
    key = request.headers.get("Idempotency-Key")
    if key is not None and not IDEMPOTENCY_KEY.fullmatch(key):
        return error("the Idempotency-Key header must be 1-255 visible ASCII characters", 400)
    store = store_of(current_app)
    digest = hashlib.sha256(request.get_data(cache=True)).hexdigest()
    if key is not None and viewer() is not None:
        key = f"{viewer()}:{key}"  # each token's keys are its own: another's retry must not see its timeline
    if key is not None:
        earlier = store.idempotent(key)
        if earlier is not None:
            return replay(key, digest, *earlier)
        queued = store.job_for_key(key)
        if queued is not None:
            return replay_job(key, digest, *queued)
    try:
        body = parse_body()
        title = optional_text(body, "title", "", TITLE_CHARS)
        documents = documents_from_json(body.get("articles"), default_date(body.get("published")))
        if large(current_app, documents):  # built in the background: the request answers at once
            budget_of(current_app.config).check_documents(len(documents), characters_of(documents))
            job, created = start_job(current_app, documents, title, owner=viewer(), key=key, digest=digest)
            return accepted(job, **({} if created else {"Idempotent-Replayed": "true"}))
        timeline = build(documents, title)
        timeline_id, created = store.save_once(timeline, key=key, digest=digest, owner=viewer())
    except IdempotencyConflict:  # its message holds the key as stored, with the token's id before it
        return error(f"the Idempotency-Key {request.headers.get('Idempotency-Key')!r} was used for another request "
                     "body", 409)
    except StoreUnavailable:
        raise  # 503 with Retry-After, in web/errors.py
    except BudgetExceeded as exc:
        return error(str(exc), 413 if exc.too_large else 422)
    except TimelineError as exc:
        return error(str(exc), 400)
    if not created:  # a retry with the same key won the race: answer as the first did
        return replay(key, digest, digest, timeline_id)
    return created_response(timeline_id, timeline)


def losses(timeline: Timeline) -> dict:
    """What a build could not use, for the creator to read: date phrases left unplaced (and why, when the article
    has no publication date) and inputs skipped."""
    undated = {d.id for d in timeline.documents if d.published is None}
    unresolved = [{"document": m.document, "phrase": m.timex.text, "sentence": m.sentence,
                   "reason": "the article has no publication date" if m.document in undated
                   else "the phrase names no date that could be worked out"} for m in timeline.unresolved]
    skipped = [{"path": s.path, "line": s.line, "reason": s.reason} for s in timeline.skipped]
    return {"unresolved": unresolved, "skipped": skipped, "undated_documents": sorted(undated)}


def created_response(timeline_id: str, timeline: Timeline, **headers):
    return ({"id": timeline_id, "events": len(timeline.events), "url": url_for("pages.show", timeline_id=timeline_id),
             **losses(timeline)}, 201, {"Location": url_for("api.read", timeline_id=timeline_id), **headers})


def replay(key: str, digest: str, earlier_digest: str, timeline_id: str):
    """The answer to a POST whose Idempotency-Key was seen before: the first answer, or 409 for another body."""
    if earlier_digest != digest:
        key = key.split(":", 1)[1] if viewer() is not None else key
        return error(f"the Idempotency-Key {key!r} was used for another request body", 409)
    return created_response(timeline_id, load(timeline_id), **{"Idempotent-Replayed": "true"})


def accepted(job: Job, **headers):
    """202: the build is a job; its URL tells how it goes."""
    url = url_for("api.read_job", job_id=job.id)
    return {"job": job.id, "url": url, "status": job.status.value}, 202, {"Location": url, **headers}


def replay_job(key: str, digest: str, job: Job, earlier_digest: str):
    """The answer to a POST whose Idempotency-Key started a job: that job again, or 409 for another body."""
    if earlier_digest != digest:
        key = key.split(":", 1)[1] if viewer() is not None else key
        return error(f"the Idempotency-Key {key!r} was used for another request body", 409)
    return accepted(job, **{"Idempotent-Replayed": "true"})


@bp.errorhandler(JobNotFound)
def no_job(exc: JobNotFound):
    return error(exc.message, 404)


@bp.get("/jobs/<job_id>")
def read_job(job_id: str):
    return job_json(store_of(current_app).job(job_id, viewer=viewer()))


@bp.delete("/jobs/<job_id>")
def cancel_job(job_id: str):
    """Cancel a queued or running build: 200 with the job, now cancelled; 409 once it has finished."""
    try:
        job = store_of(current_app).cancel_job(job_id, viewer=viewer())
    except JobFinished as exc:
        return error(str(exc), 409)
    runner_of(current_app).cancel(job_id)
    return job_json(job)


def page_param(name: str, default: int, low: int, high: int) -> int:
    """Raises: BadRequest: the query parameter is not a whole number in [low, high]."""
    text = request.args.get(name)
    if text is None:
        return default  # "?limit=" is refused below: the document says a number, and an empty one is none
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)) or not low <= int(text) <= high:
        raise BadRequest(f"query parameter '{name}' must be a whole number from {low} to {high}")
    return int(text)


@bp.get("/timelines")
def list_timelines():
    try:
        limit = page_param("limit", PAGE_LIMIT, 1, PAGE_LIMIT)
        offset = page_param("offset", 0, 0, MAX_OFFSET)
    except BadRequest as exc:
        return error(str(exc), 400)
    infos, total = store_of(current_app).page(limit, offset, viewer=viewer())
    # Who owns what is told only once tokens are on; without them the entries keep their first shape.
    access = {"owner": None, "shared": None} if viewer() is not None else {}
    return {"timelines": [{"id": t.id, "title": t.title, "created": t.created, "events": t.n_events,
                           "documents": t.n_documents, **{k: getattr(t, k) for k in access}} for t in infos],
            "total": total, "limit": limit, "offset": offset,
            "next_offset": offset + len(infos) if offset + len(infos) < total else None}


def load(timeline_id: str) -> Timeline:
    """Raises: TimelineNotFound (404 below); StoreUnavailable (503, web/errors.py)."""
    return store_of(current_app).load(timeline_id, viewer=viewer())


@bp.errorhandler(TimelineNotFound)
def no_timeline(exc: TimelineNotFound):
    return error(exc.message, 404)


@bp.errorhandler(NotOwner)
def not_owner(exc: NotOwner):
    return error(str(exc), 403)


@bp.get("/timelines/<timeline_id>")
def read(timeline_id: str):
    return {"id": timeline_id, **timeline_json(load(timeline_id))}


@bp.get("/timelines/<timeline_id>/events.csv")
def read_csv(timeline_id: str):
    timeline = load(timeline_id)
    try:  # source (a document id), from, to, confidence, conflicts, q: the rows the page's filters show
        keep = read_filter(request.args, timeline, request.args.getlist("confidence"))
    except FilterError as exc:
        return error(exc.message, 400) if exc.path == "source" else error(str(exc), 400)
    return Response(events_csv(timeline, keep=keep), mimetype="text/csv")


@bp.delete("/timelines/<timeline_id>")
def delete(timeline_id: str):
    """Raises: NotOwner (403 above): another token's shared timeline."""
    if not store_of(current_app).delete(timeline_id, viewer=viewer()):
        return error(f"no timeline {timeline_id!r}", 404)
    return "", 204


def edit_json(edit: Edit) -> dict:
    return {"seq": edit.seq, "action": edit.action, "event_id": edit.event_id or None,
            "fields": {k: v for k, v in edit.fields.items() if k != "previous"}, "created": edit.created,
            "undone": edit.undone}


@bp.errorhandler(EditError)
def bad_edit(exc: EditError):
    return error(str(exc), 400)


def edit_body() -> dict:
    """The JSON object of an edit request.

    Raises:
        EditError: not JSON, not an object (400 below).
    """
    if not request.is_json:
        raise EditError("send JSON with Content-Type: application/json", path="body")
    try:
        return parse_body()
    except TimelineError as exc:
        raise EditError(exc.message, path=exc.path, hint=exc.hint) from None


@bp.patch("/timelines/<timeline_id>")
def update(timeline_id: str):
    """Rename (`{"title": "..."}`) and/or share (`{"shared": true}` shows it to every token, `false` only to its
    owner); answers the timeline's id, title, sharing and owner.

    Raises: TimelineNotFound (404), NotOwner (403), EditError (400), StoreUnavailable (503)."""
    store = store_of(current_app)
    store.info(timeline_id, viewer=viewer())  # 404 before any word about the body
    if not request.is_json:
        return error("send JSON with Content-Type: application/json", 415)
    body = edit_body()
    unknown = sorted(set(body) - {"title", "shared"})
    if unknown or not body:
        raise EditError(f"field {unknown[0]!r} cannot be changed" if unknown else "send 'title' or 'shared'",
                        path="body", hint="a timeline's 'title' and 'shared' can be changed")
    if "shared" in body and not isinstance(body["shared"], bool):
        raise EditError("field 'shared' must be true or false", path="shared")
    if "title" in body:
        check_edit(load(timeline_id), "rename", "", {"title": body["title"]})  # both checked before either is stored
    if "shared" in body:
        store.share(timeline_id, body["shared"], viewer=viewer())
    if "title" in body:
        store.edit(timeline_id, "rename", "", {"title": body["title"]}, viewer=viewer())
    info = store.info(timeline_id, viewer=viewer())
    return {"id": info.id, "title": info.title, "shared": info.shared, "owner": info.owner}


@bp.patch("/timelines/<timeline_id>/events/<event_id>")
def edit_event(timeline_id: str, event_id: str):
    """Re-word ({"summary"}) and/or re-date ({"start", "end"}) one event; answers the event as exported."""
    store = store_of(current_app)
    timeline = load(timeline_id)
    if event_id not in {e.id for e in timeline.events}:
        return error(f"no event {event_id[:100]!r} in this timeline", 404)
    body = edit_body()
    if not any(k in body for k in ("summary", "start", "end")):
        raise EditError("send 'summary', or 'start' (and 'end'), to change", path="body")
    changes = []  # both checked before either is stored, so a bad date does not leave the wording half-done
    if "summary" in body:
        changes.append(("reword", check_edit(timeline, "reword", event_id, {"summary": body["summary"]})))
    if "start" in body or "end" in body:
        changes.append(("redate", check_edit(timeline, "redate", event_id,
                                             {"start": body.get("start"), "end": body.get("end")})))
    for action, fields in changes:
        store.edit(timeline_id, action, event_id, fields, viewer=viewer())
    return event_json(timeline_id, event_id)


def event_json(timeline_id: str, event_id: str) -> dict:
    body = timeline_json(load(timeline_id))
    return next(e for e in body["events"] if e["event_id"] == event_id)


@bp.delete("/timelines/<timeline_id>/events/<event_id>")
def delete_event(timeline_id: str, event_id: str):
    timeline = load(timeline_id)
    if event_id not in {e.id for e in timeline.events}:
        return error(f"no event {event_id[:100]!r} in this timeline", 404)
    store_of(current_app).edit(timeline_id, "delete", event_id, viewer=viewer())
    return "", 204


@bp.post("/timelines/<timeline_id>/merge")
def merge_events(timeline_id: str):
    """Merge events into the first one named (`{"events": [id, id, ...]}`): their mentions together, the date
    settled again; answers the merged event."""
    load(timeline_id)  # 404 before any word about the body
    body = edit_body()
    events = body.get("events")
    if not isinstance(events, list) or not events or not isinstance(events[0], str):
        raise EditError("'events' must list the ids of two or more events, the one to keep first", path="events")
    store_of(current_app).edit(timeline_id, "merge", events[0], {"events": events[1:]}, viewer=viewer())
    return event_json(timeline_id, events[0])


@bp.post("/timelines/<timeline_id>/events/<event_id>/split")
def split_event(timeline_id: str, event_id: str):
    """Split some of an event's mentions off into a new event: `{"documents": [article ids]}` (every mention of
    those articles) and/or `{"mentions": [places]}`; answers both events."""
    timeline = load(timeline_id)
    if event_id not in {e.id for e in timeline.events}:
        return error(f"no event {event_id[:100]!r} in this timeline", 404)
    body = edit_body()
    edit = store_of(current_app).edit(timeline_id, "split", event_id,
                                      {"documents": body.get("documents"), "mentions": body.get("mentions")},
                                      viewer=viewer())
    return {"event": event_json(timeline_id, event_id), "new_event": event_json(timeline_id, edit.fields["new_event_id"])}


@bp.get("/timelines/<timeline_id>/edits")
def list_edits(timeline_id: str):
    return {"edits": [edit_json(e) for e in store_of(current_app).edits(timeline_id, viewer=viewer())]}


@bp.post("/timelines/<timeline_id>/edits/undo")
def undo(timeline_id: str):
    undone = store_of(current_app).undo(timeline_id, viewer=viewer())
    if undone is None:
        return error("nothing to undo", 409)
    return {"undone": edit_json(undone)}


@bp.get("/openapi.json")
def openapi():
    from web.openapi import spec_for

    return spec_for(store_of(current_app).access_controlled())
