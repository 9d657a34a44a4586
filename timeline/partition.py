"""Mentions -> Events merged where the tagging runs: mentions dated within a month are merged in blocks of
consecutive months on the workers; the few that span more than a month are merged here, against the clusters
the workers made.

Why month blocks: two mentions are compared only when they share a block key (a name or word, and a month their
intervals touch; see merge.block_keys), and the merge compares finer dates first. A mention dated within one
month meets, in the single-process merge, almost only mentions of that month and its neighbours; cutting the
calendar into a few blocks of consecutive months loses only the pairs that straddle a block's edge (a date told
as Jan 31 by one article and Feb 2 by another, or a week across the edge). The final pass here costs what the
spanning mentions cost (their keys and the clusters they meet), not the corpus: the workers send back, for
each cluster, only the keys those mentions look up.

A parallel build (timeline.pipeline.build_on_workers) feeds the blocks straight from the tagging workers:
`tag_chunk` parses, dates and tags a chunk of records and keeps its mentions grouped by month, pickled;
`merge_month_groups` merges a block from those groups; `merge_tagged` runs the final pass.
"""
from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from timeline.corpora import RawRecord, RawRow
from timeline.errors import IngestError
from timeline.events import extract_mentions
from timeline.ingest import date_document
from timeline.merge import (MAX_POSTINGS, Clusterer, Evidence, block_keys, cluster_mentions, interval_of,
                            merge_order, to_event)
from timeline.types import Anchor, Document, Event, Mention, Skipped

# A mention whose interval is at most this long is merged in its month's block.
LOCAL_DAYS = 31


@dataclass(frozen=True)
class BlockTask:
    """What one worker merges: the mentions of consecutive months, with what every block shares."""

    mentions: list[Mention]
    evidence: Evidence
    wanted: frozenset  # the block keys the final pass will look up
    inferred: set[str]
    position: dict[str, int]


@dataclass(frozen=True)
class BlockCluster:
    """A cluster merged on a worker, sent back without its mentions (the driver has them): their places in the
    block, the event settled from them less its mentions, and its keys that the final pass looks up."""

    members: tuple[int, ...]  # places in the block's mention list, in the event's order
    seed: int  # which member founded the cluster (the merge compares dates with it)
    event: Event  # mentions=() here: filled back in by the driver
    keys: tuple


def merge_block(task: BlockTask) -> list[BlockCluster]:
    """Merge one block's mentions (on a worker): O(m log m) in its m mentions, as merge.cluster_mentions."""
    place = {id(m): i for i, m in enumerate(task.mentions)}
    result = []
    for cluster in cluster_mentions(task.mentions, task.evidence):
        event = to_event(cluster, task.inferred, task.position)
        members = tuple(place[id(m)] for m in event.mentions)
        seed = members.index(place[id(cluster.seed)])
        keys = {key for m in cluster.mentions for key in block_keys(m)[0] if key in task.wanted}
        result.append(BlockCluster(members, seed, replace(event, mentions=()), tuple(keys)))
    return result


def month_of(mention: Mention) -> int:
    first = interval_of(mention).first
    return first.year * 12 + first.month - 1


def month_blocks(mentions: list[Mention], blocks: int) -> list[list[Mention]]:
    """Mentions cut into at most `blocks` runs of consecutive months of about equal size. O(m log m)."""
    by_month: dict[int, list[Mention]] = {}
    for m in mentions:
        by_month.setdefault(month_of(m), []).append(m)
    return [[m for month in run for m in by_month[month]]
            for run in cut_months({month: len(told) for month, told in by_month.items()}, blocks)]


def cut_months(counts: dict[int, int], blocks: int) -> list[tuple[int, ...]]:
    """Months (with how many mentions each holds) cut into at most `blocks` runs of consecutive months of about
    equal size. O(months log months)."""
    target = max(1, -(-sum(counts.values()) // max(1, blocks)))
    runs: list[list[int]] = [[]]
    size = 0
    for month in sorted(counts):
        if size >= target:
            runs.append([])
            size = 0
        runs[-1].append(month)
        size += counts[month]
    return [tuple(run) for run in runs if run]


def merge_in_blocks(dated: list[Mention], inferred: set[str], position: dict[str, int],
                    map_tasks: Callable[[Callable, list], list], blocks: int) -> list[Event]:
    """Events of `dated`, merged in month blocks by `map_tasks` (a map over workers) and a final pass here over
    the mentions spanning more than a month. Unsorted; merge.merge_mentions orders them."""
    evidence = Evidence.of(dated)
    local = [m for m in dated if interval_of(m).days <= LOCAL_DAYS]
    spanning = [m for m in dated if interval_of(m).days > LOCAL_DAYS]
    wanted = frozenset(key for m in spanning for key in block_keys(m)[1])
    cut = month_blocks(local, blocks)
    tasks = [BlockTask(block, evidence, wanted, inferred, position) for block in cut]
    clusterer = Clusterer(evidence)
    settled: dict[int, Event] = {}
    for block, result in zip(cut, map_tasks(merge_block, tasks)):
        for found in result:
            mentions = [block[i] for i in found.members]
            number = clusterer.register(mentions, found.seed, found.keys)
            settled[number] = replace(found.event, mentions=tuple(mentions))
    touched = set()
    for i in merge_order(spanning):
        touched.add(clusterer.add(spanning[i]))
    events = [settled[n] for n in settled if n not in touched]
    events.extend(to_event(clusterer.cluster(n), inferred, position) for n in sorted(touched))
    return events


@dataclass(frozen=True)
class ReadFailure:
    """An error that stops a strict read, carried as data from where it was met (a worker parsing a record, or
    the reader) to the driver, which raises it in its place among the records."""

    message: str
    path: str
    line: int | None
    hint: str

    @classmethod
    def of(cls, error: IngestError) -> ReadFailure:
        return cls(error.message, error.path, error.line, error.hint)

    def error(self) -> IngestError:
        return IngestError(self.message, path=self.path, line=self.line, hint=self.hint)


@dataclass
class TaggedChunk:
    """What a tagging worker sends the driver for a chunk of sources: what the timeline lists (documents, inputs
    skipped, unresolved phrases), what the final merge pass needs (mentions spanning more than a month) and what
    cuts the calendar into blocks and weighs the evidence (mentions per month, document frequencies), in
    O(documents + keys + spanning mentions). The other mentions stay in their month groups (`tag_chunk`).
    Documents and mentions are numbered by the ordinal of their source in reading order."""

    # In order: (ordinal, Document, whether its date was inferred), Skipped or ReadFailure.
    items: list = field(default_factory=list)
    months: Counter = field(default_factory=Counter)  # month -> mentions dated within a month
    df: Counter = field(default_factory=Counter)  # key -> documents using it (merge.Evidence)
    documents: int = 0  # documents with a dated mention (merge.Evidence)
    spanning: list[tuple[int, Mention]] = field(default_factory=list)
    unresolved: list[tuple[int, Mention]] = field(default_factory=list)

    def add(self, ordinal: int, doc: Document, mentions: list[Mention], groups: dict[int, list]) -> None:
        """File a document's mentions: O(its mentions and their keys)."""
        keys: set[str] = set()
        dated = False
        by_month: dict[int, list[Mention]] = {}
        for m in mentions:
            if m.timex.anchor is Anchor.UNRESOLVED:
                self.unresolved.append((ordinal, m))
            elif m.timex.interval is not None:
                dated = True
                keys.update(m.names, m.words)
                if interval_of(m).days <= LOCAL_DAYS:
                    by_month.setdefault(month_of(m), []).append(m)
                else:
                    self.spanning.append((ordinal, m))
        if dated:
            self.documents += 1
            self.df.update(keys)
        for month, told in by_month.items():
            groups.setdefault(month, []).append((ordinal, doc.published_source.inferred, tuple(told)))
            self.months[month] += len(told)


# Sources a worker reads: documents already read, corpus records to parse or finish, and inputs skipped in their place.
Source = Document | RawRecord | RawRow | Skipped | ReadFailure


def tag_chunk(chunk: list[tuple[int, Source]], default: date | None = None, strict: bool = True,
              keep_text: bool = True, dating: bool = True) -> tuple[TaggedChunk, dict[int, bytes]]:
    """Parse, date and tag a chunk of numbered sources (on a worker): the chunk's summary for the driver, and its
    mentions dated within a month grouped by month, each group pickled (the driver hands the groups on to the
    block merges without reading them). A document still undated comes back whole and untagged: it waits for
    the run's consensus date (`dating=False`: documents already dated by it, tagged whatever their date).
    O(the chunk's text)."""
    tagged = TaggedChunk()
    groups: dict[int, list] = {}
    for ordinal, source in chunk:
        if isinstance(source, (Skipped, ReadFailure)):
            tagged.items.append(source)
            continue
        if isinstance(source, (RawRecord, RawRow)):
            try:
                source = source.document()
            except IngestError as error:
                if strict:
                    tagged.items.append(ReadFailure.of(error))
                    break
                tagged.items.append(Skipped(path=error.path, reason=error.message, line=error.line))
                continue
        doc = date_document(source, default) if dating else source
        if dating and doc.published is None:
            tagged.items.append((ordinal, doc, doc.published_source.inferred))
            continue
        tagged.items.append((ordinal, doc if keep_text else replace(doc, text=""), doc.published_source.inferred))
        tagged.add(ordinal, doc, extract_mentions(doc), groups)
    return tagged, {month: pickle.dumps(told, protocol=pickle.HIGHEST_PROTOCOL) for month, told in groups.items()}


def summary_of(result: tuple[TaggedChunk, dict[int, bytes]]) -> TaggedChunk:
    """A chunk's summary, without its month groups (for a driver that leaves those where they were made)."""
    return result[0]


@dataclass(frozen=True)
class BlockSpec:
    """One block of the merge: its months, and what every block shares."""

    months: tuple[int, ...]
    evidence: Evidence
    wanted: frozenset  # the block keys the final pass will look up
    renamed: dict[int, str]  # document ordinal -> its id, where the id was made unique after tagging


@dataclass(frozen=True)
class MergedCluster:
    """A cluster merged on a worker: its event (mentions in the event's order), which mention founded it (the
    merge compares dates with it) and the event's place in the timeline."""

    event: Event
    seed: int
    order: tuple


@dataclass(frozen=True)
class MergedBlock:
    """A block's clusters, and the last clusters (places in `clusters`) filed under each key the final pass
    looks up: merge.Clusterer.register_run."""

    clusters: list[MergedCluster]
    postings: dict[tuple, list[int]]


def order_of(event: Event, position: dict[str, int]) -> tuple:
    """The timeline's order (merge.merge_mentions): start, end, then where the event is first told."""
    return (event.interval.first, event.interval.last,
            min((position.get(m.document, 0), m.char_start) for m in event.mentions))


def pick_months(months: tuple[int, ...], *results: tuple[TaggedChunk, dict[int, bytes]]) -> list[dict[int, bytes]]:
    """The month groups of `months` among chunks tagged on one worker (so a block fetches only its months)."""
    return [picked for _, groups in results
            if (picked := {month: groups[month] for month in months if month in groups})]


def share_values(mentions: list[Mention]) -> list[Mention]:
    """The mentions, equal in value, with each distinct interval, anchor date, name set and word set held as one
    object (on a worker, before its block is pickled for the driver). Pickle writes an object met before as a
    reference, so the driver, which unpickles every mention of the run and keeps them in the timeline, builds a
    run's few hundred distinct dates once instead of three dates per mention: a third less of the driver's time
    reading a block, and less memory holding the timeline. O(m) in the block's m mentions."""
    shared: dict = {}

    def one(value):
        return shared.setdefault(value, value)

    return [replace(m, timex=replace(m.timex, interval=one(m.timex.interval), anchor_date=one(m.timex.anchor_date)),
                    names=one(m.names), words=one(m.words)) for m in mentions]


def merge_month_groups(spec: BlockSpec, *parts: list[dict[int, bytes]]) -> bytes:
    """Merge one block from its chunks' month groups (on a worker): the block's mentions month by month, each
    month's in reading order, as merge_in_blocks hands them; O(m log m) in its m mentions. Equal values among
    its mentions are made one object first (share_values), so the driver reads each once. The MergedBlock comes
    back pickled: a fifth of the memory of its objects while it waits on the worker to be fetched."""
    told = [(month, ordinal, inferred, mentions) for groups in parts for part in groups for month, data in part.items()
            for ordinal, inferred, mentions in pickle.loads(data)]
    told.sort(key=lambda entry: entry[:2])  # each document's mentions of a month are one entry, in order
    mentions: list[Mention] = []
    position: dict[str, int] = {}
    inferred_documents: set[str] = set()
    for _month, ordinal, inferred, some in told:
        if ordinal in spec.renamed:
            some = [replace(m, document=spec.renamed[ordinal]) for m in some]
        mentions.extend(some)
        position[some[0].document] = ordinal
        if inferred:
            inferred_documents.add(some[0].document)
    mentions = share_values(mentions)
    clusters = []
    postings: dict[tuple, list[int]] = {}
    for place, cluster in enumerate(cluster_mentions(mentions, spec.evidence)):
        event = to_event(cluster, inferred_documents, position)
        seed = next(i for i, m in enumerate(event.mentions) if m is cluster.seed)
        clusters.append(MergedCluster(event, seed, order_of(event, position)))
        for key in {key for m in cluster.mentions for key in block_keys(m)[0] if key in spec.wanted}:
            postings.setdefault(key, []).append(place)
    merged = MergedBlock(clusters, {key: places[-MAX_POSTINGS:] for key, places in postings.items()})
    return pickle.dumps(merged, protocol=pickle.HIGHEST_PROTOCOL)


def merge_tagged(months: dict[int, int], evidence: Evidence, spanning: list[Mention], renamed: dict[int, str],
                 inferred: set[str], position: dict[str, int], blocks: int,
                 run_blocks: Callable[[list[BlockSpec]], Iterable[bytes]]) -> list[Event]:
    """Ordered events of a run tagged on workers: the month groups merged in blocks by `run_blocks` (on the
    workers that hold them), then the final pass here over `spanning`, the mentions spanning more than a month;
    the same events, in the same order, as merge.merge_mentions(..., blocks=blocks). O(spanning mentions and
    the clusters they meet, plus the events' sort)."""
    wanted = frozenset(key for m in spanning for key in block_keys(m)[1])
    specs = [BlockSpec(run, evidence, wanted, renamed) for run in cut_months(months, blocks)]
    clusterer = Clusterer(evidence)
    merged: list[MergedBlock] = [pickle.loads(block) for block in run_blocks(specs)]
    starts = [clusterer.register_run([(found.event.mentions, found.seed) for found in block.clusters], block.postings)
              for block in merged]
    touched = set()
    for i in merge_order(spanning):
        touched.add(clusterer.add(spanning[i]))
    events = [(found.order, found.event) for start, block in zip(starts, merged)
              for n, found in enumerate(block.clusters, start) if n not in touched]
    for n in sorted(touched):
        event = to_event(clusterer.cluster(n), inferred, position)
        events.append((order_of(event, position), event))
    events.sort(key=lambda pair: pair[0])
    return [event for _, event in events]
