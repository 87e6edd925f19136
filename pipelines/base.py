"""What every akhbar pipeline gets from Scrapy: its crawler, hence settings and stats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:  # annotations only
    from scrapy.crawler import Crawler


class CrawlerPipeline:
    """Built through ``from_crawler``, the way current Scrapy hands a component its crawler."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)
