"""The rule file: shipped rules pass their own examples; malformed rule files are refused with the rule named."""
from __future__ import annotations

import pytest

from timeline.errors import RuleError
from timeline.rules import default_rules, load_rules
from timeline.timexes import check_examples, tag_text

RULES = default_rules()
EXAMPLES = [(rule, ex) for rule in RULES.rules for ex in rule.examples]


@pytest.mark.parametrize("rule,example", EXAMPLES, ids=[f"{r.name}:{e.text}" for r, e in EXAMPLES])
def test_rule_example_resolves(rule, example):
    values = [t.value for t in tag_text(example.text, example.anchor)]
    assert example.value in values


def test_every_rule_has_an_example():
    assert [r.name for r in RULES.rules if not r.examples] == []


def write(tmp_path, rules: str, vocabulary: str = "  month: {january: 1}") -> str:
    path = tmp_path / "rules.yaml"
    path.write_text(f"vocabulary:\n{vocabulary}\nrules:\n{rules}", encoding="utf-8")
    return str(path)


BAD = [
    ("  - {name: a, type: DATE, kind: calendar, pattern: '(unclosed'}", "does not compile"),
    ("  - {name: a, type: DATE, kind: calendar, pattern: 'x?'}", "empty string"),
    ("  - {name: a, type: DATE, kind: calendar, pattern: '{nosuch}'}", "unknown vocabulary class"),
    ("  - {name: a, type: DATE, kind: calendar, pattern: 'x'}\n  - {name: a, type: DATE, kind: calendar, pattern: 'y'}",
     "duplicate rule name"),
    ("  - {name: a, type: WHEN, kind: calendar, pattern: 'x'}", "is not one of"),
    ("  - {name: a, type: DATE, pattern: 'x'}", "missing 'kind'"),
    ("  - {name: a, type: DATE, kind: calendar, pattern: 'x {month}', requires: ['{month}'],\n"
     "     examples: [{text: 'x', anchor: 2025-01-01, value: '2025'}]}", "holds none of the words the rule requires"),
    ("  - {name: a, type: DATE, kind: calendar, pattern: 'x', requires: ['{nosuch}']}", "unknown vocabulary class"),
    ("  - {name: a, type: DATE, kind: calendar, pattern: 'x', requires: month}", "requires must be a list"),
]


@pytest.mark.parametrize("rules,message", BAD, ids=[b[1] for b in BAD])
def test_load_rules_refuses_bad_rule(tmp_path, rules, message):
    with pytest.raises(RuleError, match=message) as error:
        load_rules(write(tmp_path, rules))
    assert "rules.yaml" in str(error.value)


def test_load_rules_names_yaml_line(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("vocabulary: {}\nrules:\n  - name: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"rules.yaml:\d+"):
        load_rules(path)


def test_check_examples_refuses_rule_failing_its_example(tmp_path):
    rules = load_rules(write(tmp_path, "  - name: jan\n    type: DATE\n    kind: calendar\n"
                                       "    pattern: '(?P<month>{month}) (?P<year>\\d{4})'\n"
                                       "    examples:\n      - {text: 'January 2020', anchor: 2025-01-01, value: '2021-01'}"))
    with pytest.raises(RuleError, match="rule 'jan'.*expected '2021-01'"):
        check_examples(rules)


def test_required_words_filter_only_texts_that_cannot_match():
    from timeline.tagger import compile_cues, rules_to_run

    cues = compile_cues(RULES)
    names = [r.name for r in RULES.rules]
    assert names.index("duration") not in rules_to_run("Shares rose 5% to 120 on the news.", RULES, cues)
    assert names.index("duration") in rules_to_run("It took 120 days.", RULES, cues)


def test_required_strings_filter_texts_without_them():
    # A rule may require a string that is no word: race times need ":", decades "0s", year ranges a dash.
    from timeline.tagger import compile_cues, rules_to_run

    cues = compile_cues(RULES)
    names = [r.name for r in RULES.rules]
    assert names.index("race_time") not in rules_to_run("She won in 2 hours and 21 minutes.", RULES, cues)
    assert names.index("race_time") in rules_to_run("She won in 2:21:05.", RULES, cues)
    assert names.index("decade") not in rules_to_run("Sales rose 12% in 1995.", RULES, cues)
    assert names.index("decade") in rules_to_run("Sales rose in the 1990s.", RULES, cues)
    assert names.index("range_first_year") in rules_to_run("Exports fell in 2008-2009.", RULES, cues)


def test_trie_pattern_matches_what_the_word_list_matches():
    import re

    from timeline.rules import trie_pattern

    words = ["two", "twelve", "twenty", "twenty-four", "ten", "a few", "a"]
    regex = re.compile(r"(?:%s)\Z" % trie_pattern(words))
    assert all(regex.match(w) for w in words) and regex.match("a \t few")
    assert not any(regex.match(w) for w in ["tw", "twentyfour", "afew", "twenty-", "three"])
    longest = re.compile(trie_pattern(words)).match("twenty-four hours")
    assert longest.group() == "twenty-four"  # the longest word wins, as in a longest-first alternation
