"""Text -> sentence spans (half-open character offsets), for the tagger's tense cues and for events."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# A sentence ends at . ! ? (and closing quotes) followed by space and an upper-case letter, digit or
# quote, or at a line break: scraped news puts each paragraph, heading and caption on its own line.
BOUNDARY = re.compile(r"""[.!?]+['"”’»)\]]*(?=\s+["'“‘«(\[]?[A-Z0-9])|\n+""")
LAST_TOKEN = re.compile(r"([\w.]+)[.!?]*$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(text: str, abbreviations: frozenset[str] = frozenset()) -> list[Sentence]:
    """Split `text` into sentences; a full stop after a known abbreviation ("Jan.", "Mr.") is not an end."""
    sentences, start = [], 0
    for match in BOUNDARY.finditer(text):
        end = match.end() if match.group().strip() else match.start()
        if match.group()[0] == "." and ends_with_abbreviation(text[start:match.start() + 1], abbreviations):
            continue
        add_sentence(text, start, end, sentences)
        start = match.end()
    add_sentence(text, start, len(text), sentences)
    return sentences


def ends_with_abbreviation(chunk: str, abbreviations: frozenset[str]) -> bool:
    token = LAST_TOKEN.search(chunk)
    if token is None:
        return False
    word = token.group(1).lower().rstrip(".")
    # Single capitals ("J. Smith") are initials, not sentence ends.
    return word in abbreviations or (len(word) == 1 and word.isalpha())


def add_sentence(text: str, start: int, end: int, into: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        into.append(Sentence(start, end, text[start:end]))


def sentence_at(sentences: list[Sentence], offset: int, starts: list[int] | None = None) -> int:
    """Index of the sentence holding character `offset` (the last one starting at or before it)."""
    starts = starts if starts is not None else [s.start for s in sentences]
    return max(0, bisect_right(starts, offset) - 1)
