"""HTML pages: the list and upload form, a timeline's chart, table and highlighted articles, downloads."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from timeline.errors import BudgetExceeded, TimelineError
from timeline.export import events_csv, render
from timeline.store import StoreUnavailable, TimelineNotFound
from timeline.types import Timeline
from web import store_of
from web.auth import viewer
from web.building import TITLE_CHARS, build, check_unicode, default_date, documents_from_uploads
from web.charts import build_figure
from web.security import CHART_CONTENT_SECURITY_POLICY

bp = Blueprint("pages", __name__)
LINK_SCHEMES = ("http", "https")


@bp.app_template_filter("web_link")
def web_link(url: str) -> str:
    """`url` when it is an http(s) address a page may link to, else '' (javascript:, data:, ... stay text)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in LINK_SCHEMES and parts.netloc else ""


def index_page(error: str | None = None, status: int = 200):
    return render_template("index.html", timelines=store_of(current_app).list(viewer=viewer()),
                           error=error), status


@bp.get("/")
def index():
    return index_page()


@bp.post("/timelines")
def create():
    files = [(f.filename or "upload.txt", f.read()) for f in request.files.getlist("files") if f and f.filename]
    skipped: list = []  # the good files of a batch are read; the others are listed on the timeline's page
    try:
        title = check_unicode(request.form.get("title", "").strip(), "title")
        if len(title) > TITLE_CHARS:
            raise TimelineError(f"the title is longer than {TITLE_CHARS} characters")
        documents = documents_from_uploads(files, request.form.get("text", ""),
                                           default_date(request.form.get("published")), skipped)
        timeline_id = store_of(current_app).save(build(documents, title, skipped), owner=viewer())
    except StoreUnavailable:
        raise  # 503, in web/errors.py
    except BudgetExceeded as exc:
        return index_page(error=str(exc), status=413 if exc.too_large else 422)
    except TimelineError as exc:
        return index_page(error=str(exc), status=400)
    return redirect(url_for("pages.show", timeline_id=timeline_id), code=303)


def load_or_404(timeline_id: str) -> Timeline:
    """Raises: NotFound (404); StoreUnavailable (503, not 404: the timeline may well exist)."""
    try:
        return store_of(current_app).load(timeline_id, viewer=viewer())
    except TimelineNotFound:
        abort(404)


def highlighted(text: str, marks: list[tuple[int, int, str, str]]) -> Markup:
    """Article text, escaped, with each dated phrase wrapped in a link to its event."""
    pieces, last = [], 0
    for start, end, event_id, value in sorted(marks):
        if start < last:
            continue
        pieces.append(escape(text[last:start]))
        pieces.append(Markup('<a class="timex" href="#{0}" data-event="{0}" title="{1}">{2}</a>').format(
            event_id, value, text[start:end]))
        last = end
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def articles_of(timeline: Timeline) -> list[dict]:
    marks: dict[str, list] = {}
    for event in timeline.events:
        for m in event.mentions:
            if not m.implicit and m.char_start >= 0:  # a headline's phrase is not in the body
                marks.setdefault(m.document, []).append((m.char_start, m.char_end, event.id, m.timex.value))
    return [{"doc": d, "html": highlighted(d.text, marks.get(d.id, []))} for d in timeline.documents]


@bp.get("/timelines/<timeline_id>")
def show(timeline_id: str):
    timeline = load_or_404(timeline_id)
    events = [{"order": i, "event": e} for i, e in enumerate(timeline.events, start=1)]
    page = render_template("timeline.html", timeline=timeline, timeline_id=timeline_id, events=events,
                           figure=build_figure(timeline), articles=articles_of(timeline))
    return page, 200, {"Content-Security-Policy": CHART_CONTENT_SECURITY_POLICY}


@bp.get("/timelines/<timeline_id>/events.csv")
def download_csv(timeline_id: str):
    return download(events_csv(load_or_404(timeline_id)), f"{timeline_id}-events.csv", "text/csv")


@bp.get("/timelines/<timeline_id>/timeline.json")
def download_json(timeline_id: str):
    return download(render(load_or_404(timeline_id), "json"), f"{timeline_id}.json", "application/json")


@bp.get("/timelines/<timeline_id>/timelinejs.json")
def download_timelinejs(timeline_id: str):
    return download(render(load_or_404(timeline_id), "timelinejs"), f"{timeline_id}.timelinejs.json",
                    "application/json")


def download(text: str, name: str, mimetype: str) -> Response:
    return Response(text, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/static/plotly.min.js")
def plotly_js():
    # plotly.js ships inside the plotly package: the page works with no network.
    from plotly.offline import get_plotlyjs

    return Response(get_plotlyjs(), mimetype="application/javascript",
                    headers={"Cache-Control": "public, max-age=86400"})
