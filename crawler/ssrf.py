"""A guard against server-side request forgery: the crawler fetches public web pages only.

A tag archive is a public page, but its links and redirects are chosen by whoever runs the
site. Without a guard, a redirect to ``http://127.0.0.1:6379/`` or a link to a cloud
metadata address (``169.254.169.254``) is fetched from inside the crawler's network and its
body stored. ``allowed_domains`` does not help: it compares host names, not what they resolve
to, and ignores the port.

Every request that goes to the network (redirects and robots.txt included) is checked:

- its host is resolved through the crawler's own DNS cache (``reactor.resolve``, threaded,
  so the reactor never blocks, and the download then connects to the same cached address),
  and an address that is not globally routable (loopback, private, link-local, shared,
  reserved, multicast, unspecified) is refused unless ``AKHBAR_ALLOW_PRIVATE_HOSTS`` lists
  it (an address or a network such as ``10.1.0.0/16``);
- its port must be a start URL's port or one of ``AKHBAR_ALLOWED_PORTS`` (80 and 443, so an
  ``http`` site may move to ``https``).

The middleware sits after the HTTP cache (``DOWNLOADER_MIDDLEWARES`` 950 > 900), so a replayed
recording is served without any lookup. Refusals are logged and counted
(``akhbar/ssrf/refused`` and ``akhbar/ssrf/refused/<address|port>``); name lookups are
counted too (``akhbar/ssrf/lookups``).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterable
from typing import Self
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import DNSLookupError

logger = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_PORTS = {"http": 80, "https": 443}


class SsrfRefused(IgnoreRequest):
    """A request to an address or port the crawler must not reach."""


def allowed_networks(entries: Iterable[str]) -> list[Network]:
    """``AKHBAR_ALLOW_PRIVATE_HOSTS`` as networks; a wrong entry is an error at start-up."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ValueError(f"AKHBAR_ALLOW_PRIVATE_HOSTS: {entry!r} is not an IP address or network") from None
    return networks


def address_refusal(address: str, allowed: Iterable[Network]) -> str | None:
    """Why the crawler must not connect to ``address``, or ``None`` when it may."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if ip.is_global and not ip.is_multicast:
        return None
    if any(ip in network for network in allowed):
        return None
    return "not a public address"


def url_port(url: str) -> int:
    """The port a URL connects to, the scheme's default included."""
    split = urlsplit(url)
    return split.port or DEFAULT_PORTS.get(split.scheme.lower(), 0)


def literal_address(host: str) -> str | None:
    """``host`` itself when it is an IP address (IPv6 brackets stripped), else ``None``."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


class SsrfGuardMiddleware:
    """Downloader middleware: refuses requests to non-public addresses and unexpected ports."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.allowed = allowed_networks(settings.getlist("AKHBAR_ALLOW_PRIVATE_HOSTS"))
        self.ports = {int(p) for p in settings.getlist("AKHBAR_ALLOWED_PORTS")}
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def spider_opened(self, spider: Spider) -> None:
        # Known before the first request: robots.txt is fetched ahead of the start request itself.
        self.ports |= {url_port(url) for url in getattr(spider, "start_urls", ())}

    def _refuse(self, request: Request, kind: str, why: str) -> None:
        stats = self.crawler.stats
        stats.inc_value("akhbar/ssrf/refused")
        stats.inc_value(f"akhbar/ssrf/refused/{kind}")
        logger.warning("refused %s: %s", request.url, why)
        raise SsrfRefused(f"refused {request.url}: {why}")

    async def process_request(self, request: Request) -> None:
        if urlsplit(request.url).scheme.lower() not in DEFAULT_PORTS:
            return  # no network: settings.py disables every other download handler
        port = url_port(request.url)
        if request.meta.get("is_start_request") and not request.meta.get("redirect_urls"):
            self.ports.add(port)  # a spider without start_urls: its start requests (a redirect carries the flag too)
        elif port not in self.ports:
            self._refuse(request, "port", f"port {port} is neither a start URL's nor in AKHBAR_ALLOWED_PORTS")
        host = urlsplit(request.url).hostname or ""
        address = literal_address(host)
        if address is None:
            from twisted.internet import reactor  # the installed one: importing it early would install the default

            self.crawler.stats.inc_value("akhbar/ssrf/lookups")  # a replayed crawl shows none
            try:
                address = await maybe_deferred_to_future(reactor.resolve(host))
            except DNSLookupError:
                return  # the download fails the same way, and is counted as such
        why = address_refusal(address, self.allowed)
        if why is not None:
            self._refuse(request, "address", f"{host} is {address}, {why} (AKHBAR_ALLOW_PRIVATE_HOSTS)")
