"""Display normalization of the reader-facing fields; the rules live in ``crawler.text``."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.text import collapse_whitespace, display_paragraphs, display_text, fold_quotes
from pipelines.base import CrawlerPipeline

TEXT_FIELDS = ("title", "excerpt", "author", "tag")


class NormalizePipeline(CrawlerPipeline):
    """Applies display normalization to the reader-facing fields (``AKHBAR_QUOTE_STYLE`` picks the quotes)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.quotes = crawler.settings.get("AKHBAR_QUOTE_STYLE")
        fold_quotes("", self.quotes)  # a wrong style fails at start-up, not on the first item

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        for field in TEXT_FIELDS:
            if adapter.get(field) is not None:
                adapter[field] = display_text(adapter[field], self.quotes)
        if adapter.get("body") is not None:
            adapter["body"] = display_paragraphs(adapter["body"], self.quotes)
        if adapter.get("article_tags"):
            tags = (display_text(tag, self.quotes) for tag in adapter["article_tags"])
            adapter["article_tags"] = list(dict.fromkeys(tag for tag in tags if tag))
        if adapter.get("published_raw") is not None:
            adapter["published_raw"] = collapse_whitespace(adapter["published_raw"]) or None
        return item
