"""Stand-off TIMEX3 gold for the Wikinews dev sets -> TempEval-3 scores of timeline.tag (and HeidelTime).

The Wikinews articles (real news, 2004-2011) carry gold event timelines but no TIMEX3. bench/data/wikinews_timex/
holds hand annotations of every article's body (TimeML 1.2.1 / TempEval-3 conventions), made by annotators who
did not see the tagger's output: surfaces in text order with type and value, the text itself read from
../shared/corpora. It is a third corpus besides TimeBank and AQUAINT, of another decade and another agency: a
change tuned on those two is checked here, and the other way round.

`python -m bench.wikinews_timex [--heideltime] [--errors N]`
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import yaml

from timeline.evaluate import GoldDocument, Score, gold_from_surfaces, score_documents, score_spans
from timeline.ingest import split_header

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "data" / "wikinews_timex"
SHARED = Path(os.environ.get("TIMELINE_SHARED", ROOT.parent / "shared"))


def read_gold(path: Path, corpora: Path) -> tuple[str, GoldDocument]:
    """The dev set one annotation file belongs to, and the file as a gold document over the body of the article
    it names (the text after the header lines)."""
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))
    article = corpora / entry["document"]
    _, body = split_header(article.read_text(encoding="utf-8"), str(article))
    document = gold_from_surfaces(str(path), str(entry["published"]), body, entry.get("timexes") or [])
    return entry["document"].split("/")[0], document


def read_all(gold: Path = GOLD, corpora: Path = SHARED / "corpora") -> dict[str, list[GoldDocument]]:
    """Gold documents per dev set ("wikinews-airbus", "wikinews-apple")."""
    sets: dict[str, list[GoldDocument]] = {}
    for path in sorted(gold.glob("*.yaml")):
        folder, document = read_gold(path, corpora)
        sets.setdefault(folder, []).append(document)
    return sets


def score_heideltime(documents: list[GoldDocument]) -> Score:
    from bench.heideltime import heideltime_spans

    total = Score()
    for document in documents:
        started = time.perf_counter()
        spans = heideltime_spans(document.text, document.dct)
        total.add(score_spans(document, spans, time.perf_counter() - started))
    return total


def line(corpus: str, tool: str, score: Score, documents: int) -> str:
    s = score.summary()
    return (f"{corpus:<17}{tool:<12}{documents:>5}{score.gold:>6}{s['strict_f1']:>11.3f}{s['relaxed_f1']:>12.3f}"
            f"{s['type_accuracy']:>10.3f}{s['value_f1']:>10.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="timeline.tag (and HeidelTime) on the Wikinews TIMEX3 gold")
    parser.add_argument("--heideltime", action="store_true", help="also score HeidelTime (slow: a JVM per article)")
    parser.add_argument("--errors", type=int, default=0, help="print our N most frequent errors")
    args = parser.parse_args(argv)
    if not (SHARED / "corpora").is_dir():
        print(f"bench: {SHARED}/corpora not found; set TIMELINE_SHARED", file=sys.stderr)
        return 2
    sets = read_all()
    tools = [("timeline", score_documents)]
    if args.heideltime:
        from bench.heideltime import unavailable

        reason = unavailable()
        if reason:
            print(f"HeidelTime: not run: {reason}", file=sys.stderr)
        else:
            tools.append(("HeidelTime", score_heideltime))
    print(f"{'corpus':<17}{'tool':<12}{'docs':>5}{'gold':>6}{'strict F1':>11}{'relaxed F1':>12}{'type acc':>10}"
          f"{'value F1':>10}")
    ours_all = Score()
    for name, run in tools:
        overall = Score()
        for corpus, documents in sets.items():
            score = run(documents)
            overall.add(score)
            print(line(corpus, name, score, len(documents)))
        print(line("all", name, overall, sum(len(d) for d in sets.values())))
        if name == "timeline":
            ours_all = overall
    for error, count in ours_all.misses.most_common(args.errors):
        print(f"{count:4d}  {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
