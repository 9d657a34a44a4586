"""Paths or Documents -> Timeline: ingest, tag, extract mentions, merge. The one place the stages are chained.

Documents stream through: each is tagged as it is read and only its mentions (and, if asked, its text) are
kept, so memory grows with the events kept, not with the corpus. Tagging can run in worker processes or on a
Dask cluster (`timeline.scale`); any of them gives the timeline one process gives. `build_on_workers` is the
driver of such a build when the workers also parse the records and merge the events, leaving here only what
must be serial.
"""
from __future__ import annotations

import gc
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Protocol

from timeline.errors import BudgetExceeded, IngestError
from timeline.events import extract_mentions
from timeline.ingest import UniqueIds, count_documents, date_late, iter_documents, nothing_read
from timeline.merge import Evidence, merge_mentions
from timeline.partition import (BlockSpec, ReadFailure, Source, TaggedChunk, merge_tagged,
                                tag_chunk)
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


class Workers(Protocol):
    """Where a parallel build tags and merges (timeline.scale: a process pool, a Dask cluster)."""

    chunk_documents: int  # documents (or records) handed to a worker at once

    def tag(self, function: Callable, chunks: Iterator[list]) -> Iterator[tuple[TaggedChunk, object]]:
        """`function(chunk)` of each chunk, in order: its summary, and a handle on its month groups."""

    def merge(self, specs: list[BlockSpec], handles: list) -> Iterable[bytes]:
        """partition.merge_month_groups of each block, in order, over the month groups the handles hold (emptying
        `handles`, so that groups are freed as soon as their blocks have them)."""


def numbered(sources: Iterable) -> Iterator[tuple[int, Source]]:
    """Sources with their ordinals in reading order; an error that stops the read becomes a ReadFailure."""
    for ordinal, source in enumerate(sources):
        yield ordinal, ReadFailure.of(source) if isinstance(source, IngestError) else source


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off for a while, and what was allocated meanwhile left out of its later passes
    (gc.freeze). A driver allocates hundreds of thousands of acyclic objects (the documents, mentions and events
    it unpickles, freed by reference counting like any other): the collector's passes over them find nothing
    to free and cost more than the unpickling itself (70% of it, measured on bench.corpus's articles), and its
    first pass after the build would walk them all once more (0.35 s for 20,000 articles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def build_on_workers(sources: Iterable, workers: Workers, *, published: date | None = None, title: str = "",
                     keep_text: bool = True, progress: bool | None = None, total: int | None = None,
                     skipped: list[Skipped] | None = None, blocks: int = 2) -> Timeline:
    """The timeline of `sources` (ingest.iter_sources) parsed, dated, tagged and merged on `workers`: the same
    timeline as stream_timeline(..., blocks=blocks) over the same documents. Here stay only what is serial:
    making ids unique, the consensus date of undated documents, summing the chunks' counts, the final merge
    pass over mentions spanning more than a month, and the events' order. Mentions dated within a month are read
    here once, in the events the workers merged them into.

    Raises:
        IngestError: there are no documents, or (with `skipped` None) the first input that cannot be read.
    """
    with collector_paused():
        return gather_on_workers(sources, workers, published=published, title=title, keep_text=keep_text,
                                 progress=progress, total=total, skipped=skipped, blocks=blocks)


def gather_on_workers(sources: Iterable, workers: Workers, *, published: date | None, title: str, keep_text: bool,
                      progress: bool | None, total: int | None, skipped: list[Skipped] | None,
                      blocks: int) -> Timeline:
    """build_on_workers's work, with the collector paused: O(documents + chunks' keys + spanning mentions +
    events log events) here, the rest on the workers."""
    ids = UniqueIds()
    kept: list[Document] = []
    ordinals: list[int] = []
    undated: list[int] = []  # places in kept of the documents waiting for the consensus date
    renamed: dict[int, str] = {}
    months: Counter = Counter()
    df: Counter = Counter()
    dated_documents = 0
    spanning: list[tuple[int, Mention]] = []
    unresolved: list[tuple[int, Mention]] = []
    handles: list = []
    inferred: set[str] = set()  # documents whose publication date was inferred
    show = progress if progress is not None else (total or 0) > PROGRESS_THRESHOLD
    bar = progress_bar([], "tagging", True, total) if show else None

    def take(tagged: TaggedChunk, place: dict[int, int] | None) -> None:
        nonlocal dated_documents
        for item in tagged.items:
            if isinstance(item, Skipped):
                skipped.append(item)
                continue
            if isinstance(item, ReadFailure):
                raise item.error()
            ordinal, doc, inferred_date = item
            if place is not None:  # the late pass: documents dated by the consensus, in their places
                kept[place[ordinal]] = doc
                inferred.discard(doc.id)
                if inferred_date:
                    inferred.add(doc.id)
                continue
            named = ids.of(doc)
            if named is not doc:
                renamed[ordinal] = named.id
            if inferred_date:
                inferred.add(named.id)
            if named.published is None:
                undated.append(len(kept))
            ordinals.append(ordinal)
            kept.append(named)
            if bar is not None:
                bar.update()
        months.update(tagged.months)
        df.update(tagged.df)
        dated_documents += tagged.documents
        spanning.extend(tagged.spanning)
        unresolved.extend(tagged.unresolved)

    work = partial(tag_chunk, default=published, strict=skipped is None, keep_text=keep_text)
    try:
        for tagged, handle in workers.tag(work, chunked(numbered(sources), workers.chunk_documents)):
            take(tagged, None)
            handles.append(handle)
    finally:
        if bar is not None:
            bar.close()
    if not kept:
        raise nothing_read(skipped)
    if undated:
        late = date_late([kept[i] for i in undated], kept)
        place = {ordinals[i]: i for i in undated}
        numbered_late = [(ordinals[i], doc) for i, doc in zip(undated, late)]
        for tagged, handle in workers.tag(partial(work, dating=False), chunked(numbered_late, workers.chunk_documents)):
            take(tagged, place)
            handles.append(handle)

    def in_place(found: list[tuple[int, Mention]]) -> list[Mention]:
        found.sort(key=lambda pair: pair[0])  # stable: a document's mentions keep their order
        return [replace(m, document=renamed[o]) if o in renamed else m for o, m in found]

    position = dict(zip((d.id for d in kept), ordinals))
    events = merge_tagged(months, Evidence(dict(df), max(1, dated_documents)), in_place(spanning), renamed,
                          inferred, position, blocks, lambda specs: workers.merge(specs, handles))
    return Timeline(events=tuple(events), documents=tuple(kept), unresolved=tuple(in_place(unresolved)), title=title,
                    skipped=tuple(skipped or ()))
