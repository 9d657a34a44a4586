"""Shared fixtures: the real seed articles and corpora from ../shared, the sample corpus, a temporary database."""
from __future__ import annotations

import os
import socket
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
ANCHOR = date(2025, 1, 29)  # a Wednesday: the seed articles' publication date


def find_shared() -> Path | None:
    for candidate in (os.environ.get("TIMELINE_SHARED"), ROOT.parent / "shared"):
        if candidate and (Path(candidate) / "seeds").is_dir():
            return Path(candidate)
    return None


SHARED = find_shared()


@pytest.fixture
def shared() -> Path:
    if SHARED is None:
        pytest.skip("the shared corpora (../shared) are not on this machine")
    return SHARED


@pytest.fixture
def seeds(shared) -> Path:
    return shared / "seeds"


@contextmanager
def served(app):
    """The app served by waitress on a free port of 127.0.0.1, for the browser tests: yields its base URL."""
    from waitress.server import create_server

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    wsgi = create_server(app, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=wsgi.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        wsgi.close()
