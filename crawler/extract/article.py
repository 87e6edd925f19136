"""Fields an article page adds to its listing entry: exact time, author, body.

Dates are taken in a fixed order of trust: JSON-LD, then meta tags, then
``<time datetime>``, then microdata, then visible text. The body is the
article container's paragraphs; related blocks and share bars are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement
from parsel import Selector

from crawler.extract.dom import is_chrome, text_of
from crawler.extract.structured import articles, json_ld_objects, meta_content, person_name

_BYLINE_PREFIX = re.compile(r"^\s*(بقلم|كتب|كتبت|كتبه|إعداد|اعداد|by)\s*[:：\-–]?\s*", re.IGNORECASE)
_BODY_CONTAINERS = (
    "[itemprop=articleBody]",
    ".entry-content",
    ".td-post-content",
    ".content-inner",
    ".post-body",
    ".article-body",
    ".articleBody",
    "#articleBody",
    ".field-name-body",
    ".story-body",
    "article",
)
_AUTHOR_SELECTORS = (
    "[rel=author]",
    "[itemprop=author] [itemprop=name]",
    "[itemprop=author]",
    ".author-name",
    ".byline",
)
_TIME_SELECTORS = ("time[itemprop=datePublished]", "time.published", "time.entry-date", "article time", "time")


@dataclass
class ArticleFields:
    """What an article page tells about itself; ``None`` where it is silent."""

    date_raw: str | None = None
    date_source: str | None = None
    author: str | None = None
    body: str | None = None


def _date(sel: Selector, ld: list[dict[str, object]]) -> tuple[str | None, str | None]:
    for obj in ld:
        value = obj.get("datePublished")
        if isinstance(value, str) and value.strip():
            return value.strip(), "json-ld"
    value = meta_content(sel, "article:published_time", "datePublished", "pubdate", "publishdate", "date")
    if value:
        return value, "meta"
    for css in _TIME_SELECTORS:
        value = sel.css(css).xpath("@datetime").get()
        if value and value.strip():
            return value.strip(), "time-tag"
    value = sel.css("[itemprop=datePublished]").xpath("@content").get()
    if value and value.strip():
        return value.strip(), "microdata"
    for css in (".entry-date", ".post-date", ".date", ".published", "time"):
        for el in sel.css(css):
            text = text_of(el.root)
            if text and len(text) <= 80:
                return text, "article-text"
    return None, None


def _author(sel: Selector, ld: list[dict[str, object]]) -> str | None:
    name = next((n for n in (person_name(obj.get("author")) for obj in ld) if n), None)
    name = name or meta_content(sel, "author", "article:author")
    if not name:
        for css in _AUTHOR_SELECTORS:
            for el in sel.css(css):
                name = text_of(el.root)
                if name:
                    break
            if name:
                break
    if not name or name.startswith("http"):
        return None
    return _BYLINE_PREFIX.sub("", name).strip() or None


def _outside_chrome(el: HtmlElement, container: HtmlElement) -> bool:
    node = el.getparent()
    while node is not None and node is not container:
        if is_chrome(node) or node.tag in ("figure", "blockquote"):
            return False
        node = node.getparent()
    return True


def _body(sel: Selector) -> str | None:
    for css in _BODY_CONTAINERS:
        for container in sel.css(css):
            root = container.root
            paragraphs = [text_of(p) for p in root.iter("p") if _outside_chrome(p, root)]
            text = "\n\n".join(p for p in paragraphs if p)
            if text:
                return text
    return None


def extract_article(sel: Selector) -> ArticleFields:
    """Read an article page; the spider merges the result into the listing entry."""
    ld = articles(json_ld_objects(sel))
    date_raw, date_source = _date(sel, ld)
    return ArticleFields(date_raw=date_raw, date_source=date_source, author=_author(sel, ld), body=_body(sel))
