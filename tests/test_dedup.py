"""Dedup within a run and across runs, on the real store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from scrapy.exceptions import DropItem

from crawler.items import ArticleItem, new_item
from crawler.store_extension import StoreExtension
from crawler.urls import item_id
from pipelines.dedup import DedupPipeline, within_window
from pipelines.storage import StoragePipeline
from tests.support import make_crawler

WEEK = timedelta(days=7)


def article(url: str, title: str, tag: str = "قمة", published: str | None = "2021-06-16") -> ArticleItem:
    return new_item(
        id=item_id(url),
        url=url,
        title=title,
        published_date=published,
        site="news.example",
        tag=tag,
        crawled_at="2021-06-17T09:00:00+00:00",
    )


A = article("https://news.example/a/", "قمة جنيف بين بايدن وبوتين")


def replace(item: ArticleItem, **fields) -> ArticleItem:
    return {**item, **fields}


def test_within_window():
    assert within_window("2021-06-16", "2021-06-20T10:00:00+03:00", WEEK)
    assert not within_window("2021-06-01", "2021-06-20", WEEK)
    assert within_window(None, "2021-06-20", WEEK)  # unknown day: same story


class Run:
    """One crawl's dedup and storage pipelines over a shared database."""

    def __init__(self, db, incremental: bool = False, batch: int = 500):
        settings = {
            "DATABASE_URL": f"sqlite:///{db}",
            "AKHBAR_DB_BATCH_SECONDS": 60,
            "AKHBAR_DB_BATCH_SIZE": batch,
            "AKHBAR_DEADLETTER_DIR": str(db.parent / "deadletter"),
        }
        self.crawler = make_crawler(settings, incremental=incremental)
        self.store = self.crawler.get_extension(StoreExtension)
        self.dedup = DedupPipeline.from_crawler(self.crawler)
        self.storage = StoragePipeline.from_crawler(self.crawler)
        self.store.open()  # what the spider_opened signal does in a crawl
        self.dedup.open_spider()

    def feed(self, *items: ArticleItem) -> list[str]:
        kept = []
        for item in items:
            try:
                self.storage.process_item(self.dedup.process_item(dict(item)))
                kept.append(item["url"])
            except DropItem:
                pass
        return kept

    def close(self) -> dict:
        self.storage.close_spider()
        self.store.close()
        return self.crawler.stats.get_stats()


def test_in_run_first_copy_wins_and_drops_are_counted(tmp_path):
    run = Run(tmp_path / "db.sqlite3")
    kept = run.feed(
        A,
        replace(A, url=A["url"] + "?utm_source=x"),  # same id after canonicalization
        article("https://news.example/a-republished/", "«قمة» جنيف بين بايدن و‌بوتين!"),
        article("https://news.example/b/", "خبر آخر"),
    )
    stats = run.close()
    assert kept == [A["url"], "https://news.example/b/"]
    assert (stats["akhbar/dedup/by_url"], stats["akhbar/dedup/by_title"], stats["akhbar/dedup/new"]) == (1, 1, 2)


def test_daily_headline_outside_window_is_kept(tmp_path):
    run = Run(tmp_path / "db.sqlite3")
    kept = run.feed(
        article("https://news.example/gold-1/", "أسعار الذهب اليوم", published="2021-06-01"),
        article("https://news.example/gold-2/", "أسعار الذهب اليوم", published="2021-06-20"),
    )
    run.close()
    assert len(kept) == 2


def test_second_run_finds_nothing_new_and_incremental_emits_nothing(tmp_path):
    db = tmp_path / "db.sqlite3"
    first = Run(db)
    first.feed(A, article("https://news.example/b/", "خبر آخر"))
    first.close()

    snapshot = Run(db)  # a plain run re-emits known items: its feed is a full snapshot
    assert len(snapshot.feed(A, article("https://news.example/b/", "خبر آخر"))) == 2
    stats = snapshot.close()
    assert stats["akhbar/dedup/known"] == 2
    assert "akhbar/dedup/new" not in stats

    incremental = Run(db, incremental=True)
    assert incremental.feed(A, article("https://news.example/c/", "خبر جديد")) == ["https://news.example/c/"]
    stats = incremental.close()
    assert (stats["akhbar/dedup/seen_before"], stats["akhbar/dedup/new"]) == (1, 1)


def test_republished_story_in_a_later_run_is_a_title_duplicate(tmp_path):
    db = tmp_path / "db.sqlite3"
    first = Run(db)
    first.feed(A)
    first.close()
    later = Run(db)
    assert later.feed(article("https://news.example/a-copy/", "قمة جنيف بين بايدن وبوتين", tag="جنيف")) == []
    assert later.close()["akhbar/dedup/by_title"] == 1


def test_one_article_under_several_tags_is_one_row_with_every_tag(tmp_path):
    db = tmp_path / "db.sqlite3"
    run = Run(db)
    run.feed(A, replace(A, tag="جنيف"), replace(A, tag="قمة"))
    run.close()
    later = Run(db, incremental=True)
    later.feed(replace(A, tag="روسيا"))
    later.close()
    store = Run(db).store
    rows = list(store.store.rows_since(0))
    assert [(r["id"], r["tags"]) for r in rows] == [(A["id"], ["قمة", "جنيف", "روسيا"])]
    store.close()


def test_the_store_is_the_runs_memory_across_batches(tmp_path):
    run = Run(tmp_path / "db.sqlite3", batch=2)
    first = [article(f"https://news.example/{i}/", f"خبر رقم {i}") for i in range(5)]
    assert len(run.feed(*first)) == 5
    assert len(run.store.rows) < 2  # flushed: nothing per item is held in memory
    # Copies of flushed items are still this run's duplicates, not articles "known" from before.
    assert run.feed(replace(first[0], tag="جنيف"), article("https://news.example/0-copy/", "خبر رقم 1")) == []
    stats = run.close()
    assert (stats["akhbar/dedup/by_url"], stats["akhbar/dedup/by_title"], stats["akhbar/dedup/new"]) == (1, 1, 5)
    assert "akhbar/dedup/known" not in stats
    later = Run(tmp_path / "db.sqlite3")
    later.feed(first[0])
    assert later.close()["akhbar/dedup/known"] == 1  # an earlier run's article is known, not a repeat


def test_titles_without_letters_are_still_deduplicated_by_url(tmp_path):
    run = Run(tmp_path / "db.sqlite3")
    symbols = replace(A, title="«؟!»")  # no title key to match on
    assert run.feed(symbols) == [A["url"]]
    with pytest.raises(DropItem, match="by_url"):
        run.dedup.process_item(dict(symbols))
    run.close()
