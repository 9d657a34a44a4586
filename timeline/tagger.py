"""Text -> spans of temporal expressions with half-specified values (rule kind, slots, tense). No dates computed."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from timeline.rules import Rule, RuleSet, default_rules, pattern_words
from timeline.sentences import Sentence, sentence_at, split_sentences
from timeline.types import Direction


@dataclass(frozen=True)
class Found:
    """A matched expression before resolution: what the rule and the clause say, not yet a date."""

    start: int
    end: int
    text: str
    rule: Rule
    slots: dict[str, Any]
    direction: Direction
    sentence: int
    quoted_from: int = -1  # for DEICTIC_KINDS: the offset of the quotation mark opening its quote, if any


@dataclass(frozen=True)
class Cues:
    """Compiled tense cues of a rule set, and which rules each word of a text can start."""

    prefix: re.Pattern
    words: re.Pattern
    future: frozenset[str]
    past: frozenset[str]
    not_past: frozenset[str]
    present: frozenset[str]
    deadline: re.Pattern
    not_cues: frozenset[str]
    forward: re.Pattern
    reporting: frozenset[str] = frozenset()
    by_word: dict[str, frozenset[int]] = field(default_factory=dict)  # trigger word -> rules it can start
    numeric: frozenset[int] = frozenset()  # rules that can match digits alone
    by_symbol: dict[str, frozenset[int]] = field(default_factory=dict)  # required symbol (":") -> its rules
    # word -> the direction it points, filled as texts are read; capped so that no stream of new words
    # (a server's lifetime of text) makes it grow without end.
    seen: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


# Words that only ever qualify an expression: a text holding none of a rule's other words cannot match it.
GLUE = frozenset("""the of in on at and for from to by with that this last next early late mid end start
beginning middle close over during within since until through about around more less than nearly almost under
some roughly just only every each per previous preceding prior coming following upcoming latest
most first second third fourth final latter fiscal same was were said earlier later long old
percent people tons feet miles cars jobs employees workers shares units aircraft planes euros dollars yen
billion million collection season olympics games fashion term semester break school camp""".split())
LETTERS = re.compile(r"[a-z]+")
DIGIT = re.compile(r"\d")


def rule_trigger(source: str) -> tuple[frozenset[str], bool]:
    """The words (beyond glue) a rule's pattern names, and whether it can match digits. Fragments of one or two
    letters ("s" of "Mondays", "st" of "1st") are left out: nearly every text holds them, so they would choose
    the rule for every text; plurals are matched by the text's words instead (see `rules_to_run`)."""
    named = {w.lower() for w in pattern_words(source)} - GLUE
    words = frozenset(w for w in named if len(w) > 2) or frozenset(named)
    return words, bool(re.search(r"\\d|\[[^\]]*\d", source))


def rules_to_run(text: str, rules: RuleSet, cues: Cues) -> list[int]:
    """Indexes of the rules that could match `text`: one pass over its words instead of one regex per rule."""
    chosen = set(cues.numeric) if DIGIT.search(text) else set()
    for symbol, indexes in cues.by_symbol.items():
        if symbol in text:
            chosen.update(indexes)
    for word in set(LETTERS.findall(text.lower())):
        chosen.update(cues.by_word.get(word, ()))
        if word.endswith("s"):  # "Mondays", "1990s": the rule names the singular
            chosen.update(cues.by_word.get(word[:-1], ()))
    return sorted(chosen)


@lru_cache(maxsize=8)
def compile_cues(rules: RuleSet) -> Cues:
    # "at least" and "at most" qualify the expression: their "at" stays.
    prefix = re.compile(r"(?:%s)\s+(?!least\b|most\b)" % "|".join(re.escape(p) for p in rules.strip_prefixes),
                        re.IGNORECASE)
    multi = sorted([c for c in rules.future_cues if " " in c] + list(rules.not_cues), key=len, reverse=True)
    words = re.compile(r"(?:%s)(?![\w])|[A-Za-z']+" % "|".join(re.escape(c).replace(r"\ ", r"\s+") for c in multi),
                       re.IGNORECASE)
    single = frozenset(c.lower() for c in rules.future_cues if " " not in c)
    triggers = tuple((rule.requires, False) if rule.requires else rule_trigger(rule.words_source)
                     for rule in rules.rules)
    by_word: dict[str, set[int]] = {}
    for index, (needed, _) in enumerate(triggers):
        for word in needed:
            by_word.setdefault(word, set()).add(index)
    numeric = frozenset(index for index, (_, digits) in enumerate(triggers) if digits)
    # "extended the offer until Friday": a deadline word inside a clause points ahead whatever the verb's
    # tense; at a clause's start ("Until Thursday, they had ...") or after "not"/"up" it does not.
    deadline = re.compile(r"(?<![Nn]ot\s)(?<![Uu]p\s)(?<=[a-z]\s)(?:%s)\s+$" % "|".join(
        re.escape(w) for w in rules.deadline_words)) if rules.deadline_words else re.compile(r"(?!)")
    forward = re.compile(r"(?<=\s)(?:%s)\s+$" % "|".join(re.escape(w) for w in rules.forward_words)) \
        if rules.forward_words else re.compile(r"(?!)")
    return Cues(prefix, words, single, rules.past_words, rules.not_past, rules.present_words, deadline,
                frozenset(c.lower() for c in rules.not_cues), forward, rules.reporting_words,
                {word: frozenset(indexes) for word, indexes in by_word.items() if word.isalpha()}, numeric,
                {word: frozenset(indexes) for word, indexes in by_word.items() if not word.isalpha()})


def cue_of(word: str, cues: Cues) -> Direction:
    word = word.lower()
    if not word.isalpha():  # a multi-word cue ("going  to") may span any whitespace
        word = re.sub(r"\s+", " ", word)
    if word in cues.not_cues:
        return Direction.NONE
    if word in cues.future or " " in word:
        return Direction.FUTURE
    if word.endswith("'ll"):
        return Direction.FUTURE
    if word in cues.past or (len(word) > 4 and word.endswith("ed") and word not in cues.not_past):
        return Direction.PAST
    return Direction.NONE


@dataclass(frozen=True)
class SentenceTense:
    """The tense words of one sentence, with the nearest cue before and after each word precomputed, so that
    a sentence holding thousands of expressions costs one pass, not one pass per expression."""

    starts: list[int]
    ends: list[int]
    before: list[Direction]  # before[i]: the nearest cue among words 0..i-1
    after: list[Direction]  # after[i]: the nearest cue among words i..
    cue_at: list[int]  # cue_at[i]: the index of the word that gave before[i] (-1: none)

    def around(self, start: int, end: int) -> Direction:
        """The nearest cue before the span, else the nearest after it."""
        index = bisect.bisect_right(self.ends, start)
        before = self.before[index]
        if before is REPORTED:
            # Right after the verb of saying it is the saying's time; farther, a date in what was said, whose own
            # verbs (after it) decide.
            if index - 1 - self.cue_at[index] <= REPORT_REACH:
                return Direction.PAST
            before = Direction.NONE
        if before is PRESENT:
            return Direction.NONE
        if before is not Direction.NONE:
            return before
        after = self.after[bisect.bisect_left(self.starts, end)]
        return Direction.NONE if after is PRESENT else after


def sentence_tense(text: str, sentence: Sentence, cues: Cues) -> SentenceTense:
    matches = list(cues.words.finditer(text, sentence.start, sentence.end))
    directions = cue_directions(matches, cues)
    none = Direction.NONE
    before, cue_at = [none], [-1]
    last, last_at = none, -1
    for index, direction in enumerate(directions):
        if direction is not none:
            last, last_at = direction, index
        before.append(last)
        cue_at.append(last_at)
    after, last = [none], none
    for direction in reversed(directions):
        if direction is not none:
            last = Direction.PAST if direction is REPORTED else direction  # "in June, he said": past
        after.append(last)
    after.reverse()
    spans = [m.span() for m in matches]
    return SentenceTense([a for a, _ in spans], [b for _, b in spans], before, after, cue_at)


# A participle after these ("will be named", "is heard") is passive voice, not past tense: the words before
# it decide ("was" and "were" are cues themselves).
BE = frozenset(["be", "is", "are", "am", "being", "was", "were",
                # linking verbs take a participle as an adjective too: "remain disrupted", "gets delayed"
                "remain", "remains", "stay", "stays", "become", "becomes", "seem", "seems", "get", "gets",
                "appear", "appears"])
# A present-tense verb between an expression and an older past-tense cue cuts the cue off ("signed an
# agreement ... when the case is heard in May"): the expression gets no direction, so the nearest date wins.
PRESENT = object()
# A past verb of saying: past for the words right after it (at most REPORT_REACH words between), silent farther on.
REPORTED = object()
REPORT_REACH = 2
ADJECTIVE_BEFORE = frozenset(["a", "an", "the", "its", "their", "his", "her", "our", "still", "very", "newly", "so",
                              "too", "more", "most", "less", "least", "long", "much", "well"])
SEEN_WORDS = 100_000


def cue_directions(matches, cues: Cues) -> list[Direction]:
    """The direction each word points; a participle after a form of "be" points nowhere itself."""
    directions, previous = [], ""
    seen, last_words = cues.seen, ""
    for match in matches:
        word = match.group()
        lower = word.lower()
        direction = seen.get(word)
        if direction is None:
            if lower in cues.present:
                direction = PRESENT
            elif lower in cues.reporting:
                direction = REPORTED
            else:
                direction = cue_of(word, cues)
            if len(seen) < SEEN_WORDS:
                seen[word] = direction
        if direction is Direction.PAST:
            if last_words in BE or last_words == "to":
                # passive voice ("will be named"), or an infinitive ("expected to last"): no tense of its own
                direction = Direction.NONE
            elif previous in ADJECTIVE_BEFORE and lower.endswith("ed"):
                direction = Direction.NONE  # "a still unspecified date", "the proposed merger": adjectives
        elif direction is Direction.FUTURE and previous in ("had", "had been"):
            # "had been scheduled to expire Friday": a plan as it stood before, for a time now gone
            direction = Direction.PAST
        directions.append(direction)
        if direction is Direction.NONE and lower.endswith("ly") and previous in BE:
            continue  # an adverb between: "is severely damaged", "remain badly disrupted"
        previous = "had been" if previous == "had" and lower == "been" else lower
        last_words = previous.rsplit(" ", 1)[-1] if " " in previous else previous
    return directions


def slots_of(match: re.Match, rule: Rule, rules: RuleSet) -> dict[str, Any]:
    slots: dict[str, Any] = dict(rule.fields)
    for name, raw in match.groupdict().items():
        if raw is not None:
            slots[name] = rules.lookup(name, raw)
            slots[name + "_text"] = raw
    slots["_text"] = match.group()
    return slots


# A long text holds every rule's words somewhere, so its rules are filtered block by block, each block
# whole sentences of about this many characters.
BLOCK_CHARS = 2000


def blocks_of(text: str, sentences: list[Sentence]) -> list[tuple[int, int]]:
    """Contiguous (start, end) ranges covering `text`, cut only where a sentence starts."""
    blocks, start = [], 0
    for sentence in sentences:
        if sentence.start - start >= BLOCK_CHARS:
            blocks.append((start, sentence.start))
            start = sentence.start
    blocks.append((start, len(text)))
    return blocks


def find_candidates(text: str, rules: RuleSet, cues: Cues,
                    blocks: list[tuple[int, int]] | None = None) -> list[tuple[int, int, int, re.Match]]:
    """Every match of every rule as (start, end, rule index, match), with leading prepositions trimmed."""
    found = []
    for first, last in blocks or [(0, len(text))]:
        for index in rules_to_run(text[first:last], rules, cues):
            for match in rules.rules[index].regex.finditer(text, first, last):
                start, end = match.span()
                prefix = cues.prefix.match(text, start, end)
                if prefix and prefix.end() < end:
                    start = prefix.end()
                found.append((start, end, index, match))
    return found


def select_longest(candidates: list[tuple[int, int, int, re.Match]]) -> list[tuple[int, int, int, re.Match]]:
    """Non-overlapping matches, longest first; on equal length the rule listed first wins."""
    # One flag per character: checking and marking a span costs its length, and spans are short, so the
    # selection stays linear however many expressions a text holds.
    taken_chars = bytearray(max((c[1] for c in candidates), default=0))
    taken = []
    for cand in sorted(candidates, key=lambda c: (c[0] - c[1], c[2], c[0])):
        start, end = cand[0], cand[1]
        if 1 in taken_chars[start:end]:
            continue
        taken_chars[start:end] = b"\x01" * (end - start)
        taken.append(cand)
    return sorted(taken, key=lambda c: c[0])


PREVIOUS_CAPITALIZED = re.compile(r"(?:^|\s)[A-Z][\w'&-]*\s+$")
NEXT_CAPITALIZED = re.compile(r"\s+[A-Z]")
NEXT_OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")
CLOSING_QUOTE = re.compile(r"[,.!?]?(?:\"|''|')")


def is_part_of_name(text: str, start: int, end: int, name_words: frozenset[str]) -> bool:
    """Whether a capitalized common time word belongs to a name: "USA Today", "ABC's "This Week,"",
    "Spring of Life". Words always capitalized (months, weekdays) never count."""
    first = text[start:end].split()[0]
    if not first[:1].isupper() or first.lower() not in name_words:
        return False
    before, after = text[max(0, start - 40):start], text[end:end + 40]
    opened = before.rstrip()[-1:]
    sentence_start = opened in ("", ".", "!", "?", ":", ";", "(", '"', "'", "`")
    if not sentence_start and PREVIOUS_CAPITALIZED.search(before):
        return True
    if not sentence_start and NEXT_CAPITALIZED.match(after):
        return True
    if opened in ('"', "'", "`") and CLOSING_QUOTE.match(after):
        return True
    return NEXT_OF_NAME.match(after) is not None


PREVIOUS_WORD = re.compile(r"([A-Za-z']+)\s+$")
NEXT_WORD = re.compile(r"\s+([A-Za-z']+)")


def adjacent_direction(text: str, start: int, end: int, cues: Cues) -> Direction:
    """The direction of the verb right next to an adverb ("was soon released", "will soon move", "soon became"):
    the word before it, else the word after it; a clause's other verbs do not reach it."""
    before = PREVIOUS_WORD.search(text, max(0, start - 30), start)
    if before is not None:
        direction = cue_of(before.group(1), cues)
        if direction is not Direction.NONE:
            return direction
    after = NEXT_WORD.match(text, end)
    return cue_of(after.group(1), cues) if after is not None else Direction.NONE


JOINED = re.compile(r"\s(?:and|or)\s")


def joins_date(text: str, previous: Found | None, start: int) -> bool:
    """Whether the bare day at `start` is joined by "and"/"or" to a month and day found just before it ("April 24 and
    25"): only then is it a date, not a count ("24 and 25 people")."""
    return (previous is not None and previous.rule.kind == "calendar" and "day" in previous.slots
            and JOINED.fullmatch(text, previous.end, start) is not None)


# Rule kinds whose value counts from the speaker's "now" ("Thursday", "tomorrow"): inside a quote, from the quoted
# speaker's; only for these does the tagger note the quote an expression stands in.
DEICTIC_KINDS = frozenset({"weekday", "relative_day"})
# A quotation mark: double (straight or curly), or single where it is no apostrophe ("don't" is not a quote).
QUOTE = re.compile(r"[\"“”]|(?<!\w)['‘](?=\w)|(?<=[\w.,!?])['’](?!\w)")


def quote_openings(text: str, sentence: Sentence) -> list[tuple[int, bool]]:
    """The quotation marks of a sentence in order, each with whether it opens a quote: a mark after a space (or
    the sentence's start) opens one, a mark after a word or punctuation closes it."""
    return [(match.start(), match.start() == 0 or text[match.start() - 1].isspace())
            for match in QUOTE.finditer(text, sentence.start, sentence.end)]


def quoted_from(marks: list[tuple[int, bool]], starts: list[int], offset: int) -> int:
    """The offset of the quotation mark opening the quote `offset` stands in, else -1."""
    index = bisect.bisect_left(starts, offset) - 1
    return marks[index][0] if index >= 0 and marks[index][1] else -1


def find_timexes(text: str, rules: RuleSet | None = None, sentences: list[Sentence] | None = None) -> list[Found]:
    """Find the temporal expressions of `text`, in order, each with its rule's slots and its clause's tense."""
    rules = rules or default_rules()
    cues = compile_cues(rules)
    if sentences is None:
        sentences = split_sentences(text, rules.abbreviations)
    starts = [s.start for s in sentences]
    found = []
    tenses: dict[int, SentenceTense] = {}
    quotes: dict[int, tuple[list[tuple[int, bool]], list[int]]] = {}
    for start, end, index, match in select_longest(find_candidates(text, rules, cues, blocks_of(text, sentences))):
        rule = rules.rules[index]
        if is_part_of_name(text, start, end, rules.name_words):
            continue
        if rule.fields.get("joins_date") and not joins_date(text, found[-1] if found else None, start):
            continue
        position = sentence_at(sentences, start, starts) if sentences else 0
        if position not in tenses:
            sentence = sentences[position] if sentences else Sentence(0, len(text), text)
            tenses[position] = sentence_tense(text, sentence, cues)
        quoted = -1
        if rule.kind in DEICTIC_KINDS:
            if position not in quotes:
                sentence = sentences[position] if sentences else Sentence(0, len(text), text)
                marks = quote_openings(text, sentence)
                quotes[position] = (marks, [m[0] for m in marks])
            quoted = quoted_from(*quotes[position], start)
        if rule.fields.get("adjacent_tense"):
            direction = adjacent_direction(text, start, end, cues)
        elif cues.deadline.search(text, max(0, start - 40), start):
            direction = Direction.FUTURE
        else:
            direction = tenses[position].around(start, end)
            if direction is Direction.NONE and cues.forward.search(text, max(0, start - 40), start):
                direction = Direction.FUTURE
        found.append(Found(start, end, text[start:end], rule, slots_of(match, rule, rules), direction, position,
                           quoted))
    return found
