"""End to end on real input: the seed articles and the sample corpus become the expected ordered, merged timeline."""
from __future__ import annotations

from datetime import date

import pytest

import timeline
from timeline.types import PublishedSource

from conftest import DATA


def find(events, *, value=None, first=None, words=()):
    """The events whose date and summary/sentence match; the test asserts how many there must be."""
    found = []
    for index, event in enumerate(events):
        text = (event.summary + " " + event.sentence).lower()
        if value is not None and event.value != value:
            continue
        if first is not None and event.interval.first != first:
            continue
        if all(w.lower() in text for w in words):
            found.append((index, event))
    return found


@pytest.fixture
def seed_timeline(seeds):
    return timeline.build_timeline(seeds, "2025-01-29")


def test_build_seeds_fall_merged_from_both_articles(seed_timeline):
    [(_, fall)] = find(seed_timeline.events, value="2025-01-27", words=["Nvidia"])
    assert sorted(fall.documents) == ["000_0dca3edf39997dce", "002_4eaec2fcd81a511f"]
    assert fall.conflict == ""


def test_build_seeds_order(seed_timeline):
    events = seed_timeline.events
    [(probe, probe_event)] = find(events, words=["investigat", "accounts"])
    [(attention, _)] = find(events, words=["R1"], value="PXW")
    [(fall, _)] = find(events, value="2025-01-27")
    [(rebound, rebound_event)] = find(events, value="2025-01-28", words=["Nvidia"])
    [(sacks, _)] = find(events, value="2025-01-28TNI", words=["Sacks"])
    [(steady, _)] = find(events, value="2025-01-29", words=["stabilized"])
    [(months, months_event)] = find(events, value="PXM")
    assert probe < attention < fall < rebound < steady < months
    assert fall < sacks < steady
    assert probe_event.value == "2024-FA"
    assert len(probe_event.documents) == 3  # "last autumn", "Last year", "in 2024"
    assert probe_event.interval.first == date(2024, 9, 1)
    assert len(rebound_event.documents) == 2
    assert months_event.interval.first == date(2025, 1, 29) and months_event.interval.last > date(2025, 4, 1)
    assert events[attention].interval.last == date(2025, 1, 29)


def test_build_seeds_events_are_sorted(seed_timeline):
    keys = [(e.interval.first, e.interval.last) for e in seed_timeline.events]
    assert keys == sorted(keys)


def test_build_seeds_without_published_never_dates_from_cited_urls(seeds):
    result = timeline.build_timeline(seeds)
    docs = {d.id: d for d in result.documents}
    # 003 cites a Bloomberg /2025-01-29/ link: a lower bound for its own date, never the date itself.
    assert docs["003_946ff3d7eb059637"].published is None
    assert docs["003_946ff3d7eb059637"].published_after == date(2025, 1, 29)
    assert all(d.published is None for d in docs.values())
    assert [m.timex.text for m in result.unresolved if m.timex.text == "Monday"]


def test_build_cited_url_is_a_lower_bound_for_the_consensus(tmp_path):
    (tmp_path / "a.txt").write_text("Published: 2025-01-20\n\nThe mill closed on Monday.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The mill reopened on Tuesday, as https://news.example/2025/01/28/mill "
                                    "reported.", encoding="utf-8")
    docs = {d.id: d for d in timeline.build_timeline(tmp_path).documents}
    assert docs["b"].published == date(2025, 1, 28) and docs["b"].published_source is PublishedSource.INFERRED_CORPUS


def test_build_sample_merges_monday_told_on_different_days():
    result = timeline.build_timeline(DATA)
    [(_, closure)] = find(result.events, value="2025-03-03", words=["closed"])
    # Published on Tuesday ("on Monday"), Thursday ("on Monday") and the next Monday ("last Monday").
    assert len(closure.documents) == 3
    phrases = {m.timex.text for m in closure.mentions}
    assert {"Monday", "last Monday"} <= phrases


def test_build_sample_flags_conflicting_dates():
    result = timeline.build_timeline(DATA)
    [(_, assessment)] = find(result.events, words=["Vantor", "assessment"])
    assert "2025-03-04" in assessment.conflict and "2025-03-05" in assessment.conflict
    assert len(assessment.documents) == 2


def test_build_sample_infers_date_from_url():
    result = timeline.build_timeline(DATA)
    gazette = next(d for d in result.documents if "gazette" in d.id)
    assert gazette.published == date(2025, 3, 12)
    assert gazette.published_source is PublishedSource.INFERRED_URL


def test_build_undated_document_keeps_absolute_dates(tmp_path):
    (tmp_path / "a.txt").write_text("The bridge opened in 1987. It closed on Monday.", encoding="utf-8")
    result = timeline.build_timeline(tmp_path)
    assert [e.value for e in result.events] == ["1987"]
    assert [m.timex.text for m in result.unresolved] == ["Monday"]
