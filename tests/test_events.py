"""Events of articles written for these tests: the story day, clauses dated by their own phrase or by the story day,
offsets from an event, summaries a reader can use."""
from __future__ import annotations

from datetime import date

import pytest

from timeline.clauses import ClauseKind, clause_kind, cut_phrase, summarize
from timeline.events import extract_mentions
from timeline.types import Document

TUESDAY = date(2025, 3, 4)  # a Tuesday
THURSDAY = date(2025, 3, 6)  # a Thursday


def mentions_of(text: str, published: date, title: str = ""):
    return extract_mentions(Document("doc", text, title=title, published=published))


def dated(mentions, word: str):
    """Dates (ISO values) of the mentions whose clause holds `word`."""
    return sorted({m.timex.value for m in mentions if word.lower() in m.clause.lower()})


def test_extract_mentions_market_wrap_published_the_day_after_trading():
    # Published Tuesday morning about Monday's session: the lead names the day, the later sentences don't.
    text = ("Stocks in Europe fell sharply on Monday as bond yields climbed. "
            "The Stoxx 600 index closed 2.1% lower. "
            "Banks led the decline, with Norvik Bank losing 6%. "
            "Traders said the selling spread to Asian markets overnight.")
    mentions = mentions_of(text, TUESDAY)
    assert dated(mentions, "Stoxx 600") == ["2025-03-03"]
    assert dated(mentions, "Norvik Bank") == ["2025-03-03"]
    implicit = [m for m in mentions if m.implicit]
    assert implicit and all("story day ('Monday' in the lead)" in m.timex.rule for m in implicit)


def test_extract_mentions_press_conference_reported_three_days_later():
    text = ("The transport minister announced on Monday that the Harlow tunnel will close for repairs. "
            "She told reporters the work would take two years. "
            "Engineers found cracks in the tunnel's lining during an inspection.")
    mentions = mentions_of(text, THURSDAY)
    assert dated(mentions, "found cracks") == ["2025-03-03"]
    assert dated(mentions, "told reporters") == ["2025-03-03"]


def test_extract_mentions_background_date_does_not_move_later_sentences():
    # "in April 2019" between the lead and a later sentence: the later sentence is still the story's day.
    text = ("Firefighters battled a blaze at the Keld paper mill on Sunday. "
            "The mill was last inspected in April 2019. "
            "Earlier in the day, the owners evacuated the night shift.")
    mentions = mentions_of(text, TUESDAY)
    assert dated(mentions, "evacuated") == ["2025-03-02"]
    assert dated(mentions, "inspected") == ["2019-04"]


def test_extract_mentions_offset_from_an_event_is_counted_from_that_event():
    text = ("Shares of Altmark Foods tumbled 12% on Monday. "
            "Markets were steadier on Wednesday, two days after the rout. "
            "The storm reached the coast on February 20. "
            "The governor declared an emergency the day before the storm reached the coast.")
    mentions = mentions_of(text, THURSDAY)
    assert dated(mentions, "steadier") == ["2025-03-05"]
    assert dated(mentions, "declared an emergency") == ["2025-02-19"]


def test_extract_mentions_offset_from_an_unnamed_event_dates_nothing():
    text = "The ferry left the harbour four months after it ran aground."
    mentions = mentions_of(text, THURSDAY)
    # Not four months after publication: the grounding is dated nowhere, so the offset stays a length.
    assert not [m for m in mentions if m.timex.text == "four months"]


def test_extract_mentions_each_date_dates_its_own_clause():
    text = "Nvidia shares tumbled 17% on Monday after DeepSeek released its R1 model last week."
    mentions = mentions_of(text, date(2025, 1, 29))
    by_phrase = {m.timex.text: m for m in mentions}
    assert by_phrase["Monday"].timex.value == "2025-01-27" and "tumbled" in by_phrase["Monday"].clause
    assert by_phrase["last week"].timex.value == "2025-W04" and "released" in by_phrase["last week"].clause
    assert "tumbled" not in by_phrase["last week"].clause


def test_extract_mentions_report_of_an_old_event_is_told_on_the_story_day():
    text = "Regulators said on Tuesday that the company had hidden losses in 2019. The company's auditor resigned."
    mentions = mentions_of(text, THURSDAY)
    assert "2025-03-04" in dated(mentions, "Regulators said")
    assert "2019" in dated(mentions, "hidden losses")
    # The lead names Tuesday: the story's day, for the undated sentences after it too.
    assert dated(mentions, "auditor resigned") == ["2025-03-04"]


def test_extract_mentions_an_announcement_about_a_span_from_today_is_told_today():
    # The span starts on the day of the telling (publication): the cuts are its, the announcing is the day's.
    text = "Halvard Steel has announced 3,000 job cuts over the next four years."
    mentions = mentions_of(text, THURSDAY)
    assert sorted(m.timex.value for m in mentions) == ["2025-03-06", "P4Y"]
    assert any("an act about the future" in m.timex.rule for m in mentions)


def test_extract_mentions_two_states_since_two_dates_are_each_dated():
    # "since" frames a comparison only when another date dates the event; here each "since" starts a state.
    text = "Mara Lind has been chairing the board since 2019 and has been on leave since January."
    mentions = mentions_of(text, THURSDAY)
    assert dated(mentions, "chairing") == ["2019"]
    by_phrase = {m.timex.text: m for m in mentions}
    assert by_phrase["January"].summary == "Mara Lind has been on leave"


def test_extract_mentions_second_predicate_of_a_subject_is_its_own_event():
    text = "The Kestrel ferry was built in Gdansk in 2009, and entered service in Oslo in 2011."
    mentions = {m.timex.value: m for m in mentions_of(text, THURSDAY)}
    assert set(mentions) == {"2009", "2011"}
    assert "entered" not in mentions["2009"].clause and "built" not in mentions["2011"].clause
    assert mentions["2011"].summary.startswith("The Kestrel entered service")


def test_extract_mentions_a_thing_done_this_week_happened_by_publication():
    # Published on a Thursday: the filing of "this week" lies between Monday and Thursday, not in the weekend.
    mentions = mentions_of("Tenants filed a lawsuit against the landlord this week.", THURSDAY)
    (filed,) = [m for m in mentions if m.timex.text == "this week"]
    assert filed.timex.value == "2025-W10"
    assert (filed.timex.interval.first, filed.timex.interval.last) == (date(2025, 3, 3), THURSDAY)
    planned = [m for m in mentions_of("Tenants will file a lawsuit this week.", THURSDAY) if m.timex.text]
    assert planned[0].timex.interval.last == date(2025, 3, 9)


def test_extract_mentions_report_of_older_events_is_told_on_the_story_day():
    text = ("The regulator said the company hid losses in 2019. "
            "In January 2020, the company announced that it would cut jobs.")
    mentions = mentions_of(text, THURSDAY)
    # The 2019 losses are what was said; the saying is news of the day.
    assert dated(mentions, "hid losses") == ["2019", "2025-03-06"]
    # A date before the reporting verb dates the announcing itself: no second date.
    assert dated(mentions, "announced") == ["2020-01"]


def test_extract_mentions_a_run_of_reports_goes_on_with_the_day_the_first_names():
    text = ("The Harlow bridge closed on Monday after a barge struck it. "
            "Engineers inspected the piers. "
            "Ferries carried commuters across the river. "
            "The minister said on Wednesday that the bridge would reopen in May. "
            "She added that repairs would cost $2m. "
            "Crews cleared the debris.")
    mentions = mentions_of(text, THURSDAY)
    assert dated(mentions, "She added") == ["2025-03-05"]
    # Past the run of reports, the story's day (the lead's Monday) dates the clause again.
    assert dated(mentions, "Crews cleared") == ["2025-03-03"]
    assert dated(mentions, "inspected") == ["2025-03-03"]


def test_extract_mentions_a_comparison_date_never_dates_the_event():
    text = ("Stocks fell sharply on Monday. "
            "The Corvan index dropped 4%, its biggest one-day fall since September 2022. "
            "Output at the Tarsk plant was lower than in 2019.")
    mentions = mentions_of(text, TUESDAY, title="Corvan index posts worst day since 2022")
    # The day of the fall is the story's; September 2022 and 2019 are the far ends of comparisons.
    assert dated(mentions, "dropped 4%") == ["2025-03-03"]
    assert dated(mentions, "lower than") == ["2025-03-03"]
    assert [m.timex.value for m in mentions if m.sentence_index < 0] == ["2025-03-03"]


def test_extract_mentions_she_stands_for_the_subject_not_the_name_after_her():
    text = ("Novelist Ada Hart died on Sunday at her home in Vermont. "
            "In 1960 she married the painter Tom Wells. "
            "She won the Pulitzer Prize in 1971.")
    summaries = {m.timex.value: m.summary for m in mentions_of(text, TUESDAY)}
    assert summaries["1960"] == "Novelist Ada Hart married the painter Tom Wells"
    assert summaries["1971"] == "Novelist Ada Hart won the Pulitzer Prize"


def test_extract_mentions_plans_are_dated_by_their_telling_and_states_not_at_all():
    text = "Corvan Energy will build a plant in Tarsk. Corvan Energy is owned by a Dutch fund."
    mentions = mentions_of(text, THURSDAY)
    # The plan is news of the day it is told, and reads as a plan; the ownership is no happening.
    assert [(m.summary, m.timex.value) for m in mentions] == [("Corvan Energy will build a plant in Tarsk", "2025-03-06")]
    assert "a plan told that day" in mentions[0].timex.rule


def test_extract_mentions_ongoing_happening_is_the_story_day():
    mentions = mentions_of("An Airbus A380 is flying from Frankfurt to Chicago with 500 passengers.", THURSDAY)
    assert [m.timex.value for m in mentions] == ["2025-03-06"]


def test_extract_mentions_headline_is_an_event_but_a_label_is_not():
    text = "Workers at the Lindqvist shipyard walked out over pay."
    told = mentions_of(text, THURSDAY, title="Shipyard workers strike over pay cuts")
    assert [m.summary for m in told if m.sentence_index < 0] == ["Shipyard workers strike over pay cuts"]
    label = mentions_of(text, THURSDAY, title="Lindqvist: strike")
    assert not [m for m in label if m.sentence_index < 0]


def test_extract_mentions_links_menus_and_captions_are_not_events():
    text = ("Related Posts\nImage credit: Reuters\nhttps://example.com/2025/03/06/story-of-the-day\n"
            "The council approved the budget.")
    mentions = mentions_of(text, THURSDAY)
    assert [m.summary for m in mentions] == ["The council approved the budget"]


def test_extract_mentions_one_clause_with_many_dates_is_linear():
    # Thousands of one date in one sentence: one mention, and the work per expression does not rescan the clause.
    text = "Markets moved on " + "Monday, " * 3000 + "and closed."
    mentions = mentions_of(text, TUESDAY)
    assert len([m for m in mentions if m.timex.value == "2025-03-03"]) == 1


@pytest.mark.parametrize("text, kind", [
    ("OpenAI said its rival copied the models", ClauseKind.REPORT),
    ("the index fell 3%", ClauseKind.PAST),
    ("the board has approved the sale", ClauseKind.PAST),
    ("the firm had hired advisers", ClauseKind.BACKGROUND),
    ("the plant will close", ClauseKind.PLAN),
    ("the airline plans to cut routes", ClauseKind.PLAN),
    ("Airbus unveiled plans for a new jet", ClauseKind.PAST),
    ("the group is owned by a fund", ClauseKind.STATE),
], ids=["report", "past", "perfect", "past-perfect", "modal", "plan-verb", "plans-noun", "state"])
def test_clause_kind(text, kind):
    assert clause_kind(text) is kind


@pytest.mark.parametrize("clause, phrase, expected", [
    ("Monday's 17% slide wiped out $589 billion", "Monday", "Monday's 17% slide wiped out $589 billion"),
    ("DeepSeek did not respond as it is on the Chinese New Year holiday", "Chinese New Year",
     "DeepSeek did not respond as it is on the Chinese New Year holiday"),
    ("Nvidia shares tumbled 17% on Monday", "Monday", "Nvidia shares tumbled 17%"),
    ("On Tuesday, the stock rebounded", "Tuesday", "The stock rebounded"),
], ids=["possessive", "inside-a-name", "with-preposition", "opening"])
def test_summarize_cuts_the_phrase_without_breaking_the_sentence(clause, phrase, expected):
    assert summarize(clause, phrase, "") == expected


def test_summarize_balances_quotes_and_names_the_actor():
    summary = summarize("the automaker said it would “review every plant in Europe and Asia over the coming "
                        "eighteen months before deciding”", "", "Velmar Motors")
    assert summary.startswith("Velmar Motors said")
    assert summary.count("“") == summary.count("”")


def test_cut_phrase_leaves_text_without_the_phrase_alone():
    assert cut_phrase("Prices rose", "Monday") == "Prices rose"


@pytest.mark.parametrize("clause, subject, expected", [
    ('We think it\'s the future of notebooks," said Jobs.', "", '"We think it\'s the future of notebooks," said Jobs'),
    ("he was fired from the company", "Greta Lind", "Greta Lind was fired from the company"),
    ("he was fired from the company", "Orsk Mining", "He was fired from the company"),
    ("it fell 4%", "Orsk Mining", "Orsk Mining fell 4%"),
    ("eBay will open an office in Lyon", "", "eBay will open an office in Lyon"),
], ids=["closing-quote-gets-its-opening", "he-is-a-person", "he-is-no-company", "it-is-the-company", "camel-case-name"])
def test_summarize_quotes_pronouns_and_names(clause, subject, expected):
    assert summarize(clause, "", subject) == expected


def test_extract_mentions_today_in_quoted_speech_is_the_day_it_was_said():
    # Monday's paper quotes Sunday's ceremony: the speaker's "today" is Sunday.
    text = ('Harlow Air unveiled its new jet at a ceremony on Sunday. "Today is a great day for us," its chief '
            'executive said. Tomorrow the shares will trade again.')
    mentions = mentions_of(text, date(2025, 3, 3))  # a Monday
    by_phrase = {m.timex.text: m.timex.value for m in mentions if m.timex.text}
    assert by_phrase["Today"] == "2025-03-02"  # said on Sunday
    assert by_phrase["Tomorrow"] == "2025-03-04"  # the reporter's own word counts from publication


def test_extract_mentions_done_thing_is_never_dated_after_publication():
    # The offset would put a thing already done three years after a 2011 due date: not after publication.
    text = ("Boeing said deliveries were due in 2011. Three years after deliveries were first due, Boeing has "
            "delivered the first jet.")
    mentions = mentions_of(text, date(2012, 5, 10))
    delivered = [m for m in mentions if "delivered the first jet" in m.clause]
    assert delivered and all(m.timex.interval.last <= date(2012, 5, 10) for m in delivered)


def test_story_day_is_the_latest_day_the_lead_names():
    # Monday is the background of Wednesday's news: the lead's latest day is the story's.
    text = ("The Harbor Bridge, which the city closed on Monday, remained shut. On Wednesday, engineers began an "
            "assessment of the bridge. Traffic was heavy all week.")
    mentions = mentions_of(text, THURSDAY, title="Engineers begin assessing Harbor Bridge")
    assert [m.timex.value for m in mentions if m.sentence_index < 0] == ["2025-03-05"]
    closure = [m for m in mentions if m.timex.text == "Monday"]
    assert closure and closure[0].summary.startswith("The Harbor Bridge, which the city closed")


def test_reported_clause_split_only_at_a_that_that_starts_a_clause():
    text = "Inspectors had noted corrosion on that beam in the autumn of 2024, but no repairs followed."
    mentions = mentions_of(text, THURSDAY)
    assert [m.timex.value for m in mentions] == ["2024-FA"]  # no report of "that beam" on the story day
