"""The article's own part of the page, and the short lines printed in it.

A page prints many dates and names: a header clock, a ticker, sidebar lists, related posts.
The article's own date line and byline sit in the smallest element that holds both its
title and the start of its body, wherever the site's class names are French, Angular or a
2004 table layout. Its short lines (text split at ``|``, ``•`` and element boundaries) are
what the date and byline parts read when the page has no structured value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extract.article.parts import in_chrome
from crawler.extract.dom import text_of
from crawler.text import collapse_whitespace

_SEPARATORS = re.compile(r"\s*[|•·]\s*")
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "button", "select", "form", "figure"})
_LONGEST_LINE = 120  # characters: a date line or a byline, not a paragraph
_PROBE = 24  # characters of the body's first paragraph looked for in the page


@dataclass(frozen=True)
class Line:
    """One short text of the article's part, in page order; ``before_body`` when it precedes the text."""

    text: str
    element: HtmlElement
    before_body: bool
    preceding: str  # what the same block prints just before it (a label such as «آخر تحديث:»)


def locate_text(root: HtmlElement, first_paragraph: str) -> HtmlElement | None:
    """The element whose own text starts ``first_paragraph`` (the first one in page order)."""
    probe = collapse_whitespace(first_paragraph)[:_PROBE]
    if len(probe) < 8:
        return None
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            continue
        if el.text and probe in collapse_whitespace(el.text):
            return el
        for child in el:
            if child.tail and probe in collapse_whitespace(child.tail):
                return el
    return None


def article_scope(
    root: HtmlElement, title: HtmlElement | None, first_paragraph: str | None
) -> tuple[HtmlElement, HtmlElement] | None:
    """(the smallest element holding the title and the body's start, the body's start), else ``None``."""
    if title is None or not first_paragraph:
        return None
    body = locate_text(root, first_paragraph)
    if body is None:
        return None
    around_title = {title, *title.iterancestors()}
    scope = next((el for el in (body, *body.iterancestors()) if el in around_title), None)
    if scope is None or scope.tag in ("html", "body"):
        return None
    return scope, body


def _block_text(el: HtmlElement) -> str:
    block = el.getparent()
    return text_of(block) if block is not None else ""


def scope_lines(scope: HtmlElement, body: HtmlElement, keep: frozenset[HtmlElement]) -> list[Line]:
    """Every distinct short line of ``scope`` outside chrome, in page order; the body's own paragraphs left out."""
    lines: list[Line] = []
    seen: set[str] = set()
    before_body = True
    for el in scope.iter():
        if el is body:
            before_body = False
        if not isinstance(el.tag, str) or el.tag in _SKIP or el is scope:
            continue
        if any(a.tag in _SKIP for a in el.iterancestors()) or in_chrome(el, keep | {scope}):
            continue
        text = text_of(el)
        if not text or len(text) > 2 * _LONGEST_LINE:
            continue
        block = _block_text(el)
        for part in _SEPARATORS.split(text):
            if not part or len(part) > _LONGEST_LINE or part in seen:
                continue
            seen.add(part)
            at = block.find(part)
            lines.append(Line(part, el, before_body, block[max(0, at - 30) : max(0, at)] if at > 0 else ""))
    return lines
