"""Storage: every item that survived dedup goes to the crawl's store (``crawler.store_extension``)."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.store_extension import running_store
from pipelines.base import CrawlerPipeline


class StoragePipeline(CrawlerPipeline):
    """Upserts every item into ``DATABASE_URL`` through the store extension's batches."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.store = running_store(crawler)

    def close_spider(self) -> None:
        # The last batch is written before spider_closed handlers (the run manifest) read the stats.
        self.store.flush()

    def process_item(self, item: object) -> object:
        # dict(adapter), not adapter.asdict(): asdict recurses into every value (30 µs an item).
        self.store.add(dict(ItemAdapter(item)))
        return item
