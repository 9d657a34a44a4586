"""Flask app factory: pages and the JSON API over a timeline Store. Only web/ imports Flask and plotly."""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask

from timeline.store import Store

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def create_app(test_config: dict | None = None) -> Flask:
    """The web app; `test_config` overrides settings (DATABASE, MAX_CONTENT_LENGTH, ...)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        DATABASE=os.environ.get("TIMELINE_DATABASE") or str(Path(app.instance_path) / "timeline.sqlite"),
        MAX_CONTENT_LENGTH=MAX_UPLOAD_BYTES,
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["timeline_store"] = Store(app.config["DATABASE"])

    from web import api, pages

    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    return app


def store_of(app: Flask) -> Store:
    return app.extensions["timeline_store"]
