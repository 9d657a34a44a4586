"""Wikinews gold timelines (SemEval-2015 TimeLine) -> how well the events of real news are dated and merged.

For each corpus folder (articles plus gold_timelines.tsv) it builds the timeline and reports:
- anchored: of the gold event mentions with a known date, the share with a mention of ours in the same sentence
  dated inside the gold period (recall of dating);
- precision: of our dated mentions whose sentence holds a dated gold event, the share dated inside the period
  of one of that sentence's gold events;
- merge: pairwise precision/recall/F1 of our events against the gold co-reference (mentions on one line of an
  entity's timeline co-refer), over the pairs of gold mentions in different documents that we cover.

`python -m bench.wikinews [FOLDER...]` (default: both dev sets in ../shared/corpora).
"""
from __future__ import annotations

import csv
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import timeline

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TIMELINE_SHARED", ROOT.parent / "shared"))
DEV_SETS = ("wikinews-airbus", "wikinews-apple")


@dataclass(frozen=True)
class GoldMention:
    key: tuple[str, str, str]  # document, sentence number, event word: one mention, whatever entity lists it
    document: str
    sentence: str
    word: str
    period: tuple | None
    line: str
    title: bool


@dataclass
class Score:
    corpus: str
    dated_gold: int = 0
    anchored: int = 0
    ours_checked: int = 0
    ours_right: int = 0
    pairs_ours: int = 0
    pairs_gold: int = 0
    pairs_both: int = 0
    events: int = 0
    clause_pairs_ours: int = 0
    clause_pairs_gold: int = 0
    clause_pairs_both: int = 0

    def ratio(self, a: int, b: int) -> float:
        return a / b if b else 0.0

    @property
    def anchored_share(self) -> float:
        return self.ratio(self.anchored, self.dated_gold)

    @property
    def precision(self) -> float:
        return self.ratio(self.ours_right, self.ours_checked)

    @property
    def merge_precision(self) -> float:
        return self.ratio(self.pairs_both, self.pairs_ours)

    @property
    def merge_recall(self) -> float:
        return self.ratio(self.pairs_both, self.pairs_gold)

    @property
    def merge_f1(self) -> float:
        p, r = self.merge_precision, self.merge_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def clause_merge(self) -> tuple[float, float, float]:
        p = self.ratio(self.clause_pairs_both, self.clause_pairs_ours)
        r = self.ratio(self.clause_pairs_both, self.clause_pairs_gold)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def line(self) -> str:
        return (f"{self.corpus}: anchored {self.anchored}/{self.dated_gold} = {self.anchored_share:.3f}, "
                f"precision {self.ours_right}/{self.ours_checked} = {self.precision:.3f}, "
                f"merge P {self.merge_precision:.3f} R {self.merge_recall:.3f} F1 {self.merge_f1:.3f} "
                f"({self.pairs_ours} pairs merged, {self.pairs_gold} gold pairs); by clause P {self.clause_merge[0]:.3f} "
                f"R {self.clause_merge[1]:.3f} F1 {self.clause_merge[2]:.3f} ({self.clause_pairs_ours} merged, "
                f"{self.clause_pairs_gold} gold); {self.events} events")


TITLE = "#title"


def sentence_key(document: str, sentence: str, title: bool) -> tuple[str, str]:
    """Mentions and gold rows meet by document and sentence text; the headline (gold sentence 0) by position."""
    return (document, TITLE if title else normalize(sentence))


def matcher(by_sentence: dict[tuple[str, str], list]):
    """The key of our sentence that holds a gold sentence. The gold's segmentation is not ours (a caption glued to
    the next sentence, "N.V." read as an end): failing the same text, the sentence of ours that contains the
    gold's opening, or that the gold sentence contains."""
    full: dict[str, list[tuple[str, tuple[str, str]]]] = {}
    for key, ours in by_sentence.items():
        if key[1] != TITLE:
            full.setdefault(key[0], []).append((re.sub(r"\W+", "", ours[0][0].sentence.lower()), key))

    def sentence_of(g: GoldMention) -> tuple[str, str]:
        key = sentence_key(g.document, g.sentence, g.title)
        if key in by_sentence or g.title:
            return key
        text = re.sub(r"\W+", "", g.sentence.lower())
        for ours, our_key in full.get(g.document, []):
            if len(text) >= 20 and (text[:60] in ours or (len(ours) >= 20 and ours in text)):
                return our_key
        return key

    return sentence_of


def normalize(sentence: str) -> str:
    return re.sub(r"\W+", "", sentence.lower())[:80]


def gold_period(value: str):
    from timeline.resolve import interval_of_value

    known = [p for p in value.split("-") if "X" not in p]
    if not known:
        return None
    interval = interval_of_value("-".join(known))
    return (interval.first, interval.last) if interval else None


def read_gold(folder: Path) -> list[GoldMention]:
    """Gold mentions, one per (document, sentence, event word), their lines joined where one mention sits on
    several entities' timelines (so co-reference is the transitive closure over lines)."""
    rows = list(csv.DictReader((folder / "gold_timelines.tsv").open(encoding="utf-8"), delimiter="\t"))
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first_line: dict[tuple, str] = {}
    for row in rows:
        key = (row["document"], row["sentence_no"], row["event"])
        line = f"{row['entity']}:{row['line']}"
        if key in first_line:
            parent[find(line)] = find(first_line[key])
        else:
            first_line[key] = line
    mentions: dict[tuple, GoldMention] = {}
    for row in rows:
        key = (row["document"], row["sentence_no"], row["event"])
        if key not in mentions:
            mentions[key] = GoldMention(key, row["document"], row["sentence"], row["event"], gold_period(row["date"]),
                                        find(first_line[key]), row["sentence_no"] == "0")
    return list(mentions.values())


def score_corpus(folder: Path) -> Score:
    paths = sorted(p for p in folder.glob("*.txt") if p.name != "README.txt")
    built = timeline.build_timeline(paths, progress=False)
    score = Score(folder.name, events=len(built.events))
    by_sentence: dict[tuple[str, str], list[tuple[object, object]]] = {}
    for event in built.events:
        for m in event.mentions:
            by_sentence.setdefault(sentence_key(m.document, m.sentence, m.sentence_index < 0), []).append((m, event))
    # A few gold rows name a document the corpus does not hold (rows broken in the conversion: "2007", sentence
    # "03", event "19"): nothing could date them, so they are not counted.
    held = {p.stem for p in paths}
    gold = [g for g in read_gold(folder) if g.document in held]
    sentence_of = matcher(by_sentence)
    gold_by_sentence: dict[tuple[str, str], list[GoldMention]] = {}
    for g in gold:
        gold_by_sentence.setdefault(sentence_of(g), []).append(g)

    def inside(m, period) -> bool:
        return period is not None and period[0] <= m.timex.interval.first and m.timex.interval.last <= period[1]

    for g in gold:
        if g.period is None:
            continue
        score.dated_gold += 1
        score.anchored += any(inside(m, g.period) for m, _ in by_sentence.get(sentence_of(g), []))
    for key, ours in by_sentence.items():
        periods = [g.period for g in gold_by_sentence.get(key, []) if g.period is not None]
        if not periods:
            continue
        for m, _ in ours:
            score.ours_checked += 1
            score.ours_right += any(inside(m, p) for p in periods)
    # Each covered gold mention goes to the event of the mention whose clause holds its word (else the first).
    assigned: list[tuple[GoldMention, str]] = []
    for g in gold:
        ours = by_sentence.get(sentence_of(g), [])
        if not ours:
            continue
        holding = [e for m, e in ours if g.word.lower() in m.clause.lower()]
        assigned.append((g, (holding or [ours[0][1]])[0].id))
    for i, (a, event_a) in enumerate(assigned):
        for b, event_b in assigned[i + 1:]:
            if a.document == b.document:
                continue
            same_gold, same_ours = a.line == b.line, event_a == event_b
            score.pairs_gold += same_gold
            score.pairs_ours += same_ours
            score.pairs_both += same_gold and same_ours
    # By clause, the unit we date: two of our mentions (in different documents) tell one happening when some gold
    # event of the one co-refers with some gold event of the other.
    units = []
    for key, ours in by_sentence.items():
        golds = gold_by_sentence.get(key, [])
        for m, event in ours:
            lines = {g.line for g in golds if g.word.lower() in m.clause.lower()}
            if lines:
                units.append((m.document, lines, event.id))
    for i, (doc_a, lines_a, event_a) in enumerate(units):
        for doc_b, lines_b, event_b in units[i + 1:]:
            if doc_a == doc_b:
                continue
            same_gold, same_ours = bool(lines_a & lines_b), event_a == event_b
            score.clause_pairs_gold += same_gold
            score.clause_pairs_ours += same_ours
            score.clause_pairs_both += same_gold and same_ours
    return score


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    folders = [Path(a) for a in argv] or [SHARED / "corpora" / name for name in DEV_SETS]
    missing = [f for f in folders if not (f / "gold_timelines.tsv").is_file()]
    if missing:
        print(f"bench: no gold_timelines.tsv in {missing[0]}; set TIMELINE_SHARED", file=sys.stderr)
        return 2
    for folder in folders:
        print(score_corpus(folder).line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
