"""The status page in a real browser: Debian's Chromium, driven by Playwright.

Playwright drives the system's ``/usr/bin/chromium`` (``make test`` installs it with
apt-get); it never downloads a browser of its own. Without Chromium the test skips with
one line, except under ``CI=true``, where it fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import feedparser
import pytest

from crawler.store import Store, dialect_for, to_row
from tests.support import ROOT, fixture_site_dirs, read_jsonl, service_missing, serving

CHROMIUM = Path(os.environ.get("AKHBAR_CHROMIUM", "/usr/bin/chromium"))
SITE, TAG = "jnews-balad.example", "الدوري المصري"
SCREENSHOT = ROOT / "out" / "status-page.png"


@pytest.fixture
def browser():
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError as exc:
        service_missing("Playwright", str(exc))
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        service_missing("Chromium", f"{CHROMIUM} missing; apt-get install chromium")
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        except Error as exc:
            service_missing("Chromium", str(exc).splitlines()[0])
        yield launched
        launched.close()


def test_status_page_in_chromium(browser, tmp_path):
    items = [item for site in fixture_site_dirs() for item in read_jsonl(site / "expected.jsonl")]
    db = tmp_path / "store.sqlite3"
    store = Store(dialect_for(f"sqlite:///{db}")).open()
    store.write_batch([to_row(i, "2026-12-01T08:00:00+00:00") for i in items])
    store.close()
    in_tag = [i for i in items if i["site"] == SITE and i["tag"] == TAG]
    feeds = f"AKHBAR_FEED_URI={tmp_path}/feeds/%(site)s/x.jsonl"  # no run reports: the store's figures
    with serving(f"DATABASE_URL=sqlite:///{db}", "AKHBAR_FEED_PAGE_SIZE=50", feeds) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="ar")
        page.goto(base + "/")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        row = page.locator(f'tr.tag-row[data-site="{SITE}"][data-tag="{TAG}"]')
        assert row.count() == 1
        assert row.locator("td.tag").inner_text() == TAG
        assert row.locator("td.items").inner_text() == str(len(in_tag))
        assert row.locator("td.new").inner_text() == "—"  # no run report says how many were new
        bars = row.locator("svg.chart rect")
        assert bars.count() == 30
        drawn = row.locator("svg.chart rect:not(.empty)")
        days = {i["published_date"] for i in in_tag}
        assert drawn.count() == len(days)  # the fixture's days all fall in the chart's 30 days
        assert row.locator("svg.chart").bounding_box()["height"] > 0
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)

        with page.expect_response(lambda r: "/feeds/" in r.url) as answer:
            row.locator("a.feed-atom").click()
        response = answer.value
        assert response.status == 200
        feed = feedparser.parse(response.body())
        assert feed.feed.title == f"{TAG} — {SITE}"
        assert len(feed.entries) == len(in_tag)
    assert SCREENSHOT.stat().st_size > 10_000
