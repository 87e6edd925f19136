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
from crawler.extract.links import PageLinks, anchors_with_href, base_url
from crawler.text import collapse_whitespace
from crawler.urls import url_key

_NEXT_WORDS = frozenset({"next", "older", "nextpostslink", "nextpage", "pagernext", "olderposts"})
_NEXT_TEXT = re.compile(
    r"^((عرض|تحميل|شاهد|تصفح|إظهار|اظهار) )?"
    r"(التالي|التالية|الصفحة التالية|الأقدم|أقدم|الأخبار الأقدم|المقالات الأقدم|المواضيع الأقدم|"
    r"المشاركات الأقدم|التدوينات الأقدم|رسائل أقدم|الرسائل الأقدم|المزيد|مزيد|"
    r"next|next page|older|older posts|older entries|more|load more|show more)"
    r"( من (الأخبار|المقالات|المواضيع|التدوينات|الموضوعات|النتائج|الرسائل))?$",
    re.IGNORECASE,
)
# Load-more buttons name the next page in an attribute, not an href.
_NEXT_ATTRIBUTES = ("data-next-url", "data-next-page-url", "data-next", "data-next-page", "data-url", "data-href")
_MORE_WORDS = frozenset({"more", "loadmore", "load", "next", "pagination", "pager"})
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_CURRENT_WORDS = frozenset({"active", "current", "selected", "on"})
_ARROWS = re.compile(r"[«»‹›<>←→\u2190-\u21ff|]+")
_PATH_PAGE = re.compile(r"/page/(\d+)/?$")
_QUERY_PAGE_KEYS = ("page", "paged", "pg", "p", "pageIndex", "pageindex")
_MAYBE_NUMBERED = re.compile(r"/page/\d|[?&](page|paged|pg|p|pageIndex|pageindex)=\d")  # cheap test first


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
    """What a link says: its text, else its aria-label or title (an icon-only link), arrows as spaces."""
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


def _in_post_form(a: HtmlElement) -> bool:
    """A link inside a ``<form method=post>``: «المزيد» that posts the form is not a page."""
    return any(node.tag == "form" and (node.get("method") or "").lower() == "post" for node in a.iterancestors())


def _number(text: str) -> int | None:
    folded = text.translate(_DIGITS).strip()
    return int(folded) if folded.isdigit() and len(folded) < 6 else None


def _numbered_pager(anchors: list[tuple[HtmlElement, str]]) -> Iterator[str]:
    """The link numbered one more than the current page, in pagers whose links are only numbers
    (``١ ٢ ٣``, the current one an ``li.active > span`` or ``aria-current``), whatever their URLs."""
    by_pager: dict[HtmlElement, dict[int, str]] = {}
    for a, href in anchors:
        n = _number(_link_text(a))
        parent = a.getparent()
        if n is None or parent is None:
            continue
        pager = parent.getparent() if parent.tag == "li" and parent.getparent() is not None else parent
        by_pager.setdefault(pager, {})[n] = href
    for pager, numbered in by_pager.items():
        current = _current_number(pager)
        if current is not None and current + 1 in numbered:
            yield numbered[current + 1]


def _current_number(pager: HtmlElement) -> int | None:
    """The number a pager marks as this page: a number that is not a link, or one marked current."""
    for el in pager.iter():
        if not isinstance(el.tag, str) or len(el):
            continue
        n = _number(el.text or "")
        if n is None:
            continue
        marked = el.get("aria-current") or any(
            element_words(node) & _CURRENT_WORDS for node in (el, el.getparent()) if node is not None
        )
        if marked or (el.tag != "a" and not any(node.tag == "a" for node in el.iterancestors())):
            return n
    return None


def _load_more(root: HtmlElement) -> Iterator[str]:
    """``data-next-url`` and the like on a "load more" button or link."""
    for el in root.iter("a", "button", "div", "span", "li"):
        for name in _NEXT_ATTRIBUTES:
            value = (el.get(name) or "").strip()
            if value and not value.isdigit() and _is_more_button(el, name):
                yield value


def _is_more_button(el: HtmlElement, attribute: str) -> bool:
    return (
        attribute.startswith("data-next")
        or bool(element_words(el) & _MORE_WORDS)
        or bool(_NEXT_TEXT.match(_link_text(el)))
    )


def _ranked_anchors(sel: Selector, page_url: str) -> Iterator[str]:
    """Hrefs in order of confidence, cheapest stages first: the spider usually stops at stage 0 or 1."""
    head = sel.root.find("head")
    for link in head.iter("link") if head is not None else ():
        if "next" in (link.get("rel") or "").lower().split() and link.get("href"):
            yield link.get("href")
    anchors = [(a, href) for a, href in anchors_with_href(sel.root) if not _in_post_form(a)]
    for a, href in anchors:
        if _maybe_classed_next(a) and ("next" in a.get("rel", "").lower().split() or _has_next_words(a)):
            yield href
    for a, href in anchors:
        if len(href) < 500 and _NEXT_TEXT.match(_link_text(a)):
            yield href
    yield from _load_more(sel.root)
    yield from _numbered_pager(anchors)
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
    links = PageLinks(page_url, base_url(sel.root, page_url))
    seen = {url_key(page_url), *exclude}
    for href in _ranked_anchors(sel, page_url):
        url = links.absolute(href)
        if url is None or not links.same_site(url):
            continue
        key = url_key(url)
        if key not in seen:
            seen.add(key)
            yield url
