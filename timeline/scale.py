"""Paths -> Timeline with tagging spread over worker processes (--jobs) or a Dask cluster (--engine dask).

Documents stream to the workers in chunks with a bounded number in flight, so memory stays flat however long
the corpus; results come back in reading order. The merge then runs on the same workers in month blocks, with a
final pass here over the few mentions spanning more than a month (timeline.partition).
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path

from timeline.errors import TimelineError
from timeline.ingest import count_documents, iter_documents
from timeline.pipeline import ChunkMapper, TaskMapper, chunk_mentions, map_serially, stream_timeline
from timeline.types import Document, Mention, Skipped, Timeline

# Chunks in flight per worker: enough to keep each busy while results are collected, no more.
CHUNKS_PER_WORKER = 3
# Month blocks of the merge per worker.
BLOCKS_PER_WORKER = 2


def in_order(submit: Callable, chunks: Iterator[list[Document]], window: int) -> Iterator[list[list[Mention]]]:
    """Results of `submit(chunk)` futures in submission order, with at most `window` pending at once."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def process_mapper(jobs: int) -> tuple[ChunkMapper, TaskMapper, Callable[[], None]]:
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs)
    return (lambda chunks: in_order(lambda c: pool.submit(chunk_mentions, c), chunks, jobs * CHUNKS_PER_WORKER),
            lambda function, tasks: list(pool.map(function, tasks)), pool.shutdown)


def dask_mapper(scheduler: str | None, workers: int) -> tuple[ChunkMapper, TaskMapper, Callable[[], None]]:
    """Chunks tagged as tasks on a `distributed` cluster: the one at `scheduler`, else a local one of `workers`.

    Raises:
        TimelineError: dask is not installed or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise TimelineError("--engine dask needs dask and distributed", hint="pip install 'timeline[scale]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise TimelineError(f"cannot reach the Dask scheduler: {exc}", path=scheduler or "") from None
    slots = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))

    def close() -> None:
        client.close()
        if cluster is not None:
            cluster.close()

    submit = lambda chunk: client.submit(chunk_mentions, chunk, pure=False)  # noqa: E731
    map_tasks = lambda function, tasks: client.gather(client.map(function, tasks, pure=False))  # noqa: E731
    return (lambda chunks: in_order(submit, chunks, slots * CHUNKS_PER_WORKER)), map_tasks, close


def build_parallel(paths: Iterable[str | Path], published: str | date | None = None, *, title: str = "",
                   jobs: int = 1, engine: str = "local", scheduler: str | None = None,
                   progress: bool | None = None, keep_text: bool = True, strict: bool = True) -> Timeline:
    """Build a timeline, tagging documents in `jobs` processes or on a Dask cluster.

    `strict=False` skips inputs that cannot be read (listed in the timeline's `skipped`) instead of raising.

    Raises:
        IngestError: a path is missing or unreadable (when strict), or no article could be read.
        TimelineError: the Dask scheduler cannot be reached.
    """
    paths = list(paths)
    total = count_documents(paths) if progress is not False else None
    skipped: list[Skipped] | None = None if strict else []
    documents = iter_documents(paths, published, skipped=skipped)
    if engine == "dask":
        workers = max(jobs, 2)
        mapper, map_tasks, close = dask_mapper(scheduler, workers)
    elif jobs > 1:
        workers = jobs
        mapper, map_tasks, close = process_mapper(jobs)
    else:
        workers, mapper, map_tasks, close = 1, map_serially, None, (lambda: None)
    try:
        # The merge runs on the workers too, in month blocks: a few per worker, so an uneven block waits less.
        return stream_timeline(documents, title=title, map_chunks=mapper, keep_text=keep_text, progress=progress,
                               total=total, skipped=skipped, map_tasks=map_tasks, blocks=workers * BLOCKS_PER_WORKER)
    finally:
        close()
