"""Structured data a page declares about itself: JSON-LD, meta tags, microdata.

Structured values come first wherever a page has them; the DOM heuristics only
fill what they leave out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from parsel import Selector

ARTICLE_TYPES = frozenset(
    {"NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle"}
)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for child in node:
            yield from _walk(child)
    elif isinstance(node, dict):
        yield node
        if "@graph" in node:
            yield from _walk(node["@graph"])


def json_ld_objects(sel: Selector) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page, ``@graph`` members included; broken blocks are skipped."""
    objects: list[dict[str, Any]] = []
    for raw in sel.xpath('//script[@type="application/ld+json"]/text()').getall():
        try:
            data = json.loads(raw, strict=False)  # real sites leave raw newlines in strings
        except ValueError:
            continue
        objects.extend(_walk(data))
    return objects


def types_of(obj: dict[str, Any]) -> set[str]:
    """The ``@type`` of a JSON-LD object as a set, whether it is a string or a list."""
    value = obj.get("@type")
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {v for v in value if isinstance(v, str)}
    return set()


def articles(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The article-typed objects among ``objects``."""
    return [obj for obj in objects if types_of(obj) & ARTICLE_TYPES]


def item_list_entries(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Members of every ``ItemList``, unwrapped from ``ListItem``, each with a ``url``."""
    entries: list[dict[str, Any]] = []
    for obj in objects:
        if "ItemList" not in types_of(obj):
            continue
        for element in obj.get("itemListElement") or []:
            if not isinstance(element, dict):
                continue
            item = element.get("item") if isinstance(element.get("item"), dict) else element
            url = item.get("url") or item.get("@id") or element.get("url")
            if isinstance(url, str) and url:
                entries.append({**item, "url": url})
    return entries


def person_name(value: Any) -> str | None:
    """A JSON-LD ``author``: a string, a Person, or a list of them; names joined by a comma."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) and name else None
    if isinstance(value, list):
        names = [n for n in (person_name(v) for v in value) if n]
        return "، ".join(names) or None
    return None
