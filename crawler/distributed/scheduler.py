"""scrapy-redis's scheduler over the leased stream queue, with JSON entries and a calm end on Redis loss.

What changes from scrapy-redis: a request taken from the queue is a lease
(``leases.py``), adding a request and its fingerprint is atomic (``queue.py``), a
worker's close never wipes the queue or the dupefilter, an entry that is not a
request a worker wrote is acknowledged away and counted instead of run, and a Redis
error stops this worker instead of crashing it (``worker.py``).
"""

from __future__ import annotations

import logging
from typing import Self

import scrapy
from redis.exceptions import RedisError
from scrapy.crawler import Crawler
from scrapy_redis.scheduler import Scheduler

from crawler.distributed.dupefilter import RunDupeFilter
from crawler.distributed.leases import LEASE, unwrapped
from crawler.distributed.queue import LeasedStreamQueue
from crawler.distributed.run import RunKeys
from crawler.distributed.serialization import RejectedEntry, decode_request
from crawler.distributed.worker import DistributedWorker

logger = logging.getLogger(__name__)


class LeasedScheduler(Scheduler):
    """One worker's view of the run's shared queue and dupefilter."""

    queue: LeasedStreamQueue

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        instance = super().from_crawler(crawler)
        instance.worker = crawler.get_extension(DistributedWorker)
        return instance

    def open(self, spider: scrapy.Spider) -> None:
        keys = RunKeys.of(spider.settings.get("AKHBAR_REDIS_RUN"), spider.start_list)
        self.queue_key = keys.requests
        self.df = RunDupeFilter(self.server, keys.seen, debug=spider.settings.getbool("DUPEFILTER_DEBUG"))
        # Not super().open(): scrapy-redis's calls the deprecated ``spider.log`` when it joins a
        # non-empty queue, and it could flush the run on start. Its queue set-up is all we need.
        self.spider = spider
        self.queue = LeasedStreamQueue(self.server, spider, self.queue_key, serializer=self.serializer)
        if len(self.queue):
            logger.info("Resuming crawl (%d requests queued)", len(self.queue))
        self.worker.attach(self.queue, keys)

    def close(self, reason: str) -> None:
        """Nothing to wipe: the run's queue and fingerprints outlive any one worker (``worker.py`` ends a run)."""

    def enqueue_request(self, request: scrapy.Request) -> bool:
        if self.worker.lost or self.worker.already_done:
            # Lost: its parent is not acknowledged, whoever redoes the parent queues it again.
            return False
        parent = request.meta.get(LEASE)
        if parent is not None:  # a retry or redirect of a request this worker holds: always queued
            request = unwrapped(request)
        # Every other request goes through the run's fingerprints, dont_filter or not: the spider
        # sets dont_filter because it tracks visited pages itself, but only those of this process.
        fingerprint = None if parent is not None else self.df.request_fingerprint(request)
        try:
            added = self.queue.push(request, fingerprint, self.df.key)
        except RedisError as exc:
            self.worker.redis_lost(exc)
            return False
        if parent is not None:
            self.worker.book.replaced(parent)
        if not added:
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> scrapy.Request | None:
        while not self.worker.lost:
            try:
                taken = self.queue.pop()
            except RedisError as exc:
                self.worker.redis_lost(exc)
                return None
            if taken is None:
                return None
            entry_id, data, reclaimed = taken
            try:
                request = decode_request(data, self.spider)
            except RejectedEntry as exc:
                self.worker.reject(entry_id, data, exc)
                continue
            self.stats.inc_value("scheduler/dequeued/redis")
            if reclaimed:
                self.stats.inc_value("akhbar/distributed/leases/reclaimed")
            return self.worker.book.take(entry_id, request)
        return None

    def has_pending_requests(self) -> bool:
        """Work left anywhere in the run: queued, or leased by any worker (a dead one's lease comes back)."""
        if self.worker.lost or self.worker.already_done:
            return False
        try:
            return len(self.queue) > 0
        except RedisError as exc:
            self.worker.redis_lost(exc)
            return False
