"""Paths -> Timeline with the work spread over worker processes (--jobs) or a Dask cluster (--engine dask).

Inputs stream to the workers in chunks with a bounded number in flight, so memory stays flat however long the
corpus; corpus records (JSONL lines, CSV and Parquet rows) go as they were read, and the workers parse, date and
tag them. What each chunk tells the driver (its documents, counts, the few mentions spanning more than a month)
comes back in reading order; its other mentions stay grouped by month, as bytes the driver only hands on (process
pool) or on the worker that made them (Dask). The merge then runs on the workers in month blocks, with a final
pass in the driver over the spanning mentions (timeline.pipeline.build_on_workers, timeline.partition). One
process (--jobs 1) builds as timeline.pipeline.stream_timeline does; every way gives the same timeline.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from timeline.errors import TimelineError
from timeline.ingest import count_documents, iter_documents, iter_sources
from timeline.partition import (BlockSpec, TaggedChunk, merge_month_groups, pick_months,
                                summary_of)
from timeline.pipeline import build_on_workers, stream_timeline
from timeline.timexes import as_date
from timeline.types import Skipped, Timeline

# Chunks in flight per worker: enough to keep each busy while results are collected, no more.
CHUNKS_PER_WORKER = 3
# Month blocks of the merge per worker.
BLOCKS_PER_WORKER = 2
# A local cluster's scheduler and nannies run in the driver, and their default polling (each server's event-loop
# tick every 20 ms, each nanny's memory check every 100 ms, system monitors every 500 ms, work stealing every
# 100 ms) cost the driver 2-3% of a core for as long as the build runs, serial time that grows with the wall
# time rather than the corpus (a quarter of the driver's CPU on 100,000 articles). These only diagnose or
# rebalance; at these intervals the same polling costs under 1% of a core. A nanny still stops a runaway worker
# within half a second.
LOCAL_CLUSTER_CONFIG = {
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "500ms",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.scheduler.work-stealing-interval": "1s",
}
# The scheduler's HTTP server (metrics and health routes, started even without a dashboard) on a free port of
# this host: its default, 8787, may be taken by another cluster, and then distributed warns and moves anyway.
LOCAL_HTTP_ADDRESS = "127.0.0.1:0"


def in_order(submit: Callable, chunks: Iterator[list], window: int) -> Iterator:
    """Results of `submit(chunk)` futures in submission order, with at most `window` pending at once."""
    pending: deque = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


class ProcessWorkers:
    """A pool of worker processes. The month groups come back to this process pickled, as bytes it only hands
    on to the block merges (copying bytes, never reading mentions) and lets go of once they are merged."""

    # Larger chunks than one process's: the chunks' summaries (documents per key, mentions per month) repeat
    # fewer keys for the driver to sum.
    chunk_documents = 256

    def __init__(self, jobs: int):
        from concurrent.futures import ProcessPoolExecutor

        self.jobs = jobs
        self.pool = ProcessPoolExecutor(max_workers=jobs)

    def tag(self, function: Callable, chunks: Iterator[list]) -> Iterator[tuple[TaggedChunk, dict[int, bytes]]]:
        return in_order(lambda chunk: self.pool.submit(function, chunk), chunks, self.jobs * CHUNKS_PER_WORKER)

    def merge(self, specs: list[BlockSpec], handles: list[dict[int, bytes]]) -> Iterator[bytes]:
        def groups_of(spec: BlockSpec) -> list[dict[int, bytes]]:
            return [picked for groups in handles
                    if (picked := {month: groups[month] for month in spec.months if month in groups})]

        tasks = [self.pool.submit(merge_month_groups, spec, groups_of(spec)) for spec in specs]
        handles.clear()  # each block's groups are freed once its merge is done
        return (task.result() for task in tasks)

    def close(self) -> None:
        self.pool.shutdown()


@dataclass(frozen=True)
class Packed:
    """A chunk handed to Dask as one value: Dask walks the lists and tuples among a task's arguments looking for
    futures (60,000 calls for 20,000 records, 0.8 s of the driver's time), never into other objects."""

    chunk: list


def tag_packed(function: Callable, packed: Packed):
    return function(packed.chunk)


class DaskWorkers:
    """Tasks on a `distributed` cluster. A chunk's month groups stay on the worker that tagged it (only its
    summary comes here); each block's months are picked on every worker that holds some and sent from there to
    the block's merge, so a mention crosses the network at most once before its event comes back."""

    # Chunks are larger than a process pool's: each costs the scheduler (here, in this process) a few messages.
    chunk_documents = 1024

    def __init__(self, client, close: Callable[[], None]):
        self.client = client
        self.close = close
        self.slots = max(1, sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values()))

    def tag(self, function: Callable, chunks: Iterator[list]) -> Iterator[tuple[TaggedChunk, object]]:
        client = self.client

        class Tagged:
            def __init__(self, chunk):
                self.future = client.submit(tag_packed, function, Packed(chunk), pure=False)
                self.summary = client.submit(summary_of, self.future, pure=False)

            def result(self):
                return self.summary.result(), self.future

        return in_order(Tagged, chunks, self.slots * CHUNKS_PER_WORKER)

    def merge(self, specs: list[BlockSpec], handles: list) -> Iterator[bytes]:
        held: dict[str, list] = {}
        where = self.client.who_has(handles)
        for future in handles:
            held.setdefault(where[future.key][0], []).append(future)
        merged = []
        for spec in specs:
            picked = [self.client.submit(pick_months, spec.months, *futures, workers=[worker],
                                         allow_other_workers=True, pure=False)  # elsewhere if that worker is lost
                      for worker, futures in held.items()]
            merged.append(self.client.submit(merge_month_groups, spec, *picked, pure=False))
        # The chunks' results are released once the picks that need them have run: `held` refers to them too.
        handles.clear()
        held.clear()
        while merged:  # each block's result is released on its worker as soon as it is here
            yield merged.pop(0).result()


def dask_client(scheduler: str | None, workers: int):
    """A client of the `distributed` cluster at `scheduler`, else of a local one of `workers`, and its closer.

    Raises:
        TimelineError: dask is not installed or the scheduler cannot be reached.
    """
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise TimelineError("--engine dask needs dask and distributed", hint="pip install 'timeline[scale]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="10s")
        else:
            with dask.config.set(LOCAL_CLUSTER_CONFIG):  # read as the servers start
                cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                                       scheduler_kwargs={"dashboard_address": LOCAL_HTTP_ADDRESS})
            client = Client(cluster)
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise TimelineError(f"cannot reach the Dask scheduler: {exc}", path=scheduler or "") from None

    def close() -> None:
        client.close()
        if cluster is not None:
            cluster.close()

    return client, close


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
    if engine != "dask" and jobs <= 1:
        return stream_timeline(iter_documents(paths, published, skipped=skipped), title=title, keep_text=keep_text,
                               progress=progress, total=total, skipped=skipped)
    default = as_date(published)
    if engine == "dask":
        count = max(jobs, 2)
        client, close = dask_client(scheduler, count)
        workers: ProcessWorkers | DaskWorkers = DaskWorkers(client, close)
    else:
        count = jobs
        workers = ProcessWorkers(jobs)
    try:
        # The merge runs on the workers too, in month blocks: a few per worker, so an uneven block waits less.
        return build_on_workers(iter_sources(paths, skipped=skipped), workers, published=default, title=title,
                                keep_text=keep_text, progress=progress, total=total, skipped=skipped,
                                blocks=count * BLOCKS_PER_WORKER)
    finally:
        workers.close()
