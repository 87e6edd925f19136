"""Small lxml helpers the extractors share: element text, class words, chrome detection."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from lxml.html import HtmlElement

from crawler.text import collapse_whitespace

_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "button", "select"})
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
        "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_WORD_SPLIT = re.compile(r"[\s_\-]+")

# Class/id words and tags that mark page chrome rather than the archive's own loop.
CHROME_WORDS = frozenset(
    {
        "sidebar", "ticker", "newsticker", "breaking", "breakingnews", "marquee",
        "related", "popular", "trending", "mostread", "footer", "menu", "navbar", "nav", "navigation",
        "breadcrumb", "breadcrumbs", "share", "social", "comments", "sidebox", "aside", "rail",
    }
)  # fmt: skip
CHROME_TAGS = frozenset({"nav", "aside", "footer"})
# Layout modifiers such as ``has-sidebar`` or ``sidebar-left`` sit on the page wrapper, not on chrome.
_MODIFIER_WORDS = frozenset({"has", "no", "with", "without", "is", "left", "right", "layout", "enabled", "disabled"})
CHROME_HEADINGS = re.compile(
    r"الأكثر|الاكثر|اقرأ أيضا|اقرأ ايضا|اقرأ أيضاً|ذات صلة|شاهد أيضا|آخر الأخبار|اخر الاخبار|عاجل|"
    r"الرسائل الشائعة|المزيد من|most read|popular|related|trending",
    re.IGNORECASE,
)


def words(value: str | None) -> set[str]:
    """Lower-case words of a class or id attribute: ``NewsCard_title__q7`` -> news, card, title, q7."""
    if not value:
        return set()
    return {w.lower() for w in _WORD_SPLIT.split(_CAMEL.sub(" ", value)) if w}


def _token_words(token: str) -> set[str]:
    """One class or id token's words plus its joined form (``most-read`` -> ``mostread``)."""
    return words(token) | {token.replace("-", "").replace("_", "").lower()}


@lru_cache(maxsize=4096)
def _attribute_words(class_: str | None, id_: str | None) -> frozenset[str]:
    return frozenset(w for attr in (class_, id_) for token in (attr or "").split() for w in _token_words(token))


def element_words(el: HtmlElement) -> frozenset[str]:
    """Words of an element's class and id, plus the joined forms (``most-read`` -> ``mostread``).

    Cached on the attribute strings, which repeat across every card of a page.
    """
    return _attribute_words(el.get("class"), el.get("id"))


@lru_cache(maxsize=4096)
def _chrome_attributes(class_: str | None, id_: str | None) -> bool:
    for attr in (class_, id_):
        for token in (attr or "").split():
            found = _token_words(token)
            if found & CHROME_WORDS and not found & _MODIFIER_WORDS:
                return True
    return False


def is_chrome(el: HtmlElement) -> bool:
    """True for navigation, sidebars, tickers, related blocks and footers."""
    if el.tag in CHROME_TAGS:
        return True
    if el.tag in ("body", "html"):
        return False
    return _chrome_attributes(el.get("class"), el.get("id"))


def text_of(el: HtmlElement, skip: Callable[[HtmlElement], bool] | None = None) -> str:
    """Visible text of an element with block boundaries as spaces; ``skip`` prunes subtrees."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        tag = node.tag
        if not isinstance(tag, str):  # comments and processing instructions
            if node.tail:
                parts.append(node.tail)
            return
        if tag in _SKIP_TAGS or (skip is not None and skip(node)):
            pass
        else:
            block = tag in _BLOCK_TAGS
            if block:
                parts.append(" ")
            if node.text:
                parts.append(node.text)
            for child in node:
                walk(child)
            if block:
                parts.append(" ")
        if node.tail and node is not el:
            parts.append(node.tail)

    walk(el)
    return collapse_whitespace("".join(parts))
