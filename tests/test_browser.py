"""End to end in headless Chromium: upload the seed articles, read the chart, hover, filter, download the CSV."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from web import create_app

from conftest import ROOT, served

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOT = ROOT / "docs" / "screenshot.png"

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    with served(create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite")})) as url:
        yield url


@pytest.fixture
def page(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        yield context.new_page()
        context.close()
        browser.close()


def test_browser_seed_timeline(server, page, seeds, tmp_path):
    page.goto(server + "/")
    page.set_input_files("#files", [str(p) for p in sorted(seeds.glob("*.txt"))])
    page.fill("#published", "2025-01-29")
    page.fill("#title", "OpenAI, DeepSeek and Nvidia's fall")
    page.click("button[type=submit]")
    page.wait_for_selector("#chart[data-ready='1']", timeout=30_000)

    rows = page.locator("#events tr[id]").count()
    points = page.locator("#chart .cartesianlayer .scatterlayer .point").count()
    bars = page.locator("#chart .cartesianlayer .barlayer .point").count()
    assert rows >= 10 and points + bars == rows  # every event is drawn, as a point or a bar
    assert page.get_attribute("#chart", "data-events") == str(rows)

    # Hover the point of Nvidia's fall (2025-01-27) and read its sentence in the tooltip.
    fall_row = page.locator("#events tr[id]", has_text="2025-01-27").first
    order = int(fall_row.locator("td").first.text_content())
    for i in range(points):
        candidate = page.locator("#chart .cartesianlayer .scatterlayer .point").nth(i)
        box = candidate.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        hover = page.locator(".hoverlayer").text_content() or ""  # SVG: text_content, not inner_text
        if "largest single-day" in hover or "tumbled" in hover:
            break
    else:
        pytest.fail(f"no point's hover shows the fall (event {order})")
    assert "Monday" in (page.locator(".hoverlayer").text_content() or "")
    page.screenshot(path=str(tmp_path / "hover.png"))
    SCREENSHOT.parent.mkdir(exist_ok=True)
    shutil.copy(tmp_path / "hover.png", SCREENSHOT)

    # Filter by one source: only its events stay drawn.
    page.select_option("#source", "004_e511981382411871")
    page.wait_for_function("document.getElementById('chart').dataset.events !== String(%d)" % rows)
    shown = int(page.get_attribute("#chart", "data-events"))
    expected = page.locator("#events tr[data-documents*='004_e511981382411871']").count()
    assert 0 < shown == expected < rows

    # The CSV download follows the filter; back to all articles, it holds every event.
    assert len(download_csv(page, tmp_path / "filtered.csv")) == shown
    page.select_option("#source", "")
    downloaded = download_csv(page, tmp_path / "events.csv")
    assert len(downloaded) == rows
    fall = [r for r in downloaded if r["start"] == "2025-01-27"]
    assert len(fall) == 1 and fall[0]["n_documents"] == "2"


def download_csv(page, path: Path) -> list[dict]:
    with page.expect_download() as info:
        page.click("#download-csv")
    info.value.save_as(path)
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_browser_upload_error_is_shown(server, page, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    page.goto(server + "/")
    page.set_input_files("#files", [str(bad)])
    page.click("button[type=submit]")
    assert "file is empty" in page.locator("#error").inner_text()


XSS_ARTICLE = {"id": "evil", "title": '<img src=x onerror="window.__xss=1">"Quoted" title',
               "url": "javascript:window.__xss=1",
               "text": 'Acme "Quoted" <a href="javascript:window.__xss=1">Click</a> '
                       '<img src=x onerror="window.__xss=1"> shares fell on Monday. It rose on Tuesday.'}
WATCH = ("window.__violations = [];"
         "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
         "e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));")


def post_json(url: str, body: dict) -> dict:
    import json
    import urllib.request

    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def test_browser_payloads_stay_text(server, page):
    """Script payloads in every article field render as text in the page, chart labels and hovers."""
    created = post_json(server + "/api/timelines", {"title": '<img src=x onerror="window.__xss=1">',
                                                    "published": "2025-01-29", "articles": [XSS_ARTICLE]})
    page.add_init_script(WATCH)
    page.goto(server + created["url"])
    page.wait_for_selector("#chart[data-ready='1']", timeout=30_000)
    assert page.locator("a[href^='javascript:' i]").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("#chart svg a").count() == 0  # plotly draws <a href> in a label as a live link
    # Labels wrap at words: plotly draws each line as a tspan.line, joined here with the space it replaced.
    ticks = page.evaluate("""Array.from(document.querySelectorAll('#chart .ytick text')).map(t =>
        Array.from(t.querySelectorAll('tspan.line')).map(s => s.textContent).join(' ') || t.textContent).join(' ')""")
    assert '"Quoted"' in ticks and "&quot;" not in ticks and "<a href=" in ticks
    point = page.locator("#chart .scatterlayer .point").first
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector(".hoverlayer .hovertext")
    hover = page.locator(".hoverlayer").text_content() or ""
    assert '"Quoted"' in hover and "&quot;" not in hover and page.locator(".hoverlayer a").count() == 0
    assert page.locator("span.url").inner_text() == "javascript:window.__xss=1"  # shown as text, not a link
    assert page.evaluate("window.__xss") is None
    assert page.evaluate("window.__violations") == []  # the page itself needs nothing the CSP refuses


def test_browser_large_chart_draws_under_csp(server, page, tmp_path):
    from bench.page import synthetic_timeline
    from timeline.store import Store

    Store(tmp_path / "t.sqlite").save(synthetic_timeline(900), "large")  # above LARGE: WebGL points
    page.add_init_script(WATCH)
    page.goto(server + "/timelines/large")
    page.wait_for_selector("#chart[data-ready='1']", timeout=60_000)
    assert page.get_attribute("#chart", "data-events") == "900"
    assert page.evaluate("window.__violations") == []


def test_browser_cross_site_form_is_refused(server, page):
    """A page on another origin that submits the upload form (CSRF) gets 403 and stores nothing."""
    attacker = ("<form id=f method=post enctype=multipart/form-data action='%s/timelines'>"
                "<input name=title value=planted><textarea name=text>It closed on Monday.</textarea>"
                "<input name=published value=2025-01-29></form>" % server)
    page.route("http://attacker.test/", lambda route: route.fulfill(body=attacker, content_type="text/html"))
    page.goto("http://attacker.test/")
    with page.expect_response(server + "/timelines") as info:
        page.evaluate("document.getElementById('f').submit()")
    assert info.value.status == 403
    page.wait_for_load_state()
    import json
    import urllib.request

    with urllib.request.urlopen(server + "/api/timelines") as response:
        assert json.loads(response.read())["timelines"] == []
