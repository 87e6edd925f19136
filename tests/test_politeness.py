"""Politeness: Retry-After, per-site exponential backoff, and robots.txt that cannot be read."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from itertools import pairwise

import pytest

from crawler.politeness import backoff_delay, retry_after_seconds
from tests.support import Reply, article_page, fault_site, run_crawl, stat, tag_page

NOW = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)
FAST = ("AUTOTHROTTLE_ENABLED=False",)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("5", 5.0),
        (" 120 ", 120.0),
        ("Sun, 06 Dec 2026 01:00:30 GMT", 30.0),
        ("Sun, 06 Dec 2026 00:59:00 GMT", 0.0),  # in the past: go now
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_in_seconds_or_as_an_http_date(value, seconds):
    assert retry_after_seconds(value, NOW) == seconds


def test_backoff_doubles_with_jitter_and_is_capped():
    assert backoff_delay(0, 2.0, 60.0, 0.25, None, 0.5) == 2.0  # middle of the jitter range
    assert backoff_delay(1, 2.0, 60.0, 0.25, None, 0.5) == 4.0
    assert backoff_delay(3, 2.0, 60.0, 0.25, None, 0.5) == 16.0
    assert backoff_delay(2, 2.0, 60.0, 0.25, None, 0.0) == 6.0  # -25 %
    assert backoff_delay(2, 2.0, 60.0, 0.25, None, 0.999999) == pytest.approx(10.0, abs=1e-4)  # +25 %
    assert backoff_delay(10, 2.0, 60.0, 0.25, None, 0.5) == 60.0
    assert backoff_delay(0, 2.0, 60.0, 0.25, 7.0, 0.9) == 7.0  # Retry-After wins, without jitter
    assert backoff_delay(0, 2.0, 60.0, 0.25, 3600.0, 0.5) == 60.0


def once_then_ok(first: Reply, then: Reply):
    return lambda count: first if count == 1 else then


def listing_with_one_article(article: object) -> dict:
    return {"/tag/x/": Reply(body=tag_page(("/news/1/", "الخبر الأول"))), "/news/1/": article}


def gaps(times: list[float]) -> list[float]:
    return [later - earlier for earlier, later in pairwise(times)]


def stored(db) -> list[tuple]:
    return sqlite3.connect(db).execute("SELECT url, title, body FROM items").fetchall()


def test_retry_after_seconds_is_honoured(tmp_path):
    slow_down = Reply(429, headers=(("Retry-After", "2"),))
    with fault_site(listing_with_one_article(once_then_ok(slow_down, Reply(body=article_page("خ"))))) as site:
        result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", *FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    (gap,) = gaps(site.times("/news/1/"))
    assert gap >= 1.9
    assert stat(result.stderr, "akhbar/backoff/429") == 1
    assert stat(result.stderr, "akhbar/backoff/retry_after") == 1
    assert "answered 429 (Retry-After: 2): pausing 127.0.0.1 for 2.0 s before retry 1" in result.stderr
    assert stored(tmp_path / "o.sqlite3") == [(f"{site.url}/news/1/", "الخبر الأول", "نص الخبر الكامل")]


def test_retry_after_as_an_http_date_is_honoured(tmp_path):
    def article(count: int) -> Reply:
        if count > 1:
            return Reply(body=article_page("خ"))
        when = datetime.now(UTC) + timedelta(seconds=3)
        return Reply(503, headers=(("Retry-After", format_datetime(when, usegmt=True)),))

    with fault_site(listing_with_one_article(article)) as site:
        result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", *FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    (gap,) = gaps(site.times("/news/1/"))
    assert gap >= 1.9  # the date has whole seconds: 2 to 3 s from the answer
    assert stat(result.stderr, "akhbar/backoff/503") == 1
    assert stat(result.stderr, "akhbar/backoff/retry_after") == 1


def test_retry_after_is_capped_by_the_setting(tmp_path):
    slow_down = Reply(429, headers=(("Retry-After", "3600"),))
    with fault_site(listing_with_one_article(once_then_ok(slow_down, Reply(body=article_page("خ"))))) as site:
        result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", *FAST, "AKHBAR_BACKOFF_MAX=1")
    assert result.returncode == 0, result.stderr[-2000:]
    (gap,) = gaps(site.times("/news/1/"))
    assert 0.9 <= gap < 30
    assert stat(result.stderr, "akhbar/backoff/retry_after_capped") == 1


def test_429_backs_off_exponentially_then_gives_up_loudly_and_keeps_the_listing_record(tmp_path):
    with fault_site(listing_with_one_article(Reply(429))) as site:
        result = run_crawl(
            {"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", *FAST, "AKHBAR_BACKOFF_BASE=0.4", "RETRY_TIMES=3"
        )
    assert result.returncode == 0, result.stderr[-2000:]
    waits = gaps(site.times("/news/1/"))
    assert len(waits) == 3  # three retries
    # 0.4, 0.8, 1.6 s, each ±25 %: every wait is longer than the one before.
    assert 0.3 <= waits[0] < waits[1] < waits[2]
    assert waits[2] >= 1.2
    assert stat(result.stderr, "akhbar/backoff/429") == 3
    assert stat(result.stderr, "retry/max_reached") == 1
    assert "ERROR: Gave up retrying <GET " in result.stderr
    assert stat(result.stderr, "akhbar/article/failed/http_429") == 1
    assert "WARNING: article page failed (http_429)" in result.stderr
    assert stored(tmp_path / "o.sqlite3") == [(f"{site.url}/news/1/", "الخبر الأول", None)]


def test_a_backed_off_site_waits_as_a_whole(tmp_path):
    """While a site is paused, its other pages wait too: the next listing page is not fetched early."""
    routes = {
        "/tag/x/": Reply(body=tag_page(("/news/1/", "الخبر الأول"), extra='<a rel="next" href="/tag/x/?page=2">2</a>')),
        "/news/1/": once_then_ok(Reply(429, headers=(("Retry-After", "2"),)), Reply(body=article_page("خ"))),
        "/tag/x/?page=2": Reply(body=tag_page(("/news/2/", "الخبر الثاني"))),
        "/news/2/": Reply(body=article_page("خ2")),
    }
    with fault_site(routes) as site:
        result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", *FAST, "CONCURRENT_REQUESTS=1")
    assert result.returncode == 0, result.stderr[-2000:]
    first_429 = site.times("/news/1/")[0]
    later = [when for when, path in site.hits if path in ("/news/2/",)]
    assert later and all(when - first_429 >= 1.9 for when in later)


def test_robots_txt_answering_503_disallows_the_site_and_fails_the_run(tmp_path):
    routes = {"/robots.txt": Reply(503), "/tag/x/": Reply(body=tag_page(("/news/1/", "خبر")))}
    with fault_site(routes) as site:
        result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", *FAST, "AKHBAR_BACKOFF_BASE=0.1")
    assert result.returncode == 1
    assert [path for _, path in site.hits] == ["/robots.txt"] * 3  # asked again (backoff), never the archive
    assert stat(result.stderr, "akhbar/robots/unavailable/http_503") == 1
    assert stat(result.stderr, "akhbar/listing/failed/robots_unavailable") == 1
    assert "ERROR: robots.txt of 127.0.0.1:" in result.stderr
    assert "unavailable (http_503): the site is disallowed for this run" in result.stderr
    assert "akhbar: crawl failed: robots_unavailable" in result.stderr
    assert stored(tmp_path / "o.sqlite3") == []


def test_robots_txt_timing_out_disallows_the_site_and_fails_the_run(tmp_path):
    routes = {"/robots.txt": Reply(body=b"User-agent: *\nAllow: /\n", delay=3), "/tag/x/": Reply(body=tag_page())}
    with fault_site(routes) as site:
        result = run_crawl(
            {"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", *FAST, "DOWNLOAD_TIMEOUT=1", "RETRY_TIMES=0"
        )
    assert result.returncode == 1
    assert "/tag/x/" not in [path for _, path in site.hits]
    assert stat(result.stderr, "akhbar/robots/unavailable/timeout") == 1
    assert stat(result.stderr, "akhbar/listing/failed/robots_unavailable") == 1
    assert "akhbar: crawl failed: robots_unavailable" in result.stderr


def test_robots_txt_missing_allows_everything(tmp_path):
    with fault_site(listing_with_one_article(Reply(body=article_page("خ")))) as site:
        result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", *FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    assert stat(result.stderr, "robotstxt/response_status_count/404") == 1
    assert stat(result.stderr, "akhbar/robots/unavailable") is None
    assert len(stored(tmp_path / "o.sqlite3")) == 1
