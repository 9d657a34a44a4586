"""The timeline page's views in headless Chromium: table rows built by the script from the events' JSON (the same
markup as the template's), lanes by article and by actor, the zoom kept in the URL, sentences linked to their
place in the articles."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from web import create_app

from test_browser import page  # noqa: F401 (fixture)

from conftest import served

pytestmark = pytest.mark.browser

EXTRA = {"id": "extra", "title": "Markets <b>wrap</b> & more", "published": "2025-01-29",
         "url": "https://example.org/markets?a=1&b=2",
         "text": "Nvidia shares tumbled 17% on Monday, the Markets & <b>Wire</b> said. "
                 "Investors met again on Tuesday evening."}


@pytest.fixture
def site(tmp_path, seeds):
    """A served app holding the seed articles (and one with a link and markup in its words), as (url, app, id)."""
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite")})
    articles = [{"id": p.stem, "text": p.read_text(encoding="utf-8")} for p in sorted(seeds.glob("*.txt"))]
    created = app.test_client().post("/api/timelines", json={"title": "Seeds", "published": "2025-01-29",
                                                              "articles": articles + [EXTRA]})
    assert created.status_code == 201, created.json
    with served(app) as url:
        yield url, app, created.json["id"]


def open_page(page, url):
    page.goto(url)
    page.wait_for_selector("#chart[data-ready='1']", timeout=30_000)


def build_every_row(page):
    """Scrolls to the table's end until the script has built every row."""
    for _ in range(50):
        if page.evaluate("(() => { const more = document.getElementById('more-rows');"
                         " return !more || more.hidden; })()"):
            return
        page.evaluate("document.getElementById('more-rows').scrollIntoView()")  # as a reader scrolls down
        page.wait_for_timeout(100)
    pytest.fail("the table's rows were never all built")


def row_markup(page) -> list[str]:
    return page.evaluate("Array.from(document.querySelectorAll('#events tr[id]')).map(r => r.outerHTML)")


def test_browser_rows_built_by_script_match_the_template(site, page):
    server, app, timeline_id = site
    client = app.test_client()
    first = client.get(f"/api/timelines/{timeline_id}").json["events"][0]["event_id"]
    assert client.patch(f"/api/timelines/{timeline_id}/events/{first}",
                        json={"summary": "Shares <i>fell</i> & rose"}).status_code == 200  # an edited row
    open_page(page, f"{server}/timelines/{timeline_id}")
    from_template = row_markup(page)
    assert page.locator("#more-rows").count() == 0  # every row came as HTML
    assert any('class="conflict"' in row for row in from_template) and any("edited" in row for row in from_template)
    assert any('class="article-link"' in row for row in from_template)
    assert any('class="to-sentence"' in row for row in from_template)
    app.config["PAGE_ROWS"] = 0
    open_page(page, f"{server}/timelines/{timeline_id}")
    assert page.locator("#events tr[id]").count() == 0  # none yet: they come as the table is scrolled to
    build_every_row(page)
    assert row_markup(page) == from_template
    assert "Shares &lt;i&gt;fell&lt;/i&gt; &amp; rose" in row_markup(page)[0]  # text, never markup


def test_browser_rows_come_as_the_reader_scrolls_and_follow_the_filters(site, page):
    server, app, timeline_id = site
    app.config["PAGE_ROWS"] = 3
    open_page(page, f"{server}/timelines/{timeline_id}")
    total = len(app.test_client().get(f"/api/timelines/{timeline_id}").json["events"])
    assert page.locator("#events tr[id]").count() == 3  # the table is far below the chart: no row built yet
    assert page.locator("#more-rows").text_content().startswith(f"{total - 3} more events")
    page.select_option("#source", "extra")
    build_every_row(page)
    assert page.locator("#events tr[id]").count() == total
    shown = int(page.get_attribute("#chart", "data-events"))
    visible = page.locator("#events tr[id]:not([hidden])")
    assert 0 < shown == visible.count() < total
    assert all("extra" in visible.nth(i).get_attribute("data-documents").split(";") for i in range(shown))
    # A click on an event whose row was not built yet builds it and selects it.
    app.config["PAGE_ROWS"] = 0
    open_page(page, f"{server}/timelines/{timeline_id}")
    assert page.locator("#events tr[id]").count() == 0
    mark = page.locator("a.timex").last  # a dated phrase in an article links to its event's row
    event_id = mark.get_attribute("data-event")
    mark.click()
    page.wait_for_selector(f"#events tr[id='{event_id}']")
    assert page.evaluate("location.hash") == f"#{event_id}"
    assert page.evaluate("(() => { const r = document.querySelector(':target').getBoundingClientRect();"
                         " return r.top >= 0 && r.bottom <= innerHeight; })()")


def chart_lanes(page) -> tuple[list[str], list[str]]:
    """The chart's row names, and the row of every mark drawn (open 'told' marks left out)."""
    return page.evaluate("""(() => { const chart = document.getElementById('chart');
        return [chart.layout.yaxis.categoryarray,
                chart.data.filter(t => t.meta !== 'told').flatMap(t => t.y)]; })()""")


def test_browser_lanes_by_article_and_by_actor_kept_in_the_url(site, page):
    server, app, timeline_id = site
    events = app.test_client().get(f"/api/timelines/{timeline_id}").json["events"]
    open_page(page, f"{server}/timelines/{timeline_id}")
    rows, _ = chart_lanes(page)
    assert len(rows) == len(events)  # one row per event by default
    page.select_option("#lanes", "source")
    page.wait_for_function("document.getElementById('chart').dataset.lanes === 'source'")
    lanes, marks = chart_lanes(page)
    told = {d for e in events for d in e["documents"]}
    assert len(lanes) == len(told) and "Markets &lt;b&gt;wrap&lt;/b&gt; &amp; more" in lanes  # escaped once
    assert len(marks) == sum(len(e["documents"]) for e in events)  # an event in each of its articles' lanes
    assert set(marks) == set(lanes)
    assert parse_qs(urlsplit(page.url).query)["lanes"] == ["source"]
    assert "lanes" not in page.get_attribute("#download-csv", "href")  # a view, not a filter of the CSV
    page.reload()
    page.wait_for_selector("#chart[data-ready='1']")
    assert page.input_value("#lanes") == "source" and chart_lanes(page)[0] == lanes
    # By actor: one mark per event, on the row of the name it is about.
    page.select_option("#lanes", "actor")
    page.wait_for_function("document.getElementById('chart').dataset.lanes === 'actor'")
    actors, marks = chart_lanes(page)
    assert len(marks) == len(events) and 1 < len(actors) < len(events) and "Nvidia" in actors
    assert page.evaluate("document.querySelectorAll('#chart .ytick text').length") == len(actors)
    # A filter narrows the lanes too.
    page.select_option("#source", "extra")
    page.wait_for_function("document.getElementById('chart').dataset.events === '%d'"
                           % sum("extra" in e["documents"] for e in events))
    assert len(chart_lanes(page)[1]) == sum("extra" in e["documents"] for e in events)
    assert parse_qs(urlsplit(page.url).query) == {"source": ["extra"], "lanes": ["actor"]}


def test_browser_zoom_is_kept_in_the_url_across_a_reload(site, page):
    server, _, timeline_id = site
    open_page(page, f"{server}/timelines/{timeline_id}")
    opening = page.evaluate("document.getElementById('chart').layout.xaxis.range")
    plot = page.locator("#chart .nsewdrag").first.bounding_box()
    y = plot["y"] + 100  # the chart is taller than the window: drag near its top
    page.mouse.move(plot["x"] + plot["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(plot["x"] + plot["width"] * 0.5, y, steps=5)
    page.mouse.move(plot["x"] + plot["width"] * 0.6, y, steps=5)
    page.mouse.up()
    page.wait_for_function("location.search.includes('view=')")
    zoomed = page.evaluate("document.getElementById('chart').layout.xaxis.range")
    assert zoomed != opening and opening[0] < zoomed[0] < zoomed[1] < opening[1]
    view = parse_qs(urlsplit(page.url).query)["view"][0].split(",")
    assert [v.replace("T", " ") for v in view] == [str(z)[:16] for z in zoomed]
    page.reload()
    page.wait_for_selector("#chart[data-ready='1']")
    assert [str(end)[:16] for end in page.evaluate("document.getElementById('chart').layout.xaxis.range")] == \
        [str(z)[:16] for z in zoomed]
    # A filter keeps the zoom and the URL keeps both.
    page.check("#conflicts")
    page.wait_for_function("location.search.includes('conflicts=1')")
    assert parse_qs(urlsplit(page.url).query)["view"][0].split(",") == view
    # A view that cannot be read is left out: the chart opens where it always does.
    open_page(page, f"{server}/timelines/{timeline_id}?view=soon,later")
    assert page.evaluate("document.getElementById('chart').layout.xaxis.range") == opening


def test_browser_sentence_links_scroll_to_the_marked_sentence(site, page):
    server, _, timeline_id = site
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, f"{server}/timelines/{timeline_id}")
    links = page.locator("#events li.source[data-document='extra'] a.to-sentence")
    assert links.count() >= 1
    link = links.first
    sentence = link.text_content()
    anchor = link.get_attribute("href")
    assert anchor.startswith("#said-extra-")
    link.click()
    page.wait_for_function("location.hash === %r" % anchor)
    target = page.locator("span.sentence:target")
    assert target.count() == 1 and target.get_attribute("id") == anchor[1:]
    assert target.text_content() == sentence and "Nvidia shares tumbled 17% on Monday" in sentence
    assert target.locator("a.timex").count() >= 1  # the dated phrase's mark sits inside the sentence
    assert page.evaluate("(() => { const r = document.querySelector('span.sentence:target').getBoundingClientRect();"
                         " return r.top >= 0 && r.bottom <= innerHeight; })()")
    assert page.evaluate("getComputedStyle(document.querySelector('span.sentence:target')).backgroundColor") \
        != page.evaluate("getComputedStyle(document.querySelector('span.sentence:not(:target)')).backgroundColor")
    # Every told sentence's link leads to a sentence of that article holding the same words.
    for href, text in page.evaluate("Array.from(document.querySelectorAll('#events a.to-sentence'))"
                                    ".map(a => [a.getAttribute('href'), a.textContent])"):
        assert page.evaluate("id => document.getElementById(id).textContent", href[1:]) == text


OVERLAPS = """(([a, b]) => {
    const boxes = sel => Array.from(document.querySelectorAll(sel)).map(e => e.getBoundingClientRect())
        .filter(r => r.width > 0 && r.height > 0);
    const ticks = boxes(b);
    return boxes(a).filter(r => ticks.some(t => r.left < t.right && t.left < r.right && r.top < t.bottom
                                                   && t.top < r.bottom)).length; })"""


@pytest.mark.parametrize("lanes", ["", "source", "actor"])
def test_browser_legend_leaves_the_date_ticks_readable(site, page, lanes):
    server, _, timeline_id = site
    page.set_viewport_size({"width": 1366, "height": 900})
    open_page(page, f"{server}/timelines/{timeline_id}" + (f"?lanes={lanes}" if lanes else ""))
    assert page.locator("#chart .legend .traces").count() >= 2
    assert page.locator("#chart .xtick text").count() >= 2
    assert page.evaluate(OVERLAPS, ["#chart .legend .traces", "#chart .xtick text"]) == 0
    assert page.evaluate(OVERLAPS, ["#chart .legend .traces", "#chart .ytick text"]) == 0


def test_browser_phone_chart_has_no_mode_bar_over_the_ticks(site, page):
    server, _, timeline_id = site
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, f"{server}/timelines/{timeline_id}?lanes=actor")
    page.hover("#chart .nsewdrag")
    assert page.evaluate(OVERLAPS, ["#chart .modebar-btn", "#chart .xtick text"]) == 0
    assert page.evaluate(OVERLAPS, ["#chart .legend .traces", "#chart .xtick text"]) == 0


@pytest.mark.parametrize("anchor", ["events", "edits", "articles"])
def test_browser_phone_jump_to_a_section_lands_on_it(site, page, anchor):
    server, _, timeline_id = site
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, f"{server}/timelines/{timeline_id}#{anchor}")
    page.wait_for_timeout(300)  # the chart drawn above it must not push it away
    box = page.evaluate(f"document.getElementById('{anchor}').getBoundingClientRect().toJSON()")
    assert -2 <= box["top"] < 844 * 0.5, box
    assert page.evaluate("getComputedStyle(document.querySelector('section.below') || document.body)"
                         ".contentVisibility") != "auto"


def test_browser_machine_date_wraps_inside_its_cell(site, page):
    server, _, timeline_id = site
    page.set_viewport_size({"width": 1366, "height": 900})
    open_page(page, f"{server}/timelines/{timeline_id}")
    spill = page.evaluate("""Array.from(document.querySelectorAll('#events tr[id] td:nth-child(2)')).filter(td => {
        const cell = td.getBoundingClientRect(), small = td.querySelector('small.machine').getBoundingClientRect();
        return small.right > cell.right + 0.5; }).length""")
    assert spill == 0
    assert page.locator("#events small.machine", has_text=" · ").count() >= 1  # a range's machine date is there


def test_browser_phone_edit_panel_is_compact_and_leaves_the_row_in_view(site, page):
    server, _, timeline_id = site
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, f"{server}/timelines/{timeline_id}")
    rows = page.locator("#events tr[id]")
    assert rows.count() >= 4
    for index in (1, rows.count() - 1):
        rows.nth(index).locator("span.what").click()
        page.wait_for_selector("#edit-event:not([hidden])")
        row_id = rows.nth(index).get_attribute("id")
        panel = page.locator("#edit-event").bounding_box()
        assert panel["height"] <= 0.45 * 844
        row = page.evaluate(f"document.getElementById({row_id!r}).getBoundingClientRect().toJSON()")
        assert row["top"] >= 0 and row["bottom"] <= panel["y"] + 1, (row, panel)
