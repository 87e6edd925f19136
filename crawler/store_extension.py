"""The running store: one extension per crawl owns the connection, the write buffer and the retries.

Reach it with ``crawler.get_extension(StoreExtension)``: the storage pipeline
writes through it, the dedup pipeline and the spider (incremental runs) read
through it. It opens the store when the spider opens (an unreachable database
fails the run there, and ``unavailable`` tells the spider not to crawl) and
flushes and closes it when the spider closes.

Writes are buffered and flushed as one transaction when the batch is full
(``AKHBAR_DB_BATCH_SIZE``) or old (``AKHBAR_DB_BATCH_SECONDS``). A failing batch
is retried ``AKHBAR_DB_RETRIES`` times on a new connection; after that its rows
go to a dead-letter JSON Lines file and the run is marked failed, so nothing is
lost silently and ``scrapy crawl`` exits non-zero.

Read-your-writes is part of this component's contract: ``known_ids`` and
``matches`` answer as if every ``add`` and ``touch`` of this run had been
written, flushed or not. Dedup relies on that contract, not on the buffer: the
buffer is one batch at most, the rest of the run is on disk, so dedup keeps no
per-item memory however long the run (bench/dedup.py).
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.asyncio import AsyncioLoopingCall, create_looping_call

from crawler.redaction import redact
from crawler.run_status import mark_failed
from crawler.store import StoredMatch, StoreError, store_from_settings, to_row

if TYPE_CHECKING:
    from twisted.internet.task import LoopingCall

logger = logging.getLogger(__name__)


def utc_now() -> str:
    # Microseconds, so a run can tell its own rows from those of a run a second earlier.
    return datetime.now(UTC).isoformat(timespec="microseconds")


class StoreExtension:
    """The crawl's store connection and write buffer, shared by pipelines and spider."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.url = settings.get("DATABASE_URL")
        self.store = store_from_settings(settings)
        self.batch_size = settings.getint("AKHBAR_DB_BATCH_SIZE")
        self.batch_seconds = settings.getfloat("AKHBAR_DB_BATCH_SECONDS")
        self.retries = settings.getint("AKHBAR_DB_RETRIES")
        self.retry_delay = settings.getfloat("AKHBAR_DB_RETRY_DELAY")
        self.deadletter_dir = Path(settings.get("AKHBAR_DEADLETTER_DIR"))
        self.run_started = utc_now()
        self.rows: dict[str, dict[str, Any]] = {}
        self.touches: list[tuple[str, str | None]] = []
        self._touched: set[str] = set()
        self._titles: dict[tuple[str, str | None], list[str]] = {}  # buffered ids by (site, title key)
        self.opened = False
        self.unavailable = False
        self._last_flush = time.monotonic()
        self._timer: AsyncioLoopingCall | LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open(self) -> None:
        """Connect and migrate once per crawl. An unreachable database fails the run at start:
        logged, counted, and ``unavailable`` tells the spider not to crawl into a store that is down."""
        if self.opened or self.unavailable:
            return
        try:
            self.store.open()
        except StoreError as exc:
            self.unavailable = True
            mark_failed(self.stats, "database_unavailable")
            logger.error("database %s unavailable, nothing will be crawled: %s", redact(self.url), exc)
            return
        self.opened = True
        self._last_flush = time.monotonic()  # a batch's age counts from when it can be written

    def spider_opened(self) -> None:
        """Open the store, and write batches that grow old on a timer of the crawl's own event loop."""
        self.open()
        if self.opened:
            self._timer = create_looping_call(self.flush_if_due)
            self._timer.start(self.batch_seconds, now=False)

    def close(self) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        self.flush()
        self.store.close()
        self.opened = False

    def add(self, item: Mapping[str, Any]) -> None:
        """Buffer an item for upsert; a later copy of the same id in the batch replaces it."""
        row = to_row(item, utc_now())
        if row["id"] not in self.rows and row["title_key"] is not None:
            self._titles.setdefault((row["site"], row["title_key"]), []).append(row["id"])
        self.rows[row["id"]] = row
        if len(self.rows) >= self.batch_size:
            self.flush()

    def touch(self, item_id: str, tag: str | None) -> None:
        """Buffer "seen again", adding ``tag`` to the row's tags if it is new there."""
        self.touches.append((item_id, tag))
        self._touched.add(item_id)
        if len(self.touches) >= self.batch_size:
            self.flush()

    def flush_if_due(self) -> None:
        if time.monotonic() - self._last_flush >= self.batch_seconds:
            self.flush()

    def flush(self) -> None:
        """Write the buffer in one transaction, retrying; dead-letter it if the database stays down."""
        self._last_flush = time.monotonic()
        if not self.rows and not self.touches:
            return
        rows, touches = list(self.rows.values()), list(self.touches)
        self.rows, self.touches, self._touched, self._titles = {}, [], set(), {}
        for attempt in range(self.retries + 1):
            try:
                if self.store.conn is None:
                    self.store.open()
                written = self.store.write_batch(rows, touches, seen_at=utc_now())
            except StoreError as exc:
                self.stats.inc_value("akhbar/storage/retries")
                logger.warning("storing %d items failed (attempt %d): %s", len(rows), attempt + 1, exc)
                self.store.close()
                if attempt < self.retries:
                    time.sleep(self.retry_delay * (attempt + 1))
            else:
                self.stats.inc_value("akhbar/storage/rows", written)
                self.stats.inc_value("akhbar/storage/batches")
                return
        self._dead_letter(rows, touches)

    def _dead_letter(self, rows: list[dict[str, Any]], touches: list[tuple[str, str | None]]) -> None:
        spider = self.crawler.spider
        name = f"{getattr(spider, 'site', 'crawl')}-{getattr(spider, 'run_id', utc_now())}.jsonl"
        path = self.deadletter_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps({"op": "upsert", "row": row}, ensure_ascii=False) + "\n")
            for item_id, tag in touches:
                out.write(json.dumps({"op": "touch", "id": item_id, "tag": tag}, ensure_ascii=False) + "\n")
        self.stats.inc_value("akhbar/storage/deadletter", len(rows))
        mark_failed(self.stats, "storage")
        logger.error(
            "database %s failed %d times; %d items written to %s instead",
            redact(self.url),
            self.retries + 1,
            len(rows),
            path,
        )

    def _read(self, query: str, *args: Any) -> Any:
        """A lookup with one reconnect; ``None`` when the database cannot answer."""
        for _attempt in range(2):
            try:
                if self.store.conn is None:
                    self.store.open()
                return getattr(self.store, query)(*args)
            except (StoreError, *self.store.dialect.errors()) as exc:
                logger.warning("store lookup failed: %s", exc)
                self.store.close()
        self.stats.inc_value("akhbar/store/lookup_failed")
        return None

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """Ids the store holds, written or still buffered; an unavailable store knows nothing."""
        ids = list(ids)
        known = {i for i in ids if i in self.rows}
        return known | (self._read("known_ids", ids) or set())

    def matches(self, item_id: str, site: str, key: str | None) -> list[tuple[StoredMatch, bool]]:
        """Rows with this id, or with this title on this site, each with whether this run wrote or
        saw it (added, or ``last_seen`` since the run started), flushed or not."""
        buffered = {i: self.rows[i] for i in (item_id, *self._titles.get((site, key), ())) if i in self.rows}
        found = [
            (StoredMatch(i, row["url"], row.get("published_date"), row.get("crawled_at"), row["last_seen"]), True)
            for i, row in buffered.items()
        ]
        for row in self._read("matches", item_id, site, key) or []:
            if row.id not in buffered:
                found.append((row, row.last_seen >= self.run_started or row.id in self._touched))
        return found

    def template(self, host: str) -> str | None:
        """The listing template a run learnt for ``host``; ``None`` when none or the store cannot answer."""
        return self._read("template", host)

    def save_template(self, host: str, template: str) -> None:
        """Keep ``host``'s learnt template for the next run. One row per host and layout change,
        so it is written at once; a failure only costs the next run a page 1 of learning."""
        try:
            if self.store.conn is None:
                self.store.open()
            self.store.save_template(host, template, utc_now())
        except StoreError as exc:
            self.stats.inc_value("akhbar/template/save_failed")
            logger.warning("keeping the listing template of %s failed: %s", host, exc)
            self.store.close()


def running_store(crawler: Crawler) -> StoreExtension:
    """This crawl's store; a clear error when ``EXTENSIONS`` lacks it (the pipelines cannot work without)."""
    store = crawler.get_extension(StoreExtension)
    if store is None:
        raise RuntimeError("the storage and dedup pipelines need crawler.store_extension.StoreExtension in EXTENSIONS")
    return store
