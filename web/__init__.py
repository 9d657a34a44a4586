"""Flask app factory: pages and the JSON API over a timeline Store. Only web/ imports Flask and plotly."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from timeline.store import Store

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# How long a request waits for another writer before answering 503: short, since a person is waiting.
DATABASE_TIMEOUT_SECONDS = 10


def create_app(test_config: dict | None = None) -> Flask:
    """The web app; `test_config` overrides settings (DATABASE, MAX_CONTENT_LENGTH, ALLOWED_HOSTS, ...).

    Raises:
        StoreError: the database cannot be opened.
    """
    from web import errors, security

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE=os.environ.get("TIMELINE_DATABASE") or str(Path(app.instance_path) / "timeline.sqlite"),
        DATABASE_TIMEOUT=DATABASE_TIMEOUT_SECONDS,
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
        ALLOWED_HOSTS=security.allowed_hosts_from_env(),
    )
    if test_config:
        app.config.update(test_config)
    app.config["ALLOWED_HOSTS"] = tuple(h.lower() for h in app.config["ALLOWED_HOSTS"])
    app.extensions["timeline_store"] = Store(app.config["DATABASE"], timeout=app.config["DATABASE_TIMEOUT"])

    from web import api, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    errors.install(app)
    security.install(app)
    return app


def store_of(app: Flask) -> Store:
    return app.extensions["timeline_store"]
