"""Access control, on once any token exists: a request -> the token it acts for (Bearer header under /api, the
signed session cookie on pages), or 401/403; the login form that opens a session."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, g, redirect, render_template, request, session, url_for

from timeline.store import Scope, StoreUnavailable, Token
from web import store_of
from web.errors import refuse

bp = Blueprint("auth", __name__)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Open to anyone even with tokens on: the API's description, the login form and the files its page needs.
PUBLIC_PATHS = ("/api/openapi.json",)
PUBLIC_ENDPOINTS = ("auth.login", "auth.logout", "static", "pages.plotly_js")
REALM = 'Bearer realm="timeline"'
SESSION_KEY = "token"  # the session cookie holds the token's id, never its secret


def current_token() -> Token | None:
    """The token this request acts for; None when access control is off (no tokens in the database)."""
    return g.get("token")


def viewer() -> str | None:
    """The id of the token whose timelines this request sees (its own and shared ones); None: it sees them all."""
    token = current_token()
    return token.id if token else None


def bearer_secret() -> str | None:
    """The token in `Authorization: Bearer <token>`, or None when the header is missing or of another scheme."""
    scheme, _, secret = request.headers.get("Authorization", "").strip().partition(" ")
    return secret.strip() or None if scheme.lower() == "bearer" else None


def authenticate_api():
    """The token of an /api request, or the 401 that asks for one."""
    secret = bearer_secret()
    if secret is None:
        return refuse("this server needs an access token: send Authorization: Bearer <token>", 401,
                      headers={"WWW-Authenticate": REALM})
    token = store_of(current_app).token_for(secret)
    if token is None:
        return refuse("the access token is unknown or revoked", 401,
                      headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'})
    return token


def authenticate_page():
    """The token of a page request's session, or the way to the login form."""
    token_id = session.get(SESSION_KEY)
    token = store_of(current_app).token_by_id(token_id) if isinstance(token_id, str) else None
    if token is not None:
        return token
    if SESSION_KEY in session:
        session.pop(SESSION_KEY)  # revoked since the session was opened
    if request.method in SAFE_METHODS:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")), code=303)
    return refuse("sign in first", 401)


def install(app: Flask) -> None:
    """Check every request's credentials after the Host and cross-site checks (web/security.py)."""
    app.register_blueprint(bp)

    @app.before_request
    def check_access():
        g.token = None
        if request.path in PUBLIC_PATHS or request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if not store_of(current_app).access_controlled():
            return None
        is_api = request.path == "/api" or request.path.startswith("/api/")
        token = authenticate_api() if is_api else authenticate_page()
        if not isinstance(token, Token):
            return token  # the refusal
        g.token = token
        # An unknown route or method keeps its 404 / 405 (with Allow) for every caller that may read.
        if request.url_rule is not None and request.method not in SAFE_METHODS and token.scope is not Scope.READ_WRITE:
            return refuse(f"the token {token.id!r} may only read", 403)
        return None

    @app.context_processor
    def signed_in():
        return {"signed_in": current_token()}


def local_path(target: str | None) -> str:
    """`target` when it is a path on this site (so the login form cannot send anyone elsewhere), else the index.

    Browsers drop tabs and line breaks from a URL before reading it ("/\t/evil.com" is "//evil.com"), and a
    header cannot hold a line break: such a target is refused, as is anything with a scheme or a host."""
    if not target or any(c in target for c in "\t\r\n\\") or not target.isprintable():
        return url_for("pages.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("pages.index")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    store = store_of(current_app)
    target = local_path(request.values.get("next"))
    if not store.access_controlled():
        return redirect(target, code=303)  # nothing to sign in to
    if request.method == "GET":
        return render_template("login.html", next=target, error=None)
    token = store.token_for(request.form.get("token", "").strip())
    if token is None:
        return render_template("login.html", next=target, error="That token is unknown or revoked."), 401
    if not current_app.secret_key:  # a read-only database that never had a key, and no TIMELINE_SECRET_KEY
        raise StoreUnavailable("no key to sign the session with")
    session.clear()
    session[SESSION_KEY] = token.id
    return redirect(target, code=303)


@bp.post("/logout")
def logout():
    session.clear()
    return redirect(url_for("auth.login"), code=303)
