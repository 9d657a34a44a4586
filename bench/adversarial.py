"""1 MB adversarial inputs against news text: the tagger's time per character must stay about the same.

Each case repeats a unit that stresses one part of the tagger (every word a time expression, one sentence of
a megabyte, long digit runs, word salad from the rule vocabulary) up to `SIZE` characters, and is timed as
one `timeline.tag` call. News text is the TimeBank/AQUAINT documents joined to the same size."""
from __future__ import annotations

import random
import sys
import time
from datetime import date

import timeline
from timeline.rules import default_rules

SIZE = 1_000_000
PUBLISHED = date(2025, 1, 29)
# name -> repeated unit; chosen to hit each stage: candidate regexes, overlap selection, tense lookup in one
# endless sentence, resolution of dense relative expressions, and inputs no rule can match.
CASES = {
    "years": "2024 ",
    "weekdays": "on Monday ",
    "weekday names, one sentence": "Monday Tuesday Wednesday ",
    "full dates": "January 29, ",
    "numeric dates": "1/29/2025 ",
    "ISO chain": "2025-01-29-",
    "ago": "two days ago ",
    "fuzzy": "recently ",
    "mixed": "On Monday, 3 p.m. last year the 1990s ",
    "digits": "1",
    "words without dates": "the ",
    "newlines": "\n",
    "sentence ends": ". ",
}
NUMBERS_AND_MARKS = ("2024", "29", "3", "1990s", ",", ".", "'s", "-", "the", "of", "said", "will")


def word_salad(size: int, seed: int = 7) -> str:
    """Random words the rules name, with numbers and marks: every partial match a rule could start on."""
    vocabulary = default_rules().words() + NUMBERS_AND_MARKS
    rng = random.Random(seed)
    words, length = [], 0
    while length < size:
        word = rng.choice(vocabulary)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)[:size]


def repeated(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def news_text(size: int) -> str:
    from bench.run import corpus_documents

    return repeated("\n\n".join(doc.text for doc in corpus_documents()) + "\n\n", size)


def micros_per_char(text: str) -> tuple[float, int]:
    started = time.perf_counter()
    found = timeline.tag(text, PUBLISHED)
    return (time.perf_counter() - started) / len(text) * 1e6, len(found)


def main(size: int = SIZE) -> int:
    # Numeric dates ("1/29/2025") load dateparser on first use: load it before the clock starts, as
    # dateparser's own import is left out of its timing.
    timeline.tag("warm up on Monday, 1/29/2025", PUBLISHED)
    baseline, found = micros_per_char(news_text(size))
    print(f"adversarial inputs of {size:,} characters, one timeline.tag call each (news: {baseline:.2f} us/char, "
          f"{found:,} expressions)")
    worst = 0.0
    inputs = {name: repeated(unit, size) for name, unit in CASES.items()}
    inputs["word salad"] = word_salad(size)
    for name, text in inputs.items():
        rate, found = micros_per_char(text)
        worst = max(worst, rate / baseline)
        print(f"  {name:28s} {rate:7.2f} us/char  {rate / baseline:5.2f}x news  {found:9,} expressions")
    print(f"  worst case: {worst:.2f}x the time per character of news text")
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else SIZE))
