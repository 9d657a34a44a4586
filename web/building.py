"""Uploaded files, pasted text and API articles -> a Timeline built by the pipeline and stored."""
from __future__ import annotations

from timeline import build_from_documents
from timeline.errors import IngestError
from timeline.ingest import date_document, document_from_record, nothing_read, parse_upload, unique_ids
from timeline.timexes import as_date
from timeline.types import Document, Skipped, Timeline


def default_date(value: str | None):
    """The form's or request's default publication date.

    Raises:
        DateError: it is not YYYY-MM-DD.
    """
    return as_date(value.strip()) if value and value.strip() else None


def documents_from_uploads(files: list[tuple[str, bytes]], pasted: str, published,
                           skipped: list[Skipped] | None = None) -> list[Document]:
    """Documents of the uploaded files and pasted text; with `skipped`, unreadable uploads are recorded there.

    Raises:
        IngestError: nothing could be read (naming the first problem), or an upload is bad and `skipped` is None.
    """
    documents: list[Document] = []
    for name, data in files:
        documents.extend(parse_upload(name, data, skipped))
    if pasted and pasted.strip():
        documents.append(Document(id="pasted", text=pasted.strip()))
    if not documents:
        raise nothing_read(skipped) if skipped else IngestError("no articles: upload files or paste text")
    return [date_document(d, published) for d in unique_ids(documents)]


def documents_from_json(articles, published) -> list[Document]:
    if not isinstance(articles, list) or not articles:
        raise IngestError("'articles' must be a non-empty list")
    documents = []
    for number, article in enumerate(articles, start=1):
        where = f"articles[{number - 1}]"
        if not isinstance(article, dict) or not isinstance(article.get("text"), str) or not article["text"].strip():
            raise IngestError("each article needs a non-empty 'text'", path=where)
        record = {**article, "published": article.get("published") or None}
        doc = document_from_record(record, where, None, f"article-{number}")
        documents.append(Document(id=doc.id, text=article["text"], title=doc.title, url=doc.url,
                                  **{k: getattr(doc, k) for k in ("published", "published_source", "published_raw",
                                                                  "published_at", "published_reading",
                                                                  "published_readings")}))
    return [date_document(d, published) for d in unique_ids(documents)]


def build(documents: list[Document], title: str, skipped: list[Skipped] | None = None) -> Timeline:
    return build_from_documents(documents, title=title or "Untitled timeline", progress=False, skipped=skipped)
