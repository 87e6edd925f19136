"""Find the next page of a listing, whatever pagination style the site uses.

Candidates are ranked by how explicit the page is about them: ``rel=next`` first,
then "next"-classed links, then link text such as «التالي» or «الأقدم», then the
smallest page number above the current one among numbered links. The spider
takes the first candidate it has not visited, so a cycle can never loop.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from lxml.html import HtmlElement
from parsel import Selector

from crawler.extract.dom import element_words
from crawler.extract.links import PageLinks
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


def _label(a: HtmlElement) -> str:
    text = a.text_content() if len(a) else (a.text or "")
    text = _ARROWS.sub(" ", text if text.strip() else a.get("aria-label", "") or a.get("title", ""))
    return " ".join(text.split())


def _has_next_words(a: HtmlElement) -> bool:
    parent = a.getparent()
    found = element_words(a) | (element_words(parent) if parent is not None else frozenset())
    return bool(found & _NEXT_WORDS)


def next_page_candidates(sel: Selector, page_url: str, exclude: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Next-page URLs in order of confidence. ``exclude`` holds url keys of entry links."""
    links = PageLinks(page_url)
    current_key = url_key(page_url)
    ranked: list[tuple[int, int, str]] = []

    def consider(url: str | None, rank: int, order: int) -> None:
        if url is None or not links.same_site(url):
            return
        key = url_key(url)
        if key == current_key or key in exclude:
            return
        ranked.append((rank, order, url))

    for order, href in enumerate(sel.xpath('//link[contains(concat(" ", @rel, " "), " next ")]/@href').getall()):
        consider(links.absolute(href), 0, order)

    current = page_number(page_url)
    identities = [current] if current else _first_page_identities(page_url)
    for order, a in enumerate(sel.root.iter("a")):
        href = a.get("href")
        if not href:
            continue
        if "next" in a.get("rel", "").lower().split() or _has_next_words(a):
            consider(links.absolute(href), 1, order)
        elif len(href) < 500 and _NEXT_TEXT.match(_label(a)):
            consider(links.absolute(href), 2, order)
        elif _MAYBE_NUMBERED.search(href) and (url := links.absolute(href)):
            numbered = page_number(url)
            if numbered and any(numbered[0] == ident and numbered[1] > n for ident, n in identities):
                consider(url, 3, numbered[1])
    ranked.sort()
    seen: set[str] = set()
    result = []
    for _rank, _order, url in ranked:
        if url_key(url) not in seen:
            seen.add(url_key(url))
            result.append(url)
    return result
