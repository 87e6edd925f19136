"""Deduplication: the same article once, within a run and across runs.

Two items are the same article when their URL keys (hence ids) match, or when a
different URL on the same site carries the same title key within
``AKHBAR_DEDUP_TITLE_WINDOW_DAYS`` (a republished story; the window keeps daily
headlines such as «أسعار الذهب اليوم» apart). The first item wins.

This run's keys are kept in memory (they grow with the run); every earlier
run's keys are asked of the store on disk, so memory does not grow with the
store. An article met again under another tag adds that tag to its stored row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from pipelines.base import CrawlerPipeline
from pipelines.keys import title_key
from pipelines.storage import StoreService


def day_of(value: str | None) -> date | None:
    """The calendar day of an ISO date or datetime, as the page stated it."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None


def within_window(a: str | None, b: str | None, window: timedelta) -> bool:
    """Whether two copies are close enough in time to be one story; unknown days count as close."""
    day_a, day_b = day_of(a), day_of(b)
    if day_a is None or day_b is None:
        return True
    return abs(day_a - day_b) <= window


@dataclass
class RunKeys:
    """What this run has kept: ids with their tags, and title keys with their day."""

    tags: dict[str, set[str]] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    titles: dict[tuple[str, str], list[tuple[str, str | None]]] = field(default_factory=dict)

    def title_match(self, site: str, key: str | None, when: str | None, window: timedelta) -> str | None:
        """URL of a kept item with this title on this site within the window, if any."""
        if key is None:
            return None
        return next((url for url, day in self.titles.get((site, key), ()) if within_window(day, when, window)), None)

    def keep(self, item_id: str, url: str, site: str, key: str | None, when: str | None, tag: str | None) -> None:
        self.urls[item_id] = url
        self.tags[item_id] = {tag} if tag else set()
        if key is not None:
            self.titles.setdefault((site, key), []).append((url, when))


class DedupPipeline(CrawlerPipeline):
    """Drops repeats, counted by reason: ``akhbar/dedup/by_url``, ``by_title``, ``seen_before``.

    Without ``-a incremental=true`` an article stored by an earlier run is kept
    (the feed is a full snapshot) and counted as ``akhbar/dedup/known``; with
    it, such an article is dropped as ``seen_before`` after its row is marked
    seen again.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.service = StoreService.for_crawler(crawler)
        self.window = timedelta(days=crawler.settings.getfloat("AKHBAR_DEDUP_TITLE_WINDOW_DAYS", 7))
        self.run = RunKeys()
        self.incremental = False

    def open_spider(self) -> None:
        self.incremental = bool(getattr(self.crawler.spider, "incremental", False))
        self.service.open()

    def _drop(self, reason: str, url: str, first: str) -> DropItem:
        self.stats.inc_value(f"akhbar/dedup/{reason}")
        # Scrapy logs the drop; DEBUG because repeats are normal on archives.
        return DropItem(f"duplicate {reason}: {url} repeats {first}", log_level="DEBUG")

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        item_id, url, site, tag = adapter["id"], adapter["url"], adapter.get("site") or "", adapter.get("tag")
        key = title_key(adapter.get("title"))
        when = adapter.get("published_at") or adapter.get("crawled_at")

        if item_id in self.run.urls:
            if tag and tag not in self.run.tags[item_id]:
                self.run.tags[item_id].add(tag)
                self.service.touch(item_id, tag)
            raise self._drop("by_url", url, self.run.urls[item_id])
        first = self.run.title_match(site, key, when, self.window)
        if first is not None:
            raise self._drop("by_title", url, first)

        stored = self.service.matches(item_id, site, key)
        if any(other_id == item_id for other_id, *_ in stored):
            self.run.keep(item_id, url, site, key, when, tag)
            self.stats.inc_value("akhbar/dedup/known")
            if self.incremental:
                self.service.touch(item_id, tag)
                raise self._drop("seen_before", url, url)
            return item
        for other_id, other_url, published, crawled in stored:
            if within_window(published or crawled, when, self.window):
                self.service.touch(other_id, tag)
                raise self._drop("by_title", url, other_url)
        self.run.keep(item_id, url, site, key, when, tag)
        self.stats.inc_value("akhbar/dedup/new")
        return item
