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
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from timeline.merge import (Clusterer, Evidence, block_keys, cluster_mentions, interval_of, merge_order,
                            to_event)
from timeline.types import Event, Mention

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
    target = max(1, -(-len(mentions) // max(1, blocks)))
    result: list[list[Mention]] = [[]]
    for month in sorted(by_month):
        if len(result[-1]) >= target:
            result.append([])
        result[-1].extend(by_month[month])
    return [block for block in result if block]


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
