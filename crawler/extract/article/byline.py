"""Who wrote the article: the name only, without «كتب:», «بقلم» or "By", and never the site's name."""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector

from crawler.extract.article.parts import Found, clean
from crawler.extract.article.scope import Line
from crawler.extract.article.title import is_site_name
from crawler.extract.dom import text_of
from crawler.extract.profiled import pick_texts
from crawler.extract.structured import person_name, types_of

BYLINE_PREFIX = re.compile(
    r"^\s*(بقلم|كتبت|كتبه|كتب|بواسطة|إعداد|اعداد|حوار|تقرير|متابعة|ترجمة|تحرير|by)(?!\w)\s*[:：\-–]?\s*",
    re.IGNORECASE,
)
_LONGEST_NAME = 5  # words: «كتب: …» followed by more is a sentence of the article, not a byline
_AUTHOR_CSS = ("[rel=author]", "[itemprop=author] [itemprop=name]", ".author-name", ".byline", ".author")


def strip_byline(text: str) -> str:
    """``text`` without a leading «كتب:», «بقلم» or "By"."""
    return BYLINE_PREFIX.sub("", text).strip()


def _scope_bylines(lines: list[Line]) -> list[tuple[str, str | None]]:
    """Lines above the article's text that start with «كتب:», «بقلم» or "By" and then name someone."""
    found: list[tuple[str, str | None]] = []
    for line in lines:
        name = strip_byline(line.text)
        if line.before_body and BYLINE_PREFIX.match(line.text) and 0 < len(name.split()) <= _LONGEST_NAME:
            found.append((f"byline in the article ({line.element.tag})", name))
    return found


def extract_author(
    sel: Selector,
    ld: list[dict[str, Any]],
    names: list[str],
    css: str | None = None,
    lines: list[Line] | None = None,
) -> Found[str]:
    """The first person's name from the profile, JSON-LD, meta tags, a labelled byline, then byline elements."""
    events: list[str] = []
    candidates: list[tuple[str, str | None]] = []
    if css:
        picked = pick_texts(sel, css)
        if picked:
            candidates.append((f"profile {css}", "، ".join(dict.fromkeys(BYLINE_PREFIX.sub("", p) for p in picked))))
        else:
            events.append("profile/fallback/article.author")
    for obj in ld:
        author = obj.get("author")
        people = author if isinstance(author, list) else [author]
        persons = [p for p in people if not (isinstance(p, dict) and types_of(p) & {"Organization"})]
        candidates.append(("json-ld author", person_name(persons)))
    for key in ("author", "article:author"):
        for attr in ("name", "property"):
            candidates += [(f"meta[{attr}={key}]", v) for v in sel.xpath(f'//meta[@{attr}="{key}"]/@content').getall()]
    candidates += [("meta[itemprop=author]", v) for v in sel.xpath('//meta[@itemprop="author"]/@content').getall()]
    candidates += _scope_bylines(lines or [])
    for selector in _AUTHOR_CSS:
        for el in sel.css(selector):
            if "Organization" in (el.root.get("itemtype") or ""):
                continue
            candidates.append((selector, text_of(el.root)))
    for source, value in candidates:
        name = strip_byline(clean(value)) if value else ""
        if not name or name.startswith("http") or len(name) > 80:
            continue
        if is_site_name(name, names):
            events.append("article/author/site_name_skipped")
            continue
        return Found(name, source, tuple(events))
    return Found(None, None, tuple(events))
