"""Entries from the server state a page embeds for its JavaScript front end.

Next.js writes ``<script id="__NEXT_DATA__" type="application/json">``; Angular Universal
writes its TransferState as ``<script id="serverApp-state" type="application/json">`` with
``&q;`` for quotes; other front ends embed plain ``application/json`` scripts. When a
page's HTML shows no convincing list (the cards are drawn by the browser), the largest
array of objects that each carry a link and a title is the archive's list.

``window.__NUXT__`` is a JavaScript function, not JSON: it is not read here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml.html import HtmlElement

_TRANSFER_ESCAPES = (("&q;", '"'), ("&s;", "'"), ("&l;", "<"), ("&g;", ">"), ("&a;", "&"))
_URL_KEYS = ("url", "link", "href", "permalink", "canonical_url", "path")
_TITLE_KEYS = ("title", "headline", "name")
_DATE_KEYS = ("datePublished", "published_at", "publishedAt", "publishDate", "date", "created_at", "createdAt")
_MIN_ITEMS = 3


@dataclass(frozen=True)
class StateEntry:
    """One list member of the embedded state: its link as written, title and date if any."""

    href: str
    title: str
    date: str | None


def _json_scripts(root: HtmlElement) -> Iterator[Any]:
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/json" or not script.text:
            continue
        text = script.text
        if "&q;" in text:
            for escaped, plain in _TRANSFER_ESCAPES:
                text = text.replace(escaped, plain)
        try:
            yield json.loads(text)
        except ValueError:
            continue


def _text(obj: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, dict):  # WordPress REST: {"title": {"rendered": "..."}}
            value = value.get("rendered")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _entry(obj: Any) -> StateEntry | None:
    if not isinstance(obj, dict):
        return None
    href, title = _text(obj, _URL_KEYS), _text(obj, _TITLE_KEYS)
    if not href or not title or not (href.startswith(("/", "http://", "https://"))):
        return None
    return StateEntry(href, title, _text(obj, _DATE_KEYS))


def _arrays(node: Any, depth: int = 0) -> Iterator[list[Any]]:
    if depth > 40:
        return
    if isinstance(node, list):
        yield node
        for child in node:
            yield from _arrays(child, depth + 1)
    elif isinstance(node, dict):
        for child in node.values():
            yield from _arrays(child, depth + 1)


def state_entries(root: HtmlElement) -> list[StateEntry]:
    """The largest list of linked, titled objects in the page's embedded JSON state, if any."""
    best: list[StateEntry] = []
    for data in _json_scripts(root):
        for array in _arrays(data):
            found = [e for e in (_entry(item) for item in array) if e is not None]
            if len(found) >= _MIN_ITEMS and len(found) * 2 >= len(array) and len(found) > len(best):
                best = found
    return best
