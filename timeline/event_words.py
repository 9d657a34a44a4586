"""rules/events.yaml -> the checked vocabulary of the event stage: name stop-lists, reporting verbs, plan words,
predicate classes (words that tell the same kind of happening), and the stemmer they are compared with."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from timeline.errors import RuleError

WORD_LISTS = ("not_names", "generic_name_parts", "stopwords", "reporting_verbs", "modals", "plan_verbs")
ENTRY = re.compile(r"'?[a-z][a-z'-]*")


@dataclass(frozen=True)
class EventWords:
    not_names: frozenset[str]
    generic_name_parts: frozenset[str]
    stopwords: frozenset[str]
    reporting_verbs: frozenset[str]
    modals: frozenset[str]
    plan_verbs: frozenset[str]
    predicate_of: dict[str, str]  # stem -> its class

    @property
    def not_actor_names(self) -> frozenset[str]:
        return self.not_names | self.generic_name_parts


def stem(word: str) -> str:
    """A crude suffix-stripping stem: "tumbled", "tumbles" and "tumbling" share "tumbl"."""
    word = word.lower().replace("’", "'").split("'")[0]
    for suffix in ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    # "decline" and "declined" share "declin".
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


def words_of(path: str, key: str, raw: object) -> list[str]:
    if not isinstance(raw, str):
        raise RuleError(f"{path}: '{key}' must be a string of words")
    words = raw.split()
    bad = [w for w in words if not ENTRY.fullmatch(w)]
    if bad:
        raise RuleError(f"{path}: '{key}' holds {bad[0]!r}, not a lower-case word")
    return words


def load_event_words(path: str | Path | None = None) -> EventWords:
    """Read and check an event vocabulary file (the packaged rules/events.yaml by default).

    Raises:
        RuleError: a list is missing or not lower-case words, or a word sits in two predicate classes.
    """
    if path is None:
        text = resources.files("timeline.rules").joinpath("events.yaml").read_text(encoding="utf-8")
        path = "rules/events.yaml"
    else:
        text = Path(path).read_text(encoding="utf-8")
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise RuleError(f"{path}: expected a mapping of word lists")
    missing = [k for k in (*WORD_LISTS, "predicate_classes") if k not in data]
    if missing:
        raise RuleError(f"{path}: no '{missing[0]}' list")
    lists = {key: frozenset(words_of(str(path), key, data[key])) for key in WORD_LISTS}
    classes = data["predicate_classes"]
    if not isinstance(classes, dict):
        raise RuleError(f"{path}: 'predicate_classes' must map a class name to its words")
    predicate_of: dict[str, str] = {}
    for name, raw in classes.items():
        for word in words_of(str(path), f"predicate_classes.{name}", raw):
            other = predicate_of.setdefault(stem(word), str(name))
            if other != name:
                raise RuleError(f"{path}: '{word}' is in predicate classes '{other}' and '{name}'")
    return EventWords(**lists, predicate_of=predicate_of)


@lru_cache(maxsize=1)
def default_event_words() -> EventWords:
    return load_event_words()
