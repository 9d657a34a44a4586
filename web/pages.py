"""HTML pages: the list and upload form, a timeline's chart, table and highlighted articles, downloads."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for
from timeline.curation import EditError
from timeline.display import name_document
from timeline.errors import BudgetExceeded, IngestError, TimelineError
from timeline.export import events_csv, render
from timeline.filters import FilterError, read_filter
from timeline.ingest import date_document
from timeline.store import JobFinished, JobNotFound, NotOwner, StoreUnavailable, TimelineNotFound
from timeline.types import Timeline
from web import store_of
from web.auth import current_token, viewer
from web.building import TITLE_CHARS, budget_of, build, check_unicode, documents_from_uploads, form_date
from web.jobs import characters_of, job_json, large, runner_of, start_job
from web.charts import build_figure
from web.security import CHART_CONTENT_SECURITY_POLICY
from web.timeline_view import articles_of, event_views, page_events, told_sentences, unplaced

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


FORM_FIELDS = ("title", "text", "published")


def index_page(error: str | None = None, status: int = 200, form: dict | None = None, files: int = 0):
    """The list and the form; after an error the form holds what was typed (`form`), and says how many files
    must be chosen again (a browser never lets a page refill a file input)."""
    typed = {name: (form or {}).get(name, "") for name in FORM_FIELDS}
    store = store_of(current_app)
    # A page answered before sign-in (an error on the public login route) lists nothing: no token, no timelines.
    signed_out = current_token() is None and store.access_controlled()
    timelines = [] if signed_out else store.list(viewer=viewer())
    return render_template("index.html", timelines=timelines, error=error, form=typed, files=files), status


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
                                           form_date(request.form.get("published")), skipped)
        if large(current_app, documents):  # built in the background: the page shows its progress
            budget_of(current_app.config).check_documents(len(documents), characters_of(documents))
            job, _ = start_job(current_app, documents, title, owner=viewer(), skipped=skipped)
            return redirect(url_for("pages.show_job", job_id=job.id), code=303)
        timeline_id = store_of(current_app).save(build(documents, title, skipped), owner=viewer())
    except StoreUnavailable:
        raise  # 503, in web/errors.py
    except BudgetExceeded as exc:
        return index_page(error=str(exc), status=413 if exc.too_large else 422)
    except TimelineError as exc:
        return index_page(error=str(exc), status=400, form=request.form, files=len(files))
    return redirect(url_for("pages.show", timeline_id=timeline_id), code=303)


@bp.errorhandler(NotOwner)
def not_owner(exc: NotOwner):
    return render_template("error.html", message=str(exc)), 403


def load_or_404(timeline_id: str) -> Timeline:
    """Raises: NotFound (404); StoreUnavailable (503, not 404: the timeline may well exist)."""
    try:
        return store_of(current_app).load(timeline_id, viewer=viewer())
    except TimelineNotFound:
        abort(404)


def render_show(timeline_id: str, timeline: Timeline, error: str | None = None, status: int = 200):
    """The timeline's page. The events travel once, as JSON the page's script draws the chart's lanes, filters
    and table rows from; only the first PAGE_ROWS rows are HTML (a page without script, and the first screen),
    the script adds the others as the reader scrolls to them."""
    figure = build_figure(timeline) if timeline.events else None
    spans = told_sentences(timeline)
    views = event_views(timeline, spans)
    page = render_template("timeline.html", timeline=timeline, timeline_id=timeline_id,
                           names={d.id: name_document(d.title, d.text) for d in timeline.documents},
                           events=views, rows=views[:current_app.config["PAGE_ROWS"]], figure=figure,
                           page_events=page_events(timeline, views, web_link) if figure else None,
                           articles=articles_of(timeline, spans), unplaced=unplaced(timeline), error=error,
                           edits=store_of(current_app).edits(timeline_id),
                           undated=[d for d in timeline.documents if d.published is None])
    return page, status, {"Content-Security-Policy": CHART_CONTENT_SECURITY_POLICY}


@bp.get("/timelines/<timeline_id>")
def show(timeline_id: str):
    return render_show(timeline_id, load_or_404(timeline_id))


@bp.post("/timelines/<timeline_id>/rebuild")
def rebuild(timeline_id: str):
    """Give the articles without a publication date the one entered, build again and replace the timeline."""
    timeline = load_or_404(timeline_id)
    try:
        day = form_date(request.form.get("published"))
        if day is None:
            raise IngestError("enter the publication date", path="published", hint="for example 2025-01-29")
        documents = [date_document(d, day) if d.published is None else d for d in timeline.documents]
        info = store_of(current_app).check_may_change(timeline_id, viewer())
        if large(current_app, documents):
            budget_of(current_app.config).check_documents(len(documents), characters_of(documents))
            job, _ = start_job(current_app, documents, timeline.title, owner=viewer(), target=timeline_id,
                               skipped=list(timeline.skipped))
            return redirect(url_for("pages.show_job", job_id=job.id), code=303)
        store_of(current_app).save(build(documents, timeline.title, list(timeline.skipped)), timeline_id,
                                   owner=info.owner)
    except StoreUnavailable:
        raise
    except TimelineError as exc:
        return render_show(timeline_id, timeline, error=str(exc), status=400)
    return redirect(url_for("pages.show", timeline_id=timeline_id), code=303)


@bp.post("/timelines/<timeline_id>/edit")
def edit_event(timeline_id: str):
    """The page's edit form: re-word, re-date or delete the event chosen in the table or on the chart."""
    timeline = load_or_404(timeline_id)
    action = request.form.get("action", "")
    event_id = request.form.get("event_id", "")
    fields = {"summary": request.form.get("summary"), "start": request.form.get("start"),
              "end": request.form.get("end") or request.form.get("start")}
    try:
        if action == "merge":
            fields = {"events": events_named(timeline, request.form.get("merge_with", ""))}
        elif action == "split":
            fields = {"documents": request.form.getlist("documents")}
        edit = store_of(current_app).edit(timeline_id, action, event_id, fields, viewer=viewer())
    except StoreUnavailable:
        raise
    except TimelineError as exc:
        return render_show(timeline_id, timeline, error=f"Could not change the event: {exc}", status=400)
    anchor = "" if action == "delete" else f"#{edit.fields.get('new_event_id', event_id)}"
    return redirect(url_for("pages.show", timeline_id=timeline_id) + anchor, code=303)


def events_named(timeline: Timeline, text: str) -> list[str]:
    """The events a person named to merge with: numbers as the table shows them ('3, 5') or event ids.

    Raises:
        EditError: a number that is no row of the table, or nothing named.
    """
    named = []
    for word in re.split(r"[\s,;]+", text.strip()):
        if word.isdigit():
            if not 1 <= int(word) <= len(timeline.events):
                raise EditError(f"there is no event {word}", path="merge_with",
                                hint=f"use the numbers 1 to {len(timeline.events)} of the table")
            named.append(timeline.events[int(word) - 1].id)
        elif word:
            named.append(word.lstrip("#"))
    if not named:
        raise EditError("name the events to merge with, by their numbers in the table", path="merge_with")
    return named


@bp.post("/timelines/<timeline_id>/rename")
def rename(timeline_id: str):
    timeline = load_or_404(timeline_id)
    try:
        store_of(current_app).edit(timeline_id, "rename", "", {"title": request.form.get("title")}, viewer=viewer())
    except StoreUnavailable:
        raise
    except TimelineError as exc:
        return render_show(timeline_id, timeline, error=f"Could not rename: {exc}", status=400)
    return redirect(url_for("pages.show", timeline_id=timeline_id), code=303)


@bp.post("/timelines/<timeline_id>/undo")
def undo(timeline_id: str):
    load_or_404(timeline_id)
    store_of(current_app).undo(timeline_id, viewer=viewer())
    return redirect(url_for("pages.show", timeline_id=timeline_id), code=303)


@bp.post("/timelines/<timeline_id>/delete")
def delete(timeline_id: str):
    if not store_of(current_app).delete(timeline_id, viewer=viewer()):
        abort(404)
    return redirect(url_for("pages.index"), code=303)


def job_or_404(job_id: str):
    try:
        return store_of(current_app).job(job_id, viewer=viewer())
    except JobNotFound:
        abort(404)


@bp.get("/jobs/<job_id>")
def show_job(job_id: str):
    """A background build: its progress bar (kept up to date by static/job.js), a Cancel button, then the way on."""
    job = job_or_404(job_id)
    return render_template("job.html", job=job, state=job_json(job))


@bp.get("/jobs/<job_id>/status")
def job_status(job_id: str):
    """The job as JSON for the page's script (the page's session, where the API would need a bearer token)."""
    return job_json(job_or_404(job_id))


@bp.post("/jobs/<job_id>/cancel")
def cancel_job(job_id: str):
    job_or_404(job_id)
    try:
        store_of(current_app).cancel_job(job_id, viewer=viewer())
        runner_of(current_app).cancel(job_id)
    except JobFinished:
        pass  # finished meanwhile: the job's page says how
    return redirect(url_for("pages.show_job", job_id=job_id), code=303)


@bp.get("/timelines/<timeline_id>/events.csv")
def download_csv(timeline_id: str):
    """The events CSV; the page's filters (source, from, to, confidence, conflicts, q) narrow it as they narrow
    the table."""
    timeline = load_or_404(timeline_id)
    try:
        keep = read_filter(request.args, timeline, request.args.getlist("confidence"))
    except FilterError as exc:
        abort(400, str(exc))
    name = f"{timeline_id}-events-filtered.csv" if keep.active else f"{timeline_id}-events.csv"
    return download(events_csv(timeline, keep=keep), name, "text/csv")


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
