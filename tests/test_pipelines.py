"""The pipelines as Scrapy runs them: thin adapters that count every outcome."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import ArticleItem
from crawler.spiders.tag_archive import TagArchiveSpider
from pipelines.dates import DatesPipeline
from pipelines.dedup import DedupPipeline, SeenArticles
from pipelines.normalize import NormalizePipeline
from pipelines.storage import SQLitePipeline, sqlite_path, upsert_items
from pipelines.validate import ValidatePipeline, missing_fields

ITEM = ArticleItem(
    id="a" * 40,
    url="https://news.example/2021/06/story/",
    title="قمة «جنيف»",
    site="news.example",
    tag="قمة",
    listing_url="https://news.example/tag/x/",
    position=1,
    crawled_at="2021-12-05T09:00:00+00:00",
)


def make(pipeline_cls, **settings):
    crawler = get_crawler(TagArchiveSpider, settings)
    crawler.spider = TagArchiveSpider(url="https://news.example/tag/x/", tz=settings.pop("tz", None))
    return crawler, pipeline_cls.from_crawler(crawler) if hasattr(pipeline_cls, "from_crawler") else pipeline_cls()


def test_normalize_pipeline_cleans_reader_fields_only():
    _, pipeline = make(NormalizePipeline)
    item = replace(ITEM, title=" \u200f«قمة»  ـجنيف ", body="فقرة  أولى\n\nفقرة ثانية", url="https://news.example/«x»")
    pipeline.process_item(item)
    assert item.title == '"قمة" جنيف'
    assert item.body == "فقرة أولى\n\nفقرة ثانية"
    assert item.url == "https://news.example/«x»"  # links are keys, not display text


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"title": None}, "missing_title"),
        ({"url": None}, "missing_url"),
        ({"url": "javascript:void(0)"}, "missing_url"),
    ],
)
def test_validate_drops_and_counts(changes, reason):
    crawler, pipeline = make(ValidatePipeline)
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(replace(ITEM, **changes))
    assert crawler.stats.get_value(f"akhbar/validate/{reason}") == 1
    assert pipeline.process_item(ITEM) is ITEM
    assert missing_fields({"url": "https://x.example/a", "title": "t"}) == []


def test_dates_pipeline_parses_with_the_site_zone_and_counts_misses():
    crawler, pipeline = make(DatesPipeline, tz="Asia/Riyadh")
    pipeline.open_spider()
    good = replace(ITEM, published_raw="منذ 3 ساعات", date_source="listing-text")
    pipeline.process_item(good)
    assert good.published_at == "2021-12-05T09:00:00+03:00"
    bad = replace(ITEM, published_raw="4 حزيران 2021", date_source="listing-text")
    pipeline.process_item(bad)
    assert bad.published_at is None
    assert bad.published_raw == "4 حزيران 2021"  # the raw text survives for a later parser
    assert crawler.stats.get_value("akhbar/dates/unparsed") == 1
    assert crawler.stats.get_value("akhbar/dates/parsed/listing-text") == 1


def test_seen_articles_reasons():
    seen = SeenArticles()
    assert seen.check("https://s.example/a/", "s.example", "قمة جنيف") is None
    assert seen.check("https://s.example/a?utm_source=x", "s.example", "آخر") == ("by_url", "https://s.example/a/")
    assert seen.check("https://s.example/b/", "s.example", "«قمة» جنيف!") == ("by_title", "https://s.example/a/")
    # The same headline on another site is another article.
    assert seen.check("https://other.example/b/", "other.example", "قمة جنيف") is None


def test_dedup_pipeline_first_wins_and_counts_by_reason():
    crawler, pipeline = make(DedupPipeline)
    first = pipeline.process_item(ITEM)
    assert first is ITEM
    with pytest.raises(DropItem, match="by_url"):
        pipeline.process_item(replace(ITEM, url=ITEM.url + "?utm_campaign=x", position=9))
    with pytest.raises(DropItem, match="by_title"):
        pipeline.process_item(replace(ITEM, url="https://news.example/2021/06/other/"))
    assert crawler.stats.get_value("akhbar/dedup/by_url") == 1
    assert crawler.stats.get_value("akhbar/dedup/by_title") == 1


def test_sqlite_path_parsing():
    assert str(sqlite_path("sqlite:///out/akhbar.sqlite3")) == "out/akhbar.sqlite3"
    assert str(sqlite_path("sqlite:////tmp/a.db")) == "/tmp/a.db"
    with pytest.raises(ValueError, match="DATABASE_URL must look like"):
        sqlite_path("postgres://x/y")


def test_sqlite_pipeline_upserts_in_batches(tmp_path):
    db = tmp_path / "sub" / "a.sqlite3"
    crawler, pipeline = make(SQLitePipeline, DATABASE_URL=f"sqlite:///{db}", AKHBAR_DB_BATCH_SIZE=2)
    pipeline.open_spider()
    pipeline.process_item(ITEM)
    assert crawler.stats.get_value("akhbar/storage/rows") is None  # still buffered
    pipeline.process_item(replace(ITEM, id="b" * 40, url="https://news.example/b/"))
    assert crawler.stats.get_value("akhbar/storage/rows") == 2
    pipeline.process_item(replace(ITEM, excerpt="ملخص جديد"))  # same id again
    pipeline.close_spider()
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id, title, excerpt, position FROM items ORDER BY id").fetchall()
    assert rows == [("a" * 40, "قمة «جنيف»", "ملخص جديد", 1), ("b" * 40, "قمة «جنيف»", None, 1)]


def test_upsert_keeps_first_seen_and_known_values(tmp_path):
    from pipelines.storage import connect

    conn = connect(tmp_path / "s.sqlite3")
    upsert_items(conn, [{"id": "x", "url": "u", "title": "t", "author": "كاتب"}], "2021-01-01T00:00:00+00:00")
    upsert_items(conn, [{"id": "x", "url": "u", "title": "t2", "author": None}], "2021-02-01T00:00:00+00:00")
    row = conn.execute("SELECT title, author, first_seen, last_seen FROM items").fetchone()
    assert row == ("t2", "كاتب", "2021-01-01T00:00:00+00:00", "2021-02-01T00:00:00+00:00")


def test_sqlite_failure_is_counted_and_logged_not_raised(tmp_path, caplog):
    db = tmp_path / "locked.sqlite3"
    crawler, pipeline = make(SQLitePipeline, DATABASE_URL=f"sqlite:///{db}", AKHBAR_DB_BATCH_SIZE=1)
    pipeline.open_spider()
    locker = sqlite3.connect(db, timeout=0)
    locker.execute("BEGIN EXCLUSIVE")
    pipeline.conn.execute("PRAGMA busy_timeout=50")
    pipeline.process_item(ITEM)
    locker.rollback()
    assert crawler.stats.get_value("akhbar/storage/failed_rows") == 1
    assert "could not store 1 items" in caplog.text
