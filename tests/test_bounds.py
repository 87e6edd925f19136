"""Bounded input: length caps, line separators, future dates, a memory cap."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

import pytest

from crawler.dates.fields import DateFields, in_future
from crawler.items import FIELD_NAMES, new_item
from crawler.text import LINE_SEPARATORS, cap_length, clean_line_separators
from pipelines.dates import DatesPipeline
from pipelines.normalize import NormalizePipeline
from tests.support import Reply, article_page, fault_site, make_crawler, run_crawl, stat, tag_page

ITEM = new_item(
    id="a" * 40,
    url="https://news.example/2021/06/story/",
    title="قمة جنيف",
    site="news.example",
    tag="قمة",
    listing_url="https://news.example/tag/x/",
    position=1,
    crawled_at="2021-12-05T09:00:00+00:00",
)
FETCHED = datetime(2021, 12, 5, 9, 0, tzinfo=UTC)


def pipeline(cls, **settings):
    crawler = make_crawler(settings)
    built = cls.from_crawler(crawler)
    if hasattr(built, "open_spider"):
        built.open_spider()
    return crawler, built


@pytest.mark.parametrize(
    ("text", "limit", "capped"),
    [
        ("قصير", 10, "قصير"),
        ("واحد اثنان ثلاثة أربعة", 12, "واحد اثنان…"),  # cut at the last word that fits, marked
        ("واحد اثنان ثلاثة أربعة", 14, "واحد اثنان ثل…"),  # no word ends in the last fifth: cut inside one
        ("أ" * 30, 10, "أ" * 9 + "…"),  # one long word: cut inside it
        ("abc", 3, "abc"),
    ],
)
def test_cap_length_cuts_at_a_word_and_marks_the_cut(text, limit, capped):
    assert cap_length(text, limit) == capped
    assert len(cap_length(text, limit)) <= limit


@pytest.mark.parametrize("separator", LINE_SEPARATORS)
def test_line_separators_are_escaped_in_urls_and_removed_from_text(separator):
    assert clean_line_separators(f"https://news.example/a{separator}b/", url=True) == (
        "https://news.example/a" + "".join(f"%{b:02X}" for b in separator.encode()) + "b/"
    )
    assert clean_line_separators(f"سطر{separator}آخر", url=False) == "سطر آخر"
    assert f"x{separator}y".splitlines() == ["x", "y"]  # why: each would split a JSON Lines record


def test_normalize_caps_lengths_and_counts_them():
    crawler, normalize = pipeline(
        NormalizePipeline, AKHBAR_MAX_TITLE_CHARS=20, AKHBAR_MAX_EXCERPT_CHARS=30, AKHBAR_MAX_BODY_CHARS=40
    )
    item = {**ITEM, "title": "عنوان " * 1000, "excerpt": "ملخص " * 1000, "body": "فقرة طويلة. " * 1000}
    normalize.process_item(item)
    assert len(item["title"]) <= 20 and item["title"].endswith("…")
    assert len(item["excerpt"]) <= 30 and len(item["body"]) <= 40
    stats = crawler.stats.get_stats()
    assert (stats["akhbar/caps/title"], stats["akhbar/caps/excerpt"], stats["akhbar/caps/body"]) == (1, 1, 1)
    short = {**ITEM}
    normalize.process_item(short)
    assert short["title"] == "قمة جنيف"
    assert crawler.stats.get_value("akhbar/caps/title") == 1


def test_normalize_removes_line_separators_from_every_field():
    crawler, normalize = pipeline(NormalizePipeline)
    dirty = "\u2028x\u2029y\x85"
    item = {name: (f"{value}{dirty}" if isinstance(value, str) else value) for name, value in ITEM.items()}
    item |= {"article_tags": [f"وسم{dirty}"], "image": f"https://news.example/i{dirty}.jpg", "author": f"سارة{dirty}"}
    normalize.process_item(item)
    line = json.dumps(item, ensure_ascii=False)
    assert len(line.splitlines()) == 1
    assert not any(sep in line for sep in LINE_SEPARATORS)
    assert item["url"] == "https://news.example/2021/06/story/%E2%80%A8x%E2%80%A9y%C2%85"
    assert item["site"] == "news.example x y "
    assert crawler.stats.get_value("akhbar/normalize/line_separators") == 1
    assert set(item) == set(FIELD_NAMES)


@pytest.mark.parametrize(
    ("fields", "future"),
    [
        (DateFields("2099-01-01T00:00:00+00:00", "2099-01-01", "minute"), True),
        (DateFields(None, "2099-01-01", "day"), True),
        (DateFields("2021-12-06T08:59:00+00:00", "2021-12-06", "minute"), False),  # within a day: zones, clocks
        (DateFields("2021-12-06T09:01:00+00:00", "2021-12-06", "minute"), True),
        (DateFields(None, "2021-12-06", "day"), False),
        (DateFields(None, "2021-12-07", "day"), True),
        (DateFields(None, None, None), False),
    ],
)
def test_in_future(fields, future):
    assert in_future(fields, FETCHED) is future


def test_dates_after_tomorrow_are_null_counted_and_keep_their_raw_text():
    crawler, dates = pipeline(DatesPipeline)
    item = {**ITEM, "published_raw": "2099-05-01T10:00:00+03:00", "date_source": "meta"}
    dates.process_item(item)
    assert (item["published_at"], item["published_date"], item["published_precision"]) == (None, None, None)
    assert item["published_raw"] == "2099-05-01T10:00:00+03:00"
    assert crawler.stats.get_value("akhbar/dates/future") == 1
    today = {**ITEM, "published_raw": "2021-12-05T10:00:00+03:00", "date_source": "meta"}
    dates.process_item(today)
    assert today["published_at"] == "2021-12-05T10:00:00+03:00"
    assert crawler.stats.get_value("akhbar/dates/future") == 1


def test_a_hostile_page_is_stored_bounded_and_one_record_a_line(tmp_path):
    title = "عنوان\u2028طويل " * 20_000  # 220,000 characters
    routes = {
        "/tag/x/": Reply(body=tag_page(("/news/1\u2028\x85x/", title), ("/news/2/", "خبر ثان"))),
        "/news/1%E2%80%A8%C2%85x/": Reply(body=article_page("خبر", body="نص " * 300_000)),
        "/news/2/": Reply(body=article_page("خبر ثان").replace(b"2021-06-17T08:15:00", b"2099-06-17T08:15:00")),
    }
    with fault_site(routes) as site:
        result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", "AUTOTHROTTLE_ENABLED=False")
    assert result.returncode == 0, result.stderr[-3000:]
    lines = (tmp_path / "o.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    items = {item["url"]: item for item in map(json.loads, lines)}
    first = items[f"{site.url}/news/1%E2%80%A8%C2%85x/"]
    assert first["body"] is not None and len(first["body"]) <= 100_000
    assert len(first["title"]) <= 500
    assert stat(result.stderr, "akhbar/caps/body") == 1
    assert stat(result.stderr, "akhbar/caps/title") == 1
    second = items[f"{site.url}/news/2/"]
    assert second["published_at"] is None and second["published_raw"] == "2099-06-17T08:15:00+03:00"
    assert stat(result.stderr, "akhbar/dates/future") == 1
    rows = sqlite3.connect(tmp_path / "o.sqlite3").execute("SELECT url, length(body) FROM items").fetchall()
    assert len(rows) == 2


def test_the_memory_cap_closes_the_run_cleanly_with_exit_code_1(tmp_path):
    routes = {"/tag/x/": Reply(body=tag_page(("/news/1/", "خبر"))), "/news/1/": Reply(body=article_page("خبر"))}
    with fault_site(routes) as site:
        result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", "MEMUSAGE_LIMIT_MB=1")
    assert result.returncode == 1
    assert "ERROR: Memory usage exceeded 1MiB. Shutting down Scrapy..." in result.stderr
    assert "'finish_reason': 'memusage_exceeded'" in result.stderr
    assert "finish_reason=memusage_exceeded" in result.stderr.splitlines()[-1]  # the crawl command's verdict
    assert "Traceback" not in result.stderr


def test_a_memory_cap_is_on_by_default():
    settings = make_crawler().settings
    assert settings.getbool("MEMUSAGE_ENABLED")
    assert 0 < settings.getint("MEMUSAGE_WARNING_MB") < settings.getint("MEMUSAGE_LIMIT_MB")
