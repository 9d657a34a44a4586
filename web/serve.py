"""`timeline serve`: the web app under waitress, a production WSGI server."""
from __future__ import annotations

import sys

from timeline.errors import TimelineError


def serve(host: str = "127.0.0.1", port: int = 5000, database: str | None = None) -> None:
    """Serve until interrupted.

    Raises:
        TimelineError: the port is taken, the database cannot be opened, or the host is not a loopback address
            and no access token exists.
    """
    from waitress import serve as waitress_serve

    from web import create_app, store_of
    from web.security import LOOPBACK_HOSTS, allowed_hosts_from_env

    config = {"ALLOWED_HOSTS": (*allowed_hosts_from_env(), host.strip("[]"))}
    if database:
        config["DATABASE"] = database
    app = create_app(config)
    store = store_of(app)
    # Off loopback, anyone who can connect could read and delete every timeline: tokens first.
    if host.strip("[]") not in LOOPBACK_HOSTS and not any(t.revoked is None for t in store.tokens()):
        raise TimelineError(f"serving on {host} needs an access token, and {app.config['DATABASE']} has none",
                            hint=f"run 'timeline token create --scope read-write --database {app.config['DATABASE']}'")
    print(f"timeline: serving http://{host}:{port}/ (database {app.config['DATABASE']}"
          f"{', tokens required' if store.access_controlled() else ''})", file=sys.stderr)
    try:
        waitress_serve(app, host=host, port=port, threads=8)
    except OSError as exc:
        raise TimelineError(f"cannot listen on {host}:{port}: {exc.strerror}", hint="try --port") from None
