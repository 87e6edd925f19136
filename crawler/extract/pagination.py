"""Find the next page of a listing, whatever pagination style the site uses.

Candidates are ranked by how explicit the page is about them: ``rel=next`` first,
then "next"-classed links, then link text such as «التالي» or «الأقدم», then the
smallest page number above the current one among numbered links. The spider
takes the first candidate it has not visited, so a cycle can never loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml.html import HtmlElement
from parsel import Selector

from crawler.extract.dom import element_words
from crawler.extract.links import PageLinks, anchors_with_href
from crawler.text import collapse_whitespace
from crawler.urls import url_key

_NEXT_WORDS = frozenset({"next", "older", "nextpostslink", "nextpage", "pagernext", "olderposts"})
_NEXT_TEXT = re.compile(
    r"^(التالي|التالية|الصفحة التالية|الأقدم|أقدم|الأخبار الأقدم|المقالات الأقدم|المواضيع الأقدم|"
    r"المشاركات الأقدم|رسائل أقدم|الرسائل الأقدم|المزيد|المزيد من الأخبار|عرض المزيد|تحميل المزيد|"
    r"next|next page|older|older posts|older entries|more)$",
    re.IGNORECASE,
)
_ARROWS = re.compile(r"[«»‹›<>←→\u2190-\u21ff|]+")
_PATH_PAGE = re.compile(r"/page/(\d+)/?$")
_QUERY_PAGE_KEYS = ("page", "paged", "pg")
_MAYBE_NUMBERED = re.compile(r"/page/\d|[?&](page|paged|pg)=\d")  # cheap test before parsing a URL


def page_number(url: str) -> tuple[str, int] | None:
    """``(listing identity, page number)`` for URLs that number their pages.

    Two URLs of the same listing share the identity; the first page of a path
    style listing counts as page 1 and of a query style listing as page 0.
    """
    parts = urlsplit(url)
    match = _PATH_PAGE.search(parts.path)
    if match:
        return f"path:{parts.netloc}{parts.path[: match.start()]}?{parts.query}", int(match.group(1))
    query = parse_qsl(parts.query, keep_blank_values=True)
    for name in _QUERY_PAGE_KEYS:
        values = [v for k, v in query if k == name]
        if values and values[0].isdigit():
            rest = sorted((k, v) for k, v in query if k != name)
            return f"query:{name}:{parts.netloc}{parts.path.rstrip('/')}?{rest}", int(values[0])
    return None


def _first_page_identities(url: str) -> list[tuple[str, int]]:
    parts = urlsplit(url)
    rest = sorted(parse_qsl(parts.query, keep_blank_values=True))
    identities = [(f"path:{parts.netloc}{parts.path.rstrip('/')}?{parts.query}", 1)]
    identities += [(f"query:{name}:{parts.netloc}{parts.path.rstrip('/')}?{rest}", 0) for name in _QUERY_PAGE_KEYS]
    return identities


def _link_text(a: HtmlElement) -> str:
    """What a link says: its text, else its aria-label or title, arrows as spaces."""
    text = a.text_content() if len(a) else (a.text or "")
    text = _ARROWS.sub(" ", text if text.strip() else a.get("aria-label", "") or a.get("title", ""))
    return collapse_whitespace(text)


def _has_next_words(a: HtmlElement) -> bool:
    parent = a.getparent()
    found = element_words(a) | (element_words(parent) if parent is not None else frozenset())
    return bool(found & _NEXT_WORDS)


def _maybe_classed_next(a: HtmlElement) -> bool:
    """A cheap substring test before the word test: most anchors carry no "next"/"older" at all."""
    for value in (a.get("class"), a.get("id"), a.get("rel")):
        if value and ("ext" in value or "lder" in value):
            return True
    parent = a.getparent()
    value = parent.get("class") if parent is not None else None
    return bool(value and ("ext" in value or "lder" in value))


def _ranked_anchors(sel: Selector, page_url: str) -> Iterator[str]:
    """Hrefs in order of confidence, cheapest stages first: the spider usually stops at stage 0 or 1."""
    head = sel.root.find("head")
    for link in head.iter("link") if head is not None else ():
        if "next" in (link.get("rel") or "").lower().split() and link.get("href"):
            yield link.get("href")
    anchors = anchors_with_href(sel.root)
    for a, href in anchors:
        if _maybe_classed_next(a) and ("next" in a.get("rel", "").lower().split() or _has_next_words(a)):
            yield href
    for a, href in anchors:
        if len(href) < 500 and _NEXT_TEXT.match(_link_text(a)):
            yield href
    current = page_number(page_url)
    identities = [current] if current else _first_page_identities(page_url)
    numbered = []
    for _a, href in anchors:
        found = page_number(urljoin(page_url, href)) if _MAYBE_NUMBERED.search(href) else None
        if found and any(found[0] == ident and found[1] > n for ident, n in identities):
            numbered.append((found[1], href))
    yield from (href for _n, href in sorted(numbered, key=lambda pair: pair[0]))


def next_page_candidates(
    sel: Selector, page_url: str, exclude: set[str] | frozenset[str] = frozenset()
) -> Iterator[str]:
    """Next-page URLs in order of confidence, lazily. ``exclude`` holds url keys of entry links."""
    links = PageLinks(page_url)
    seen = {url_key(page_url), *exclude}
    for href in _ranked_anchors(sel, page_url):
        url = links.absolute(href)
        if url is None or not links.same_site(url):
            continue
        key = url_key(url)
        if key not in seen:
            seen.add(key)
            yield url
