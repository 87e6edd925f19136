"""The article's lead image and its tags (the links a reader sees before the meta keywords)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from lxml.html import HtmlElement
from parsel import Selector

from crawler.extract.article.parts import Found, clean, in_chrome
from crawler.extract.dom import element_words, text_of
from crawler.extract.profiled import pick_image, pick_texts

_TAG_CONTAINER_WORDS = frozenset({"tags", "posttags", "entrytags", "taglinks", "tagcloud"})
_LIST_SPLIT = re.compile(r"\s*[,،]\s*")


def extract_image(sel: Selector, ld: list[dict[str, Any]], url: str | None, css: str | None = None) -> Found[str]:
    """The lead image's absolute URL: profile, og/twitter meta, JSON-LD, microdata, WordPress's featured image."""
    base = url or ""
    events: tuple[str, ...] = ()
    if css:
        found = pick_image(sel, css, base)
        if found:
            return Found(found, f"profile {css}")
        events = ("profile/fallback/article.image",)
    for key in ("og:image", "og:image:url", "twitter:image", "twitter:image:src"):
        value = sel.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content').get()
        if value and value.strip():
            return Found(urljoin(base, value.strip()), f"meta[{key}]", events)
    for obj in ld:
        value = _ld_image(obj.get("image"))
        if value:
            return Found(urljoin(base, value), "json-ld image", events)
    value = sel.xpath('//*[@itemprop="image"]/@content | //link[@rel="image_src"]/@href').get()
    if value and value.strip():
        return Found(urljoin(base, value.strip()), "microdata image", events)
    # WordPress marks the featured image even when a theme prints no og:image.
    value = sel.xpath('//img[contains(concat(" ", @class, " "), " wp-post-image ")]/@src').get()
    if value and value.strip():
        return Found(urljoin(base, value.strip()), "img.wp-post-image", events)
    return Found(None, None, events)


def _ld_image(value: Any) -> str | None:
    if isinstance(value, str) and value.strip() and not value.startswith("#"):
        return value.strip()
    if isinstance(value, list):
        return next((found for found in map(_ld_image, value) if found), None)
    if isinstance(value, dict):
        return _ld_image(value.get("url") or value.get("contentUrl") or value.get("@list"))
    return None


def _split(values: list[str]) -> list[str]:
    out = []
    for value in values:
        for part in _LIST_SPLIT.split(clean(value)):
            if part and part not in out:
                out.append(part)
    return out


def _tag_links(sel: Selector, keep: frozenset[HtmlElement]) -> list[str]:
    """Texts of ``rel=tag`` links, else of a "tags" box small enough to be one article's."""
    links = [
        text_of(a)
        for a in sel.root.iter("a")
        if "tag" in (a.get("rel") or "").split() and "category" not in (a.get("rel") or "") and not in_chrome(a, keep)
    ]
    if not any(links):
        # A "tags" box (``div.post-tags``, ``.b-article__refs-tags``) small enough to be one article's.
        links = [
            text_of(a)
            for box in sel.root.iter()
            if isinstance(box.tag, str) and element_words(box) & _TAG_CONTAINER_WORDS and not in_chrome(box, keep)
            for a in (lambda found: found if len(found) <= 30 else [])(list(box.iter("a")))
        ]
    return [t for t in links if t]


def extract_tags(
    sel: Selector, ld: list[dict[str, Any]], css: str | None = None, keep: frozenset[HtmlElement] = frozenset()
) -> Found[list[str]]:
    """The article's tags; ``keep`` is the title's ancestors (never chrome)."""
    events: tuple[str, ...] = ()
    if css:
        picked = pick_texts(sel, css)
        if picked:
            return Found(list(dict.fromkeys(picked)), f"profile {css}")
        events = ("profile/fallback/article.tags",)
    links = _tag_links(sel, keep)
    if links:
        return Found(list(dict.fromkeys(links)), "tag links", events)
    # The tag links a reader sees come first: pages' meta tags and JSON-LD keywords are often
    # partial or padded for search engines.
    meta = sel.xpath('//meta[@property="article:tag" or @name="article:tag"]/@content').getall()
    if meta:
        return Found(_split(meta), "meta[article:tag]", events)
    for obj in ld:
        keywords = obj.get("keywords")
        values = keywords if isinstance(keywords, list) else [keywords] if isinstance(keywords, str) else []
        if values:
            return Found(_split([v for v in values if isinstance(v, str)]), "json-ld keywords", events)
    news = sel.xpath('//meta[@name="news_keywords"]/@content').getall()
    if news:
        return Found(_split(news), "meta[news_keywords]", events)
    return Found(None, None, events)
