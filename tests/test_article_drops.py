"""Every entry a listing gives reaches the store or a counted drop, whatever its article page does."""

from __future__ import annotations

import sqlite3

from tests.support import Reply, article_page, fault_site, run_crawl, stat, tag_page

FAST = ("AUTOTHROTTLE_ENABLED=False", "ROBOTSTXT_OBEY=False")
TITLES = ("الخبر الأول", "الخبر الثاني", "الخبر الثالث", "الخبر الرابع")


def listing(*paths: str) -> Reply:
    return Reply(body=tag_page(*zip(paths, TITLES, strict=False)))


def stored(db) -> dict[str, str | None]:
    """url -> body of every stored row."""
    return dict(sqlite3.connect(db).execute("SELECT url, body FROM items").fetchall())


def crawl(site, tmp_path, *settings: str):
    result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", *FAST, *settings)
    assert result.returncode == 0, result.stderr[-3000:]
    return result, stored(tmp_path / "o.sqlite3")


def test_an_off_site_redirect_keeps_the_listing_record_and_is_counted(tmp_path):
    routes = {
        "/tag/x/": listing("/news/1/", "/news/2/"),
        "/news/1/": Reply.redirect("https://elsewhere.example/story/"),
        "/news/2/": Reply(body=article_page("الخبر الثاني")),
    }
    with fault_site(routes) as site:
        result, rows = crawl(site, tmp_path)
    assert rows == {f"{site.url}/news/1/": None, f"{site.url}/news/2/": "نص الخبر الكامل"}
    assert stat(result.stderr, "akhbar/article/failed/offsite") == 1
    assert "WARNING: article page failed (offsite): https://elsewhere.example/story/" in result.stderr


def test_a_redirect_onto_an_already_requested_url_keeps_both_records(tmp_path):
    routes = {
        "/tag/x/": listing("/news/1/", "/news/2/"),
        "/news/1/": Reply.redirect("/news/2/"),
        "/news/2/": Reply(body=article_page("الخبر الثاني")),
    }
    with fault_site(routes) as site:
        result, rows = crawl(site, tmp_path)
    assert set(rows) == {f"{site.url}/news/1/", f"{site.url}/news/2/"}
    assert stat(result.stderr, "dupefilter/filtered") is None


def test_a_redirect_cycle_is_counted_and_warned_and_keeps_the_record(tmp_path):
    routes = {
        "/tag/x/": listing("/news/1/", "/news/2/"),
        "/news/1/": Reply.redirect("/news/1b/"),
        "/news/1b/": Reply.redirect("/news/1/"),
        "/news/2/": Reply(body=article_page("الخبر الثاني")),
    }
    with fault_site(routes) as site:
        result, rows = crawl(site, tmp_path)
    assert rows == {f"{site.url}/news/1/": None, f"{site.url}/news/2/": "نص الخبر الكامل"}
    assert stat(result.stderr, "akhbar/redirect/cycle") == 1
    assert stat(result.stderr, "akhbar/article/failed/redirect_cycle") == 1
    assert "WARNING: redirect cycle" in result.stderr
    assert [path for _, path in site.hits].count("/news/1/") == 1  # noticed before asking again, not after 20 hops


def test_a_meta_refresh_cycle_is_counted_and_keeps_the_record(tmp_path):
    refresh = b'<html><head><meta http-equiv="refresh" content="0; url=/news/1/"></head><body></body></html>'
    routes = {"/tag/x/": listing("/news/1/"), "/news/1/": Reply(body=refresh)}
    with fault_site(routes) as site:
        result, rows = crawl(site, tmp_path)
    assert rows == {f"{site.url}/news/1/": None}
    assert stat(result.stderr, "akhbar/article/failed/redirect_cycle") == 1


def test_a_long_redirect_chain_gives_up_with_a_counted_reason(tmp_path):
    routes = {"/tag/x/": listing("/news/0/")}
    routes |= {f"/news/{i}/": Reply.redirect(f"/news/{i + 1}/") for i in range(10)}
    with fault_site(routes) as site:
        result, rows = crawl(site, tmp_path, "REDIRECT_MAX_TIMES=3")
    assert rows == {f"{site.url}/news/0/": None}
    assert stat(result.stderr, "akhbar/article/failed/redirect_limit") == 1
    assert "WARNING: article page failed (redirect_limit)" in result.stderr


def test_a_non_html_article_keeps_the_listing_record(tmp_path):
    routes = {
        "/tag/x/": listing("/news/1/"),
        "/news/1/": Reply(
            body=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n\x00\x01stream", headers=(("Content-Type", "application/pdf"),)
        ),
    }
    with fault_site(routes) as site:
        result, rows = crawl(site, tmp_path)
    assert rows == {f"{site.url}/news/1/": None}
    assert stat(result.stderr, "akhbar/article/failed/not_html") == 1
    assert "WARNING: article page is not HTML (application/pdf)" in result.stderr


def test_a_permanent_500_is_counted_warned_and_keeps_the_listing_record(tmp_path):
    routes = {
        "/tag/x/": listing("/news/1/", "/news/2/"),
        "/news/1/": Reply(500),
        "/news/2/": Reply(body=article_page("خ")),
    }
    with fault_site(routes) as site:
        result, rows = crawl(site, tmp_path, "RETRY_TIMES=1")
    assert rows == {f"{site.url}/news/1/": None, f"{site.url}/news/2/": "نص الخبر الكامل"}
    assert [path for _, path in site.hits].count("/news/1/") == 2  # retried once
    assert "ERROR: Gave up retrying <GET " in result.stderr
    assert stat(result.stderr, "akhbar/article/failed/http_500") == 1
    assert "WARNING: article page failed (http_500)" in result.stderr


def test_a_listing_page_that_redirects_onto_a_visited_page_is_not_dropped_silently(tmp_path):
    routes = {
        "/tag/x/": Reply(body=tag_page(("/news/1/", "الخبر الأول"), extra='<a rel="next" href="/tag/x/page/2/">2</a>')),
        "/tag/x/page/2/": Reply.redirect("/tag/x/"),
        "/news/1/": Reply(body=article_page("خ")),
    }
    with fault_site(routes) as site:
        result, rows = crawl(site, tmp_path)
    assert list(rows) == [f"{site.url}/news/1/"]
    assert stat(result.stderr, "dupefilter/filtered") is None
    assert stat(result.stderr, "akhbar/pages/listing") == 1
    assert stat(result.stderr, "akhbar/listing/redirected_to_visited") == 1
    assert (
        f"WARNING: listing page {site.url}/tag/x/page/2/ redirects to {site.url}/tag/x/, already crawled"
        in result.stderr
    )
