"""Deduplication: the same article once, within a run and across runs.

Two items are the same article when their URL keys (hence ids) match, or when a
different URL on the same site carries the same title key within
``AKHBAR_DEDUP_TITLE_WINDOW_DAYS`` (a republished story; the window keeps daily
headlines such as «أسعار الذهب اليوم» apart). The first item wins.

Every key is asked of the crawl's store (``crawler.store_extension``), which
also tells whether this run or an earlier one stored the article. The store
answers for this run's items whether or not their batch is written yet (its
read-your-writes contract), so dedup holds no per-item state and memory grows
with neither the run nor the store. This needs the storage pipeline after dedup
(``ITEM_PIPELINES``): what dedup passes is what the store holds. An article met
again under another tag adds that tag to its stored row.
"""

from __future__ import annotations

from datetime import timedelta

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.dates import day_of
from crawler.store_extension import running_store
from crawler.text import title_key
from pipelines.base import CrawlerPipeline


def within_window(a: str | None, b: str | None, window: timedelta) -> bool:
    """Whether two copies are close enough in time to be one story; unknown days count as close."""
    day_a, day_b = day_of(a), day_of(b)
    if day_a is None or day_b is None:
        return True
    return abs(day_a - day_b) <= window


class DedupPipeline(CrawlerPipeline):
    """Drops repeats, counted by reason: ``akhbar/dedup/by_url``, ``by_title``, ``seen_before``.

    Without ``-a incremental=true`` an article stored by an earlier run is kept
    (the feed is a full snapshot) and counted as ``akhbar/dedup/known``; with
    it, such an article is dropped as ``seen_before`` after its row is marked
    seen again.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.store = running_store(crawler)
        self.window = timedelta(days=crawler.settings.getfloat("AKHBAR_DEDUP_TITLE_WINDOW_DAYS"))
        self.incremental = False

    def open_spider(self) -> None:
        self.incremental = bool(getattr(self.crawler.spider, "incremental", False))

    def _drop(self, reason: str, url: str, first: str) -> DropItem:
        self.stats.inc_value(f"akhbar/dedup/{reason}")
        # Scrapy logs the drop; DEBUG because repeats are normal on archives.
        return DropItem(f"duplicate {reason}: {url} repeats {first}", log_level="DEBUG")

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        item_id, url, site, tag = adapter["id"], adapter["url"], adapter.get("site") or "", adapter.get("tag")
        key = title_key(adapter.get("title"))
        when = adapter.get("published_date") or adapter.get("crawled_at")
        matches = self.store.matches(item_id, site, key)
        same = next(((row, this_run) for row, this_run in matches if row.id == item_id), None)
        if same is not None:
            row, this_run = same
            if this_run:
                self.store.touch(item_id, tag)  # adds the tag if this copy came from another tag
                raise self._drop("by_url", url, row.url)
            self.stats.inc_value("akhbar/dedup/known")
            if self.incremental:
                self.store.touch(item_id, tag)
                raise self._drop("seen_before", url, url)
            return item
        for row, _this_run in matches:
            if within_window(row.published_date or row.crawled_at, when, self.window):
                self.store.touch(row.id, tag)
                raise self._drop("by_title", url, row.url)
        self.stats.inc_value("akhbar/dedup/new")
        return item
