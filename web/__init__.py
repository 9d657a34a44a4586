"""Flask app factory: pages and the JSON API over a timeline Store. Only web/ imports Flask and plotly."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from timeline.store import Store, StoreUnavailable

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# How long a request waits for another writer before answering 503: short, since a person is waiting.
DATABASE_TIMEOUT_SECONDS = 10


def create_app(test_config: dict | None = None) -> Flask:
    """The web app; `test_config` overrides settings (DATABASE, MAX_CONTENT_LENGTH, ALLOWED_HOSTS, SECRET_KEY, ...).

    Raises:
        StoreError: the database cannot be opened.
    """
    from web import errors, security

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE=default_database(app.instance_path),
        DATABASE_TIMEOUT=DATABASE_TIMEOUT_SECONDS,
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        # What one request may build: past these, 413 (articles, characters) or 422 (mentions, seconds).
        MAX_ARTICLES=int(os.environ.get("TIMELINE_MAX_ARTICLES", 10_000)),
        MAX_CHARACTERS=int(os.environ.get("TIMELINE_MAX_CHARACTERS", 5_000_000)),
        MAX_EXPRESSIONS=int(os.environ.get("TIMELINE_MAX_EXPRESSIONS", 200_000)),
        BUILD_SECONDS=float(os.environ.get("TIMELINE_BUILD_SECONDS", 120)),
        # Past this many characters a build runs as a background job (202 + a job to poll), never in the request.
        JOB_THRESHOLD=int(os.environ.get("TIMELINE_JOB_THRESHOLD", 100_000)),
        JOB_WORKERS=int(os.environ.get("TIMELINE_JOB_WORKERS", 2)),
        JOB_SECONDS=float(os.environ.get("TIMELINE_JOB_SECONDS", 1800)),
        ALLOWED_HOSTS=security.allowed_hosts_from_env(),
        # The events table's rows sent as HTML; the page's script builds the others from the events' JSON as the
        # reader scrolls (a 5,000-row table parsed and styled before the chart cost most of a second).
        PAGE_ROWS=int(os.environ.get("TIMELINE_PAGE_ROWS", 100)),
        SECRET_KEY=os.environ.get("TIMELINE_SECRET_KEY") or None,
        # The login session: signed, out of reach of scripts, never sent with a request another site starts.
        SESSION_COOKIE_NAME="timeline_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=os.environ.get("TIMELINE_SECURE_COOKIE") == "1",
    )
    if test_config:
        app.config.update(test_config)
    app.config["ALLOWED_HOSTS"] = tuple(h.lower() for h in app.config["ALLOWED_HOSTS"])
    store = app.extensions["timeline_store"] = Store(app.config["DATABASE"], timeout=app.config["DATABASE_TIMEOUT"])
    if not app.config["SECRET_KEY"]:
        try:
            app.secret_key = store.secret_key()
        except StoreUnavailable:
            pass  # a read-only database without a key yet: no sessions, so the pages answer 503 when tokens are on

    from web import api, auth, jobs, pages

    jobs.install(app, store)

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    errors.install(app)
    security.install(app)
    auth.install(app)  # after security: the Host and cross-site checks come first
    return app


def default_database(instance_path: str | None = None) -> str:
    """TIMELINE_DATABASE, else timeline.sqlite in the app's instance folder: where `serve` and `token` look."""
    if os.environ.get("TIMELINE_DATABASE"):
        return os.environ["TIMELINE_DATABASE"]
    instance_path = instance_path or Flask(__name__, instance_relative_config=True).instance_path
    return str(Path(instance_path) / "timeline.sqlite")


def store_of(app: Flask) -> Store:
    return app.extensions["timeline_store"]
