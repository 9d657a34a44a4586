"""Paths or Documents -> Timeline: ingest, tag, extract mentions, merge. The one place the stages are chained."""
from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from timeline.events import extract_mentions
from timeline.ingest import date_by_consensus, iter_documents
from timeline.errors import IngestError
from timeline.merge import merge_mentions
from timeline.types import Anchor, Document, Mention, Timeline

# Below this many documents a progress bar is noise.
PROGRESS_THRESHOLD = 5


def document_mentions(doc: Document) -> list[Mention]:
    """Mentions of one document (what a worker computes; picklable in and out)."""
    return extract_mentions(doc)


def progress_bar(items: list, what: str, enabled: bool | None):
    show = enabled if enabled is not None else len(items) > PROGRESS_THRESHOLD
    if not show:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=what, unit="doc", file=sys.stderr, leave=True)


def timeline_of(documents: list[Document], mentions: list[Mention], title: str = "") -> Timeline:
    inferred = {d.id for d in documents if d.published_source.inferred}
    events = merge_mentions(mentions, inferred=inferred, document_order=[d.id for d in documents])
    unresolved = tuple(m for m in mentions if m.timex.anchor is Anchor.UNRESOLVED)
    return Timeline(events=tuple(events), documents=tuple(documents), unresolved=unresolved, title=title)


def build_from_documents(documents: Iterable[Document], *, title: str = "", progress: bool | None = None) -> Timeline:
    """The timeline of already-read documents (dated by consensus where they still lack a date).

    Raises:
        IngestError: there are no documents.
    """
    documents = date_by_consensus(list(documents))
    if not documents:
        raise IngestError("no documents to build a timeline from")
    mentions: list[Mention] = []
    for doc in progress_bar(documents, "tagging", progress):
        mentions.extend(document_mentions(doc))
    return timeline_of(documents, mentions, title)


def build_timeline(paths: Iterable[str | Path] | str | Path, published: str | date | None = None, *,
                   title: str = "", progress: bool | None = None) -> Timeline:
    """Read articles from files, folders or corpora and build their merged, ordered timeline.

    `published` is the publication date of articles that give none.

    Raises:
        IngestError: a path is missing or unreadable, or holds no articles.
        DateError: `published` is not a date.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    return build_from_documents(iter_documents(paths, published), title=title, progress=progress)
