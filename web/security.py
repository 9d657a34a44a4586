"""Every request and response of the app: Host allow-list, cross-site (CSRF) refusal, security headers."""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Flask, Request, request

from web.errors import refuse

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Sec-Fetch-Site values a browser sends for a request the app's own pages (or the user, typing) made.
SAME_SITE = ("same-origin", "none")
# No inline script anywhere (the page's script is static/timeline.js). Styles may be inline: plotly.js sets
# style attributes and adds a <style> element as it draws.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# The chart page only: plotly.js draws large charts with WebGL through regl, which compiles its drawing code
# with Function(). 'unsafe-eval' lets that run; inline script and script from elsewhere stay refused.
CHART_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-eval'")
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Not no-referrer: under it Chromium sends "Origin: null" with the app's own form posts.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def allowed_hosts_from_env() -> tuple[str, ...]:
    """TIMELINE_ALLOWED_HOSTS (comma-separated, `*` for any) added to the loopback names."""
    extra = [h.strip().lower() for h in os.environ.get("TIMELINE_ALLOWED_HOSTS", "").split(",") if h.strip()]
    return (*LOOPBACK_HOSTS, *extra)


def host_name(host: str) -> str:
    """The name of a Host header without its port: 'example.org:5000' -> 'example.org', '[::1]:80' -> '::1'."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def is_cross_site(req: Request) -> bool:
    """Whether a browser says another site sent this request: Sec-Fetch-Site where the browser sends it, else
    Origin (older browsers). Clients that send neither (curl, scripts) are not a browser acting for a page."""
    site = req.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site.lower() not in SAME_SITE
    origin = req.headers.get("Origin")
    if origin is None:
        return False
    return origin == "null" or urlsplit(origin).netloc.lower() != req.host.lower()


def install(app: Flask) -> None:
    """Check the Host and the sender of state-changing requests before any view; add headers to every response."""

    @app.before_request
    def check_request():
        hosts = app.config["ALLOWED_HOSTS"]
        if "*" not in hosts and host_name(request.host) not in hosts:
            return refuse(f"host {host_name(request.host)!r} is not served here", 400,
                          hint="add it to TIMELINE_ALLOWED_HOSTS")
        if request.method not in SAFE_METHODS and is_cross_site(request):
            return refuse("cross-site request refused", 403)
        return None

    @app.after_request
    def add_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
