"""Adversarial *build* inputs (ingest -> tag -> events -> merge), each timed at 1x, 2x, 4x and 8x its size: the time
must grow about linearly (goal: at most 2.3x per doubling), whatever the input's shape.

Shapes: every article repeating one background sentence (one event told by every article), one document holding
one date thousands of times, many one-line articles, and one long document of news-like sentences.
`python -m bench.build_growth [--scale K]` (K multiplies the base sizes; default 1).
"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date

from timeline.pipeline import build_from_documents
from timeline.types import Document, PublishedSource

PUBLISHED = date(2025, 1, 29)  # a Wednesday
STEPS = (1, 2, 4, 8)
GOAL = 2.3


def dated(doc_id: str, text: str) -> Document:
    return Document(doc_id, text, published=PUBLISHED, published_source=PublishedSource.FIELD)


def repeated_sentence(n: int) -> list[Document]:
    return [dated(f"a{i}", f"Shares of Kestrel Mining rose {i % 90}% on Tuesday. The company was founded in 1998.")
            for i in range(n)]


def one_date_many_times(n: int) -> list[Document]:
    return [dated("one", "Markets moved on " + "Monday, " * n + "and closed.")]


def one_line_articles(n: int) -> list[Document]:
    return [dated(f"l{i}", f"Crews repaired the {i}th bridge on Monday.") for i in range(n)]


def long_document(n: int) -> list[Document]:
    sentences = ("The council approved the budget on Monday. ", "Officials said the vote was close. ",
                 "Protesters gathered outside the hall last week. ", "The mayor will sign it next month. ")
    return [dated("long", "".join(sentences[i % 4] for i in range(n)))]


def quoted_dates_and_links(n: int) -> list[Document]:
    """One quotation holding a date n times, then n links: every expression asks whether it is quoted or linked."""
    text = 'He said "' + "we met on Monday, " * n + 'and closed." ' + " ".join(
        f"https://news.example/{i} on Tuesday" for i in range(n))
    return [dated("quoted", text)]


def one_sentence_of_clauses(n: int) -> list[Document]:
    """One sentence of n clauses, each with its date: every clause finds its own expressions."""
    return [dated("clauses", "Markets moved on Monday; " * n)]


SHAPES: dict[str, tuple[Callable[[int], list[Document]], int]] = {
    "one event told by every article": (repeated_sentence, 1000),
    "one document, one date many times": (one_date_many_times, 2000),
    "one-line articles": (one_line_articles, 2000),
    "one long document": (long_document, 2000),
    "one quotation of dates, many links": (quoted_dates_and_links, 1000),
    "one sentence of many clauses": (one_sentence_of_clauses, 2000),
}


def time_build(documents: list[Document]) -> float:
    started = time.perf_counter()
    build_from_documents(documents, progress=False)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    worst = 0.0
    print(f"build growth per doubling (goal <= {GOAL}x)")
    for name, (make, base) in SHAPES.items():
        times = [time_build(make(int(base * args.scale * step))) for step in STEPS]
        growth = max(b / max(a, 1e-9) for a, b in zip(times, times[1:]))
        worst = max(worst, growth)
        sizes = ", ".join(f"{int(base * args.scale * s)}: {t:.2f}s" for s, t in zip(STEPS, times))
        print(f"  {name:36s} {sizes}; worst growth {growth:.2f}x")
    print(f"  worst growth over all shapes: {worst:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
