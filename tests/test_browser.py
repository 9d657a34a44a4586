"""End to end in headless Chromium: upload the seed articles, read the chart, hover, filter, download the CSV."""
from __future__ import annotations

import csv
import shutil
import socket
import threading
from pathlib import Path

import pytest

from web import create_app

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOT = ROOT / "docs" / "screenshot.png"

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path):
    from waitress.server import create_server

    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "t.sqlite")})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    wsgi = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=wsgi.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    wsgi.close()


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
    order = int(fall_row.locator("td").first.inner_text())
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

    # Download the CSV and read it back.
    with page.expect_download() as info:
        page.click("#download-csv")
    path = tmp_path / "events.csv"
    info.value.save_as(path)
    downloaded = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(downloaded) == rows
    fall = [r for r in downloaded if r["start"] == "2025-01-27"]
    assert len(fall) == 1 and fall[0]["n_documents"] == "2"


def test_browser_upload_error_is_shown(server, page, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    page.goto(server + "/")
    page.set_input_files("#files", [str(bad)])
    page.click("button[type=submit]")
    assert "file is empty" in page.locator("#error").inner_text()
