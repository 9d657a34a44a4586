"""Held-out unseen news (tests/data/unseen_news.yaml) -> TempEval-3 value F1 of the tagger, held above a floor."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from timeline.evaluate import GoldDocument, gold_from_surfaces, score_documents

UNSEEN = Path(__file__).parent / "data" / "unseen_news.yaml"
# Measured when the check was written, before the rules were generalized: value F1 0.832, relaxed F1 0.983
# (88 expressions); after issue 12b's general constructions value F1 0.943, relaxed 1.0. Held a little under.
VALUE_F1_FLOOR = 0.92
RELAXED_F1_FLOOR = 0.98


def read_unseen(path: Path = UNSEEN) -> list[GoldDocument]:
    """Each entry as a one-sentence gold document, its surfaces found in text order."""
    return [gold_from_surfaces(f"{path.name}#{number}", str(entry["published"]), entry["text"], entry["timexes"])
            for number, entry in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")), start=1)]


def test_read_unseen_finds_every_surface():
    documents = read_unseen()
    assert 40 <= len(documents) <= 80
    assert all(isinstance(date.fromisoformat(d.dct), date) for d in documents)
    assert all(d.text[t.start:t.end] == t.text for d in documents for t in d.timexes)


def test_score_unseen_holds_its_floor():
    summary = score_documents(read_unseen()).summary()
    assert summary["value_f1"] >= VALUE_F1_FLOOR, summary
    assert summary["relaxed_f1"] >= RELAXED_F1_FLOOR, summary


UNSEEN_ARTICLES = Path(__file__).parent / "data" / "unseen_articles.yaml"
# Whole articles, narrative time included. Measured when they were written, before any rule looked at them: value
# F1 0.922, relaxed 0.980 (309 expressions, the rules of session 6); 0.925 / 0.984 with the rules developed on the
# Wikinews TIMEX3 gold. Held a little under.
ARTICLES_VALUE_F1_FLOOR = 0.91
ARTICLES_RELAXED_F1_FLOOR = 0.97


def read_unseen_articles(path: Path = UNSEEN_ARTICLES) -> list[GoldDocument]:
    return [gold_from_surfaces(str(entry["id"]), str(entry["published"]), entry["text"], entry["timexes"])
            for entry in yaml.safe_load(path.read_text(encoding="utf-8"))]


def test_unseen_articles_are_whole_articles_with_typed_gold():
    documents = read_unseen_articles()
    assert len(documents) == 14 and all(len(d.text.split()) >= 200 for d in documents)
    assert all(t.type in {"DATE", "TIME", "DURATION", "SET"} for d in documents for t in d.timexes)
    assert all(d.text[t.start:t.end] == t.text for d in documents for t in d.timexes)


def test_score_unseen_articles_holds_its_floor():
    summary = score_documents(read_unseen_articles()).summary()
    assert summary["value_f1"] >= ARTICLES_VALUE_F1_FLOOR, summary
    assert summary["relaxed_f1"] >= ARTICLES_RELAXED_F1_FLOOR, summary
