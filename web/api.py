"""JSON API: create, list, read, export and delete timelines; every error is {"error": "..."} with a 4xx."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, make_response, request, url_for

from timeline.errors import StoreError, TimelineError
from timeline.export import events_csv, timeline_json
from timeline.types import Timeline
from web import store_of
from web.building import build, default_date, documents_from_json

bp = Blueprint("api", __name__, url_prefix="/api")


def error(message: str, status: int):
    return {"error": message}, status


@bp.post("/timelines")
def create():
    if not request.is_json:
        return error("send JSON with Content-Type: application/json", 415)
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error("the body must be a JSON object", 400)
    try:
        title = body.get("title") or ""
        if not isinstance(title, str):
            return error("'title' must be a string", 400)
        published = body.get("published")
        if published is not None and not isinstance(published, str):
            return error("'published' must be a string YYYY-MM-DD", 400)
        documents = documents_from_json(body.get("articles"), default_date(published))
        timeline = build(documents, title)
        timeline_id = store_of(current_app).save(timeline)
    except TimelineError as exc:
        return error(str(exc), 400)
    return ({"id": timeline_id, "events": len(timeline.events),
             "url": url_for("pages.show", timeline_id=timeline_id)}, 201,
            {"Location": url_for("api.read", timeline_id=timeline_id)})


@bp.get("/timelines")
def list_timelines():
    return {"timelines": [{"id": t.id, "title": t.title, "created": t.created, "events": t.n_events,
                           "documents": t.n_documents} for t in store_of(current_app).list()]}


def load_or_404(timeline_id: str) -> Timeline:
    try:
        return store_of(current_app).load(timeline_id)
    except StoreError:
        abort(make_response(*error(f"no timeline {timeline_id!r}", 404)))


@bp.get("/timelines/<timeline_id>")
def read(timeline_id: str):
    return {"id": timeline_id, **timeline_json(load_or_404(timeline_id))}


@bp.get("/timelines/<timeline_id>/events.csv")
def read_csv(timeline_id: str):
    return Response(events_csv(load_or_404(timeline_id)), mimetype="text/csv")


@bp.delete("/timelines/<timeline_id>")
def delete(timeline_id: str):
    if not store_of(current_app).delete(timeline_id):
        return error(f"no timeline {timeline_id!r}", 404)
    return "", 204


@bp.get("/openapi.json")
def openapi():
    from web.openapi import SPEC

    return SPEC
