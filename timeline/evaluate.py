"""TimeML files (gold TIMEX3) -> TempEval-3 Task A scores of the tagger: strict/relaxed F1, type accuracy, value F1."""
from __future__ import annotations

import argparse
import html
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from timeline.errors import TimelineError
from timeline.timexes import tag_text

TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class GoldTimex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class GoldDocument:
    path: str
    dct: str
    text: str
    timexes: tuple[GoldTimex, ...]


def read_timeml(path: Path) -> GoldDocument:
    """Plain text of a TimeML file's <TEXT>, its creation date and its gold TIMEX3 spans.

    Raises:
        TimelineError: the file has no <DCT> or <TEXT>.
    """
    raw = path.read_text(encoding="utf-8")
    dct = re.search(r'functionInDocument="CREATION_TIME"[^>]*|<DCT>.*?</DCT>', raw, re.S)
    dct_value = re.search(r'value="(\d{4}-\d\d-\d\d)', dct.group()) if dct else None
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if dct_value is None or body is None:
        raise TimelineError("not a TimeML document with <DCT> and <TEXT>", path=str(path))
    pieces, timexes, open_timex, length, last = [], [], None, 0, 0
    source = body.group(1)
    for tag in TAG.finditer(source):
        piece = html.unescape(source[last:tag.start()])
        pieces.append(piece)
        length += len(piece)
        last = tag.end()
        closing, name, attrs = tag.group(1), tag.group(2), dict(ATTR.findall(tag.group(3)))
        if name != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, attrs)
        elif open_timex is not None:
            start, attrs = open_timex
            timexes.append((start, length, attrs))
            open_timex = None
    pieces.append(html.unescape(source[last:]))
    text = "".join(pieces)
    gold = tuple(GoldTimex(s, e, text[s:e], a.get("type", ""), a.get("value", "")) for s, e, a in timexes)
    return GoldDocument(str(path), dct_value.group(1), text, gold)


def gold_from_surfaces(name: str, dct: str, text: str, entries: list[list[str]]) -> GoldDocument:
    """A gold document from stand-off annotations: [surface, value] or [surface, type, value] in text order, each
    surface found in `text` after the previous one, so a repeated word is named once per occurrence.

    Raises:
        TimelineError: a surface is not in the text after the previous one.
    """
    timexes, at = [], 0
    for number, entry in enumerate(entries, start=1):
        surface, value = str(entry[0]), str(entry[-1])
        kind = str(entry[1]) if len(entry) == 3 else ""
        start = text.find(surface, at)
        if start < 0:
            raise TimelineError(f"expression {number} {surface!r} is not in the text after offset {at}", path=name)
        at = start + len(surface)
        timexes.append(GoldTimex(start, at, surface, kind, value))
    return GoldDocument(name, dct, text, tuple(timexes))


@dataclass
class Score:
    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    typed: int = 0
    valued: int = 0
    seconds: float = 0.0
    misses: Counter = field(default_factory=Counter)

    @staticmethod
    def f1(hits: int, system: int, gold: int) -> tuple[float, float, float]:
        p = hits / system if system else 0.0
        r = hits / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def add(self, other: Score) -> None:
        for name in ("gold", "system", "strict", "relaxed", "typed", "valued", "seconds"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses.update(other.misses)

    def summary(self) -> dict[str, float]:
        return {
            "strict_f1": self.f1(self.strict, self.system, self.gold)[2],
            "relaxed_f1": self.f1(self.relaxed, self.system, self.gold)[2],
            "relaxed_precision": self.f1(self.relaxed, self.system, self.gold)[0],
            "relaxed_recall": self.f1(self.relaxed, self.system, self.gold)[1],
            "type_accuracy": self.typed / self.relaxed if self.relaxed else 0.0,
            "value_f1": self.f1(self.valued, self.system, self.gold)[2],
        }


def score_document(doc: GoldDocument) -> Score:
    """Our tagger's spans, types and values on one gold document."""
    started = time.perf_counter()
    system = [GoldTimex(t.start, t.end, t.text, t.type.value, t.value) for t in tag_text(doc.text, doc.dct)]
    return score_spans(doc, system, time.perf_counter() - started)


def score_spans(doc: GoldDocument, system: list[GoldTimex], seconds: float = 0.0) -> Score:
    """Match system spans to gold spans one to one by overlap (TempEval-3 relaxed), then compare type and value.
    Any tagger's output can be scored once it is written as GoldTimex spans of `doc.text`."""
    score = Score(gold=len(doc.timexes), system=len(system), seconds=seconds)
    used: set[int] = set()
    for gold in doc.timexes:
        match = next((i for i, t in enumerate(system)
                      if i not in used and t.start < gold.end and gold.start < t.end), None)
        if match is None:
            score.misses[f"missed {gold.type} {gold.text!r} = {gold.value}"] += 1
            continue
        used.add(match)
        found = system[match]
        score.relaxed += 1
        score.strict += (found.start, found.end) == (gold.start, gold.end)
        score.typed += found.type == gold.type
        if found.value == gold.value:
            score.valued += 1
        else:
            score.misses[f"value {found.text!r}: {found.value} != {gold.value} ({gold.text!r})"] += 1
    for i, t in enumerate(system):
        if i not in used:
            score.misses[f"spurious {t.type} {t.text!r} = {t.value}"] += 1
    return score


def score_documents(documents: Iterable[GoldDocument]) -> Score:
    """Our tagger's scores over several gold documents, summed."""
    total = Score()
    for document in documents:
        total.add(score_document(document))
    return total


def score_corpus(folder: Path) -> Score:
    return score_documents(read_timeml(path) for path in sorted(folder.glob("*.tml")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score the tagger on TimeML corpora (TempEval-3 Task A).")
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--errors", type=int, default=0, help="print the N most frequent errors")
    args = parser.parse_args(argv)
    overall = Score()
    print(f"{'corpus':<12}{'docs':>5}{'gold':>6}{'strict F1':>11}{'relaxed F1':>12}{'type acc':>10}{'value F1':>10}"
          f"{'ms/doc':>8}")
    for folder in args.folders:
        if not folder.is_dir():
            print(f"timeline eval: {folder}: no such folder", file=sys.stderr)
            return 2
        docs = len(list(folder.glob("*.tml")))
        score = score_corpus(folder)
        overall.add(score)
        s = score.summary()
        print(f"{folder.name:<12}{docs:>5}{score.gold:>6}{s['strict_f1']:>11.3f}{s['relaxed_f1']:>12.3f}"
              f"{s['type_accuracy']:>10.3f}{s['value_f1']:>10.3f}{1000 * score.seconds / max(docs, 1):>8.1f}")
    s = overall.summary()
    print(f"{'all':<12}{'':>5}{overall.gold:>6}{s['strict_f1']:>11.3f}{s['relaxed_f1']:>12.3f}"
          f"{s['type_accuracy']:>10.3f}{s['value_f1']:>10.3f}")
    for error, count in overall.misses.most_common(args.errors):
        print(f"{count:4d}  {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
