"""Mentions of many documents -> ordered Events: one event per happening, its sources listed, date conflicts flagged."""
from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from timeline.clauses import LEADING, predicates_in
from timeline.event_words import default_event_words
from timeline.types import Anchor, Event, Granularity, Interval, Mention

# Blocking: a mention is compared only with events that share a name (or, without names, a word) and
# a calendar month its interval touches. Wider intervals are blocked by year, so no pass compares all pairs.
MAX_MONTH_KEYS = 14
# How close two disjoint day-level dates must be to be read as one event told with two dates.
CONFLICT_WINDOW_DAYS = 10
# ... and how much of their wording they must share: clauses about one story share its vocabulary
# ("council", "repair"), so only near-retellings count as one event with two dates.
CONFLICT_JACCARD = 0.35
PREDICATE_STEMS = frozenset(default_event_words().predicate_of)
# A block key shared by more events than this (a frequent word) stops being used to find candidates.
MAX_POSTINGS = 64


# Evidence weights: a key found in every document of the corpus weighs this much (not nothing: in a one-story
# corpus the story's own actors are named everywhere, and still tell its events apart from others').
FLOOR_WEIGHT = 0.15
# Evidence two mentions of one day must share to be one happening: a shared predicate class counts 1, a shared
# name or word its weight (names twice).
SAME_DAY_EVIDENCE = 1.5
# Two dated tellings of one day that share an actor need only one informative word beyond it.
SAME_DAY_WORDS = 0.5
# Two mentions of one document are two statements unless they retell each other (the headline and the lead).
SAME_DOCUMENT_JACCARD = 0.35
# A shared name this informative (named in few of the corpus's documents) is enough for two tellings of one day.
INFORMATIVE_NAME = 0.5
# The headline (sentence -1) and the first two sentences: where an article tells its story's happening.
LEAD_INDEX = 1


@dataclass
class Cluster:
    mentions: list[Mention]
    names: Counter = field(default_factory=Counter)
    words: Counter = field(default_factory=Counter)
    predicates: Counter = field(default_factory=Counter)
    documents: set[str] = field(default_factory=set)
    # Per document: its first mention here, and the latest sentence any of its mentions here comes from.
    first_of: dict[str, Mention] = field(default_factory=dict)
    last_sentence: dict[str, int] = field(default_factory=dict)

    def add(self, mention: Mention) -> None:
        self.mentions.append(mention)
        self.first_of.setdefault(mention.document, mention)
        self.last_sentence[mention.document] = max(mention.sentence_index,
                                                   self.last_sentence.get(mention.document, mention.sentence_index))
        self.names.update(mention.names)
        self.words.update(mention.words)
        self.predicates.update(predicates_in(mention.words))
        self.documents.add(mention.document)

    @property
    def seed(self) -> Mention:
        return self.mentions[0]


@dataclass(frozen=True)
class Evidence:  # frozen: its weights cache fills as keys are asked for, never changes a weight
    """How informative each name and word is in this corpus: keys most documents use say little.
    Built in O(total keys of the mentions)."""

    df: dict[str, int]
    documents: int
    weights: dict[str, float] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, mentions: list[Mention]) -> Evidence:
        keys_of: dict[str, set[str]] = defaultdict(set)
        for m in mentions:
            keys_of[m.document].update(m.names, m.words)
        df: Counter = Counter()
        for keys in keys_of.values():
            df.update(keys)
        return cls(dict(df), max(1, len(keys_of)))

    def weight(self, key: str) -> float:
        known = self.weights.get(key)
        if known is None:
            known = 1.0 if self.documents <= 2 else max(FLOOR_WEIGHT, 1.0 - self.df.get(key, 1) / self.documents)
            self.weights[key] = known
        return known


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


def shared_names(names: frozenset[str], others) -> list[str]:
    """The names of `names` that agree with one of `others` (see name_matches)."""
    return [name for name in names if any(match in others for match in name_matches(name))]


def relation(a: Interval, b: Interval) -> str:
    if a == b:
        return "equal"
    if a.contains(b) or b.contains(a):
        return "nested"
    if a.overlaps(b):
        return "overlap"
    return "disjoint"


def same_event(mention: Mention, cluster: Cluster, evidence: Evidence,
               predicates: frozenset[str] | None = None) -> tuple[bool, float]:
    """Whether `mention` tells the event of `cluster`, and how strongly (for choosing among candidates).

    Evidence is weighed by how informative it is (Evidence.weight); predicates that mean the same count as one
    word, predicates of different kinds ("fell" / "rose") say two happenings. O(keys of the mention).
    """
    seed = cluster.seed
    shared = shared_names(mention.names, cluster.names)
    shared_words = [w for w in mention.words if w in cluster.words]
    predicates = predicates_in(mention.words) if predicates is None else predicates
    shared_predicates = predicates & cluster.predicates.keys()
    name_weight = sum(evidence.weight(n.lstrip(LEADING)) for n in shared)
    word_weight = sum(evidence.weight(w) for w in shared_words if w not in PREDICATE_STEMS)
    score = 2 * name_weight + word_weight + len(shared_predicates)
    how = relation(interval_of(mention), interval_of(seed))
    fine = max(mention.timex.granularity, seed.timex.granularity) <= Granularity.DAY
    if predicates and cluster.predicates and not shared_predicates:
        return False, score  # "stocks fell sharply" / "stocks rose sharply": two happenings
    if not shared and mention.names and cluster.names:
        # Both name their actors and none is shared: two companies' similar news on one day.
        return False, score
    if mention.document in cluster.documents and not retells(mention, cluster):
        return False, score
    implicit = mention.implicit or seed.implicit
    if how == "equal" and fine:
        if implicit or not shared:
            # Dated only by the story's day, or naming no one: the same kind of act with its actors, or much
            # the same informative words.
            return (bool(shared_predicates) and score >= SAME_DAY_EVIDENCE) or word_weight >= 2 * SAME_DAY_EVIDENCE, score
        return (bool(shared_predicates) or word_weight >= SAME_DAY_WORDS or name_weight >= INFORMATIVE_NAME), score
    if implicit or not shared:
        return False, score
    if how in ("equal", "nested"):
        # Coarse periods nest easily ("2008" holds every day of that year): ask for the act and more.
        informative = [w for w in shared_words if w not in PREDICATE_STEMS]
        return ((bool(shared_predicates) and len(informative) >= 2 and word_weight >= SAME_DAY_WORDS)
                or (name_weight >= 2 * INFORMATIVE_NAME and word_weight >= SAME_DAY_WORDS)
                or jaccard(mention.words, seed.words) >= CONFLICT_JACCARD), score
    if how == "disjoint" and fine:
        gap = abs((interval_of(mention).first - interval_of(seed).first).days)
        return (gap <= CONFLICT_WINDOW_DAYS and len(shared_words) >= 3
                and jaccard(mention.words, seed.words) >= CONFLICT_JACCARD), score
    return False, score


def retells(mention: Mention, cluster: Cluster) -> bool:
    """Whether a mention may join a cluster holding another mention of its document: the headline and the lead
    tell the story's happening twice; elsewhere only a near-repetition of the words does. O(words): compared
    with the document's first mention in the cluster, not with all of them."""
    if mention.sentence_index <= LEAD_INDEX and cluster.last_sentence[mention.document] <= LEAD_INDEX:
        return True
    return jaccard(mention.words, cluster.first_of[mention.document].words) >= SAME_DOCUMENT_JACCARD


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / max(1, len(a | b))


class Clusterer:
    """The greedy clustering's state: clusters, the block index (key -> clusters filed under it), the evidence.

    Clusters merged elsewhere (on a worker) can be registered by the keys a later pass looks up; they are built
    here only when a mention meets them (`register`, `cluster`), so the work stays proportional to those.
    """

    def __init__(self, evidence: Evidence):
        self.evidence = evidence
        self.clusters: list[Cluster | None] = []
        self.remote: dict[int, tuple[list[Mention], int]] = {}  # not yet built: its mentions, its seed's place
        # Runs of clusters registered together, not yet built: the first one's number, and each one's
        # (mentions, seed's place).
        self.remote_starts: list[int] = []
        self.remote_runs: list[Sequence[tuple[Sequence[Mention], int]]] = []
        self.index: dict[tuple[str, object], list[int]] = defaultdict(list)

    def register(self, mentions: list[Mention], seed: int, keys) -> int:
        """File a cluster merged elsewhere under `keys`; returns its number."""
        number = len(self.clusters)
        self.clusters.append(None)
        self.remote[number] = (mentions, seed)
        for key in keys:
            self.index[key].append(number)
        return number

    def register_run(self, found: Sequence[tuple[Sequence[Mention], int]], postings: dict) -> int:
        """File clusters merged elsewhere, numbered on from the number returned: `found` gives each one's
        mentions and its seed's place, `postings` the places in `found` filed under each key, in order. Only a
        key's last MAX_POSTINGS clusters are ever looked up, so `postings` may keep only those.
        O(len(found) + postings)."""
        start = len(self.clusters)
        self.clusters.extend([None] * len(found))
        self.remote_starts.append(start)
        self.remote_runs.append(found)
        for key, places in postings.items():
            self.index[key].extend(start + place for place in places)
        return start

    def cluster(self, number: int) -> Cluster:
        built = self.clusters[number]
        if built is None:
            if number in self.remote:
                mentions, seed = self.remote.pop(number)
            else:
                run = bisect_right(self.remote_starts, number) - 1
                mentions, seed = self.remote_runs[run][number - self.remote_starts[run]]
            built = Cluster([])
            for mention in [mentions[seed], *mentions[:seed], *mentions[seed + 1:]]:
                built.add(mention)
            self.clusters[number] = built
        return built

    def add(self, mention: Mention) -> int:
        """Put a mention in the best cluster it tells, or a new one; returns the cluster's number."""
        keys, looked_up = block_keys(mention)
        candidates = {c for key in looked_up for c in self.index.get(key, ())[-MAX_POSTINGS:]}
        best, best_score = None, -1.0
        predicates = predicates_in(mention.words)
        for c in sorted(candidates):
            ok, score = same_event(mention, self.cluster(c), self.evidence, predicates)
            if ok and score > best_score:
                best, best_score = c, score
        if best is None:
            self.clusters.append(Cluster([]))
            best = len(self.clusters) - 1
        self.cluster(best).add(mention)
        for key in keys:
            postings = self.index[key]
            if not postings or postings[-1] != best:
                postings.append(best)
        return best


def merge_order(mentions: list[Mention]) -> list[int]:
    """The order mentions are clustered in: told dates first, finest first, so coarse ones join precise ones."""
    return sorted(range(len(mentions)), key=lambda i: (mentions[i].implicit, interval_of(mentions[i]).days, i))


def cluster_mentions(mentions: list[Mention], evidence: Evidence | None = None) -> list[Cluster]:
    """Group mentions of one happening; finest dates first, so coarse mentions join the precise ones.

    O(m log m + m * MAX_POSTINGS * keys) in the m mentions: each is compared only with the latest clusters filed
    under its keys.
    """
    clusterer = Clusterer(evidence or Evidence.of(mentions))
    for i in merge_order(mentions):
        clusterer.add(mentions[i])
    return [clusterer.cluster(c) for c in range(len(clusterer.clusters))]


def event_id(mention: Mention) -> str:
    key = f"{mention.document}:{mention.char_start}:{mention.timex.value}:{mention.sentence_index}"
    return "ev-" + hashlib.sha1(key.encode()).hexdigest()[:10]


def containing_counts(intervals: list[Interval]) -> list[int]:
    """For each interval, how many of `intervals` contain it (itself included), by a sweep over starts with a
    Fenwick tree over ends: O(n log n)."""
    ends = sorted({i.last for i in intervals})
    rank = {day: r for r, day in enumerate(ends)}
    tree = [0] * (len(ends) + 1)
    counts = [0] * len(intervals)
    order = sorted(range(len(intervals)), key=lambda k: (intervals[k].first, -intervals[k].last.toordinal()))
    position = 0
    while position < len(order):
        # Every interval starting on the same day contains, or is contained by, the others of its day: add the
        # whole day's group first, then count ends at or after each one's end.
        group_end = position
        while group_end < len(order) and intervals[order[group_end]].first == intervals[order[position]].first:
            group_end += 1
        for k in order[position:group_end]:
            r = rank[intervals[k].last] + 1
            while r <= len(ends):
                tree[r] += 1
                r += r & -r
        total = group_end
        for k in order[position:group_end]:
            r, before = rank[intervals[k].last], 0
            while r > 0:  # intervals added so far whose end is before this one's: they do not contain it
                before += tree[r]
                r -= r & -r
            counts[k] = total - before
        position = group_end
    return counts


def settle_date(mentions: list[Mention]) -> tuple[Mention, str]:
    """The mention whose date the event takes, and a description of the mentions that disagree.

    A date is supported by the mentions that tell it or a coarser date containing it ("last month" supports
    "March 4"), so the finest date the others allow wins, and among disjoint ones the one told most.
    O(m log m) in the m mentions.
    """
    support = containing_counts([interval_of(m) for m in mentions])
    best = min(range(len(mentions)),
               key=lambda k: (-support[k], mentions[k].implicit, interval_of(mentions[k]).days, k))
    chosen = mentions[best]
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
    # The body's telling speaks for the event before a headline does.
    voice = min(told or mentions, key=lambda m: (m.sentence_index < 0, m.document != chosen.document, len(m.summary) < 20,
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
                   document_order: list[str] | None = None, map_tasks=None, blocks: int = 1) -> list[Event]:
    """Merge mentions into events ordered by interval (start, then end); ties keep narrative order.

    `inferred` names the documents whose publication date was inferred (their relative dates are less sure).
    With `map_tasks` (a parallel map) and `blocks` > 1 the merge runs in month blocks on the workers, and only
    the mentions spanning more than a month are merged here (timeline.partition).
    """
    dated = [m for m in mentions if m.timex.interval is not None and m.timex.anchor is not Anchor.UNRESOLVED]
    order = document_order or list(dict.fromkeys(m.document for m in dated))
    position = {doc: i for i, doc in enumerate(order)}
    if map_tasks is not None and blocks > 1:
        from timeline.partition import merge_in_blocks

        events = merge_in_blocks(dated, set(inferred), position, map_tasks, blocks)
    else:
        events = [to_event(c, set(inferred), position) for c in cluster_mentions(dated)]
    first_told = {e.id: min((position.get(m.document, 0), m.char_start) for m in e.mentions) for e in events}
    return sorted(events, key=lambda e: (e.interval.first, e.interval.last, first_told[e.id]))
