"""Uploaded files, pasted text and API requests -> checked Documents -> a Timeline built by the pipeline."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime

from flask import current_app

from timeline import build_from_documents
from timeline.pipeline import Budget
from timeline.errors import IngestError
from timeline.display import format_day
from timeline.ingest import date_document, distinct_ids, nothing_read, parse_upload
from timeline.published import read_published
from timeline.types import Document, PublishedSource, Skipped, Timeline

# Limits of the API's fields (the OpenAPI document states the same): a title is shown on every list page.
TITLE_CHARS = 500
ID_CHARS = 200
URL_CHARS = 2048
MAX_ARTICLES = 10_000
# JSON deeper than this is no request of ours (the body's articles sit at depth 3).
MAX_DEPTH = 32
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# A line of three or more dashes alone separates pasted articles (as Markdown writes a break).
PASTE_SEPARATOR = re.compile(r"^[ \t]*-{3,}[ \t]*\r?$", re.MULTILINE)  # a form sends CRLF


def check_unicode(text: str, field: str) -> str:
    """`text`, unless it holds a lone surrogate (JSON's "\\ud800"), which no UTF-8 output can hold.

    Raises:
        IngestError: naming the field and the character's position.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise IngestError(f"holds a lone surrogate (U+{ord(text[exc.start]):04X}) at character {exc.start}",
                          path=field, hint="send valid Unicode text") from None
    return text


def check_json(value, max_depth: int = MAX_DEPTH) -> None:
    """Refuse JSON nested deeper than `max_depth` or holding a lone surrogate in any string (keys too).

    Raises:
        IngestError: naming where.
    """
    stack = [(value, "body", 1)]
    while stack:
        item, where, depth = stack.pop()
        if depth > max_depth:
            raise IngestError(f"JSON nested more than {max_depth} deep", path=where)
        if isinstance(item, str):
            check_unicode(item, where)
        elif isinstance(item, dict):
            for key, child in item.items():
                check_unicode(key, f"{where} key")
                stack.append((child, f"{where}.{key}" if where != "body" else key, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{i}]", depth + 1) for i, child in enumerate(item))


def json_type(value) -> str:
    """The JSON name of a parsed value's type, for messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {dict: "an object", list: "an array", str: "a string"}.get(type(value), "null")


def optional_text(fields: dict, name: str, where: str, max_chars: int) -> str:
    """The string field `name` ('' when absent or null).

    Raises:
        IngestError: it is not a string, or is longer than `max_chars`.
    """
    value = fields.get(name)
    field = f"{where}.{name}" if where else name
    if value is None:
        return ""
    if not isinstance(value, str):
        raise IngestError(f"'{name}' must be a string, not {json_type(value)}", path=field)
    if len(value) > max_chars:
        raise IngestError(f"'{name}' is longer than {max_chars} characters", path=field)
    return check_unicode(value, field)


def strict_date(value, field: str, *, datetime_ok: bool = False) -> date | None:
    """A YYYY-MM-DD date (or, where `datetime_ok`, an ISO 8601 date-time) from a JSON field; None when absent
    (null or left out: the OpenAPI document says so; an empty string is no date and is refused like any other).

    Raises:
        IngestError: it is not a string or not such a date.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise IngestError(f"'{field.rsplit('.', 1)[-1]}' must be a string YYYY-MM-DD, not {json_type(value)}",
                          path=field)
    text = value.strip()
    try:
        if ISO_DAY.fullmatch(text):
            return date.fromisoformat(text)
        if datetime_ok and ISO_DAY.match(text):
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    raise IngestError(f"{value[:40]!r} is not a date in the form YYYY-MM-DD", path=field)


def default_date(value: str | None) -> date | None:
    """The form's or request's default publication date (None when empty).

    Raises:
        IngestError: it is not YYYY-MM-DD.
    """
    return strict_date(value, "published")


def form_date(value: str | None) -> date | None:
    """The form's publication date as a person writes it: 2025-01-29, 29/01/2025, 1/29/2025, 'Jan 29 2025',
    '29 January 2025'; None when empty. A numeric date that reads both ways (01/02/2025) is asked back.

    Raises:
        IngestError: it is not a date, or its day and month could be either (naming both readings).
    """
    text = (value or "").strip()
    if not text:
        return None
    if ISO_DAY.fullmatch(text):
        return strict_date(text, "published")
    try:
        written = read_published(text, "published", None)
    except IngestError:
        raise IngestError(f"{text[:40]!r} is not a date", path="published",
                          hint="write it as 2025-01-29, 29/01/2025 or 29 Jan 2025") from None
    if written.day is None:
        first, second = written.readings
        raise IngestError(f"{text!r} could be {format_day(first)} or {format_day(second)}", path="published",
                          hint=f"write {first.isoformat()} or {second.isoformat()}")
    return written.day


def split_pasted(pasted: str) -> list[str]:
    """Pasted text as articles: one, or several separated by a line of '---'; empty parts are dropped."""
    return [part.strip() for part in PASTE_SEPARATOR.split(pasted or "") if part.strip()]


def checked(documents: list[Document], skipped: list[Skipped] | None = None) -> list[Document]:
    """Documents from files whose every text field is valid Unicode (a .jsonl may hold "\\ud800"); with
    `skipped`, one that is not is recorded there and left out, as any unreadable document is.

    Raises:
        IngestError: naming the document and field (when `skipped` is None).
    """
    kept = []
    for doc in documents:
        try:
            for name in ("id", "title", "url", "text"):
                check_unicode(getattr(doc, name), f"{doc.id.encode('utf-8', 'replace').decode()}: {name}")
        except IngestError as exc:
            if skipped is None:
                raise
            skipped.append(Skipped(path=doc.path or exc.path, reason=exc.message, line=getattr(doc, "line", None)))
            continue
        kept.append(doc)
    return kept


def documents_from_uploads(files: list[tuple[str, bytes]], pasted: str, published,
                           skipped: list[Skipped] | None = None) -> list[Document]:
    """Documents of the uploaded files and pasted text; with `skipped`, unreadable uploads are recorded there.

    Raises:
        IngestError: nothing could be read (naming the first problem), or an upload is bad and `skipped` is None.
    """
    documents: list[Document] = []
    for name, data in files:
        documents.extend(parse_upload(name, data, skipped))
    for part in split_pasted(pasted):  # ids pasted, pasted-2, ... (distinct_ids below)
        documents.append(Document(id="pasted", text=check_unicode(part, "text")))
    documents = checked(documents, skipped)
    if not documents:
        raise nothing_read(skipped) if skipped else IngestError("no articles: upload files or paste text")
    return [date_document(d, published) for d in distinct_ids(documents)]


def documents_from_json(articles, published) -> list[Document]:
    """Documents from the API's `articles`, each field checked against the OpenAPI document.

    Raises:
        IngestError: naming the first bad field.
    """
    if not isinstance(articles, list) or not articles:
        raise IngestError("'articles' must be a non-empty list", path="articles")
    if len(articles) > MAX_ARTICLES:
        raise IngestError(f"'articles' holds more than {MAX_ARTICLES} articles", path="articles")
    documents = []
    for number, article in enumerate(articles, start=1):
        where = f"articles[{number - 1}]"
        if not isinstance(article, dict):
            raise IngestError("each article must be an object with a non-empty 'text'", path=where)
        text = article.get("text")
        if not isinstance(text, str) or not text.strip():
            raise IngestError("each article needs a non-empty 'text'", path=f"{where}.text")
        check_unicode(text, f"{where}.text")
        article_id = optional_text(article, "id", where, ID_CHARS).strip()
        day = strict_date(article.get("published"), f"{where}.published", datetime_ok=True)
        documents.append(Document(id=article_id or f"article-{number}", text=text,
                                  title=optional_text(article, "title", where, TITLE_CHARS),
                                  url=optional_text(article, "url", where, URL_CHARS).strip(),
                                  published=day,
                                  published_source=PublishedSource.FIELD if day else PublishedSource.MISSING))
    return [date_document(d, published) for d in distinct_ids(documents)]


def budget_of(config) -> Budget:
    """The limits of one request's build, from the app's settings (TIMELINE_MAX_* in the environment)."""
    return Budget(articles=config["MAX_ARTICLES"], characters=config["MAX_CHARACTERS"],
                  expressions=config["MAX_EXPRESSIONS"], seconds=config["BUILD_SECONDS"])


def build(documents: list[Document], title: str, skipped: list[Skipped] | None = None) -> Timeline:
    """Raises: BudgetExceeded: past the app's limits (413 for articles/characters, 422 for the work)."""
    return build_from_documents(documents, title=title or "Untitled timeline", progress=False, skipped=skipped,
                                budget=budget_of(current_app.config))
