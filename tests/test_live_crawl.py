"""A live crawl of a server on 127.0.0.1: record it, then replay it offline.

The server is this test's own; no traffic leaves the machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import local_site, read_jsonl, run_crawl, stat


def card(path: str, title: str, when: str) -> str:
    return (
        f'<article class="post"><a href="{path}" title="{title}"><img alt="{title}"></a>'
        f'<h2 class="entry-title"><a href="{path}">{title}</a></h2>'
        f'<span class="date">{when}</span><p class="excerpt">ملخص {title} بما يكفي من الكلمات</p></article>'
    )


SIDEBAR = (
    '<aside class="sidebar"><h3>الأكثر قراءة</h3>'
    + card("/news/99/", "خبر الشريط الجانبي", "أمس")
    + '</aside><a href="https://elsewhere.example/news/5/">موقع آخر</a>'
)
PAGES = {
    "/tag/x/": '<html><head><link rel="next" href="/tag/x/?page=2"></head><body><main>'
    + card("/news/1/", "الخبر الأول", "منذ ساعتين")
    + card("/news/2/", "الخبر الثاني", "17 يونيو 2021")
    + "</main>"
    + SIDEBAR
    + "</body></html>",
    "/tag/x/?page=2": "<html><body><main>"
    + card("/news/2/", "الخبر الثاني", "17 يونيو 2021")
    + card("/news/3/", "الخبر الثالث", "أمس")
    + card("/news/4/", "الخبر الرابع", "أمس")
    # A link back to page 1 must not start a loop.
    + '</main><a href="/tag/x/" class="prev">السابق</a><a href="/tag/x/?page=2">2</a></body></html>',
    "/news/1/": '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
    '"datePublished": "2021-12-07T08:15:00+03:00", "author": {"@type": "Person", "name": "سارة"}}</script></head>'
    '<body><div class="entry-content"><p>الفقرة الأولى.</p><div class="related"><p>اقرأ أيضا</p></div>'
    "<p>الفقرة الثانية.</p></div></body></html>",
}
SLOW = frozenset({"/news/3/"})  # longer than the crawl's DOWNLOAD_TIMEOUT


@pytest.fixture
def site() -> Iterator[str]:
    pages = {path: (html.encode("utf-8"), "text/html; charset=utf-8") for path, html in PAGES.items()}
    with local_site(pages, slow=SLOW) as base:
        yield base


def test_live_crawl_records_then_replays_identically(site: str, tmp_path: Path):
    recordings = tmp_path / "recorded"
    args = {"url": f"{site}/tag/x/", "tag": "اختبار", "tz": "Asia/Riyadh"}
    options = ("DOWNLOAD_TIMEOUT=1", "RETRY_ENABLED=False", "AUTOTHROTTLE_ENABLED=False", f"REPLAY_DIR={recordings}")

    live = run_crawl(args, tmp_path / "live.jsonl", "REPLAY_MODE=record", *options)
    assert live.returncode == 0, live.stderr[-3000:]
    items = {item["url"].removeprefix(site): item for item in read_jsonl(tmp_path / "live.jsonl")}

    # Every archive entry once; the sidebar and the other host never become items.
    assert sorted(items) == ["/news/1/", "/news/2/", "/news/3/", "/news/4/"]
    assert items["/news/2/"]["listing_url"] == f"{site}/tag/x/"
    assert items["/news/1/"]["author"] == "سارة"
    assert items["/news/1/"]["body"] == "الفقرة الأولى.\n\nالفقرة الثانية."
    assert items["/news/1/"]["published_at"] == "2021-12-07T08:15:00+03:00"
    # 404 and timeout articles keep their listing record, with what the listing had.
    for path in ("/news/2/", "/news/3/", "/news/4/"):
        assert items[path]["body"] is None
        assert items[path]["published_raw"] is not None
    assert stat(live.stderr, "akhbar/article/failed/http_404") == 2
    assert stat(live.stderr, "akhbar/article/failed/timeout") == 1
    assert stat(live.stderr, "akhbar/pages/listing") == 2
    assert stat(live.stderr, "akhbar/dedup/by_url") == 1

    assert (recordings / "127.0.0.1").is_dir()
    replay = run_crawl(args, tmp_path / "replay.jsonl", "REPLAY_MODE=replay", *options)
    assert replay.returncode == 0, replay.stderr[-3000:]
    replayed = {item["url"].removeprefix(site): item for item in read_jsonl(tmp_path / "replay.jsonl")}
    assert replayed == items  # relative dates resolved against the recorded Date header
    assert stat(replay.stderr, "akhbar/article/failed/ignored") == 1  # the timed-out page was never recorded


def test_a_dead_start_url_is_logged_and_counted(tmp_path: Path):
    result = run_crawl(
        {"url": "http://127.0.0.1:9/tag/x/"}, tmp_path / "o.jsonl", "RETRY_ENABLED=False", "ROBOTSTXT_OBEY=False"
    )
    assert stat(result.stderr, "akhbar/listing/failed") == 1
    assert "listing page failed" in result.stderr
