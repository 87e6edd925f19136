"""Display normalization of the reader-facing fields, length caps, and no line separator in any
field (so ``splitlines()`` gives one record a line); the rules live in ``crawler.text``."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.text import (
    cap_length,
    clean_line_separators,
    collapse_whitespace,
    display_paragraphs,
    display_text,
    fold_quotes,
    has_line_separator,
)
from pipelines.base import CrawlerPipeline

TEXT_FIELDS = ("title", "excerpt", "author", "tag")
CAPPED_FIELDS = ("title", "excerpt", "body")  # AKHBAR_MAX_<FIELD>_CHARS
URL_FIELDS = frozenset({"url", "listing_url", "image"})
DISPLAYED = frozenset({*TEXT_FIELDS, "body", "article_tags", "published_raw"})


class NormalizePipeline(CrawlerPipeline):
    """Applies display normalization to the reader-facing fields (``AKHBAR_QUOTE_STYLE`` picks the quotes)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.quotes = crawler.settings.get("AKHBAR_QUOTE_STYLE")
        fold_quotes("", self.quotes)  # a wrong style fails at start-up, not on the first item
        self.caps = {field: crawler.settings.getint(f"AKHBAR_MAX_{field.upper()}_CHARS") for field in CAPPED_FIELDS}

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
        for field, limit in self.caps.items():
            value = adapter.get(field)
            if value is not None and len(value) > limit:
                adapter[field] = cap_length(value, limit)
                self.stats.inc_value(f"akhbar/caps/{field}")
        self._clean_line_separators(adapter)
        return item

    def _clean_line_separators(self, adapter: ItemAdapter) -> None:
        """The fields display rules do not touch (URLs, ids, raw modification dates, ...): the
        display rules already turn U+2028, U+2029 and NEL into spaces in the others."""
        found = False
        for field, value in adapter.items():
            if field in DISPLAYED:
                continue
            if isinstance(value, str) and has_line_separator(value):
                adapter[field] = clean_line_separators(value, url=field in URL_FIELDS)
                found = True
            elif isinstance(value, list) and any(isinstance(v, str) and has_line_separator(v) for v in value):
                adapter[field] = [clean_line_separators(v, url=False) if isinstance(v, str) else v for v in value]
                found = True
        if found:
            self.stats.inc_value("akhbar/normalize/line_separators")
