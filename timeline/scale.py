"""Paths -> Timeline using several processes (--jobs) or a Dask cluster (--engine dask); same result as one process."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from timeline.ingest import date_by_consensus, iter_documents
from timeline.errors import IngestError, TimelineError
from timeline.pipeline import build_from_documents, document_mentions, progress_bar, timeline_of
from timeline.types import Timeline


def build_parallel(paths: Iterable[str | Path], published: str | date | None = None, *, title: str = "",
                   jobs: int = 1, engine: str = "local", scheduler: str | None = None,
                   progress: bool | None = None) -> Timeline:
    """Build a timeline, tagging documents in `jobs` processes or on a Dask cluster.

    Raises:
        IngestError: a path is missing or unreadable, or holds no articles.
        TimelineError: the Dask scheduler cannot be reached.
    """
    documents = date_by_consensus(list(iter_documents(paths, published)))
    if not documents:
        raise IngestError("no documents to build a timeline from")
    if engine == "dask":
        return timeline_of(documents, dask_mentions(documents, scheduler), title)
    if jobs <= 1:
        return build_from_documents(documents, title=title, progress=progress)
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, len(documents) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        results = pool.map(document_mentions, documents, chunksize=chunk)
        mentions = [m for part in progress_bar(list(results), "tagging", progress) for m in part]
    return timeline_of(documents, mentions, title)


def partition_mentions(documents):
    return [m for doc in documents for m in document_mentions(doc)]


def dask_mentions(documents, scheduler: str | None):
    """Tag and extract on Dask partitions; the merge, which needs all mentions, runs here."""
    try:
        import dask.bag as db
        from distributed import Client, LocalCluster
    except ImportError:
        raise TimelineError("--engine dask needs dask and distributed", hint="pip install 'timeline[scale]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
    except OSError as exc:
        raise TimelineError(f"cannot reach the Dask scheduler: {exc}", path=scheduler or "") from None
    try:
        partitions = max(1, min(len(documents), 4 * len(client.scheduler_info()["workers"]) or 4))
        bag = db.from_sequence(documents, npartitions=partitions)
        return bag.map_partitions(partition_mentions).compute(scheduler=client.get)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
