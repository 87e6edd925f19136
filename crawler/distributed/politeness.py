"""Per-site politeness across all workers: one shared "next allowed time" per host in Redis.

Scrapy's delays and concurrency limits are per process; ten workers would hit a site
ten times as hard. Before each download this middleware takes the host's next slot
from Redis (an atomic script reading Redis's own clock, so the workers' clocks do not
matter) and waits until it is due: requests to one host start at least
``AKHBAR_HOST_INTERVAL`` seconds apart across every worker of every run on that Redis.
"""

from __future__ import annotations

from typing import Self
from urllib.parse import urlsplit

from redis.exceptions import RedisError
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy_redis.connection import get_redis_from_settings
from twisted.internet import reactor, task

from crawler.distributed.worker import DistributedWorker

# KEYS: the host's key (akhbar:host:<host>, shared by all runs). ARGV: interval in ms.
# Returns 0 (go now, the slot is taken) or the ms to wait.
_TAKE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local due = tonumber(redis.call('GET', KEYS[1]) or '0')
if due <= t then
  redis.call('SET', KEYS[1], t + tonumber(ARGV[1]), 'PX', tonumber(ARGV[1]) + 60000)
  return 0
end
return due - t
"""


class SharedHostDelayMiddleware:
    """Downloader middleware: spaces requests to each host across the run's workers."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.interval_ms = int(settings.getfloat("AKHBAR_HOST_INTERVAL") * 1000)
        if self.interval_ms <= 0:
            raise NotConfigured("AKHBAR_HOST_INTERVAL is 0")
        self.crawler = crawler
        self.take = get_redis_from_settings(settings).register_script(_TAKE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        while True:
            try:
                wait_ms = int(self.take(keys=[f"akhbar:host:{host}"], args=[self.interval_ms]))
            except RedisError as exc:
                self.crawler.get_extension(DistributedWorker).redis_lost(exc)
                return
            if wait_ms <= 0:
                return
            self.crawler.stats.inc_value("akhbar/distributed/politeness/waits")
            await maybe_deferred_to_future(task.deferLater(reactor, wait_ms / 1000, lambda: None))
