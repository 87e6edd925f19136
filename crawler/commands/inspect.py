"""``scrapy inspect``: what generic extraction and the site profile find on one page.

    scrapy inspect fixtures/html/<host>/<name>.json      # a recorded response, offline
    scrapy inspect https://site/tag/NAME/                # a live page, through Scrapy's downloader
        [--site NAME|PATH.toml] [--json]

For a listing page it shows the entries and the next page; for an article page every
field with where it came from, and every date the page states in order of trust. With a
profile (the one whose host matches, or ``--site``) each value is shown generic and
profiled side by side. This is how a profile is written: look at the generic column, add a
selector for each field that is wrong, run again on the same page.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import scrapy
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure
from w3lib.url import is_url

from crawler.encoding import Decision, decide_response, reread
from crawler.extract.article import ArticleFields, extract_article
from crawler.extract.listing import Entry
from crawler.extract.profiled import listing_entries, next_pages
from crawler.extract.template import draft_profile
from crawler.profiles import ProfileError, SiteProfile, profile_by_name, profile_for_url
from crawler.replay import fetch_time, load_recording
from crawler.text import collapse_whitespace

# What `scrapy inspect` shows of an article page, in this order.
_SHOWN_ARTICLE_FIELDS = ("title", "published", "modified", "author", "image", "tags", "body")


def _entry(entry: Entry, origin: dict[str, str] | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {
        "url": entry.url,
        "title": entry.title,
        "excerpt": entry.excerpt,
        "date_raw": entry.date_raw,
        "date_source": entry.date_source,
    }
    if origin:
        row["from"] = origin
    return row


def _article(fields: ArticleFields) -> dict[str, dict[str, Any]]:
    values: dict[str, Any] = {
        "title": fields.title,
        "published": f"{fields.date_raw} ({fields.date_source})" if fields.date_raw else None,
        "modified": f"{fields.modified_raw} ({fields.modified_source})" if fields.modified_raw else None,
        "author": fields.author,
        "image": fields.image,
        "tags": fields.tags or None,
        "body": fields.body,
    }
    return {name: {"value": values[name], "from": fields.origins.get(name)} for name in _SHOWN_ARTICLE_FIELDS}


def inspect_response(response: TextResponse, profile: SiteProfile | None, decision: Decision) -> dict[str, Any]:
    """Everything ``scrapy inspect`` reports about one page, as plain data (``--json`` prints it)."""
    sel, url = response.selector, response.url
    generic = listing_entries(sel, url, None)
    report: dict[str, Any] = {
        "url": url,
        "status": response.status,
        "fetched_at": (when.isoformat() if (when := fetch_time(response.headers)) else None),
        "encoding": {"codec": response.encoding, "outcome": decision.outcome, "reason": decision.reason},
        "profile": None,
        "listing": {
            "generic": {
                "entries": [_entry(e) for e in generic.entries],
                "next_page": next((u for u, _ in next_pages(sel, url, None)), None),
            }
        },
        # What the crawl would learn and reuse on the site's later pages, as a profile a person can save.
        "template": draft_profile(learnt, urlsplit(url).hostname or "")
        if generic.generic is not None and (learnt := generic.generic.template) is not None
        else None,
    }
    generic_article = extract_article(sel, url)
    report["article"] = {"generic": _article(generic_article)}
    chosen = generic_article
    if profile is not None:
        report["profile"] = {
            "name": profile.name,
            "path": str(profile.path) if profile.path else None,
            "timezone": profile.timezone,
            "date_order": profile.date_order,
            "language": profile.language,
        }
        profiled = listing_entries(sel, url, profile.listing)
        upcoming = next(next_pages(sel, url, profile.listing), None)
        report["listing"]["profile"] = {
            "entries": [_entry(e, o) for e, o in zip(profiled.entries, profiled.origins, strict=True)],
            "next_page": upcoming[0] if upcoming else None,
            "next_page_from": upcoming[1] if upcoming else None,
            "fallbacks": profiled.fallbacks,
        }
        chosen = extract_article(sel, url, profile.article, profile.site_names)
        report["article"]["profile"] = _article(chosen)
    report["article"]["dates"] = [
        {"role": c.role, "raw": c.raw, "source": c.source, "from": c.detail} for c in chosen.dates
    ]
    report["article"]["events"] = chosen.events
    report["article"]["paragraphs"] = len(chosen.body.split("\n\n")) if chosen.body else 0
    return report


def _short(value: Any, width: int = 90) -> str:
    if value is None:
        return "-"
    text = "، ".join(value) if isinstance(value, list) else str(value)
    text = collapse_whitespace(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def render_text(report: dict[str, Any]) -> str:
    """The report for a person: listing first, then article fields, then the dates found."""
    lines = [
        f"url        {unquote(report['url'])}",
        f"status     {report['status']}  fetched {report['fetched_at'] or '-'}",
    ]
    enc = report["encoding"]
    lines.append(f"encoding   {enc['codec']} ({enc['outcome']}{': ' + enc['reason'] if enc['reason'] else ''})")
    profile = report["profile"]
    if profile:
        lines.append(
            f"profile    {profile['name']} ({profile['path']}): tz {profile['timezone']}, "
            f"date order {profile['date_order'] or 'not stated'}, language {profile['language']}"
        )
    else:
        lines.append("profile    none matches this host (generic extraction only)")

    listing = report["listing"]
    columns = [("generic", listing["generic"])] + ([("profile", listing["profile"])] if "profile" in listing else [])
    lines.append("")
    lines.append("LISTING  " + ", ".join(f"{name}: {len(part['entries'])} entries" for name, part in columns))
    for name, part in columns:
        for i, entry in enumerate(part["entries"], start=1):
            origin = entry.get("from", {})
            date = f"{entry['date_raw']} ({entry['date_source']})" if entry["date_raw"] else None
            lines.append(f"  {name[0]}{i:<3} {unquote(entry['url'])}")
            for label, field, value in (
                ("title", "title", entry["title"]),
                ("date", "date", date),
                ("excerpt", "excerpt", entry["excerpt"]),
            ):
                via = f" [{origin[field]}]" if field in origin else ""
                lines.append(f"        {label:<8} {_short(value)}{via}")
        nxt = part["next_page"]
        via = f" [{part['next_page_from']}]" if part.get("next_page_from") else ""
        lines.append(f"  next page ({name}): {unquote(nxt) if nxt else '-'}{via}")
        if part.get("fallbacks"):
            lines.append(f"  profile selectors that found nothing: {', '.join(part['fallbacks'])}")

    if report["template"]:
        lines += ["", "TEMPLATE  (learnt from this page; a draft profile to check and save as crawler/sites/NAME.toml)"]
        lines += report["template"].splitlines()
    article = report["article"]
    lines += ["", f"ARTICLE  ({article['paragraphs']} body paragraphs)"]
    for field in _SHOWN_ARTICLE_FIELDS:
        for name in ("generic", "profile"):
            if name not in article:
                continue
            cell = article[name][field]
            label = field if name == "generic" else ""
            lines.append(f"  {label:<10} {name:<8} {_short(cell['value'])}")
            lines.append(f"  {'':<10} {'':<8}   <- {cell['from'] or '-'}")
    lines += ["", "DATES FOUND  (in order of trust)"]
    for c in article["dates"] or []:
        lines.append(f"  {c['role']:<10} {c['source']:<13} {_short(c['raw'], 45):<45}  {c['from']}")
    if article["events"]:
        lines += ["", "NOTES    " + ", ".join(article["events"])]
    return "\n".join(lines) + "\n"


class _FetchOne(scrapy.Spider):
    """Fetches one URL through the project's downloader middlewares (robots, encoding, retries)."""

    name = "akhbar_inspect"
    custom_settings: ClassVar[dict[str, Any]] = {
        "ITEM_PIPELINES": {},  # nothing is stored: inspecting must not touch the database
        "FEEDS": {},
        "EXTENSIONS": {"crawler.feeds.RunManifest": None, "crawler.store_extension.StoreExtension": None},
        "LOG_LEVEL": "WARNING",
    }

    def __init__(self, url: str, sink: list[Response | Failure], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.url, self.sink = url, sink
        self.start_urls = [url]  # the SSRF guard allows the start URL's port

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(
            self.url,
            callback=self.got,
            errback=self.sink.append,
            dont_filter=True,
            meta={"handle_httpstatus_all": True},
        )

    def got(self, response: Response) -> None:
        self.sink.append(response)


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[--site NAME|PATH.toml] [--json] URL_OR_FIXTURE"

    def short_desc(self) -> str:
        return "Show what generic extraction and the site profile find on one page"

    def long_desc(self) -> str:
        return (__doc__ or "").strip()

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--site", help="profile name or .toml path (default: the one matching the host)")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("give one URL or one recorded fixture (.json or .html under fixtures/html)")
        target = args[0]
        try:
            forced = profile_by_name(opts.site) if opts.site else None
        except ProfileError as exc:
            raise UsageError(str(exc)) from None
        response = self._fixture(target) if not is_url(target) else self._fetch(target)
        if response is None:
            self.exitcode = 1
            return
        decision = decide_response(response)
        if decision.outcome.startswith("rejected"):
            print(f"akhbar inspect: page rejected ({decision.outcome}): {decision.reason}", file=sys.stderr)
            self.exitcode = 1
            return
        response = reread(response, decision)
        report = inspect_response(response, forced or profile_for_url(response.url), decision)
        if opts.json:
            print(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            sys.stdout.write(render_text(report))

    def _fixture(self, target: str) -> TextResponse | None:
        meta = Path(target).with_suffix(".json")
        if not meta.is_file() or not meta.with_suffix(".html").is_file():
            raise UsageError(f"{target} is neither a URL nor a recording (<name>.html beside <name>.json)")
        try:
            response = load_recording(meta)
        except (KeyError, ValueError) as exc:
            raise UsageError(f"{meta} is not a recording's metadata ({exc})") from None
        if not isinstance(response, TextResponse):
            print(f"akhbar inspect: {target} is not an HTML page", file=sys.stderr)
            return None
        return response

    def _fetch(self, url: str) -> TextResponse | None:
        assert self.crawler_process is not None
        sink: list[Response | Failure] = []
        self.crawler_process.crawl(_FetchOne, url=url, sink=sink)
        self.crawler_process.start()
        if not sink:
            print(f"akhbar inspect: no response for {url} (see the log above)", file=sys.stderr)
            return None
        got = sink[0]
        if isinstance(got, Failure):
            print(f"akhbar inspect: {url} failed: {got.getErrorMessage()}", file=sys.stderr)
            return None
        if not isinstance(got, TextResponse):
            print(f"akhbar inspect: {url} is not an HTML page ({got.headers.get('Content-Type')})", file=sys.stderr)
            return None
        return got
