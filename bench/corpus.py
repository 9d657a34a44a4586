"""(N, M, seed) -> a generated news corpus (JSONL) about M stories, and its gold (TSV): which sentence tells which
event, and the event's true date.

Each story is a run of events on distinct days; articles published on different days retell some of them with
the phrasings news uses, relative to their own publication date ("on Monday", "yesterday", "earlier this week",
"last month", "on March 4", "in March"), add background sentences that date nothing and distractor events of
other companies. Written one article at a time, so memory does not grow with N.

    python -m bench.corpus 10000 --out /tmp/corpus   # writes corpus.jsonl and gold.tsv
"""
from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

VOCABULARY = yaml.safe_load((Path(__file__).with_name("stories.yaml")).read_text(encoding="utf-8"))
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
FIRST_DAY = date(2022, 1, 3)
WINDOW_DAYS = 60  # a story's events fall within two months
# Days between an event and an article retelling it: most news is told the same week, some much later.
DELAYS = (0, 0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 6, 9, 14, 21, 35)
GOLD_COLUMNS = ("document", "start", "end", "event", "first", "last")


@dataclass(frozen=True)
class StoryEvent:
    id: str
    kind: str
    day: date
    slots: dict


@dataclass(frozen=True)
class Story:
    id: int
    org: str
    events: tuple[StoryEvent, ...]


@dataclass(frozen=True)
class Article:
    record: dict  # id, title, published, text
    gold: list  # rows of GOLD_COLUMNS


class Names:
    """Made-up names, never the same twice in a corpus, so stories are told apart only by what they say."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def word(self) -> str:
        syllables = VOCABULARY["syllables"]
        for length in (2, 3, 3, 4, 4, 4, 5, 5, 5, 5) * 10:  # longer words once the short ones run out
            word = "".join(self.rng.choice(syllables) for _ in range(length)).capitalize()
            if word not in self.used:
                self.used.add(word)
                return word
        raise RuntimeError(f"no unused name left after {len(self.used)}")

    def org(self) -> str:
        return f"{self.word()} {self.rng.choice(VOCABULARY['org_suffixes'])}"

    def person(self) -> str:
        return f"{self.rng.choice(VOCABULARY['first_names'])} {self.word()}"


def make_slots(rng: random.Random, names: Names, org: str, place: str, person: str) -> dict:
    return {"org": org, "org2": names.org(), "person": person, "place": place,
            "n": rng.randrange(12, 900), "p": rng.randrange(3, 25)}


def make_story(number: int, rng: random.Random, names: Names) -> Story:
    org, place, person = names.org(), names.word(), names.person()
    start = FIRST_DAY + timedelta(days=rng.randrange(0, 3 * 365))
    kinds = rng.sample(sorted(VOCABULARY["kinds"]), rng.randint(4, 6))
    offsets = sorted(rng.sample(range(0, WINDOW_DAYS, 3), len(kinds)))
    events = tuple(StoryEvent(f"s{number}-{kind}", kind, start + timedelta(days=offset),
                              make_slots(rng, names, org, place, person)) for kind, offset in zip(kinds, offsets))
    return Story(number, org, events)


def past_phrases(day: date, published: date) -> list[str]:
    """How an article published on `published` can name the past (or same) day `day`."""
    delta = (published - day).days
    written = f"on {MONTHS[day.month - 1]} {day.day}"
    phrases = [written, f"{written}, {day.year}"]
    if delta == 0:
        phrases += ["today", f"on {WEEKDAYS[day.weekday()]}"]
    elif delta == 1:
        phrases += ["yesterday", f"on {WEEKDAYS[day.weekday()]}", f"on {WEEKDAYS[day.weekday()]} night"]
    elif delta < 7:
        phrases += [f"on {WEEKDAYS[day.weekday()]}", f"on {WEEKDAYS[day.weekday()]}"]
        if day.isocalendar()[:2] == published.isocalendar()[:2]:
            phrases.append("earlier this week")
    else:
        if (day.year, day.month) == (published.year, published.month):
            phrases.append("earlier this month")
        elif (day.year * 12 + day.month) == published.year * 12 + published.month - 1:
            phrases.append("last month")
        elif day.year == published.year:
            phrases.append(f"in {MONTHS[day.month - 1]}")
    return phrases


def sentence(clause: str, phrase: str, rng: random.Random, opener: str = "") -> str:
    if rng.random() < 0.4 and not phrase.startswith("today"):
        text = f"{opener}{phrase}, {clause}."
    else:
        text = f"{opener}{clause} {phrase}."
    return text[0].upper() + text[1:]


def tell(event: StoryEvent, published: date, rng: random.Random) -> str:
    wordings = VOCABULARY["kinds"][event.kind]
    if event.day > published:
        return sentence(wordings["future"].format(**event.slots), f"on {WEEKDAYS[event.day.weekday()]}", rng)
    return sentence(rng.choice(wordings["past"]).format(**event.slots), rng.choice(past_phrases(event.day, published)), rng)


def write_article(number: int, story: Story, rng: random.Random, names: Names) -> Article:
    focus = rng.choice(story.events)
    published = focus.day + timedelta(days=rng.choice(DELAYS))
    told = [focus] + [e for e in story.events if e.day < published and e is not focus and rng.random() < 0.35][:2]
    future = [e for e in story.events
              if published < e.day <= published + timedelta(days=6) and "future" in VOCABULARY["kinds"][e.kind]]
    told += future[:1]
    pieces: list[tuple[str, str, date | None]] = [(tell(e, published, rng), e.id, e.day) for e in told]
    for filler in rng.sample(VOCABULARY["fillers"], rng.randint(1, 3)):
        filler = filler.format(org=story.org)
        pieces.insert(rng.randint(1, len(pieces)), (filler, "", None))
    if rng.random() < 0.3:
        other = StoryEvent(f"d{number}", rng.choice(sorted(VOCABULARY["kinds"])), published - timedelta(days=rng.randrange(0, 8)),
                           make_slots(rng, names, names.org(), names.word(), names.person()))
        clause = rng.choice(VOCABULARY["kinds"][other.kind]["past"]).format(**other.slots)
        opener = rng.choice(("Separately, ", "Elsewhere, ", "In other news, "))
        pieces.append((sentence(clause, rng.choice(past_phrases(other.day, published)), rng, opener), other.id, other.day))
    doc_id = f"a{number:07d}"
    text, gold = "", []
    for piece, event, day in pieces:
        start = len(text) + (1 if text else 0)
        text = f"{text} {piece}" if text else piece
        if event:
            gold.append((doc_id, start, len(text), event, day.isoformat(), day.isoformat()))
    title = f"{story.org}: {focus.kind}"
    return Article({"id": doc_id, "title": title, "published": published.isoformat(), "text": text}, gold)


def generate(articles: int, stories: int | None = None, seed: int = 7) -> Iterator[Article]:
    """`articles` articles about `stories` stories (default: one story per 25 articles), deterministic in `seed`."""
    rng = random.Random(seed)
    names = Names(rng)
    count = stories or max(1, articles // 25)
    plot = [make_story(i, rng, names) for i in range(count)]
    for number in range(articles):
        yield write_article(number, plot[number % count], rng, names)


def write_corpus(folder: Path, articles: int, stories: int | None = None, seed: int = 7) -> tuple[Path, Path]:
    """Write corpus.jsonl and gold.tsv into `folder`; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    corpus, gold = folder / "corpus.jsonl", folder / "gold.tsv"
    with corpus.open("w", encoding="utf-8") as out, gold.open("w", encoding="utf-8", newline="") as gold_out:
        rows = csv.writer(gold_out, delimiter="\t", lineterminator="\n")
        rows.writerow(GOLD_COLUMNS)
        for article in generate(articles, stories, seed):
            out.write(json.dumps(article.record) + "\n")
            rows.writerows(article.gold)
    return corpus, gold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n")[0])
    parser.add_argument("articles", type=int)
    parser.add_argument("--stories", type=int)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="folder for corpus.jsonl and gold.tsv")
    args = parser.parse_args(argv)
    corpus, gold = write_corpus(args.out, args.articles, args.stories, args.seed)
    print(f"wrote {corpus} and {gold}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
