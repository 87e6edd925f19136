"""Turn the date an entry printed into ISO 8601, or ``None`` when it cannot be told.

Structured values (``<time datetime>``, JSON-LD, meta tags) are ISO already and keep
their offset; one that is not ISO (akhbarelyom.com puts Arabic text in
``article:published_time``) is read as text. Text goes through akhbar's own reader
(:mod:`pipelines.date_text`, words in :mod:`pipelines.arabic_dates`, Hijri in
:mod:`pipelines.hijri`), day first unless the site's order says otherwise, relative to
the response's fetch time and never to the clock. Anything partial or unknown is
``None``: a wrong date is worse than no date.

dateparser is no longer on this path, not even as a fallback. Measured on the 370
hand-written cases of tests/data/arabic_dates.tsv (``python bench/dates.py --battery``):
this reader gets 370 right; dateparser 1.5 (``languages=['ar']``, DMY, RELATIVE_BASE)
gets 179 right, 24 wrong and misses 167. On the 50 texts this reader leaves empty (their
truth is "cannot tell") dateparser answers 19, all wrong: a fallback could only add
wrong dates. (On 20,000 generated texts: 100% here, 18% for dateparser; bench/README.md.)

As a command, one date text per line on stdin, one ISO value (or an empty line) out::

    python -m pipelines.dates --now 2021-12-07T15:00:00+03:00 [--tz Asia/Riyadh] [--order DMY]
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, NoReturn, TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.dates.fields import date_fields
from crawler.items import STRUCTURED_DATE_SOURCES
from pipelines.base import CrawlerPipeline
from pipelines.date_text import ORDERS, parse_structured, parse_text

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

__all__ = [
    "ORDERS",
    "DatesPipeline",
    "load_timezone",
    "main",
    "parse_structured",
    "parse_text",
    "resolve_date",
    "write_lines",
]


def load_timezone(name: str | None) -> tzinfo | None:
    """A ``ZoneInfo`` for an IANA name; a clear error for a wrong one."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as 'Asia/Riyadh'") from exc


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


class DatesPipeline(CrawlerPipeline):
    """Fills ``published_at`` and ``modified_at`` from their raw text and counts every outcome."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.tz: tzinfo | None = None
        self.order = "DMY"

    def open_spider(self) -> None:
        # The site's zone and date order come from -a tz= / -a date_order= or its profile;
        # AKHBAR_TIMEZONE is the crawl's default zone.
        spider = self.crawler.spider
        name = getattr(spider, "tz", None) or self.crawler.settings.get("AKHBAR_TIMEZONE")
        self.tz = load_timezone(name)
        self.order = getattr(spider, "date_order", None) or "DMY"
        if self.order not in ORDERS:
            raise ValueError(f"date order must be one of {', '.join(ORDERS)}, not {self.order!r}")

    def process_item(self, item: object) -> object:
        # Imported here so that the command below starts without Scrapy (itemadapter imports it).
        from itemadapter import ItemAdapter

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
        value = resolve_date(raw, source, fetched_at, self.tz, self.order)
        self._fill(adapter, "published", value, raw)
        if value is None:
            self.stats.inc_value("akhbar/dates/unparsed")
            self.stats.inc_value(f"akhbar/dates/unparsed/{source}")
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


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, with errors a script can show as they are."""

    def error(self, message: str) -> NoReturn:
        """One line on stderr and exit status 2, not the usage block."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def _now(value: str) -> datetime:
    """``--now``: an instant with an offset, since its offset is the default zone."""
    try:
        now = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 instant: {value!r}") from None
    if now.tzinfo is None:
        raise argparse.ArgumentTypeError(f"needs an offset, e.g. 2021-12-07T15:00:00+03:00: {value!r}")
    return now


def _zone(value: str) -> tzinfo | None:
    """``--tz``: an IANA zone, checked before any input is read."""
    try:
        return load_timezone(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None) -> int:
    """Read date texts on stdin, one per line; write one ISO value or an empty line per input."""
    parser = _ArgumentParser(
        prog="python -m pipelines.dates",
        description="Arabic news date text -> ISO 8601, one line in, one line out (empty: cannot tell).",
    )
    parser.add_argument("--now", type=_now, required=True, help="reference instant for relative dates, with offset")
    parser.add_argument("--tz", type=_zone, help="IANA zone of printed times (default: the offset of --now)")
    parser.add_argument("--order", type=str.upper, choices=ORDERS, default="DMY", help="numeric date order")
    args = parser.parse_args(argv)
    now, tz, order = args.now, args.tz or args.now.tzinfo, args.order
    for stream in (sys.stdin, sys.stdout):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="replace")
    write_lines((parse_text(line, now, tz, order) or "" for line in sys.stdin), sys.stdout)
    return 0


def write_lines(lines: Iterable[str], out: TextIO, block: int = 4096) -> None:
    """One line per answer: at once on a terminal, else in blocks (one write per line is a syscall per
    line under ``PYTHONUNBUFFERED``, which costs more than parsing). Pipe a whole input, as with grep."""
    if out.isatty() or sys.stdin.isatty():
        for line in lines:
            out.write(line + "\n")
            out.flush()
        return
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= block:
            out.write("\n".join(chunk) + "\n")
            chunk.clear()
    if chunk:
        out.write("\n".join(chunk) + "\n")


if __name__ == "__main__":
    sys.exit(main())
