"""One worker of a distributed run: keeps its leases alive, acknowledges finished work, ends the run.

Every ``AKHBAR_LEASE_SECONDS / 3`` it renews the leases it holds, and acknowledges the
entries whose work is done once the store has written their items (a flush first: an
acknowledged entry is never redone, so its items must be on disk). When Redis goes
away it stops taking work and closes the spider; the store writes its buffer on close,
the run is marked failed, and the same command resumes it later. The worker whose
close finds the queue empty ends the run: the queue and fingerprints are deleted, and
the run's summed stats stay under ``<prefix>:stats`` for a week.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import Any, Self

from redis import Redis
from redis.exceptions import RedisError
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from crawler.distributed.leases import LeaseBook, entry_of
from crawler.distributed.queue import LeasedStreamQueue
from crawler.distributed.run import RunKeys
from crawler.distributed.serialization import RejectedEntry
from crawler.run_status import RUN_FAILED, mark_failed
from crawler.store_extension import StoreExtension

logger = logging.getLogger(__name__)


def where(server: Redis) -> str:
    """``host:port/db`` of a client, never its password."""
    kwargs = server.connection_pool.connection_kwargs
    return f"{kwargs.get('host', '?')}:{kwargs.get('port', '?')}/{kwargs.get('db', 0)}"


class DistributedWorker:
    """The extension that owns this worker's leases; the scheduler reports to it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.lease_seconds = crawler.settings.getfloat("AKHBAR_LEASE_SECONDS")
        self.consumer = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.book = LeaseBook()
        self.queue: LeasedStreamQueue | None = None
        self.keys: RunKeys | None = None
        self._pushed: dict[str, int] = {}  # counts already added to the run's sums
        self.lost = False
        self.already_done = False  # this archive's run was finished before this worker came
        self._timer = task.LoopingCall(self.tick)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.item_done, signal=signal)
        crawler.signals.connect(self.opened, signal=signals.spider_opened)
        crawler.signals.connect(self.closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def attach(self, queue: LeasedStreamQueue, keys: RunKeys) -> None:
        """Called by the scheduler once its queue exists."""
        self.queue, self.keys = queue, keys
        try:
            self.already_done = keys.finished(queue.server)
            if not self.already_done:
                queue.join(self.consumer, self.lease_seconds)
        except RedisError as exc:
            self.redis_lost(exc)

    def opened(self) -> None:
        store = self.crawler.get_extension(StoreExtension)
        store.open()  # idempotent; whichever spider_opened handler runs first connects
        if store.unavailable:
            # Taking work from the queue would only fill the dead-letter file.
            self._close("database_unavailable")
            return
        if self.already_done:
            logger.info("run %s was finished by other workers: nothing to do", self.keys.base if self.keys else "?")
            return
        logger.info("distributed worker %s on Redis %s, lease %gs", self.consumer, self.where(), self.lease_seconds)
        self._timer.start(self.lease_seconds / 3, now=False)

    def where(self) -> str:
        return where(self.queue.server) if self.queue is not None else "?"

    def item_done(self, item: Any, response: Any = None, **_: Any) -> None:
        entry_id = entry_of(response)
        if entry_id is not None:
            self.book.item_done(entry_id)

    def tick(self) -> None:
        """Acknowledge what is done, renew what is held."""
        if self.lost or self.queue is None:
            return
        try:
            self.settle()
            gone = self.queue.renew(self.book.ids())
            self._add_stats()
        except RedisError as exc:
            self.redis_lost(exc)
            return
        if gone:
            # Another worker took these over while this one stalled; both finishing them is harmless.
            self.stats.inc_value("akhbar/distributed/leases/lost", len(gone))

    def settle(self, everything: bool = False) -> None:
        """Write the store's buffer, then acknowledge the entries whose items it held."""
        done = self.book.take_done(everything)
        if not done or self.queue is None:
            return
        self.crawler.get_extension(StoreExtension).flush()
        if self.stats.get_value(f"{RUN_FAILED}/storage"):
            return  # dead-lettered: leave the leases to expire so a worker with a database redoes them
        acked = self.queue.ack(done)
        self.stats.inc_value("akhbar/distributed/leases/acked", acked)
        if acked < len(done):  # taken over while this worker stalled: the new holder acknowledges them
            self.stats.inc_value("akhbar/distributed/leases/lost", len(done) - acked)

    def reject(self, entry_id: str, data: bytes, exc: RejectedEntry) -> None:
        """A queue entry no worker wrote: counted, logged, and removed so it is not handed out again."""
        self.stats.inc_value("akhbar/distributed/rejected")
        self.stats.inc_value(f"akhbar/distributed/rejected/{exc.reason}")
        logger.warning("rejected queue entry %s (%s): %r", entry_id, exc, data[:120])
        if self.queue is not None:
            try:
                self.queue.ack([entry_id])
            except RedisError as error:
                self.redis_lost(error)

    def redis_lost(self, exc: Exception) -> None:
        """Stop taking work; the spider closes, the store writes its buffer, the command exits non-zero."""
        if self.lost:
            return
        self.lost = True
        mark_failed(self.stats, "redis_unavailable")
        logger.error(
            "Redis %s unreachable (%s): this worker stops taking work and writes its items; "
            "run the same command again to resume",
            self.where(),
            type(exc).__name__,
        )
        self._close("redis_unavailable")

    def _close(self, reason: str) -> None:
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=reason))

    def closed(self, reason: str) -> None:
        """Acknowledge the rest, add this worker's counts, end the run if nothing is left anywhere.

        A worker that closes on a finished run reports the run's sums over all workers as its
        own counts, so every such worker's run report (crawler/session.py) and monitors see
        the whole run, not the share this worker happened to crawl.
        """
        if self._timer.running:
            self._timer.stop()
        if self.lost or self.queue is None or self.keys is None:
            return
        server = self.queue.server
        try:
            if not self.already_done:
                self.settle(everything=True)
                self._add_stats()
                if reason != "finished" or len(self.queue) > 0:
                    return
                if self.keys.end(server):
                    logger.info("distributed run %s finished: queue and fingerprints cleared", self.keys.base)
            totals = self.keys.summed_stats(server)
        except RedisError as exc:
            self.redis_lost(exc)
            return
        for name, value in totals.items():
            if not name.startswith(RUN_FAILED):  # an earlier, resumed attempt's failure is not this one's
                self.stats.set_value(name, value)
        logger.info(
            "run totals over %d worker(s): %d pages, %d items stored",
            totals.get("akhbar/distributed/workers", 0),
            totals.get("akhbar/pages/listing", 0) + totals.get("akhbar/pages/article", 0),
            totals.get("akhbar/storage/rows", 0),
        )

    def _add_stats(self) -> None:
        """This worker's counts since the last call into the run's sums: a killed worker's share
        is in them up to its last tick."""
        assert self.keys is not None and self.queue is not None
        if not self._pushed:
            self.stats.set_value("akhbar/distributed/workers", 1)
        deltas = {}
        for name, value in self.stats.get_stats().items():
            if isinstance(value, int) and not isinstance(value, bool) and value != self._pushed.get(name, 0):
                deltas[name] = value - self._pushed.get(name, 0)
        self.keys.add_stats(self.queue.server, deltas)
        self._pushed.update({name: self._pushed.get(name, 0) + delta for name, delta in deltas.items()})
