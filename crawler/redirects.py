"""Off-site requests and redirect cycles end in the request's errback, never in a silent drop.

Scrapy drops an off-site request and a request its dupefilter has seen while *scheduling* it:
no errback runs, only a DEBUG line and ``offsite/filtered`` or ``dupefilter/filtered``. For a
redirect from an article page that means the listing entry it came from vanishes. The spider
therefore sends its own requests with ``dont_filter`` (it keeps track of what it requested),
and this downloader middleware makes the two checks Scrapy would have made, by raising in
``process_request``, where the request's errback sees the failure:

- a request to a host outside the spider's ``allowed_domains`` (a redirect off the site, or a
  listing link to another site) raises :class:`OffsiteRequest` (``akhbar/offsite/refused``);
- a redirect or meta refresh back to a URL already in its chain raises :class:`RedirectCycle`
  at once (``akhbar/redirect/cycle``, a WARNING), instead of after ``REDIRECT_MAX_TIMES`` hops.

It sits at 60, just after Scrapy's OffsiteMiddleware (50) and before robots.txt (100), so a
foreign site's robots.txt is never fetched for a refused redirect.
"""

from __future__ import annotations

import logging
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached

from crawler.urls import url_key

logger = logging.getLogger(__name__)


class OffsiteRequest(IgnoreRequest):
    """A request (usually a redirect) to a host the spider does not crawl."""


class RedirectCycle(IgnoreRequest):
    """A redirect or meta refresh back to a URL already in its chain."""


def on_site(host: str, domains: list[str]) -> bool:
    """Scrapy's offsite rule: the host is one of ``domains`` or a subdomain of one (ports ignored)."""
    host = host.lower()
    return any(host == d or host.endswith(f".{d}") for d in (d.lower() for d in domains))


def is_cycle(url: str, chain: list[str]) -> bool:
    """Whether ``url`` is one the redirect ``chain`` already visited (canonical URL keys compared)."""
    key = url_key(url)
    return any(url_key(earlier) == key for earlier in chain)


class RedirectGuardMiddleware:
    """Downloader middleware: off-site requests and redirect cycles fail loudly into the errback."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        stats = self.crawler.stats
        chain = request.meta.get("redirect_urls") or []
        domains = getattr(self.crawler.spider, "allowed_domains", None)
        host = urlparse_cached(request).hostname or ""
        if domains and not request.meta.get("allow_offsite") and not on_site(host, domains):
            stats.inc_value("akhbar/offsite/refused")
            via = f" (redirected from {chain[0]})" if chain else ""
            raise OffsiteRequest(f"{request.url} is off-site{via}")
        if chain and is_cycle(request.url, chain):
            stats.inc_value("akhbar/redirect/cycle")
            logger.warning("redirect cycle: %s", " -> ".join([*chain, request.url]))
            raise RedirectCycle(f"redirect cycle back to {request.url}")
