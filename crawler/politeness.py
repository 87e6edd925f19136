"""Politeness under pressure: back off when a site says so, and never crawl past an unreadable robots.txt.

Scrapy's retry middleware retries a 429 or 503 within milliseconds and ignores
``Retry-After``; its robots.txt middleware treats a robots.txt that answers 503 or times
out as "allow everything". Both get a scheduled crawler banned. Here:

- :class:`BackoffMiddleware` handles the ``AKHBAR_BACKOFF_HTTP_CODES`` (429, 503): it honours
  ``Retry-After`` (seconds or an HTTP date), else waits ``AKHBAR_BACKOFF_BASE`` × 2^attempt with
  ±``AKHBAR_BACKOFF_JITTER``, never more than ``AKHBAR_BACKOFF_MAX``. The wait is per site: every
  request to that host waits in ``process_request`` on a timer (the reactor keeps running), so
  the whole site slows down, not only the retried page. It retries ``RETRY_TIMES`` times through
  Scrapy's public ``get_retry_request`` (which counts ``retry/*`` and logs giving up as an ERROR).
- :class:`RobotsAvailabilityMiddleware` follows RFC 9309 §2.3.1.3-4: a robots.txt that answers 5xx
  (after the retries above) or times out means "disallow for now". Every later request to that
  site is refused (``RobotsUnavailable``), the site is counted
  (``akhbar/robots/unavailable/<why>``) and the run fails (``akhbar/run/failed/robots_unavailable``),
  so the archive is crawled by a later run instead of against the site's will.
"""

from __future__ import annotations

import logging
import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import TCPTimedOutError, TimeoutError

from crawler.run_status import mark_failed

logger = logging.getLogger(__name__)

TIMEOUTS = (DownloadTimeoutError, TimeoutError, TCPTimedOutError)


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """What a ``Retry-After`` header asks for, in seconds from ``now``; ``None`` if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(
    attempt: int, base: float, cap: float, jitter: float, retry_after: float | None, rand: float
) -> float:
    """Seconds to wait before retry number ``attempt + 1``.

    ``Retry-After`` wins when given (the server knows best); otherwise ``base`` doubles with
    each attempt. ``rand`` in [0, 1) spreads exponential waits by ±``jitter`` so that many
    crawlers do not come back at the same instant. Nothing waits longer than ``cap``.
    """
    if retry_after is not None:
        return min(retry_after, cap)
    spread = 1 + jitter * (2 * rand - 1)
    return min(base * 2**attempt * spread, cap)


async def sleep(seconds: float) -> None:
    """Wait without blocking the reactor."""
    from twisted.internet import reactor, task  # the installed reactor, imported late on purpose

    await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))


class BackoffMiddleware:
    """Downloader middleware: per-site exponential backoff and ``Retry-After`` for 429/503."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.codes = {int(c) for c in settings.getlist("AKHBAR_BACKOFF_HTTP_CODES")}
        self.base = settings.getfloat("AKHBAR_BACKOFF_BASE")
        self.cap = settings.getfloat("AKHBAR_BACKOFF_MAX")
        self.jitter = settings.getfloat("AKHBAR_BACKOFF_JITTER")
        self.resume_at: dict[str, float] = {}  # host -> monotonic time its requests may go again

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request) -> None:
        wait = self.resume_at.get(urlparse_cached(request).hostname or "", 0.0) - monotonic()
        if wait > 0:
            await sleep(wait)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if response.status not in self.codes or request.meta.get("dont_retry"):
            return response
        stats = self.crawler.stats
        host = urlparse_cached(request).hostname or ""
        header = response.headers.get(b"Retry-After")
        asked = retry_after_seconds(header.decode("latin-1") if header else None, datetime.now(UTC))
        attempt = request.meta.get("retry_times", 0)
        delay = backoff_delay(attempt, self.base, self.cap, self.jitter, asked, random.random())
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"backoff_{response.status}")
        if retry is None:
            return response  # given up: logged and counted by get_retry_request; the spider's errback decides
        stats.inc_value(f"akhbar/backoff/{response.status}")
        if asked is not None:
            stats.inc_value("akhbar/backoff/retry_after")
            if asked > self.cap:
                stats.inc_value("akhbar/backoff/retry_after_capped")
        self.resume_at[host] = max(self.resume_at.get(host, 0.0), monotonic() + delay)
        logger.warning(
            "%s answered %d%s: pausing %s for %.1f s before retry %d",
            request.url,
            response.status,
            f" (Retry-After: {header.decode('latin-1')})" if header else "",
            host,
            delay,
            attempt + 1,
        )
        return retry


class RobotsUnavailable(IgnoreRequest):
    """A request to a site whose robots.txt could not be read: disallowed for now (RFC 9309)."""


def is_robots_request(request: Request) -> bool:
    """The robots.txt fetch Scrapy's RobotsTxtMiddleware makes on its own."""
    return bool(request.meta.get("dont_obey_robotstxt")) and urlparse_cached(request).path == "/robots.txt"


class RobotsAvailabilityMiddleware:
    """Downloader middleware (just inside RobotsTxtMiddleware): an unreadable robots.txt disallows its site.

    Its ``process_response``/``process_exception`` see the robots.txt fetch after the retries;
    its ``process_request`` runs after RobotsTxtMiddleware has fetched robots.txt for a request's
    site, so the verdict is known before the request itself goes out.
    """

    def __init__(self, crawler: Crawler) -> None:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.unavailable: dict[str, str] = {}  # netloc -> why

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        why = self.unavailable.get(urlparse_cached(request).netloc)
        if why is not None and not is_robots_request(request):
            self.crawler.stats.inc_value("akhbar/robots/disallowed_for_now")
            raise RobotsUnavailable(f"robots.txt of {urlparse_cached(request).netloc} unavailable ({why})")

    def process_response(self, request: Request, response: Response) -> Response:
        if response.status >= 500 and is_robots_request(request):
            self._unavailable(request, f"http_{response.status}")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if isinstance(exception, TIMEOUTS) and is_robots_request(request):
            self._unavailable(request, "timeout")

    def _unavailable(self, request: Request, why: str) -> None:
        netloc = urlparse_cached(request).netloc
        self.unavailable[netloc] = why
        stats = self.crawler.stats
        stats.inc_value("akhbar/robots/unavailable")
        stats.inc_value(f"akhbar/robots/unavailable/{why}")
        mark_failed(stats, "robots_unavailable")
        logger.error(
            "robots.txt of %s unavailable (%s): the site is disallowed for this run (RFC 9309); a later run retries",
            netloc,
            why,
        )
