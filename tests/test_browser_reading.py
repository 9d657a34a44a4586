"""The timeline page as a reader uses it, in headless Chromium: human dates, the opening view, click to row, the
source filter on chart, table and CSV, who said what, unplaced phrases, a form that keeps input, a phone."""
from __future__ import annotations

import csv
import io
import re
import pytest

from test_browser import ARGS, CHROMIUM, page, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

FALL_SOURCES = 2  # Nvidia's fall on Monday 27 January is told by two of the seed articles
TIMEX_CODE = re.compile(r"\b\d{4}-(FA|SP|SU|WI|W\d\d)\b|PAST_REF|FUTURE_REF|\bP\d*X?[DWMY]\b|T(NI|MO|AF|EV)\b")
UNDATED = "Shares fell on Monday. The board met last week. Trading resumed on Tuesday."


def upload_seeds(page, server, seeds, width=1366, height=900):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(server + "/")
    page.set_input_files("#files", [str(p) for p in sorted(seeds.glob("*.txt"))])
    page.fill("#published", "2025-01-29")
    page.fill("#title", "Seeds")
    page.click("button[type=submit]")
    page.wait_for_selector("#chart[data-ready='1']", timeout=30_000)


def visible_dates(page) -> list[str]:
    """The Date cells as a reader sees them, without the machine value kept beside them."""
    return page.evaluate("Array.from(document.querySelectorAll('#events tr[id] td:nth-child(2) time'))"
                         ".map(t => t.textContent)")


def test_browser_human_dates_and_opening_view(server, page, seeds):
    upload_seeds(page, server, seeds)
    dates = visible_dates(page)
    assert "Tue 28 Jan 2025, night" in dates and "Autumn 2024" in dates and "Mon 27 Jan 2025" in dates
    assert any(d.startswith("about ") and "Jan 2025" in d for d in dates)  # "recent weeks"
    assert not [d for d in dates if TIMEX_CODE.search(d)]
    # The machine value stays beside the words.
    assert page.locator("#events small.machine", has_text="2025-01-28TNI").count() == 1
    # The chart opens on the story, not on autumn 2024 to April 2025.
    low, high = page.evaluate("document.getElementById('chart').layout.xaxis.range")
    starts = page.evaluate("Array.from(document.querySelectorAll('#events tr[id]')).map(r => r.dataset.first)")
    inside = [s for s in starts if low[:10] <= s <= high[:10]]
    assert low[:10] <= "2025-01-27" and high[:10] >= "2025-01-29" and high[:10] < "2025-03-01"
    assert len(inside) >= 0.8 * len(starts) and min(starts) < low[:10]  # outliers stay reachable by zoom
    # The hover is compact and shows the human date.
    point = page.locator("#chart .scatterlayer .point").first
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(".hoverlayer .hovertext")
    hover = page.locator(".hoverlayer .hovertext").first
    assert hover.bounding_box()["width"] < 520
    assert re.search(r"(Mon|Tue|Wed) \d+ Jan 2025", hover.text_content() or "")
    # Article marks say the date in words too.
    assert page.locator("a.timex[title^='Tue 28 Jan 2025, night']").count() >= 1


def test_browser_click_selects_row_and_row_shows_chart(server, page, seeds):
    upload_seeds(page, server, seeds)
    target = None
    for i in range(page.locator("#chart .scatterlayer .point").count()):
        point = page.locator("#chart .scatterlayer .point").nth(i)
        box = point.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        if "largest single-day" in (page.locator(".hoverlayer").text_content() or ""):
            target = box
            break
    assert target, "no point shows Nvidia's fall"
    page.mouse.click(target["x"] + target["width"] / 2, target["y"] + target["height"] / 2)
    page.wait_for_selector("#events tr.selected")
    row = page.locator("#events tr.selected")
    assert row.count() == 1 and "largest single-day" in row.text_content()
    assert page.evaluate("(() => { const r = document.querySelector('#events tr.selected').getBoundingClientRect();"
                         " return r.top >= 0 && r.bottom <= innerHeight; })()")
    assert page.evaluate("location.hash") == "#" + row.get_attribute("id")
    # Who said what: the merged event lists each article with its own sentence and phrase.
    sources = row.locator("li.source")
    assert sources.count() == FALL_SOURCES
    for i in range(FALL_SOURCES):
        item = sources.nth(i)
        assert item.locator("small.said").count() >= 1 and "Monday" in item.locator("mark").text_content()
        assert item.locator("a[href^='#doc-']").count() == 1
    assert len({sources.nth(i).locator("small.said").first.text_content() for i in range(FALL_SOURCES)}) == 2
    # The row's "chart" link brings the chart back around that event.
    page.set_viewport_size({"width": 1366, "height": 900})
    page.evaluate("document.getElementById('chart').layout.xaxis.range = null")
    row.locator("a.to-chart").click()
    page.wait_for_function("(() => { const r = document.getElementById('chart').layout.xaxis.range;"
                           " return r && String(r[0]) <= '2025-01-27' && String(r[1]) >= '2025-01-28'"
                           " && String(r[1]) < '2025-02-05'; })()")


def test_browser_source_filter_narrows_chart_table_and_csv(server, page, seeds, tmp_path):
    upload_seeds(page, server, seeds)
    rows = page.locator("#events tr[id]").count()
    source = "004_e511981382411871"
    page.select_option("#source", source)
    page.wait_for_function("document.getElementById('chart').dataset.events !== String(%d)" % rows)
    shown = int(page.get_attribute("#chart", "data-events"))
    visible = page.locator("#events tr[id]:not([hidden])")
    assert 0 < shown == visible.count() < rows
    assert all(source in visible.nth(i).get_attribute("data-documents").split(";") for i in range(shown))
    labels = page.evaluate("document.getElementById('chart').layout.yaxis.categoryarray.length")
    assert labels == shown  # the chart keeps only the filtered rows, not every label
    assert page.evaluate("location.search") == "?source=" + source  # a link keeps the view
    href = page.get_attribute("#download-csv", "href")
    assert href.endswith("?source=" + source)
    with page.expect_download() as info:
        page.click("#download-csv")
    info.value.save_as(tmp_path / "filtered.csv")
    downloaded = list(csv.DictReader((tmp_path / "filtered.csv").open(encoding="utf-8")))
    assert len(downloaded) == shown and all(source in r["documents"].split(";") for r in downloaded)
    assert all(r["display_date"] and "source_titles" in r and "source_urls" in r for r in downloaded)
    # Reloading the shared link opens with the same filter.
    page.reload()
    page.wait_for_selector("#chart[data-ready='1']")
    assert page.input_value("#source") == source and int(page.get_attribute("#chart", "data-events")) == shown


def test_browser_unplaced_phrases_are_listed_and_placed_after_a_date(server, page):
    page.goto(server + "/")
    page.fill("#title", "Undated")
    page.fill("#text", UNDATED)
    page.click("button[type=submit]")
    page.wait_for_selector("#unplaced")
    notice = page.locator("#unplaced").inner_text()
    assert "3 date phrases could not be placed" in notice
    assert "this article has no publication date — enter one" in notice
    assert all(phrase in notice for phrase in ("Monday", "last week", "Tuesday"))
    assert page.locator("#chart").count() == 0 and page.locator("#no-events").count() == 1  # no year-2000 axis
    page.fill("#rebuild-published", "29/01/2025")
    page.click("#rebuild button[type=submit]")
    page.wait_for_selector("#chart[data-ready='1']", timeout=30_000)
    assert page.locator("#unplaced").count() == 0
    assert "Mon 27 Jan 2025" in visible_dates(page)


def test_browser_form_keeps_input_and_reads_written_dates(server, page):
    page.goto(server + "/")
    page.fill("#title", "Kept title")
    page.fill("#text", "First article: it closed on Monday.\n---\nSecond article: it opened on Tuesday.")
    page.fill("#published", "01/02/2025")
    page.click("button[type=submit]")
    error = page.locator("#error").inner_text()
    assert "could be 1 Feb 2025 or 2 Jan 2025" in error
    assert page.input_value("#title") == "Kept title"
    assert page.input_value("#text").startswith("First article") and "---" in page.input_value("#text")
    assert page.input_value("#published") == "01/02/2025"
    page.fill("#published", "Jan 29 2025")
    page.click("button[type=submit]")
    page.wait_for_selector("#chart[data-ready='1']", timeout=30_000)
    assert page.locator("h3[id^='doc-pasted']").count() == 2  # two pasted articles
    assert {"Mon 27 Jan 2025", "Tue 28 Jan 2025"} <= set(visible_dates(page))


def test_browser_phone_layout_has_no_horizontal_overflow(server, page, seeds, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(server + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    upload_seeds(page, server, seeds, 390, 844)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    ticks = page.locator("#chart .ytick text").all_text_contents()
    assert ticks and all(t.isdigit() for t in ticks)  # row numbers: the plot keeps its width
    plot = page.locator("#chart .nsewdrag").first.bounding_box()
    assert plot["width"] > 250
    # The table scrolls sideways inside its box, and its last column can be reached.
    page.locator("#events").scroll_into_view_if_needed()
    box = page.locator("#events").evaluate("t => { const s = t.parentElement; s.scrollLeft = s.scrollWidth;"
                                           " const c = t.querySelector('tr[id] td:last-child').getBoundingClientRect();"
                                           " return [c.left, c.right]; }")
    assert 0 <= box[0] and box[1] <= 390
    page.screenshot(path=str(tmp_path / "phone.png"))



def test_browser_curation_round_trips_through_reload_and_csv(server, page, tmp_path):
    page.goto(server + "/")
    page.fill("#title", "Curated")
    page.fill("#text", "Nvidia shares tumbled 17% on Monday. They rebounded on Tuesday. The board met on Friday.")
    page.fill("#published", "2025-01-29")
    page.click("button[type=submit]")
    page.wait_for_selector("#chart[data-ready='1']", timeout=30_000)
    rows = page.locator("#events tr[id]").count()
    first = page.locator("#events tr[id]").first
    event_id = first.get_attribute("id")
    first.locator("td").nth(2).click()  # choose the event in the table
    page.wait_for_selector("#edit-event:not([hidden])")
    assert page.input_value("#edit-id") == event_id
    page.fill("#edit-summary", "Nvidia lost 17% in a day")
    page.click("#edit-event button[value=reword]")
    page.wait_for_selector("#chart[data-ready='1']")
    row = page.locator(f"#events tr[id='{event_id}']")
    assert "Nvidia lost 17% in a day" in row.text_content() and row.locator(".edited").count() == 1
    # Re-date it, then delete another event.
    row.locator("td").nth(1).click()
    page.fill("#edit-start", "2025-01-20")
    page.fill("#edit-end", "2025-01-20")
    page.click("#edit-event button[value=redate]")
    page.wait_for_selector("#chart[data-ready='1']")
    assert page.locator(f"#events tr[id='{event_id}'] time").text_content() == "Mon 20 Jan 2025"
    last = page.locator("#events tr[id]").last
    last.locator("td").nth(2).click()
    page.click("#edit-event button[value=delete]")
    page.wait_for_selector("#chart[data-ready='1']")
    assert page.locator("#events tr[id]").count() == rows - 1
    page.reload()
    page.wait_for_selector("#chart[data-ready='1']")
    assert page.locator("#history li").count() == 3 and page.locator("#events tr[id]").count() == rows - 1
    downloaded = list(csv.DictReader(download(page, tmp_path / "edited.csv")))
    edited = [r for r in downloaded if r["event_id"] == event_id]
    assert len(downloaded) == rows - 1 and edited[0]["edited"] == "True"
    assert edited[0]["summary"] == "Nvidia lost 17% in a day" and edited[0]["start"] == "2025-01-20"
    # Undo all three: the built timeline is back.
    for _ in range(3):
        page.click("#undo button")
        page.wait_for_selector("#chart[data-ready='1']")
    assert page.locator("#events tr[id]").count() == rows and page.locator("#events .edited").count() == 0
    # Rename, then delete the timeline from the page.
    page.fill("#rename-title", "Curated and renamed")
    page.click("#rename button")
    page.wait_for_selector("#chart[data-ready='1']")
    assert page.locator("h1").inner_text() == "Curated and renamed"
    page.click("#delete-timeline button")
    page.wait_for_selector("h2:has-text('Timelines')")
    assert "Curated and renamed" not in page.content()


def download(page, path):
    with page.expect_download() as info:
        page.click("#download-csv")
    info.value.save_as(path)
    return io.StringIO(path.read_text(encoding="utf-8"))
