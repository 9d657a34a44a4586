"""Scraped text: headline as title, page furniture out of the body, datelines, and the rule file checked at load."""
from __future__ import annotations

from datetime import date

import pytest

from timeline.errors import RuleError
from timeline.ingest import read_documents
from timeline.scraped import clean_text, load_rules, parse_rules
from timeline.types import PublishedSource

HEADLINES = [
    ("Mill to close after 80 years\n\nThe owners said on Monday that the mill would close.", "Mill to close after 80 years"),
    ("Mill to close after 80 years. - Valley News\n\nMill to close after 80 years.\n\nThe owners said on Monday.",
     "Mill to close after 80 years."),
    ("Home Business Local Mill to close after 80 years\n\nMill to close after 80 years\n\nThe owners said so.",
     "Mill to close after 80 years"),
]


@pytest.mark.parametrize("text,title", HEADLINES, ids=["plain", "site-suffix-repeated", "breadcrumb"])
def test_clean_text_headline_becomes_title(text, title):
    cleaned = clean_text(text, titled=False)
    assert cleaned.title == title and title not in cleaned.text and cleaned.text.startswith("The owners said")


def test_clean_text_first_sentence_is_no_headline():
    text = "The owners said on Monday that the mill would close.\n\nWorkers were told on Tuesday."
    assert clean_text(text, titled=False) == clean_text(text, titled=True)
    assert clean_text(text, titled=False).title == "" and clean_text(text, titled=False).text == text


def test_clean_text_drops_furniture_lines():
    text = ("By Jane Doe\n0 comments\nShare this article\nFacebook Twitter Email\n\n"
            "The mill closed on Monday.\nPhoto: Sam Lee/Valley News\n"
            "Related: Mill owners sued\nhttps://news.example/2025/01/20/mill-sued\n\nWorkers protested on Tuesday.")
    cleaned = clean_text(text, titled=True)
    assert cleaned.text == "The mill closed on Monday.\n\nWorkers protested on Tuesday."
    assert cleaned.cited_after == date(2025, 1, 20)


def test_clean_text_drops_a_long_paragraph_in_the_sites_voice():
    story = "The mill closed on Monday, the owners said, and its 200 workers were told on Tuesday."
    disclaimer = ("Liked this report? Please subscribe to our newsletter for weekly news from the valley. Guest posts "
                  "are welcome here, but please note these are not our opinions and we have no affiliation with the "
                  "firms they name.")
    cleaned = clean_text(f"{story}\n\n{disclaimer}", titled=True)
    assert cleaned.text == story


def test_clean_text_keeps_a_story_about_terms_or_advice():
    text = ("Regulators said on Monday that users must subscribe before the service starts, and that the forecast "
            "the bank published was not investment advice under the new law.")
    assert clean_text(text, titled=True).text == text


def test_clean_text_dateline_gives_place_and_is_removed():
    cleaned = clean_text("PORT ALDER, March 3 (Valley Wire) - The bridge closed on Monday.", titled=True)
    assert (cleaned.place, cleaned.dateline_date, cleaned.text) == ("PORT ALDER", "March 3", "The bridge closed on Monday.")


def test_read_dateline_dates_an_undated_article(tmp_path):
    (tmp_path / "a.txt").write_text("Title: Bridge\n\nPORT ALDER, March 3, 2025 (Valley Wire) - The bridge closed on "
                                    "Monday.", encoding="utf-8")
    [doc] = read_documents([tmp_path])
    assert doc.published == date(2025, 3, 3) and doc.published_source is PublishedSource.INFERRED_DATELINE
    assert doc.place == "PORT ALDER" and doc.text == "The bridge closed on Monday."


def test_load_rules_refuses_a_rule_failing_its_example():
    import copy

    import yaml
    from importlib import resources

    data = yaml.safe_load(resources.files("timeline.rules").joinpath("ingest.yaml").read_text(encoding="utf-8"))
    load_rules()
    broken = copy.deepcopy(data)
    broken["furniture"][0]["examples"].append("The mill closed on Monday.")
    with pytest.raises(RuleError, match="share_buttons.*misses its own example"):
        parse_rules(broken, "ingest.yaml")
    broken = copy.deepcopy(data)
    broken["furniture"][0]["pattern"] = "x*"
    with pytest.raises(RuleError, match="matches empty text"):
        parse_rules(broken, "ingest.yaml")


def test_seeds_have_no_headline_or_breadcrumb_rows(seeds, tmp_path):
    import timeline

    result = timeline.build_timeline(seeds, "2025-01-29")
    titles = {d.id: d.title for d in result.documents}
    assert titles["001_fa9a7773bf2eb26b"].startswith("DeepSeek accused of using OpenAI")
    assert not titles["000_0dca3edf39997dce"].endswith("Share Talk") and titles["000_0dca3edf39997dce"]
    for event in result.events:
        for mention in event.mentions:
            assert not mention.sentence.startswith("Home ") and "Share Talk" not in mention.sentence
            # A headline's happening is dated and merged with its telling in the body (issue 11), never read
            # as a body sentence, and never the voice of an event another sentence tells.
            assert mention.sentence.strip() not in titles.values() or mention.sentence_index < 0
        if len(event.mentions) > 1:
            assert event.sentence.strip() not in titles.values()
    fall = [e for e in result.events if e.value == "2025-01-27"]
    assert fall and all(e.interval.first == date(2025, 1, 27) for e in fall)
