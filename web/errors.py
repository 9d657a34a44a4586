"""Errors -> responses: {"error": ...} JSON under /api (every status, 500 included), a friendly page elsewhere."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from timeline.store import StoreUnavailable

RETRY_AFTER_SECONDS = 5
PAGE_MESSAGES = {
    404: "There is no such page or timeline.",
    405: "That action is not possible here.",
    500: "Something went wrong on our side; the timeline was not changed.",
    503: "The database is busy or unavailable. Please try again in a few seconds.",
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.path == "/api"


def refuse(message: str, status: int, *, hint: str = "", headers: dict | None = None):
    """The error response for this request: JSON under /api, else the error page."""
    if wants_json():
        response = jsonify({"error": f"{message} (hint: {hint})" if hint else message})
    else:
        response = current_app.make_response(
            render_template("error.html", message=PAGE_MESSAGES.get(status) or message[:1].upper() + message[1:]))
    response.status_code = status
    response.headers.update(headers or {})
    return response


def install(app: Flask) -> None:
    """Register the handlers: HTTP errors (with their headers, e.g. Allow on 405), storage faults (503)."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None:  # a response raised as an exception: already what to send
            return error
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        if error.code == 413:
            message = f"the upload is larger than {size_of(current_app.config['MAX_CONTENT_LENGTH'])}"
            if not wants_json():
                from web.pages import index_page

                return index_page(error=message, status=413)
            return refuse(message, 413)
        if error.code == 405:
            message = f"method {request.method} not allowed here"
        elif error.code >= 500:
            message = "internal error"  # never the exception's text: it may name files or data
        else:
            message = (error.description or error.name).rstrip(".")
            message = message[:1].lower() + message[1:]
        if error.code == 404:
            message = "not found"
        return refuse(message, error.code, headers=headers)

    @app.errorhandler(StoreUnavailable)
    def store_unavailable(error: StoreUnavailable):
        # The message names no file: the client only needs to know that trying again may work.
        current_app.logger.warning("database unavailable: %s", error)
        return refuse("the database is busy or unavailable; try again shortly", 503,
                      headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def size_of(limit: int) -> str:
    """A byte limit as people write it: "10 MB", "200 kB", "512 bytes"."""
    for unit, size in (("MB", 1024 * 1024), ("kB", 1024)):
        if limit >= size:
            return f"{limit / size:.3g} {unit}"
    return f"{limit} bytes"
