"""Rule file (YAML) -> validated RuleSet: vocabulary, compiled patterns and their examples."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from timeline.errors import RuleError
from timeline.types import TimexType

MACRO = re.compile(r"\{([A-Za-z_]+)\}")
RULE_KEYS = {"name", "type", "kind", "pattern", "fields", "examples", "case_sensitive", "requires"}
LETTERS = re.compile(r"[a-z]+")
# Every match is bounded so that "Monday" never matches inside "Mondays" or "2024" inside "120245".
WORD_START = r"(?<![\w'])"
WORD_END = r"(?![\w])"


@dataclass(frozen=True)
class Example:
    text: str
    anchor: date
    value: str


@dataclass(frozen=True, eq=False)
class Rule:
    name: str
    type: TimexType
    kind: str
    regex: re.Pattern
    fields: dict[str, Any]
    examples: tuple[Example, ...]
    # Words one of which a text must hold for the rule to match (a fast filter); empty: derived from the pattern.
    requires: frozenset[str] = frozenset()
    # The pattern with its vocabulary classes written out word by word (the regex writes them as tries): where the
    # rule's literal words are read from.
    words_source: str = ""


# eq=False: a rule set is identified by the object, so it can key caches of what is compiled from it.
@dataclass(frozen=True, eq=False)
class RuleSet:
    path: str
    vocabulary: dict[str, dict[str, Any]]
    tables: dict[str, dict[int, date]]
    rules: tuple[Rule, ...]
    strip_prefixes: tuple[str, ...]
    future_cues: tuple[str, ...]
    past_words: frozenset[str]
    not_past: frozenset[str]
    abbreviations: frozenset[str]
    lookups: dict[str, dict[str, Any]] = field(default_factory=dict)
    present_words: frozenset[str] = frozenset()
    deadline_words: tuple[str, ...] = ()
    name_words: frozenset[str] = frozenset()
    not_cues: tuple[str, ...] = ()
    forward_words: tuple[str, ...] = ()
    reporting_words: frozenset[str] = frozenset()

    def lookup(self, group: str, text: str) -> Any:
        """The vocabulary value of a captured group, or its text when the group names no class."""
        table = self.lookups.get(group.rstrip("0123456789"))
        if table is None:
            return text
        return table.get(normalize_word(text), text)

    def words(self) -> tuple[str, ...]:
        """Every word the rules' patterns name: what property tests and adversarial benches build text from."""
        return tuple(sorted({word for rule in self.rules for word in pattern_words(rule.words_source)}))


def pattern_words(source: str) -> list[str]:
    """The literal words of a regular expression: what is left without escapes, group names, classes, counts."""
    return re.findall(r"[A-Za-z]+", re.sub(r"\\[a-zA-Z]|\(\?P?<[^>]*>|\[[^\]]*\]|\{[\d,]*\}", " ", source))


SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def normalize_word(text: str) -> str:
    """Lower-case, one space between words, no trailing full stop: how vocabulary keys are written."""
    return SPACES.sub(" ", text.strip().lower()).rstrip(".").replace("’", "'")


def expand_macros(pattern: str, vocabulary: dict[str, dict[str, Any]], where: str, *, trie: bool = True) -> str:
    def alternation(match: re.Match) -> str:
        name = match.group(1)
        words = vocabulary.get(name.lower())
        if words is None:
            raise RuleError(f"unknown vocabulary class {{{name}}}", path=where)
        keys = sorted((str(k) for k in words), key=len, reverse=True)
        if name[0].isupper():
            keys = [k[0].upper() + k[1:] for k in keys]
        if trie:
            return "(?:" + trie_pattern(keys) + ")"
        return "(?:" + "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys) + ")"

    return MACRO.sub(alternation, pattern)


def trie_pattern(words: list[str]) -> str:
    """An alternation of `words` written as a trie ("t(?:wo|hree|en)"), a space matching any whitespace. It matches
    what the flat alternation, longest first, matches, but a regex tries one branch per letter instead of every
    word at every position: the vocabulary classes ({number}, {unit}) run at each word of every text."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = [(r"\s+" if char == " " else re.escape(char)) + render(child)
                    for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return render(trie)


def compile_rule(raw: dict, index: int, vocabulary: dict, path: str) -> Rule:
    name = raw.get("name") or f"#{index}"
    where = f"{path} rule {name!r}"
    unknown = set(raw) - RULE_KEYS
    if unknown:
        raise RuleError(f"unknown keys {sorted(unknown)}", path=where)
    for key in ("name", "type", "kind", "pattern"):
        if not raw.get(key):
            raise RuleError(f"missing {key!r}", path=where)
    try:
        timex_type = TimexType(raw["type"])
    except ValueError:
        raise RuleError(f"type {raw['type']!r} is not one of DATE, TIME, DURATION, SET", path=where) from None
    flags = 0 if raw.get("case_sensitive") else re.IGNORECASE
    source = WORD_START + "(?:" + expand_macros(raw["pattern"], vocabulary, where) + ")" + WORD_END
    try:
        regex = re.compile(source, flags)
    except re.error as exc:
        raise RuleError(f"pattern does not compile: {exc}", path=where) from None
    if regex.search("") is not None:
        raise RuleError("pattern matches the empty string", path=where)
    examples = []
    for example in raw.get("examples") or ():
        try:
            examples.append(Example(str(example["text"]), parse_anchor(example["anchor"]), str(example["value"])))
        except (KeyError, TypeError, ValueError):
            raise RuleError(f"example {example!r} needs text, anchor (YYYY-MM-DD) and value", path=where) from None
    requires = required_words(raw.get("requires") or (), vocabulary, where)
    for example in examples:
        if requires and not holds_required(example.text, requires):
            raise RuleError(f"example {example.text!r} holds none of the words the rule requires", path=where)
    words_source = expand_macros(raw["pattern"], vocabulary, where, trie=False)
    return Rule(name, timex_type, raw["kind"], regex, dict(raw.get("fields") or {}), tuple(examples), requires,
                words_source)


def required_words(entries: Any, vocabulary: dict, where: str) -> frozenset[str]:
    """The words (or symbols) of a rule's `requires` list; a {class} stands for the longest word of each of its entries
    (an entry found in a text brings all its words, and the longest is the rarest: "Christmas", not "day")."""
    if isinstance(entries, str) or not all(isinstance(e, str) for e in entries):
        raise RuleError("requires must be a list of words or {class} names (quote on/no/yes)", path=where)
    words: set[str] = set()
    for entry in entries:
        macro = MACRO.fullmatch(entry)
        if macro:
            keys = vocabulary.get(macro.group(1).lower())
            if keys is None:
                raise RuleError(f"unknown vocabulary class {entry}", path=where)
            words.update(max(LETTERS.findall(str(key).lower()), key=len) for key in keys
                         if LETTERS.search(str(key).lower()))
        else:
            # an entry of letters is a word; any other is a string the text must hold (":" for "2:21:05")
            words.add(entry.lower() if entry.isalpha() else entry)
    return frozenset(words)


def holds_required(text: str, requires: frozenset[str]) -> bool:
    """Whether `text` holds one of a rule's required words (or symbols)."""
    words = set(LETTERS.findall(text.lower()))
    return any(word in words if word.isalpha() else word in text for word in requires)


def parse_anchor(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Read and validate a rule file; the English rules shipped with the package by default.

    Raises:
        RuleError: the file is missing, not YAML, or a rule is malformed (duplicate name, bad regex,
            regex matching empty text, unknown macro).
    """
    if path is None:
        source = resources.files("timeline.rules").joinpath("en.yaml")
        where = "timeline/rules/en.yaml"
    else:
        source = Path(path)
        where = str(path)
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"cannot read rule file: {exc}", path=where) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RuleError(f"not valid YAML: {getattr(exc, 'problem', exc)}", path=where,
                        line=mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or "rules" not in data or "vocabulary" not in data:
        raise RuleError("a rule file needs 'vocabulary' and 'rules'", path=where)
    vocabulary = {name.lower(): {str(k): v for k, v in words.items()} for name, words in data["vocabulary"].items()}
    rules, seen = [], set()
    for index, raw in enumerate(data["rules"]):
        rule = compile_rule(raw, index, vocabulary, where)
        if rule.name in seen:
            raise RuleError(f"duplicate rule name {rule.name!r}", path=where)
        seen.add(rule.name)
        rules.append(rule)
    tense = data.get("tense", {})
    for key, words in [("strip_prefixes", data.get("strip_prefixes", ())), ("abbreviations", data.get("abbreviations", ())),
                       *((f"tense.{k}", v) for k, v in tense.items())]:
        bad = [w for w in words if not isinstance(w, str)]
        if bad:  # YAML reads a bare on/no/yes as a boolean
            raise RuleError(f"{key} holds non-words {bad!r}; quote them", path=where)
    tables = {name: {int(y): parse_anchor(d) for y, d in rows.items()} for name, rows in (data.get("tables") or {}).items()}
    lookups = {name: {normalize_word(k): v for k, v in words.items()} for name, words in vocabulary.items()}
    return RuleSet(
        path=where,
        vocabulary=vocabulary,
        tables=tables,
        rules=tuple(rules),
        strip_prefixes=tuple(data.get("strip_prefixes", ())),
        future_cues=tuple(tense.get("future", ())),
        past_words=frozenset(tense.get("past_irregular", ())),
        not_past=frozenset(tense.get("not_past", ())),
        abbreviations=frozenset(data.get("abbreviations", ())),
        lookups=lookups,
        present_words=frozenset(tense.get("present", ())),
        deadline_words=tuple(tense.get("deadline", ())),
        not_cues=tuple(tense.get("not_cues", ())),
        forward_words=tuple(tense.get("forward", ())),
        reporting_words=frozenset(tense.get("reporting", ())),
        name_words=frozenset(w.lower() for w in data.get("name_words", ())),
    )


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    return load_rules()
