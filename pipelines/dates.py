"""Turn the date an entry printed into ISO 8601, or ``None`` when it cannot be told.

Structured values (``<time datetime>``, JSON-LD, meta tags) are ISO already and
keep their offset. Visible text goes through dateparser with ``languages=['ar']``,
day first, relative to the response's fetch time; this is the interim text
parser until akhbar's own Arabic date parser replaces it. Anything partial
(month only) or unparsed is ``None``: a wrong date is worse than no date.
"""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateparser.date import DateDataParser
from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from crawler.items import STRUCTURED_DATE_SOURCES
from pipelines.base import CrawlerPipeline

# Words that make a text relative to the fetch time rather than to a calendar.
_RELATIVE = re.compile(r"منذ|قبل|أمس|الأمس|البارحة|اليوم|الآن")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load_timezone(name: str | None) -> tzinfo | None:
    """A ``ZoneInfo`` for an IANA name; a clear error for a wrong one."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as 'Asia/Riyadh'") from exc


def _format(value: datetime, tz: tzinfo | None) -> str:
    if value.tzinfo is None and tz is not None:
        value = value.replace(tzinfo=tz)
    return value.replace(microsecond=0).isoformat()


def parse_structured(raw: str, tz: tzinfo | None) -> str | None:
    """ISO 8601 from a machine-readable attribute; ``None`` if it is not ISO."""
    text = raw.strip()
    if _ISO_DATE.match(text):
        return date.fromisoformat(text).isoformat()
    try:
        value = datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    return _format(value, tz)


@lru_cache(maxsize=256)
def _text_parser(base: datetime) -> DateDataParser:
    # One parser per reference instant: RELATIVE_BASE is fixed at construction.
    return DateDataParser(
        languages=["ar"],
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DATES_FROM": "past",
            "RETURN_TIME_AS_PERIOD": True,
            "RELATIVE_BASE": base,
        },
    )


def parse_text(raw: str, fetched_at: datetime, tz: tzinfo | None) -> str | None:
    """A date printed for readers, resolved against the fetch time."""
    local_now = fetched_at.astimezone(tz) if tz is not None else fetched_at
    data = _text_parser(local_now.replace(tzinfo=None, microsecond=0)).get_date_data(raw)
    if data.date_obj is None or data.period not in {"day", "time"}:
        return None
    if data.period == "day":
        return data.date_obj.date().isoformat()
    if data.date_obj.tzinfo is None and _RELATIVE.search(raw):
        # A relative time is an instant counted from the fetch: it has the fetch's zone.
        return _format(data.date_obj, local_now.tzinfo)
    return _format(data.date_obj, tz)


def resolve_date(raw: str | None, source: str | None, fetched_at: datetime, tz: tzinfo | None) -> str | None:
    """ISO 8601 for one printed date, or ``None`` when it cannot be told."""
    if not raw:
        return None
    if source in STRUCTURED_DATE_SOURCES:
        parsed = parse_structured(raw, tz)
        if parsed is not None:
            return parsed
    return parse_text(raw, fetched_at, tz)


class DatesPipeline(CrawlerPipeline):
    """Fills ``published_at`` from ``published_raw`` and counts every outcome."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.tz: tzinfo | None = None

    def open_spider(self) -> None:
        # The spider's -a tz= names the site's zone; AKHBAR_TIMEZONE is the crawl's default.
        name = getattr(self.crawler.spider, "tz", None) or self.crawler.settings.get("AKHBAR_TIMEZONE")
        self.tz = load_timezone(name)

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        raw = adapter.get("published_raw")
        if not raw:
            self.stats.inc_value("akhbar/dates/missing")
            return item
        source = adapter.get("date_source")
        fetched_at = datetime.fromisoformat(adapter["crawled_at"])
        adapter["published_at"] = resolve_date(raw, source, fetched_at, self.tz)
        if adapter["published_at"] is None:
            self.stats.inc_value("akhbar/dates/unparsed")
            self.stats.inc_value(f"akhbar/dates/unparsed/{source}")
        else:
            self.stats.inc_value(f"akhbar/dates/parsed/{source}")
        return item
