"""``tag_archive``: crawl one tag archive and all its pages on any site.

Thin on purpose: extraction lives in ``crawler.extract``; this module turns
responses into requests and items and counts what happens.

    scrapy crawl tag_archive -a url=https://site/tag/NAME/ [-a follow_articles=false]
        [-a max_pages=50] [-a tag=NAME] [-a tz=Asia/Riyadh] -O out.jsonl
    scrapy crawl tag_archive -a site=PROFILE -a tag=NAME      # start URL from the site profile

A site profile (``crawler/sites/*.toml``, see docs/profiles.md) whose host matches a
start URL is used automatically: its selectors override single fields, its time zone
and date order become ``tz`` and ``date_order`` unless ``-a`` gives them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.dates import load_timezone
from crawler.encoding import EncodingRejected
from crawler.extract.article import extract_article
from crawler.extract.listing import ListingPage, archive_tag
from crawler.extract.profiled import listing_entries, next_pages
from crawler.extract.template import Template
from crawler.items import ArticleItem, new_item
from crawler.politeness import RobotsUnavailable
from crawler.profiles import SiteProfile, profile_by_name, profile_for_url, run_zone_and_order
from crawler.redirects import OffsiteRequest, RedirectCycle
from crawler.replay import fetch_time
from crawler.run_status import mark_failed
from crawler.ssrf import SsrfRefused
from crawler.store_extension import StoreExtension
from crawler.urls import item_id, site_of, url_key

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def parse_bool(name: str, value: str | bool) -> bool:
    """A spider argument as a boolean; anything but a clear yes/no is an error."""
    if isinstance(value, bool):
        return value
    lowered = value.strip().lower()
    if lowered in _TRUE | _FALSE:
        return lowered in _TRUE
    raise ValueError(f"-a {name}= must be true or false, not {value!r}")


def parse_count(name: str, value: str | int, minimum: int) -> int:
    """A whole-number spider argument of at least ``minimum``, or a one-line error."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"-a {name}= must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ValueError(f"-a {name}= must be at least {minimum}, not {value!r}")
    return number


def check_tag(tag: str) -> str:
    """A tag name as given; one that could climb out of a feed folder or hide in a log is refused
    whatever the feed URI (path separators, ``..``, control characters)."""
    if "/" in tag or "\\" in tag or ".." in tag or any(unicodedata.category(c) == "Cc" for c in tag):
        raise ValueError("-a tag= must not contain '/', '\\', '..' or control characters")
    return tag


def slugify(text: str) -> str:
    """A file-name-safe form of a tag (Arabic letters kept) for feed paths."""
    return re.sub(r"[^\w]+", "-", text).strip("-").lower() or "tag"


def failure_reason(failure: Failure) -> str:
    """A short stats key for why a request failed: ``http_404``, ``timeout``, ..."""
    if failure.check(HttpError):
        return f"http_{failure.value.response.status}"
    if failure.check(EncodingRejected):
        return "encoding"
    if failure.check(SsrfRefused):
        return "ssrf"
    if failure.check(RobotsUnavailable):
        return "robots_unavailable"
    if failure.check(OffsiteRequest):
        return "offsite"
    if failure.check(RedirectCycle):
        return "redirect_cycle"
    request = getattr(failure, "request", None)
    if failure.check(scrapy.exceptions.IgnoreRequest) and request is not None and request.meta.get("redirect_urls"):
        return "redirect_limit"  # REDIRECT_MAX_TIMES hops without reaching a page
    if failure.check(scrapy.exceptions.IgnoreRequest):
        return "ignored"
    name = failure.type.__name__ if failure.type else "error"
    return "timeout" if "Timeout" in name else name


def urls_in_file(path: Path) -> list[str]:
    """The URLs of a ``-a urls=`` file, one a line (``#`` comments). A line that is not an
    http(s) URL is named by its number only: the file's content is never echoed."""
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError:
        raise ValueError(f"-a urls={path}: not a UTF-8 text file of URLs") from None
    except OSError as exc:
        raise ValueError(f"-a urls={path}: cannot read it ({exc.strerror})") from None
    found = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not is_http_url(line):
            raise ValueError(f"-a urls={path}: line {number} is not an http(s) URL (one URL a line)")
        found.append(line)
    if not found:
        raise ValueError(f"-a urls={path}: no URL in the file (one URL a line)")
    return found


def is_http_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and text.isprintable()


def start_urls_from(url: str | None, urls: str | None) -> list[str]:
    """Start URLs from ``-a url=`` and ``-a urls=`` (a file with one URL a line, or a comma list)."""
    found = [url] if url else []
    if urls:
        path = Path(urls)
        if path.is_file():
            found += urls_in_file(path)
        elif "://" not in urls:
            raise ValueError(f"-a urls=: no such file {urls!r} (give a file with one URL a line, or URLs with commas)")
        else:
            found += [each.strip() for each in urls.split(",") if each.strip()]
    if not found:
        raise ValueError("tag_archive needs -a url=https://site/tag/NAME/ or -a urls=FILE (one URL a line)")
    for each in found:
        if not is_http_url(each):
            raise ValueError(f"not an http(s) URL: {each[:200]!r}")
    return found


@dataclass
class Chain:
    """One start URL's pagination: its site, its tag once known, and known pages in a row (incremental)."""

    site: str
    tag: str | None
    known_pages: int = 0
    profile: SiteProfile | None = None


class TagArchiveSpider(scrapy.Spider):
    """Generic tag-archive spider: listing entries, pagination, optional article pages."""

    name = "tag_archive"

    def __init__(
        self,
        url: str | None = None,
        urls: str | None = None,
        tag: str | None = None,
        follow_articles: str | bool = True,
        max_pages: str | int = 50,
        tz: str | None = None,
        incremental: str | bool = False,
        known_pages_to_stop: str | int = 1,
        site: str | None = None,
        date_order: str | None = None,
        **kwargs: Any,
    ) -> None:
        # A misspelt argument (-a max_page=3) would otherwise be ignored without a word. Names
        # starting with "_" are the scheduler's own (scrapyd passes -a _job=...).
        unknown = sorted(name for name in kwargs if not name.startswith("_") and name != "name")
        if unknown:
            known = "url, urls, site, tag, follow_articles, max_pages, tz, date_order, incremental, known_pages_to_stop"
            raise ValueError(f"unknown argument -a {unknown[0]}= (known: {known})")
        super().__init__(**kwargs)
        if tag:
            check_tag(tag)
        # -a site= names a profile (or a .toml file being written) for every start URL.
        chosen = profile_by_name(site) if site else None
        if chosen is not None and not url and not urls:
            if not tag:
                raise ValueError(f"-a site={site} needs -a tag=NAME (or -a url=) to know which archive to crawl")
            url = chosen.tag_url_for(tag)
        self.start_list = start_urls_from(url, urls)
        self.start_urls = self.start_list  # Scrapy's name, which the SSRF guard reads for allowed ports
        self.profiles = {u: chosen or profile_for_url(u) for u in self.start_list}
        sites = sorted({site_of(u) for u in self.start_list})
        # The sites without "www." so both host spellings stay on-site; works for 127.0.0.1 too.
        self.allowed_domains = sites
        self.site = sites[0] if len(sites) == 1 else "multi-site"
        self.tag = tag or None
        self.follow_articles = parse_bool("follow_articles", follow_articles)
        self.max_pages = parse_count("max_pages", max_pages, 1)
        # pipelines/dates.py reads these two: the profile's unless -a gives them.
        self.tz, self.date_order, self._zone_note = run_zone_and_order(
            list(self.profiles.values()), tz or None, date_order
        )
        load_timezone(self.tz)  # fail at start-up on a wrong zone name, not mid-crawl
        self.incremental = parse_bool("incremental", incremental)
        self.known_pages_to_stop = parse_count("known_pages_to_stop", known_pages_to_stop, 1)
        first_slug = unquote(urlsplit(self.start_list[0]).path.rstrip("/").rsplit("/", 1)[-1])
        single = len(self.start_list) == 1
        self.tag_slug = slugify(self.tag or (first_slug if single else "multi-tag") or self.site)
        self.run_id = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
        self._visited: set[str] = set()
        self._pending: dict[str, list[ArticleItem]] = {}
        self._done: set[str] = set()
        self._known: set[str] = set()
        self._templates: dict[str, Template | None] = {}  # host -> its learnt listing template
        self.store: StoreExtension | None = None  # looked up once in start(), when extensions exist
        self._listing_pages: dict[str, int] = {}  # host -> listing pages seen, for spot checks

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> TagArchiveSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # A scheduled run (crawler/session.py) names its feeds after its own run id.
        spider.run_id = crawler.settings.get("AKHBAR_RUN_ID") or spider.run_id
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.store = store = self.crawler.get_extension(StoreExtension)
        if store is not None and store.unavailable:
            return  # already logged and counted: crawling would only fill the dead-letter file
        for name in sorted({p.name for p in self.profiles.values() if p is not None}):
            self.crawler.stats.inc_value(f"akhbar/profile/used/{name}")
            self.logger.info("site profile %s: tz=%s date_order=%s", name, self.tz, self.date_order)
        if self._zone_note:
            self.crawler.stats.inc_value("akhbar/profile/tz_conflict")
            self.logger.warning("no single site time zone: %s", self._zone_note)
        for url in self.start_list:
            key = url_key(url)
            if key not in self._visited:
                self._visited.add(key)
                yield self._listing_request(
                    url, page=1, chain=Chain(site_of(url), self.tag, profile=self.profiles[url])
                )

    def _listing_request(self, url: str, page: int, chain: Chain) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            cb_kwargs={"page": page, "chain": chain},
            dont_filter=True,  # the spider tracks visited pages; a filtered redirect would vanish unseen
        )

    def parse_listing(self, response: Response, page: int, chain: Chain) -> Iterator[Any]:
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):
            stats.inc_value("akhbar/listing/not_html")
            self.logger.error("listing page %s is not HTML (%s)", response.url, response.headers.get("Content-Type"))
            if page == 1:
                mark_failed(stats, "first_page/not_html")
            return
        if response.meta.get("redirect_urls") and url_key(response.url) in self._visited:
            stats.inc_value("akhbar/listing/redirected_to_visited")
            self.logger.warning(
                "listing page %s redirects to %s, already crawled", response.meta["redirect_urls"][0], response.url
            )
            return
        self._visited.add(url_key(response.url))
        stats.inc_value("akhbar/pages/listing")
        chain.tag = chain.tag or archive_tag(response.selector, response.url)
        tag = chain.tag
        if len(self.start_list) == 1:
            self.tag = self.tag or tag  # the run's manifest names the tag once the archive told it
        fetched = fetch_time(response.headers) or datetime.now(UTC)
        host = urlsplit(response.url).hostname or chain.site
        template = self._template_for(host)
        listing = listing_entries(
            response.selector, response.url, chain.profile.listing if chain.profile else None, template
        )
        if listing.generic is not None:
            self._keep_template(host, template, listing.generic, response.url)
        for selector in listing.fallbacks:
            # A profile selector that found nothing: generic extraction filled in (a redesign shows here).
            stats.inc_value(f"akhbar/profile/fallback/{selector}")
        entries = listing.entries
        stats.inc_value("akhbar/listing/entries", len(entries))
        if listing.date_disagreements:
            # The card's machine-readable date won over the day its text prints.
            stats.inc_value("akhbar/listing/date_disagreement", listing.date_disagreements)
        if not entries:
            # An archive page without entries is how a changed layout shows itself.
            stats.inc_value("akhbar/listing/empty_page")
            if listing.low_confidence:
                # Only menus and rails looked like records: saying so beats emitting them as entries.
                stats.inc_value("akhbar/listing/low_confidence")
            self.logger.warning(
                "no entries found on listing page %s%s",
                response.url,
                " (no block looks like the archive's list)" if listing.low_confidence else "",
            )
            if page == 1:
                mark_failed(stats, "first_page_empty")
        if self.incremental and entries:
            ids = [item_id(e.url) for e in entries]
            self._known |= self.store.known_ids(ids) if self.store is not None else set()
            all_known = all(i in self._known for i in ids)
            chain.known_pages = chain.known_pages + 1 if all_known else 0
        for position, entry in enumerate(entries, start=1):
            item = new_item(
                id=item_id(entry.url),
                url=entry.url,
                title=entry.title,
                excerpt=entry.excerpt,
                published_raw=entry.date_raw,
                date_source=entry.date_source,
                tag=tag,
                site=chain.site,
                listing_url=response.url,
                position=position,
                crawled_at=fetched.isoformat(timespec="seconds"),
            )
            yield from self._complete(item, chain.profile)
        yield from self._next_page(response, page, chain, {url_key(e.url) for e in entries})

    def _template_for(self, host: str) -> Template | None:
        """The host's template for this page: ``None`` (full extraction) when there is none yet,
        in this run or the store, and on every N-th page of the host as a spot check."""
        seen = self._listing_pages.get(host, 0)
        self._listing_pages[host] = seen + 1
        if host not in self._templates:
            store = self.store
            stored = store.template(host) if store is not None and store.opened else None
            self._templates[host] = Template.from_json(stored) if stored else None
        every = self.settings.getint("AKHBAR_TEMPLATE_SPOT_CHECK_PAGES")
        return None if (seen + 1) % max(every, 1) == 0 else self._templates[host]

    def _keep_template(self, host: str, used: Template | None, page: ListingPage, url: str) -> None:
        """Count how the host's template did on this page; keep the structure full extraction found."""
        stats = self.crawler.stats
        if page.reused:
            stats.inc_value("akhbar/template/reused")
            return
        known = self._templates.get(host)
        if page.mismatch is not None or (
            used is None and known and page.template and not known.same_structure(page.template)
        ):
            # The site's listing layout changed: the monitors raise an alert on this counter.
            stats.inc_value("akhbar/template/mismatch")
            self.logger.warning(
                "listing template of %s no longer fits %s (%s); full extraction used",
                host,
                url,
                page.mismatch or "a spot check found another structure",
            )
        if page.template is not None and (known is None or not known.same_structure(page.template)):
            stats.inc_value("akhbar/template/learnt")
            self._templates[host] = page.template
            store = self.store
            if store is not None and store.opened:
                store.save_template(host, page.template.to_json())

    def _complete(self, item: ArticleItem, profile: SiteProfile | None) -> Iterator[Any]:
        key = url_key(item["url"] or "")
        if not self.follow_articles or key in self._done or (self.incremental and item["id"] in self._known):
            yield item
            return
        if key in self._pending:
            # Its article is being fetched for the first copy: emit this one right after it,
            # so the first copy (with the article's fields) reaches dedup first.
            self._pending[key].append(item)
            return
        self._pending[key] = []
        yield scrapy.Request(
            item["url"],
            callback=self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"item": item, "profile": profile},
            # _pending/_done dedup articles; Scrapy's dupefilter would drop a redirect onto a requested
            # URL without calling the errback, and the entry with it (crawler/redirects.py checks the rest).
            dont_filter=True,
        )

    def _release(self, item: ArticleItem) -> Iterator[ArticleItem]:
        key = url_key(item["url"] or "")
        self._done.add(key)
        yield item
        yield from self._pending.pop(key, [])

    def _next_page(self, response: TextResponse, page: int, chain: Chain, entry_keys: set[str]) -> Iterator[Any]:
        trusted = self.settings.getbool("AKHBAR_TRUST_KNOWN_PAGES")
        if self.incremental and trusted and chain.known_pages >= self.known_pages_to_stop:
            # Archives list newest first: past this many pages of known items, the rest is known too.
            self.crawler.stats.inc_value("akhbar/incremental/stopped")
            self.logger.info("incremental: %d known page(s) in a row, stopping at %s", chain.known_pages, response.url)
            return
        listing = chain.profile.listing if chain.profile else None
        for url, origin in next_pages(response.selector, response.url, listing, exclude=entry_keys):
            key = url_key(url)
            if key in self._visited:
                continue
            if page >= self.max_pages:
                self.crawler.stats.inc_value("akhbar/pagination/max_pages_reached")
                self.logger.info("stopping at max_pages=%d; next page would be %s", self.max_pages, url)
                return
            self._visited.add(key)
            self.crawler.stats.inc_value("akhbar/pagination/followed")
            if origin == "generic" and listing is not None and listing.next_page:
                self.crawler.stats.inc_value("akhbar/profile/fallback/listing.next_page")
            yield self._listing_request(url, page=page + 1, chain=chain)
            return

    def parse_article(
        self, response: Response, item: ArticleItem, profile: SiteProfile | None = None
    ) -> Iterator[ArticleItem]:
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):
            stats.inc_value("akhbar/article/failed")
            stats.inc_value("akhbar/article/failed/not_html")
            kind = (response.headers.get("Content-Type") or b"no Content-Type").decode("latin-1")
            self.logger.warning("article page is not HTML (%s): %s", kind, response.url)
            yield from self._release(item)
            return
        stats.inc_value("akhbar/pages/article")
        fields = extract_article(
            response.selector,
            response.url,
            profile.article if profile else None,
            profile.site_names if profile else (),
        )
        for event in fields.events:
            stats.inc_value(f"akhbar/{event}")
        if fields.date_raw:
            item["published_raw"], item["date_source"] = fields.date_raw, fields.date_source
        item["author"] = fields.author
        item["body"] = fields.body
        item["modified_raw"] = fields.modified_raw
        item["image"] = fields.image
        item["article_tags"] = list(fields.tags)
        if not item["title"] and fields.title:
            stats.inc_value("akhbar/article/title_filled")
            item["title"] = fields.title
        yield from self._release(item)

    def article_failed(self, failure: Failure) -> Iterator[ArticleItem]:
        """The listing record survives a failed article page, with what the listing had."""
        reason = failure_reason(failure)
        stats = self.crawler.stats
        stats.inc_value("akhbar/article/failed")
        stats.inc_value(f"akhbar/article/failed/{reason}")
        # A replay without that recording or an off-site redirect is expected; a 404 or timeout is news.
        log = self.logger.info if reason == "ignored" else self.logger.warning
        log("article page failed (%s): %s", reason, failure.request.url)
        yield from self._release(failure.request.cb_kwargs["item"])

    def listing_failed(self, failure: Failure) -> None:
        reason = failure_reason(failure)
        self.crawler.stats.inc_value("akhbar/listing/failed")
        self.crawler.stats.inc_value(f"akhbar/listing/failed/{reason}")
        self.logger.error("listing page failed (%s): %s", reason, failure.request.url)
        if failure.request.cb_kwargs.get("page") == 1:
            # The archive itself is unreachable (HTTP error, refused, timeout, DNS): the run failed.
            mark_failed(self.crawler.stats, f"first_page/{reason}")
