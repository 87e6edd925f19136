"""The article's body: trafilatura's main text, as paragraphs and list items, one per line break,
without subheadings, tables or captions; the title, date line or byline kept above it removed.

The blog and CMS platforms mark the post's own text: Blogger ``.post-body``, WordPress
``.entry-content``, Drupal ``.field--name-body``/``.node__content``, Ghost ``.gh-content``,
Joomla and schema.org ``itemprop=articleBody``, and the ``article-body``/``story-body`` family.
When trafilatura's text starts outside every such container on the page (a blog's sidebar
"about" text is longer than a short post), the container after the title is read instead.
"""

from __future__ import annotations

from configparser import ConfigParser
from copy import deepcopy
from dataclasses import dataclass

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from parsel import Selector
from trafilatura.settings import use_config

from crawler.extract.article.byline import BYLINE_PREFIX, strip_byline
from crawler.extract.article.parts import Found, clean, in_chrome
from crawler.extract.article.scope import locate_text
from crawler.extract.article.title import same_title
from crawler.extract.dom import element_words, text_of
from crawler.text import collapse_whitespace

# Class and id words (joined: ``post-body`` -> ``postbody``) of the platforms' post containers.
_POST_BODY_WORDS = frozenset(
    {
        "postbody", "entrycontent", "articlebody", "fieldnamebody", "nodecontent", "ghcontent", "postcontent",
        "articlecontent", "storybody", "newsbody", "articletext", "storytext", "newstext", "itemfulltext",
        "comcontentarticlebody", "tdpostcontent", "jegpostcontent",
    }
)  # fmt: skip


@dataclass(frozen=True)
class Lead:
    """The body's paragraphs once the lines above the text are gone, and a byline found among them."""

    paragraphs: list[str]
    byline: str | None
    events: tuple[str, ...]


def trafilatura_config() -> ConfigParser:
    """trafilatura's settings for article bodies, a new object each call (trafilatura's own stay as they are).

    trafilatura compares its answer with its fallback extractors (readability, jusText) when
    the main text is shorter than MIN_EXTRACTED_SIZE (250 characters). On a short news item the
    fallbacks win with the share bar, captions and the date line, so any answer of the main
    extractor is trusted; the fallbacks still run when it finds nothing at all.
    """
    config = use_config()
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    return config


def _lines(el: etree._Element) -> list[str]:
    """An element's text split at trafilatura's ``<lb/>``: sites that separate paragraphs with ``<br>``."""
    lines = [""]

    def walk(node: etree._Element) -> None:
        if node.text:
            lines[-1] += node.text
        for child in node:
            if child.tag == "lb":
                lines.append("")
            else:
                walk(child)
            if child.tail:
                lines[-1] += child.tail

    walk(el)
    return [collapse_whitespace(line) for line in lines if line.split()]


def trafilatura_paragraphs(document: HtmlElement | str, url: str | None, config: ConfigParser) -> list[str]:
    """The main text's paragraphs and list items; subheadings, tables, captions and comments left out."""
    xml = trafilatura.extract(
        document,
        url=url,
        output_format="xml",
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_formatting=False,
        include_links=False,
        deduplicate=False,
        with_metadata=False,
        config=config,
    )
    if not xml:
        return []
    main = etree.fromstring(xml.encode("utf-8")).find("main")
    paragraphs: list[str] = []
    for el in main if main is not None else []:
        if el.tag in ("p", "quote"):
            paragraphs += _lines(el)
        elif el.tag == "list":
            for item in el.iter("item"):
                paragraphs += _lines(item)
    return paragraphs


def _plain_paragraphs(el: HtmlElement) -> list[str]:
    paragraphs = [text_of(p) for p in el.iter("p") if not in_chrome(p)]
    return [p for p in paragraphs if p] or ([text_of(el)] if text_of(el) else [])


def _container_paragraphs(el: HtmlElement, url: str | None, config: ConfigParser) -> tuple[list[str], bool]:
    """One container's paragraphs through trafilatura (ads and share bars go), else its plain
    paragraphs; the flag says which."""
    fragment = etree.tostring(el, encoding="unicode", method="html", with_tail=False)
    found = trafilatura_paragraphs(f"<html><body><article>{fragment}</article></body></html>", url, config)
    return (found, False) if found else (_plain_paragraphs(el), True)


def _profile_body(sel: Selector, url: str | None, css: str, config: ConfigParser) -> Found[list[str]]:
    """Paragraphs of what the profile's selector matches, every match in page order.

    Each match goes through trafilatura on its own (it keeps one main block per document,
    and would drop a lead paragraph kept in a sibling container), which still removes ads
    and share bars inside it; a match it finds nothing in gives its plain paragraphs.
    """
    matched = [el.root for el in sel.css(css) if isinstance(el.root, HtmlElement)]
    chosen = set(matched)
    paragraphs: list[str] = []
    plain = False
    for el in matched:
        if any(a in chosen for a in el.iterancestors()):
            continue
        found, was_plain = _container_paragraphs(el, url, config)
        paragraphs += found
        plain = plain or was_plain
    return Found(paragraphs, f"profile {css} ({'plain paragraphs' if plain else 'trafilatura'})")


def _post_containers(root: HtmlElement) -> list[HtmlElement]:
    """The platforms' post containers outside chrome, outermost ones only, in page order."""
    found = [
        el
        for el in root.iter()
        if isinstance(el.tag, str)
        and (el.get("itemprop") == "articleBody" or element_words(el) & _POST_BODY_WORDS)
        and not in_chrome(el)
    ]
    chosen = set(found)
    return [el for el in found if not any(a in chosen for a in el.iterancestors())]


def _post_container(sel: Selector, paragraphs: list[str], title: HtmlElement | None) -> HtmlElement | None:
    """The post container to read instead of trafilatura's answer, when that answer starts outside all of them."""
    containers = _post_containers(sel.root)
    if not containers or not paragraphs:
        return None
    start = locate_text(sel.root, paragraphs[0])
    if start is None or any(c is start or c in start.iterancestors() for c in containers):
        return None  # inside a post container, or nowhere to be sure of: trafilatura's answer stands
    if title is not None:
        order = {el: n for n, el in enumerate(sel.root.iter())}
        after = [c for c in containers if order[c] > order[title]]
        containers = after or containers
    return containers[0]


def extract_body(
    sel: Selector, url: str | None, config: ConfigParser, css: str | None = None, title: HtmlElement | None = None
) -> Found[list[str]]:
    """The body's paragraphs, from the profile's selector, else trafilatura on the whole page, else
    (when that starts outside the platform's post container) the post container after ``title``."""
    events: tuple[str, ...] = ()
    if css:
        profiled = _profile_body(sel, url, css, config)
        if profiled.value:
            return profiled
        events = ("profile/fallback/article.body",)
    # trafilatura cleans the tree it is given in place: give it a copy, the selector is still in use.
    paragraphs = trafilatura_paragraphs(deepcopy(sel.root), url, config)
    container = _post_container(sel, paragraphs, title)
    if container is not None:
        found, plain = _container_paragraphs(container, url, config)
        if found:
            name = container.tag + "".join(f".{c}" for c in (container.get("class") or "").split()[:2])
            origin = f"post container {name} ({'plain paragraphs' if plain else 'trafilatura'})"
            return Found(found, origin, (*events, "article/body/post_container"))
    return Found(paragraphs, "trafilatura", events)


def drop_leading_noise(paragraphs: list[str], title: str | None, date_raw: str | None) -> Lead:
    """The title, the date line or a byline («حوار: …») that a body extractor kept above the text."""
    byline: str | None = None
    events: list[str] = []
    while paragraphs:
        first = paragraphs[0]
        repeats_title = bool(title) and same_title(first, title or "")
        repeats_date = bool(date_raw) and clean(first) == clean(date_raw)
        if repeats_title or repeats_date:
            pass
        elif len(first.split()) <= 6 and BYLINE_PREFIX.match(first) and strip_byline(first):
            byline = byline or strip_byline(first)
            events.append("article/body/byline_removed")
        else:
            break
        paragraphs = paragraphs[1:]
    return Lead(paragraphs, byline, tuple(events))
