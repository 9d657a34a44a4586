"""Article text as scraped -> its headline, body without page furniture, and dateline (rules in rules/ingest.yaml).

Cost: one pass over the lines, each line tried against a fixed set of patterns: O(n) in the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

import yaml

from timeline.errors import RuleError
from timeline.published import URL_DATE, make_date

RULES_FILE = "ingest.yaml"
URL = re.compile(r"https?://[^\s<>\"')\]]+")
TERMINAL = (".", ":", ";", ",")


@dataclass(frozen=True)
class IngestRules:
    max_words: int
    max_chars: int
    site_suffix: re.Pattern
    breadcrumb_roots: tuple[str, ...]
    furniture: tuple[tuple[str, re.Pattern], ...]
    boilerplate: tuple[tuple[str, re.Pattern], ...]
    url_line: re.Pattern
    dateline: re.Pattern


@dataclass(frozen=True)
class Cleaned:
    """Text with its furniture removed, and what was taken out of it."""

    text: str
    title: str = ""
    place: str = ""
    dateline: str = ""
    dateline_date: str = ""  # the dateline's date as written ("Jan 28"), possibly without a year
    cited_after: date | None = None  # the latest date of a URL the raw text cites: a lower bound only


def compile_rule(source: str, name: str, pattern: str, examples: list, counter: list) -> re.Pattern:
    """A rule's pattern, checked against its own examples.

    Raises:
        RuleError: the pattern does not compile, matches empty text, misses an example or matches a counter.
    """
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise RuleError(f"rule {name!r}: pattern does not compile: {exc}", path=source) from None
    if compiled.search(""):
        raise RuleError(f"rule {name!r}: pattern matches empty text", path=source)
    for example in examples:
        if not compiled.search(example):
            raise RuleError(f"rule {name!r}: misses its own example {example!r}", path=source)
    for example in counter:
        if compiled.search(example):
            raise RuleError(f"rule {name!r}: matches its counter-example {example!r}", path=source)
    return compiled


def parse_rules(data: dict, source: str) -> IngestRules:
    """Rules from the parsed YAML of `source`.

    Raises:
        RuleError: a section is missing or malformed, or a rule fails its examples.
    """
    try:
        months = "(?:" + "|".join(sorted(map(re.escape, data["months"]), key=len, reverse=True)) + ")"
        def rule(name: str, spec: dict, **macros) -> re.Pattern:
            pattern = spec["pattern"].replace("{month}", months)
            return compile_rule(source, name, pattern, spec.get("examples", []), spec.get("counter", []))
        furniture = tuple((spec["name"], rule(spec["name"], spec)) for spec in data["furniture"])
        boilerplate = tuple((spec["name"], rule(spec["name"], spec)) for spec in data["boilerplate"])
        names = [name for name, _ in furniture + boilerplate]
        if len(set(names)) != len(names):
            raise RuleError("furniture rules have duplicate names", path=source)
        return IngestRules(max_words=int(data["headline"]["max_words"]), max_chars=int(data["headline"]["max_chars"]),
                           site_suffix=rule("site_suffix", data["site_suffix"]),
                           breadcrumb_roots=tuple(data["breadcrumb_roots"]), furniture=furniture,
                           boilerplate=boilerplate,
                           url_line=rule("url_line", data["url_line"]), dateline=rule("dateline", data["dateline"]))
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, RuleError):
            raise
        raise RuleError(f"malformed ingest rules: missing or bad {exc}", path=source) from None


@lru_cache(maxsize=1)
def load_rules() -> IngestRules:
    """The shipped ingest rules, loaded and checked once.

    Raises:
        RuleError: the rule file is malformed.
    """
    text = resources.files("timeline.rules").joinpath(RULES_FILE).read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RuleError(f"not YAML: {exc}", path=RULES_FILE) from None
    if not isinstance(data, dict):
        raise RuleError("not a mapping of rule sections", path=RULES_FILE)
    return parse_rules(data, RULES_FILE)


def latest_cited_date(text: str) -> date | None:
    """The latest date in a URL the text cites (/2025/01/29/): a lower bound for its own publication."""
    found = []
    for url in URL.findall(text):
        match = URL_DATE.search(url)
        if match:
            found.append(make_date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
    return max((d for d in found if d), default=None)


def normalize(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().lower()


def strip_site(line: str, rules: IngestRules) -> tuple[str, bool]:
    """A headline without its site-name suffix, and whether there was one."""
    match = rules.site_suffix.search(line)
    if match and len(line[:match.start()].split()) >= 3:
        return line[:match.start()].rstrip(), True
    return line, False


def next_filled(lines: list[str], index: int) -> int | None:
    return next((i for i in range(index, len(lines)) if lines[i].strip()), None)


def find_headline(lines: list[str], rules: IngestRules) -> tuple[str, set[int]]:
    """The headline of an untitled text and the lines it occupies (a breadcrumb, a repeated headline)."""
    first = next_filled(lines, 0)
    if first is None:
        return "", set()
    line = lines[first].strip()
    if len(line) > rules.max_chars * 2 or rules.dateline.match(line) or rules.url_line.match(line):
        return "", set()
    following = next_filled(lines, first + 1)
    after = lines[following].strip() if following is not None else ""
    root = line.split(" ", 1)[0]
    if root in rules.breadcrumb_roots and after and normalize(line).endswith(normalize(after)) and \
            len(normalize(after)) < len(normalize(line)):
        return strip_site(after, rules)[0], {first, following}
    title, had_site = strip_site(line, rules)
    repeated = bool(after) and normalize(after) == normalize(title)
    stands_alone = first + 1 < len(lines) and not lines[first + 1].strip()
    if len(title.split()) > rules.max_words or len(title) > rules.max_chars or following is None:
        return "", set()
    if not (stands_alone or repeated):
        return "", set()
    if not (had_site or repeated or not title.endswith(TERMINAL)):
        return "", set()
    return title, {first, following} if repeated else {first}


def is_furniture(line: str, rules: IngestRules) -> bool:
    """A short line of the page's furniture, or a paragraph of any length in which the site speaks."""
    words = line.split()
    return (len(words) <= 12 and any(pattern.search(line) for _, pattern in rules.furniture)
            or any(pattern.search(line) for _, pattern in rules.boilerplate))


def drop_furniture(lines: list[str], rules: IngestRules) -> list[int]:
    """Indexes of furniture lines: share buttons, bylines, credits, site disclaimers, link cards (a title line over a
    bare URL)."""
    dropped = []
    for index, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        if rules.url_line.match(text) or is_furniture(text, rules):
            dropped.append(index)
        elif index + 1 < len(lines) and rules.url_line.match(lines[index + 1]) and len(text.split()) <= rules.max_words \
                and not text.endswith(TERMINAL):
            dropped.append(index)
    return dropped


def clean_text(text: str, titled: bool) -> Cleaned:
    """`text` without page furniture and dateline; an untitled text's headline line becomes its title.

    Raises:
        RuleError: the shipped rule file is malformed.
    """
    rules = load_rules()
    cited = latest_cited_date(text)
    lines = text.split("\n")
    title, taken = ("", set()) if titled else find_headline(lines, rules)
    taken |= set(drop_furniture(lines, rules))
    kept = [line for index, line in enumerate(lines) if index not in taken]
    place = dateline = when = ""
    first = next_filled(kept, 0)
    if first is not None:
        match = rules.dateline.match(kept[first])
        if match and (match.group("date") or match.group("agency") or match.group("wire")) \
                and kept[first][match.end():].strip():
            place, dateline, when = match.group("place"), match.group(0).strip(), match.group("date") or ""
            kept[first] = kept[first][match.end():]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    if not body.strip():
        return Cleaned(text=text, cited_after=cited)  # all of it looked like furniture: keep it as it was
    return Cleaned(text=body, title=title, place=place, dateline=dateline, dateline_date=when, cited_after=cited)
