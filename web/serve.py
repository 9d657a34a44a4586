"""`timeline serve`: the web app under waitress, a production WSGI server."""
from __future__ import annotations

import sys

from timeline.errors import TimelineError


def serve(host: str = "127.0.0.1", port: int = 5000, database: str | None = None) -> None:
    """Serve until interrupted.

    Raises:
        TimelineError: the port is taken or the database cannot be opened.
    """
    from waitress import serve as waitress_serve

    from web import create_app
    from web.security import LOOPBACK_HOSTS, allowed_hosts_from_env

    config = {"ALLOWED_HOSTS": (*allowed_hosts_from_env(), host.strip("[]"))}
    if database:
        config["DATABASE"] = database
    app = create_app(config)
    print(f"timeline: serving http://{host}:{port}/ (database {app.config['DATABASE']})", file=sys.stderr)
    if host.strip("[]") not in LOOPBACK_HOSTS:
        print(f"timeline: warning: {host} is not a loopback address and the app has no authentication: anyone who "
              "can connect can read and delete timelines (Host names served: TIMELINE_ALLOWED_HOSTS)",
              file=sys.stderr)
    try:
        waitress_serve(app, host=host, port=port, threads=8)
    except OSError as exc:
        raise TimelineError(f"cannot listen on {host}:{port}: {exc.strerror}", hint="try --port") from None
