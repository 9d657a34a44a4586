"""Mentions of many documents -> ordered Events: one event per happening, its sources listed, date conflicts flagged."""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from timeline.events import LEADING
from timeline.types import Anchor, Event, Granularity, Interval, Mention

# Blocking: a mention is compared only with events that share a name (or, without names, a word) and
# a calendar month its interval touches. Wider intervals are blocked by year, so no pass compares all pairs.
MAX_MONTH_KEYS = 14
# How close two disjoint day-level dates must be to be read as one event told with two dates.
CONFLICT_WINDOW_DAYS = 10
# ... and how much of their wording they must share: clauses about one story share its vocabulary
# ("council", "repair"), so only near-retellings count as one event with two dates.
CONFLICT_JACCARD = 0.35
# A block key shared by more events than this (a frequent word) stops being used to find candidates.
MAX_POSTINGS = 64


@dataclass
class Cluster:
    mentions: list[Mention]
    names: Counter = field(default_factory=Counter)
    words: Counter = field(default_factory=Counter)

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)
        self.names.update(mention.names)
        self.words.update(mention.words)

    @property
    def seed(self) -> Mention:
        return self.mentions[0]


def interval_of(mention: Mention) -> Interval:
    assert mention.timex.interval is not None  # extract_mentions keeps only dated mentions in the merge
    return mention.timex.interval


def block_periods(mention: Mention) -> list[object]:
    interval = interval_of(mention)
    months = (interval.last.year - interval.first.year) * 12 + interval.last.month - interval.first.month + 1
    if months <= MAX_MONTH_KEYS:
        first = interval.first.year * 12 + interval.first.month - 1
        return [(m // 12, m % 12) for m in range(first - 1, first + months + 1)]
    return list(range(interval.first.year, min(interval.last.year, interval.first.year + 30) + 1))


def block_keys(mention: Mention) -> tuple[set[tuple[str, object]], set[tuple[str, object]]]:
    """Keys a mention is filed under (its names and words, by period) and the keys it looks up: its names,
    or its words when it names no one (a named mention joins only events that share a name, see same_event)."""
    periods = block_periods(mention)
    filed = {(key, period) for key in mention.names | mention.words for period in periods}
    wanted = {other for name in mention.names for other in name_matches(name)} if mention.names else mention.words
    looked_up = {(key, period) for key in wanted for period in periods}
    return filed, looked_up


def name_matches(name: str) -> tuple[str, ...]:
    """The filed names that agree with `name`: a leading word ("~Greta" of "Greta Lind") agrees only with
    the word used alone, since many people share it; a word alone agrees with itself and with a leading word."""
    if name.startswith(LEADING):
        return (name[len(LEADING):],)
    return (name, LEADING + name)


def shared_names(names: frozenset[str], others) -> int:
    return sum(1 for name in names if any(match in others for match in name_matches(name)))


def relation(a: Interval, b: Interval) -> str:
    if a == b:
        return "equal"
    if a.contains(b) or b.contains(a):
        return "nested"
    if a.overlaps(b):
        return "overlap"
    return "disjoint"


def same_event(mention: Mention, cluster: Cluster) -> tuple[bool, int]:
    """Whether `mention` tells the event of `cluster`, and how strongly (for choosing among candidates)."""
    seed = cluster.seed
    shared = shared_names(mention.names, cluster.names)
    shared_words = len(mention.words & cluster.words.keys())
    score = 2 * shared + shared_words
    how = relation(interval_of(mention), interval_of(seed))
    fine = max(mention.timex.granularity, seed.timex.granularity) <= Granularity.DAY
    if shared == 0 and mention.names and cluster.names:
        # Both name their actors and none is shared: two companies' similar news on one day.
        return False, score
    if shared == 0:
        # "The city council will meet on Thursday" / "the council met on Thursday": same day, same words.
        return how == "equal" and fine and not (mention.implicit or seed.implicit) and shared_words >= 3, score
    if mention.implicit or seed.implicit:
        # Dated only by the publication day: ask for much the same words, not just a shared name.
        return how == "equal" and fine and shared_words >= 3, score
    if how == "equal":
        return (fine or shared_words >= 2), score
    if how == "nested":
        return (shared_words >= 2 or (shared >= 2 and shared_words >= 1)), score
    if how == "disjoint" and fine:
        gap = abs((interval_of(mention).first - interval_of(seed).first).days)
        jaccard = shared_words / max(1, len(mention.words | seed.words))
        return gap <= CONFLICT_WINDOW_DAYS and shared_words >= 3 and jaccard >= CONFLICT_JACCARD, score
    return False, score


def cluster_mentions(mentions: list[Mention]) -> list[Cluster]:
    """Group mentions of one happening; finest dates first, so coarse mentions join the precise ones."""
    clusters: list[Cluster] = []
    index: dict[tuple[str, object], list[int]] = defaultdict(list)
    ordered = sorted(range(len(mentions)), key=lambda i: (mentions[i].implicit, interval_of(mentions[i]).days, i))
    for i in ordered:
        mention = mentions[i]
        keys, looked_up = block_keys(mention)
        candidates = {c for key in looked_up for c in index.get(key, ())[-MAX_POSTINGS:]}
        best, best_score = None, -1
        for c in sorted(candidates):
            ok, score = same_event(mention, clusters[c])
            if ok and score > best_score:
                best, best_score = c, score
        if best is None:
            clusters.append(Cluster([]))
            best = len(clusters) - 1
        clusters[best].add(mention)
        for key in keys:
            if not index[key] or index[key][-1] != best:
                index[key].append(best)
    return clusters


def event_id(mention: Mention) -> str:
    key = f"{mention.document}:{mention.char_start}:{mention.timex.value}:{mention.sentence_index}"
    return "ev-" + hashlib.sha1(key.encode()).hexdigest()[:10]


def settle_date(mentions: list[Mention]) -> tuple[Mention, str]:
    """The mention whose date the event takes, and a description of the mentions that disagree.

    A date is supported by the mentions that tell it or a coarser date containing it ("last month" supports
    "March 4"), so the finest date the others allow wins, and among disjoint ones the one told most.
    """
    support: Counter = Counter()
    for mention in mentions:
        for other in mentions:
            if interval_of(other).contains(interval_of(mention)):
                support[id(mention)] += 1
    chosen = min(mentions, key=lambda m: (-support[id(m)], m.implicit, interval_of(m).days))
    disagree = [m for m in mentions if relation(interval_of(m), interval_of(chosen)) in ("disjoint", "overlap")]
    if not disagree:
        return chosen, ""
    told = "; ".join(dict.fromkeys(f"{m.document} says {m.timex.value} ({m.timex.text or 'publication date'})"
                                   for m in disagree))
    return chosen, f"{chosen.timex.value} vs {told}"


def confidence_of(mentions: list[Mention], chosen: Mention, conflict: str, inferred: set[str]) -> float:
    documents = {m.document for m in mentions}
    score = min(0.95, 0.55 + 0.15 * (len(documents) - 1))
    if chosen.timex.granularity is Granularity.FUZZY:
        score *= 0.7
    if chosen.implicit:
        score *= 0.6
    if chosen.timex.anchor is Anchor.PUBLISHED and chosen.document in inferred:
        score *= 0.8
    if conflict:
        score *= 0.5
    return round(score, 2)


def to_event(cluster: Cluster, inferred: set[str], position: dict[str, int]) -> Event:
    mentions = sorted(cluster.mentions, key=lambda m: (position.get(m.document, 0), m.char_start))
    chosen, conflict = settle_date(mentions)
    told = [m for m in mentions if not m.implicit and relation(interval_of(m), interval_of(chosen)) != "disjoint"]
    voice = min(told or mentions, key=lambda m: (m.document != chosen.document, len(m.summary) < 20,
                                                 position.get(m.document, 0), m.char_start))
    return Event(
        id=event_id(mentions[0]),
        mentions=tuple(mentions),
        interval=interval_of(chosen),
        value=chosen.timex.value,
        granularity=chosen.timex.granularity,
        summary=voice.summary,
        sentence=voice.sentence,
        confidence=confidence_of(mentions, chosen, conflict, inferred),
        conflict=conflict,
    )


def merge_mentions(mentions: list[Mention], *, inferred: set[str] = frozenset(),
                   document_order: list[str] | None = None) -> list[Event]:
    """Merge mentions into events ordered by interval (start, then end); ties keep narrative order.

    `inferred` names the documents whose publication date was inferred (their relative dates are less sure).
    """
    dated = [m for m in mentions if m.timex.interval is not None and m.timex.anchor is not Anchor.UNRESOLVED]
    order = document_order or list(dict.fromkeys(m.document for m in dated))
    position = {doc: i for i, doc in enumerate(order)}
    events = [to_event(c, set(inferred), position) for c in cluster_mentions(dated)]
    first_told = {e.id: min((position.get(m.document, 0), m.char_start) for m in e.mentions) for e in events}
    return sorted(events, key=lambda e: (e.interval.first, e.interval.last, first_told[e.id]))
