"""Uploaded files, pasted text and API articles -> a Timeline built by the pipeline and stored."""
from __future__ import annotations

from timeline import build_from_documents
from timeline.errors import IngestError
from timeline.ingest import date_document, parse_published, parse_upload, unique_ids
from timeline.timexes import as_date
from timeline.types import Document, PublishedSource, Timeline


def default_date(value: str | None):
    """The form's or request's default publication date.

    Raises:
        DateError: it is not YYYY-MM-DD.
    """
    return as_date(value.strip()) if value and value.strip() else None


def documents_from_uploads(files: list[tuple[str, bytes]], pasted: str, published) -> list[Document]:
    documents: list[Document] = []
    for name, data in files:
        documents.extend(parse_upload(name, data))
    if pasted and pasted.strip():
        documents.append(Document(id="pasted", text=pasted.strip()))
    if not documents:
        raise IngestError("no articles: upload files or paste text")
    return [date_document(d, published) for d in unique_ids(documents)]


def documents_from_json(articles, published) -> list[Document]:
    if not isinstance(articles, list) or not articles:
        raise IngestError("'articles' must be a non-empty list")
    documents = []
    for number, article in enumerate(articles, start=1):
        where = f"articles[{number - 1}]"
        if not isinstance(article, dict) or not isinstance(article.get("text"), str) or not article["text"].strip():
            raise IngestError("each article needs a non-empty 'text'", path=where)
        day, source = None, PublishedSource.MISSING
        if article.get("published"):
            day, source = parse_published(str(article["published"]), where, None), PublishedSource.FIELD
        documents.append(Document(id=str(article.get("id") or f"article-{number}"), text=article["text"],
                                  title=str(article.get("title") or ""), url=str(article.get("url") or ""),
                                  published=day, published_source=source))
    return [date_document(d, published) for d in unique_ids(documents)]


def build(documents: list[Document], title: str) -> Timeline:
    return build_from_documents(documents, title=title or "Untitled timeline", progress=False)
