"""In-run deduplication: the same article once, whichever page or card repeats it.

Two items are the same article when their URL keys match, or when a different
URL on the same site carries the same title key (a republished story). The
first item wins.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.urls import url_key
from pipelines.base import CrawlerPipeline
from pipelines.keys import title_key


class SeenArticles:
    """Remembers the keys of emitted articles and names the reason a new one repeats."""

    def __init__(self) -> None:
        self._urls: dict[str, str] = {}
        self._titles: dict[tuple[str, str], str] = {}

    def check(self, url: str, site: str, title: str | None) -> tuple[str, str] | None:
        """``None`` for a new article, else ``(reason, url of the first copy)``; records new ones."""
        ukey = url_key(url)
        if ukey in self._urls:
            return "by_url", self._urls[ukey]
        tkey = title_key(title)
        if tkey is not None and (site, tkey) in self._titles:
            return "by_title", self._titles[site, tkey]
        self._urls[ukey] = url
        if tkey is not None:
            self._titles[site, tkey] = url
        return None


class DedupPipeline(CrawlerPipeline):
    """Drops repeats; ``akhbar/dedup/by_url`` and ``akhbar/dedup/by_title`` count them."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.seen = SeenArticles()

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        repeat = self.seen.check(adapter["url"], adapter.get("site") or "", adapter.get("title"))
        if repeat is not None:
            reason, first_url = repeat
            self.stats.inc_value(f"akhbar/dedup/{reason}")
            # Scrapy logs the drop; DEBUG because repeats are normal on archives.
            raise DropItem(f"duplicate {reason}: {adapter['url']} repeats {first_url}", log_level="DEBUG")
        return item
