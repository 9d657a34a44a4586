"""Paths or Documents -> Timeline: ingest, tag, extract mentions, merge. The one place the stages are chained.

Documents stream through: each is tagged as it is read and only its mentions (and, if asked, its text) are
kept, so memory grows with the events kept, not with the corpus. Tagging can run in worker processes or on a
Dask cluster (`timeline.scale`); any of them gives the timeline one process gives.
"""
from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from timeline.errors import BudgetExceeded
from timeline.events import extract_mentions
from timeline.ingest import count_documents, date_late, iter_documents, nothing_read
from timeline.merge import merge_mentions
from timeline.types import Anchor, Document, Mention, Skipped, Timeline

# Below this many documents a progress bar is noise.
PROGRESS_THRESHOLD = 5
# Documents sent to a worker at once: enough to amortise the hand-over, few enough to keep memory flat.
CHUNK_DOCUMENTS = 64

# Chunks of documents -> each chunk's mentions, per document, in order (serially, in processes, or on Dask).
ChunkMapper = Callable[[Iterator[list[Document]]], Iterator[list[list[Mention]]]]
# (function, tasks) -> the function's results for the tasks, in order, computed on the workers.
TaskMapper = Callable[[Callable, list], list]


def chunk_mentions(documents: list[Document]) -> list[list[Mention]]:
    """Mentions of each document of a chunk: the unit of work handed to a worker."""
    return [extract_mentions(doc) for doc in documents]


def map_serially(chunks: Iterator[list[Document]]) -> Iterator[list[list[Mention]]]:
    return map(chunk_mentions, chunks)


def chunked(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    for doc in documents:
        chunk.append(doc)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def progress_bar(items: Iterable, what: str, enabled: bool | None, total: int | None = None):
    """`items`, counted on standard error while they are consumed (by default when there are many)."""
    show = enabled if enabled is not None else (total or 0) > PROGRESS_THRESHOLD
    if not show:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=what, unit="doc", total=total, file=sys.stderr, leave=True, mininterval=0.5)


def timeline_of(documents: list[Document], mentions: list[Mention], title: str = "",
                skipped: Iterable[Skipped] = (), map_tasks: TaskMapper | None = None, blocks: int = 1) -> Timeline:
    inferred = {d.id for d in documents if d.published_source.inferred}
    events = merge_mentions(mentions, inferred=inferred, document_order=[d.id for d in documents],
                            map_tasks=map_tasks, blocks=blocks)
    unresolved = tuple(m for m in mentions if m.timex.anchor is Anchor.UNRESOLVED)
    return Timeline(events=tuple(events), documents=tuple(documents), unresolved=unresolved, title=title,
                    skipped=tuple(skipped))


@dataclass(frozen=True)
class Budget:
    """Limits of one build (None: no limit). A service sets them so that no request holds a worker for long."""

    articles: int | None = None
    characters: int | None = None
    expressions: int | None = None
    seconds: float | None = None

    def check_documents(self, count: int, characters: int) -> None:
        """Raises: BudgetExceeded: more articles or characters than allowed."""
        if self.articles is not None and count > self.articles:
            raise BudgetExceeded(f"more than {self.articles:,} articles", limit="articles", too_large=True,
                                 hint="send fewer articles per request")
        if self.characters is not None and characters > self.characters:
            raise BudgetExceeded(f"the articles hold more than {self.characters:,} characters", limit="characters",
                                 too_large=True, hint="split the articles into several requests")

    def check_work(self, expressions: int, started: float) -> None:
        """Raises: BudgetExceeded: more time expressions found, or more seconds spent, than allowed."""
        if self.expressions is not None and expressions > self.expressions:
            raise BudgetExceeded(f"the articles hold more than {self.expressions:,} dated mentions",
                                 limit="expressions", too_large=False, hint="split the articles into several requests")
        if self.seconds is not None and time.perf_counter() - started > self.seconds:
            raise BudgetExceeded(f"the build took longer than {self.seconds:g} seconds", limit="seconds",
                                 too_large=False, hint="split the articles into several requests")


NO_BUDGET = Budget()


def stream_timeline(documents: Iterable[Document], *, title: str = "", map_chunks: ChunkMapper = map_serially,
                    keep_text: bool = True, progress: bool | None = None, total: int | None = None,
                    skipped: list[Skipped] | None = None, map_tasks: TaskMapper | None = None,
                    blocks: int = 1, budget: Budget = NO_BUDGET) -> Timeline:
    """The timeline of documents read one at a time; those still undated wait for the others' consensus date.

    With `map_tasks` (a map over the same workers) and `blocks` > 1, the merge runs there too, in month blocks
    (timeline.partition).

    `keep_text=False` drops each document's text once it is tagged (exports do not need it; the web page does).
    `skipped` is the list the reader records left-out inputs in; the timeline carries it.

    Raises:
        IngestError: there are no documents (naming the first skipped input when all were skipped).
        BudgetExceeded: the documents or the work they take go past `budget` (checked as they stream).
    """
    started = time.perf_counter()
    characters = expressions = 0
    kept: list[Document] = []
    found: list[list[Mention]] = []
    waiting: deque[int] = deque()  # positions of the documents sent to be tagged, in order
    undated: list[int] = []

    def dated(stream: Iterable[Document]) -> Iterator[Document]:
        nonlocal characters
        for doc in stream:
            characters += len(doc.text)
            budget.check_documents(len(kept) + 1, characters)
            found.append([])
            if doc.published is None:
                undated.append(len(kept))
                kept.append(doc)  # its text is needed once the consensus date is known
                continue
            waiting.append(len(kept))
            kept.append(doc if keep_text else replace(doc, text=""))
            yield doc

    for chunk in map_chunks(chunked(dated(progress_bar(documents, "tagging", progress, total)), CHUNK_DOCUMENTS)):
        for mentions in chunk:
            found[waiting.popleft()] = mentions
            expressions += len(mentions)
        budget.check_work(expressions, started)
    if not kept:
        raise nothing_read(skipped)
    if undated:
        late = date_late([kept[i] for i in undated], kept)
        results = (mentions for chunk in map_chunks(chunked(late, CHUNK_DOCUMENTS)) for mentions in chunk)
        for index, doc, mentions in zip(undated, late, results):
            kept[index] = doc if keep_text else replace(doc, text="")
            found[index] = mentions
            expressions += len(mentions)
        budget.check_work(expressions, started)
    return timeline_of(kept, [m for mentions in found for m in mentions], title, skipped or (), map_tasks, blocks)


def build_from_documents(documents: Iterable[Document], *, title: str = "", progress: bool | None = None,
                         skipped: list[Skipped] | None = None, budget: Budget = NO_BUDGET) -> Timeline:
    """The timeline of already-read documents (dated by consensus where they still lack a date); `skipped`
    lists inputs left out while reading them.

    Raises:
        IngestError: there are no documents.
        BudgetExceeded: they go past `budget`.
    """
    documents = list(documents)
    return stream_timeline(documents, title=title, progress=progress, total=len(documents), skipped=skipped,
                           budget=budget)


def build_timeline(paths: Iterable[str | Path] | str | Path, published: str | date | None = None, *,
                   title: str = "", progress: bool | None = None, strict: bool = True) -> Timeline:
    """Read articles from files, folders or corpora and build their merged, ordered timeline.

    `published` is the publication date of articles that give none. `strict=False` skips inputs that cannot
    be read (the timeline's `skipped` says which and why) instead of raising on the first.

    Raises:
        IngestError: a path is missing or unreadable (when strict), or no article could be read.
        DateError: `published` is not a date.
    """
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    total = count_documents(paths) if progress is not False else None
    skipped: list[Skipped] | None = None if strict else []
    return stream_timeline(iter_documents(paths, published, skipped=skipped), title=title, progress=progress,
                           total=total, skipped=skipped)
