"""The dates pipeline: ``published_*`` and ``modified_*`` (at, date, precision) from raw text, all counted.

The reading is :func:`crawler.dates.read_date` (pure, no Scrapy; see that package and
docs/dates.md). Text is read in the site's date order, relative to the response's fetch time,
never to the clock. Anything partial or unknown is ``None``: a wrong date is worse than no date.
Each null is counted by why (``akhbar/dates/partial``: a date word the reader could not
explain; ``span``, ``ambiguous``, ``invalid``, ``conflict``, ``no-date``).

dateparser is no longer on this path, not even as a fallback. Measured on the 370
hand-written cases of tests/data/arabic_dates.tsv (``python bench/dates.py --battery``):
this reader gets 370 right; dateparser 1.5 (``languages=['ar']``, DMY, RELATIVE_BASE)
gets 179 right, 24 wrong and misses 167. On the 50 texts this reader leaves empty (their
truth is "cannot tell") dateparser answers 19, all wrong: a fallback could only add
wrong dates. (On 20,000 generated texts: 100% here, 18% for dateparser; bench/README.md.)

``python -m pipelines.dates`` is kept as an alias of ``python -m crawler.dates``: other tools call it.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from crawler.dates import ORDERS, DateValue, Unread, load_timezone, read_date, resolve_date
from crawler.dates.cli import main
from crawler.dates.fields import date_fields, in_future
from pipelines.base import CrawlerPipeline

if TYPE_CHECKING:
    from datetime import tzinfo

    from scrapy.crawler import Crawler


class DatesPipeline(CrawlerPipeline):
    """Fills the ``published_*`` and ``modified_*`` fields from their raw text and counts every outcome."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.tz: tzinfo | None = None
        self.order = crawler.settings.get("AKHBAR_DATE_ORDER")

    def open_spider(self) -> None:
        # The site's zone and date order come from -a tz= / -a date_order= or its profile;
        # AKHBAR_TIMEZONE and AKHBAR_DATE_ORDER are the crawl's defaults.
        spider = self.crawler.spider
        name = getattr(spider, "tz", None) or self.crawler.settings.get("AKHBAR_TIMEZONE")
        self.tz = load_timezone(name)
        self.order = getattr(spider, "date_order", None) or self.crawler.settings.get("AKHBAR_DATE_ORDER")
        if self.order not in ORDERS:
            raise ValueError(f"date order must be one of {', '.join(ORDERS)}, not {self.order!r}")

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        fetched_at = datetime.fromisoformat(adapter["crawled_at"])
        modified = adapter.get("modified_raw")
        if modified:
            # Article pages take modification times from JSON-LD or meta first: try ISO, then text.
            value = resolve_date(modified, "meta", fetched_at, self.tz, self.order)
            self._fill(adapter, "modified", value, modified)
            if value is None:
                self.stats.inc_value("akhbar/dates/modified_unparsed")
        raw = adapter.get("published_raw")
        if not raw:
            self.stats.inc_value("akhbar/dates/missing")
            return item
        source = adapter.get("date_source")
        read = read_date(raw, source, fetched_at, self.tz, self.order)
        value = read.isoformat() if isinstance(read, DateValue) else None
        if in_future(date_fields(value, raw, self.tz), fetched_at):
            # A publication date after tomorrow is a typo or a placeholder: null, raw text kept.
            self.stats.inc_value("akhbar/dates/future")
            value = None
        self._fill(adapter, "published", value, raw)
        if isinstance(read, Unread):
            # Why there is no date: akhbar/dates/partial (a date word left unexplained), span, ambiguous, ...
            self.stats.inc_value("akhbar/dates/unparsed")
            self.stats.inc_value(f"akhbar/dates/unparsed/{source}")
            self.stats.inc_value(f"akhbar/dates/{read.why}")
        else:
            self.stats.inc_value(f"akhbar/dates/parsed/{source}")
        return item

    def _fill(self, adapter: Any, prefix: str, value: str | None, raw: str) -> None:
        """``<prefix>_at``, ``_date`` and ``_precision`` (schema version 2); a time whose zone
        nobody knows keeps only its day, counted as ``akhbar/dates/no_zone``."""
        fields = date_fields(value, raw, self.tz)
        adapter[f"{prefix}_at"], adapter[f"{prefix}_date"], adapter[f"{prefix}_precision"] = fields[:3]
        if fields.no_zone:
            self.stats.inc_value("akhbar/dates/no_zone")


if __name__ == "__main__":
    sys.exit(main())
