"""Apply a site profile's selectors on top of generic extraction.

A profile overrides single fields; generic extraction still runs and fills the
rest, and takes over wherever a profile selector finds nothing (a redesign must
degrade to generic output, never to empty fields). What was overridden and what
fell back is returned, so the spider can count it and ``scrapy inspect`` can show it.

Selector values: ``css::text`` gives the joined text, ``css::attr(name)`` an
attribute, a plain ``css`` an element read for its purpose (visible text for a
title, ``href`` for a link, ``datetime``/``content`` before text for a date).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml.html import HtmlElement
from parsel import Selector

from crawler.extract.dom import text_of
from crawler.extract.listing import Entry, ListingPage, extract_listing
from crawler.extract.pagination import next_page_candidates
from crawler.extract.template import Template
from crawler.profiles import ListingSelectors
from crawler.text import collapse_whitespace
from crawler.urls import url_key

_ATTR = re.compile(r"^(?P<css>.*?)::attr\((?P<name>[^)]*)\)\s*$", re.DOTALL)
_TEXT = re.compile(r"^(?P<css>.*?)::text\s*$", re.DOTALL)


@dataclass(frozen=True)
class Picked:
    """A value a selector found and how: ``kind`` is ``text``, ``attr:<name>`` or ``element``."""

    value: str
    kind: str
    element: HtmlElement | None = None


def _elements(scope: Selector, css: str) -> Iterator[tuple[HtmlElement, str | None]]:
    """Elements ``css`` selects, with the attribute it asks for (``None`` for the element itself)."""
    match = _ATTR.match(css)
    base, attr = (match["css"], match["name"].strip()) if match else (css, None)
    for found in scope.css(base.strip() or "*"):
        if isinstance(found.root, HtmlElement):
            yield found.root, attr


def pick_text(scope: Selector, css: str) -> Picked | None:
    """The first non-empty text ``css`` gives: ``::text`` nodes, an attribute, or an element's visible text."""
    text_match = _TEXT.match(css)
    if text_match:
        for el in scope.css(text_match["css"]):
            text = collapse_whitespace(" ".join(el.css("::text").getall()))
            if text:
                return Picked(text, "text", el.root if isinstance(el.root, HtmlElement) else None)
        return None
    for el, attr in _elements(scope, css):
        value = el.get(attr) if attr else text_of(el)
        value = collapse_whitespace(value or "")
        if value:
            return Picked(value, f"attr:{attr}" if attr else "element", el)
    return None


def pick_texts(scope: Selector, css: str) -> list[str]:
    """Every non-empty text ``css`` gives, in page order (tags, several authors)."""
    text_match = _TEXT.match(css)
    if text_match:
        raw = [" ".join(el.css("::text").getall()) for el in scope.css(text_match["css"])]
    else:
        raw = [(el.get(attr) if attr else text_of(el)) or "" for el, attr in _elements(scope, css)]
    return [value for value in (collapse_whitespace(r) for r in raw) if value]


def _href(el: HtmlElement, attr: str | None) -> str | None:
    """The link an element stands for: the named attribute, its ``href``, or its first descendant's."""
    href = el.get(attr) if attr else el.get("href")
    if href is None and not attr:
        inner = next((a for a in el.iter("a") if a.get("href")), None)
        href = inner.get("href") if inner is not None else None
    href = (href or "").strip()
    return href if href and not href.startswith(("#", "javascript:")) else None


def pick_link(scope: Selector, css: str, base_url: str) -> str | None:
    """An absolute link: an attribute, an element's ``href``, or its first descendant ``a[href]``."""
    for el, attr in _elements(scope, css):
        href = _href(el, attr)
        if href:
            return urljoin(base_url, href).split("#", 1)[0]
    return None


def pick_image(scope: Selector, css: str, base_url: str) -> str | None:
    """An absolute image URL: an attribute, or an element's ``content``/``src``/lazy ``data-src``."""
    for el, attr in _elements(scope, css):
        names = (attr,) if attr else ("content", "data-src", "data-lazy-src", "src", "href")
        for name in names:
            value = (el.get(name) or "").strip()
            if value and not value.startswith("data:"):
                return urljoin(base_url, value)
    return None


def pick_date(scope: Selector, css: str, text_source: str) -> tuple[str, str] | None:
    """``(raw, date_source)``: a ``datetime``/``content`` attribute counts as structured, text as ``text_source``."""
    text_match = _TEXT.match(css)
    if text_match:
        picked = pick_text(scope, css)
        return (picked.value, text_source) if picked else None
    for el, attr in _elements(scope, css):
        for name in (attr,) if attr else ("datetime", "content"):
            value = collapse_whitespace(el.get(name) or "")
            if value:
                return value, _structured_source(el, name, text_source)
        if not attr:
            text = text_of(el)  # no digit needed: «منذ ساعة» is a date the profile points at
            if text:
                return text, text_source
    return None


def _structured_source(el: HtmlElement, attr: str, text_source: str) -> str:
    if attr == "datetime":
        return "time-tag"
    if attr == "content":
        if el.tag == "meta" and not el.get("itemprop"):
            return "meta"
        return "microdata"
    return text_source


@dataclass
class ProfiledListing:
    """A listing page's entries after the profile, with provenance for counters and ``scrapy inspect``."""

    entries: list[Entry]
    origins: list[dict[str, str]] = field(default_factory=list)  # per entry: field -> "profile" | "generic"
    fallbacks: list[str] = field(default_factory=list)  # profile selectors that found nothing on this page
    low_confidence: bool = False  # generic extraction found no convincing block and gave nothing
    date_disagreements: int = 0  # cards whose printed day contradicts their machine-readable date
    generic: ListingPage | None = None  # the generic extraction under it: its template, reuse and mismatch


def _all_generic(entries: list[Entry]) -> list[dict[str, str]]:
    return [dict.fromkeys(("title", "date", "excerpt"), "generic") for _ in entries]


def _card_title(card: Selector) -> str | None:
    for css in ("h1, h2, h3, h4, h5, h6", "a[href]"):
        picked = pick_text(card, css)
        if picked:
            return picked.value
    return None


def listing_entries(
    sel: Selector, page_url: str, listing: ListingSelectors | None, template: Template | None = None
) -> ProfiledListing:
    """Entries of one archive page: generic ones, or the profile's cards with fields filled generically.

    With an ``entry`` selector the profile decides which entries exist and in what order; each
    field comes from the profile's selector, else from the generic entry with the same URL, else
    from the card's first heading or link (title) and ``<time datetime>`` (date). A learnt
    ``template`` serves generic extraction (see :func:`extract_listing`).
    """
    page = extract_listing(sel, page_url, template)
    generic = page.entries
    if listing is None or listing.entry is None:
        return ProfiledListing(generic, _all_generic(generic), [], not page.confident, page.date_disagreements, page)
    cards = sel.css(listing.entry)
    if not cards:
        return ProfiledListing(
            generic, _all_generic(generic), ["listing.entry"], not page.confident, page.date_disagreements, page
        )
    by_key = {url_key(e.url): e for e in generic}
    result = ProfiledListing([], generic=page)
    missed: set[str] = set()
    seen: set[str] = set()
    for card in cards:
        url = pick_link(card, listing.link or "a[href]", page_url)
        if url is None:
            missed.add("listing.link")
            continue
        key = url_key(url)
        if key in seen:
            continue
        seen.add(key)
        fallback = by_key.get(key)
        origin: dict[str, str] = {}

        title_pick = pick_text(card, listing.title) if listing.title else None
        if listing.title and title_pick is None:
            missed.add("listing.title")
        origin["title"] = "profile" if title_pick else "generic"
        title = title_pick.value if title_pick else (fallback.title if fallback else None) or _card_title(card)

        date = pick_date(card, listing.date, "listing-text") if listing.date else None
        if listing.date and date is None:
            missed.add("listing.date")
        origin["date"] = "profile" if date else "generic"
        if date is None and fallback is not None and fallback.date_raw:
            date = (fallback.date_raw, fallback.date_source or "listing-text")
        elif date is None:
            date = pick_date(card, "time[datetime]", "listing-text")

        excerpt_pick = pick_text(card, listing.excerpt) if listing.excerpt else None
        if listing.excerpt and excerpt_pick is None:
            missed.add("listing.excerpt")
        origin["excerpt"] = "profile" if excerpt_pick else "generic"
        excerpt = excerpt_pick.value if excerpt_pick else (fallback.excerpt if fallback else None)

        result.entries.append(
            Entry(
                url=url,
                title=title,
                excerpt=excerpt,
                date_raw=date[0] if date else None,
                date_source=date[1] if date else None,
            )
        )
        result.origins.append(origin)
    result.fallbacks = sorted(missed)
    return result


def next_pages(
    sel: Selector, page_url: str, listing: ListingSelectors | None, exclude: set[str] | frozenset[str] = frozenset()
) -> Iterator[tuple[str, str]]:
    """``(url, "profile" | "generic")`` next-page candidates, the profile's first, lazily.

    Lazy because the spider stops at the first one it has not visited, and generic
    ranking is the expensive part.
    """
    skip = {url_key(page_url), *exclude}
    if listing is not None and listing.next_page:
        for el, attr in _elements(sel, listing.next_page):
            href = _href(el, attr)
            if href:
                url = urljoin(page_url, href).split("#", 1)[0]
                if url_key(url) not in skip:
                    skip.add(url_key(url))
                    yield url, "profile"
    for url in next_page_candidates(sel, page_url, exclude=exclude):
        if url_key(url) not in skip:
            skip.add(url_key(url))
            yield url, "generic"
