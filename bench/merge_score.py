"""A Timeline + the generator's gold.tsv -> how well mentions were merged into events and how well events were dated.

The items scored are the gold sentences (each taken with the first system mention inside it) and the system
mentions outside any gold sentence (spurious: every merge with them is wrong). A gold sentence no mention covers
stays alone (a miss: its pairs count against recall).
"""
from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass
from collections.abc import Iterable
from math import comb
from pathlib import Path

from timeline.types import Timeline


@dataclass(frozen=True)
class MergeScore:
    precision: float
    recall: float
    f1: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    dated_right: float  # share of gold events whose system event has exactly the gold interval
    dated_within: float  # ... or an interval containing it (the texts told only "last month")
    gold_events: int
    items: int
    missed: int

    def lines(self) -> list[str]:
        return [f"pairwise P {self.precision:.3f} R {self.recall:.3f} F1 {self.f1:.3f}; "
                f"B-cubed P {self.bcubed_precision:.3f} R {self.bcubed_recall:.3f} F1 {self.bcubed_f1:.3f}",
                f"gold events dated right {self.dated_right:.3f}, within a coarser interval "
                f"{self.dated_within:.3f} ({self.gold_events} events, {self.items} items, "
                f"{self.missed} gold sentences without a mention)"]


def read_gold(path: Path) -> dict[str, list[tuple[int, int, str, str, str]]]:
    by_document: dict[str, list] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            by_document[row["document"]].append((int(row["start"]), int(row["end"]), row["event"], row["first"],
                                                 row["last"]))
    return by_document


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_timeline(timeline: Timeline, gold_path: Path) -> MergeScore:
    from timeline.export import event_rows, mention_rows

    return score_rows(event_rows(timeline), mention_rows(timeline), gold_path)


def score_files(events_csv: Path, mentions_csv: Path, gold_path: Path) -> MergeScore:
    """Score what `timeline build --out events.csv --mentions mentions.csv` wrote."""
    with events_csv.open(encoding="utf-8", newline="") as events, mentions_csv.open(encoding="utf-8", newline="") as mentions:
        return score_rows(csv.DictReader(events), csv.DictReader(mentions), gold_path)


def score_rows(events: Iterable[dict], mentions: Iterable[dict], gold_path: Path) -> MergeScore:
    """Score rows shaped like the events and mentions CSVs (event_id, start, end; event_id, document, char_start)."""
    gold = read_gold(gold_path)
    intervals = {row["event_id"]: (str(row["start"]), str(row["end"])) for row in events}
    labels: dict[tuple, tuple[str, str]] = {}  # item -> (gold event, system event)
    spurious = 0
    for row in mentions:
        if not row["event_id"]:
            continue  # unresolved: in no event
        start = int(row["char_start"])
        if start < 0:
            continue  # a headline's mention: the gold marks body sentences only
        found = next((g for g in gold.get(row["document"], ()) if g[0] <= start < g[1]), None)
        if found is None:
            spurious += 1
            labels[("spurious", spurious)] = (f"spurious-{spurious}", row["event_id"])
        else:
            labels.setdefault((row["document"], found[0]), (found[2], row["event_id"]))
    gold_dates = {}
    missed = 0
    for document, rows in gold.items():
        for start, _end, event, first, last in rows:
            gold_dates[event] = (first, last)
            if (document, start) not in labels:
                missed += 1
                labels[(document, start)] = (event, f"missed-{document}-{start}")
    cells = Counter(labels.values())
    gold_sizes = Counter(g for g, _ in labels.values())
    system_sizes = Counter(s for _, s in labels.values())
    together = sum(comb(n, 2) for n in cells.values())
    precision = together / max(1, sum(comb(n, 2) for n in system_sizes.values()))
    recall = together / max(1, sum(comb(n, 2) for n in gold_sizes.values()))
    b_precision = sum(n * n / system_sizes[s] for (g, s), n in cells.items()) / len(labels)
    b_recall = sum(n * n / gold_sizes[g] for (g, s), n in cells.items()) / len(labels)
    best: dict[str, tuple[int, str]] = {}
    for (g, s), n in cells.items():
        if g in gold_dates and n > best.get(g, (0, ""))[0]:
            best[g] = (n, s)
    right = sum(1 for g, (_, s) in best.items() if intervals.get(s) == gold_dates[g])
    within = sum(1 for g, (_, s) in best.items()
                 if s in intervals and intervals[s][0] <= gold_dates[g][0] and gold_dates[g][1] <= intervals[s][1])
    return MergeScore(precision, recall, f1(precision, recall), b_precision, b_recall, f1(b_precision, b_recall),
                      right / max(1, len(gold_dates)), within / max(1, len(gold_dates)), len(gold_dates), len(labels), missed)
