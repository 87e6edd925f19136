"""Dates as Arabic news pages print them, read into ISO 8601 or ``None`` when they cannot be told.

Pure: no Scrapy. Modules, one concern each:

- :mod:`~crawler.dates.words`: the word tables (months, weekdays, numbers, units, relative
  words, zones) and the fold;
- :mod:`~crawler.dates.patterns`: the reader's regular expressions, built from the tables;
- :mod:`~crawler.dates.reader`: the reading passes over folded text; ``ORDERS``, the numeric
  date orders a site may use;
- :mod:`~crawler.dates.resolve`: a reading's meaning against the fetch time and the site's zone;
- :mod:`~crawler.dates.value`: what comes out, :class:`DateValue` or :class:`Unread` (why not);
- :mod:`~crawler.dates.hijri`: Umm al-Qura to Gregorian;
- :mod:`~crawler.dates.iso`: the one ISO 8601 reader;
- :mod:`~crawler.dates.zones`: time zones, by IANA name or as printed;
- :mod:`~crawler.dates.cli`: ``python -m crawler.dates``, one text a line in, one ISO value out;
- :mod:`~crawler.dates.fields`: what one value becomes in the item (schema version 2): an instant
  with offset or null, the site's day, a precision.

:func:`read_date` is the front door: structured values (``<time datetime>``, JSON-LD, meta
tags) are ISO already and keep their offset; one that is not ISO (akhbarelyom.com puts Arabic
text in ``article:published_time``) is read as text. A text that says more than the reader
understood is :class:`Unread`, never a guess from half of it.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from crawler.dates.iso import day_of, parse_iso, parse_structured, structured_value
from crawler.dates.reader import ORDERS
from crawler.dates.resolve import parse_text, read_text
from crawler.dates.value import DateValue, Unread
from crawler.dates.zones import load_timezone
from crawler.items import STRUCTURED_DATE_SOURCES

__all__ = [
    "ORDERS",
    "DateValue",
    "Unread",
    "day_of",
    "load_timezone",
    "parse_iso",
    "parse_structured",
    "parse_text",
    "read_date",
    "read_text",
    "resolve_date",
]


def read_date(
    raw: str | None, source: str | None, fetched_at: datetime, tz: tzinfo | None, order: str = "DMY"
) -> DateValue | Unread:
    """What one printed date means, or why it cannot be told."""
    if not raw:
        return Unread("no_date")
    if source in STRUCTURED_DATE_SOURCES:
        value = structured_value(raw, tz)
        if value is not None:
            return value
    return read_text(raw, fetched_at, tz, order)


def resolve_date(
    raw: str | None, source: str | None, fetched_at: datetime, tz: tzinfo | None, order: str = "DMY"
) -> str | None:
    """ISO 8601 for one printed date, or ``None`` when it cannot be told."""
    value = read_date(raw, source, fetched_at, tz, order)
    return value.isoformat() if isinstance(value, DateValue) else None
