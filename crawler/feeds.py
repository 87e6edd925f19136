"""Per-run JSON Lines feeds that a consumer never sees half-written.

Each run writes ``out/feeds/<site>/<tag>/<run start>.jsonl`` (``AKHBAR_FEED_URI``)
under a temporary ``.part`` name and renames it when the run closes, then
writes ``latest.json`` beside it: run id, start and end, counts, feed path and
finish reason. An empty run writes no feed (earlier feeds stay) but still
records itself in ``latest.json``.

``scrapy crawl ... -O file.jsonl`` must behave as Scrapy users expect (only that
file), so the default feed is added by an add-on only when ``FEEDS`` is empty,
rather than declared in settings.py where Scrapy would merge both.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exporters import JsonLinesItemExporter
from scrapy.extensions.feedexport import FeedSlot, FileFeedStorage
from scrapy.settings import Settings

from crawler.run_status import run_failures
from crawler.runs import archive_counts, relative_to, write_json


class DefaultFeedAddon:
    """Adds ``AKHBAR_FEED_URI`` as a UTF-8 JSON Lines feed when no feed is configured."""

    def update_settings(self, settings: Settings) -> None:
        uri = settings.get("AKHBAR_FEED_URI")
        if uri and not settings.getdict("FEEDS"):
            # "overwrite": each run names a new file, and it makes the storage write .part then rename.
            feed = {"format": "jsonlines", "encoding": "utf-8", "overwrite": True}
            settings.set("FEEDS", {uri: feed}, priority="addon")


class JsonLinesExporter(JsonLinesItemExporter):
    """Scrapy's JSON Lines exporter with a fast path for plain dict items.

    The stock exporter wraps each item in an ItemAdapter and runs a serializer
    per field, about a millisecond per 20-item listing page in bench/crawl.py;
    akhbar's items are dicts of strings, numbers and ``None``, which the JSON
    encoder writes directly. Anything else goes the stock way.
    """

    def export_item(self, item: Any) -> None:
        if self.fields_to_export is None and type(item) is dict:
            self.file.write((self.encoder.encode(item) + "\n").encode(self.encoding or "utf-8"))
        else:
            super().export_item(item)


class AtomicFileFeedStorage(FileFeedStorage):
    """Writes ``<path>.part`` and renames it to ``<path>`` only once the feed is complete.

    Appending feeds (``-o``) keep Scrapy's in-place behaviour: appending to a
    copy would cost a full copy of the file on every run.
    """

    def open(self, spider: Spider) -> IO[bytes]:
        if self.write_mode == "ab":
            return super().open(spider)
        final = Path(self.path)
        final.parent.mkdir(parents=True, exist_ok=True)
        return final.with_name(final.name + ".part").open("wb")

    def store(self, file: IO[bytes]) -> None:
        file.close()
        if self.write_mode == "wb":
            final = Path(self.path)
            os.replace(final.with_name(final.name + ".part"), final)


def manifest(stats: dict[str, Any], spider: Spider, feed: str | None, ended: datetime, folder: Path) -> dict[str, Any]:
    """The ``latest.json`` record of one run; ``feed`` is named relative to ``folder``, where it lives."""
    started = stats.get("start_time")
    return {
        "run_id": getattr(spider, "run_id", None),
        "site": getattr(spider, "site", None),
        "tag": getattr(spider, "tag", None),
        "start": started.isoformat(timespec="seconds") if isinstance(started, datetime) else None,
        "end": ended.isoformat(timespec="seconds"),
        "finish_reason": stats.get("finish_reason"),
        "failures": run_failures(stats),
        "feed": relative_to(folder, feed),
        "counts": archive_counts(stats),
    }


class RunManifest:
    """Writes ``latest.json`` next to the default feed when the engine stops."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.template = crawler.settings.get("AKHBAR_FEED_URI")
        self.feed: str | None = None
        crawler.signals.connect(self.slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunManifest:
        return cls(crawler)

    def slot_closed(self, slot: FeedSlot) -> None:
        # The default feed, else the first one the command line named (-o/-O), for the run report.
        if slot.uri_template == self.template or self.feed is None:
            self.feed = slot.uri

    def engine_stopped(self) -> None:
        spider = self.crawler.spider
        if not self.template or spider is None or self.template not in self.crawler.settings.getdict("FEEDS"):
            return
        folder = Path(self.template % {**vars(type(spider)), **vars(spider), "time": "x"}).parent
        folder.mkdir(parents=True, exist_ok=True)
        record = manifest(self.crawler.stats.get_stats(), spider, self.feed, datetime.now(UTC), folder)
        write_json(folder / "latest.json", record)  # a per-process temporary name: two crawls may finish at once
