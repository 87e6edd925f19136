"""What the article parts share: the value each part returns, entity-decoded text, and the
chrome test that keeps other articles' dates, links and tags out of this one's."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Generic, TypeVar

from lxml.html import HtmlElement

from crawler.extract.dom import is_chrome
from crawler.text import collapse_whitespace

T = TypeVar("T")


@dataclass(frozen=True)
class Found(Generic[T]):
    """One field's value (``None`` where the page is silent), where it came from, and what to count."""

    value: T | None = None
    origin: str | None = None
    events: tuple[str, ...] = ()


def clean(text: str | None) -> str:
    """Entities decoded (twice: lbcgroup.tv puts ``&quot;`` inside its JSON-LD) and whitespace collapsed."""
    if not text:
        return ""
    for _ in range(2):
        if "&" in text:
            text = html.unescape(text)
    return collapse_whitespace(text)


def in_chrome(el: HtmlElement, keep: frozenset[HtmlElement] = frozenset()) -> bool:
    """Inside a sidebar, menu, ticker or related block, whose dates and links are other articles'.

    ``keep`` holds the ancestors of the article's own title: a wrapper around the article is
    never chrome, whatever its class says (sputniknews wraps its articles in ``breakingnews``).
    A ``<footer>`` inside an article is that article's byline and date (Drupal's "submitted").
    """
    node: HtmlElement | None = el
    while node is not None and node not in keep:
        if isinstance(node.tag, str) and is_chrome(node) and not _article_footer(node):
            return True
        node = node.getparent()
    return False


def _article_footer(el: HtmlElement) -> bool:
    if el.tag != "footer":
        return False
    return any(a.tag == "article" or "Article" in f"{a.get('itemtype')} {a.get('typeof')}" for a in el.iterancestors())
