"""JSON API: create, list, read, export and delete timelines; every error is {"error": "..."} (see web/errors.py)."""
from __future__ import annotations

import hashlib
import json
import re

from flask import Blueprint, Response, current_app, request, url_for

from timeline.errors import BudgetExceeded, TimelineError
from timeline.export import events_csv, timeline_json
from timeline.store import IdempotencyConflict, NotOwner, StoreUnavailable, TimelineNotFound
from timeline.types import Timeline
from web import store_of
from web.auth import viewer
from web.building import TITLE_CHARS, build, check_json, default_date, documents_from_json, optional_text
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


def parse_body() -> dict:
    """The request's JSON object, checked for depth and lone surrogates before anything reads it.

    Raises:
        TimelineError: it is not JSON, not an object, nested too deep or not valid Unicode.
    """
    try:
        body = json.loads(request.get_data(cache=True))
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
    try:
        body = parse_body()
        title = optional_text(body, "title", "", TITLE_CHARS)
        documents = documents_from_json(body.get("articles"), default_date(body.get("published")))
        timeline = build(documents, title)
        timeline_id, created = store.save_once(timeline, key=key, digest=digest, owner=viewer())
    except IdempotencyConflict as exc:
        return error(str(exc), 409)
    except StoreUnavailable:
        raise  # 503 with Retry-After, in web/errors.py
    except BudgetExceeded as exc:
        return error(str(exc), 413 if exc.too_large else 422)
    except TimelineError as exc:
        return error(str(exc), 400)
    if not created:  # a retry with the same key won the race: answer as the first did
        return replay(key, digest, digest, timeline_id)
    return created_response(timeline_id, len(timeline.events))


def created_response(timeline_id: str, events: int, **headers):
    return ({"id": timeline_id, "events": events, "url": url_for("pages.show", timeline_id=timeline_id)}, 201,
            {"Location": url_for("api.read", timeline_id=timeline_id), **headers})


def replay(key: str, digest: str, earlier_digest: str, timeline_id: str):
    """The answer to a POST whose Idempotency-Key was seen before: the first answer, or 409 for another body."""
    if earlier_digest != digest:
        key = key.split(":", 1)[1] if viewer() is not None else key
        return error(f"the Idempotency-Key {key!r} was used for another request body", 409)
    info = store_of(current_app).info(timeline_id)
    return created_response(timeline_id, info.n_events, **{"Idempotent-Replayed": "true"})


def page_param(name: str, default: int, low: int, high: int) -> int:
    """Raises: BadRequest: the query parameter is not a whole number in [low, high]."""
    text = request.args.get(name)
    if text is None:
        return default  # "?limit=" is refused below: the document says a number, and an empty one is none
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
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
    return Response(events_csv(load(timeline_id)), mimetype="text/csv")


@bp.delete("/timelines/<timeline_id>")
def delete(timeline_id: str):
    """Raises: NotOwner (403 above): another token's shared timeline."""
    if not store_of(current_app).delete(timeline_id, viewer=viewer()):
        return error(f"no timeline {timeline_id!r}", 404)
    return "", 204


@bp.patch("/timelines/<timeline_id>")
def update(timeline_id: str):
    """`{"shared": true}` shows the timeline to every token, `false` only to its owner.

    Raises: TimelineNotFound (404), NotOwner (403), StoreUnavailable (503)."""
    if not request.is_json:
        return error("send JSON with Content-Type: application/json", 415)
    try:
        body = parse_body()
    except TimelineError as exc:
        return error(str(exc), 400)
    unknown = sorted(set(body) - {"shared"})
    if unknown:
        return error(f"field {unknown[0]!r} cannot be changed (only 'shared')", 400)
    if not isinstance(body.get("shared"), bool):
        return error("field 'shared' must be true or false", 400)
    info = store_of(current_app).share(timeline_id, body["shared"], viewer=viewer())
    return {"id": info.id, "shared": info.shared, "owner": info.owner}


@bp.get("/openapi.json")
def openapi():
    from web.openapi import spec_for

    return spec_for(store_of(current_app).access_controlled())
