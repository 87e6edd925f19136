"""Dates as Arabic news pages print them, read into ISO 8601 or ``None`` when they cannot be told.

Pure: no Scrapy. Modules, one concern each:

- :mod:`~crawler.dates.reader`: the text reader (passes over folded text) and its resolution
  against the fetch time; ``ORDERS``, the numeric date orders a site may use;
- :mod:`~crawler.dates.words`: the word tables (months, weekdays, units, zones) and the fold;
- :mod:`~crawler.dates.hijri`: Umm al-Qura to Gregorian;
- :mod:`~crawler.dates.iso`: the one ISO 8601 reader;
- :mod:`~crawler.dates.zones`: time zones, by IANA name or as printed;
- :mod:`~crawler.dates.cli`: ``python -m crawler.dates``, one text a line in, one ISO value out;
- :mod:`~crawler.dates.fields`: what one value becomes in the item (schema version 2): an instant
  with offset or null, the site's day, a precision.

:func:`resolve_date` is the front door: structured values (``<time datetime>``, JSON-LD, meta
tags) are ISO already and keep their offset; one that is not ISO (akhbarelyom.com puts Arabic
text in ``article:published_time``) is read as text. Anything partial or unknown is ``None``:
a wrong date is worse than no date.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from crawler.dates.iso import day_of, parse_iso, parse_structured
from crawler.dates.reader import ORDERS, parse_text
from crawler.dates.zones import load_timezone
from crawler.items import STRUCTURED_DATE_SOURCES

__all__ = [
    "ORDERS",
    "day_of",
    "load_timezone",
    "parse_iso",
    "parse_structured",
    "parse_text",
    "resolve_date",
]


def resolve_date(
    raw: str | None, source: str | None, fetched_at: datetime, tz: tzinfo | None, order: str = "DMY"
) -> str | None:
    """ISO 8601 for one printed date, or ``None`` when it cannot be told."""
    if not raw:
        return None
    if source in STRUCTURED_DATE_SOURCES:
        parsed = parse_structured(raw, tz)
        if parsed is not None:
            return parsed
    return parse_text(raw, fetched_at, tz, order)
