"""Find a tag archive's own entries on a listing page, and nothing else.

The page is read the way a person skims it: every link to an article becomes
the largest "card" that holds no other article; cards are grouped by where they
sit in the page; groups inside menus, sidebars, tickers and related blocks are
set aside; the richest remaining group (more cards, excerpts and dates, a
JSON-LD ItemList that agrees, a ``<main>`` around it) is the archive loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from lxml.html import HtmlElement
from parsel import Selector

from crawler.extract.card_dates import DATE_HINT, DATE_WORDS, CardDate, card_date
from crawler.extract.dom import element_words, text_of
from crawler.extract.embedded import state_entries
from crawler.extract.links import PageLinks, base_url, page_key
from crawler.extract.records import (
    RecordPath,
    article_url,
    choose_records,
    find_cards,
    record_paths,
    url_shape,
    without_rails,
)
from crawler.extract.structured import item_list_entries, json_ld_objects
from crawler.extract.template import Template, check, css_path, most_common_shape, page_independent
from crawler.text import collapse_whitespace

_TITLE_WORDS = frozenset({"title", "headline", "heading"})
_EXCERPT_WORDS = frozenset(
    {"excerpt", "summary", "snippet", "teaser", "brief", "intro", "description", "desc", "lead", "body", "abstract"}
)
_READ_MORE = re.compile(r"^(اقرأ|إقرأ|اقرا) ?(المزيد|أكثر|التفاصيل)|^المزيد$|^read more|^continue reading", re.I)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Card parts that describe the entry (byline, category, tags) rather than summarize it.
_META_WORDS = frozenset({"meta", "byline", "author", "category", "categories", "cat", "tags", "info"})


@dataclass
class Entry:
    """One archive entry as the listing shows it; text is raw, normalized later."""

    url: str
    title: str | None
    excerpt: str | None = None
    date_raw: str | None = None
    date_source: str | None = None


def _is_date_part(el: HtmlElement) -> bool:
    return el.tag == "time" or bool(element_words(el) & DATE_WORDS)


def _heading_text(card: HtmlElement, key: str, urls: dict[HtmlElement, str]) -> str | None:
    headings = [h for tag in _HEADINGS for h in card.iter(tag)]
    for heading in headings:  # a heading that links to the entry is its title
        if any(urls.get(a) == key for a in heading.iter("a")) and text_of(heading):
            return text_of(heading)
    titled = [
        el
        for el in card.iter()
        if isinstance(el.tag, str) and el.tag not in ("img", "time") and element_words(el) & _TITLE_WORDS
    ]
    for el in titled:  # the innermost: a "title" cell can also hold the date
        if not any(other is not el and other in titled for other in el.iterdescendants()):
            text = text_of(el, _is_date_part)
            if text:
                return text
    for heading in headings:
        if text_of(heading):
            return text_of(heading)
    return None


def _title(card: HtmlElement, key: str, urls: dict[HtmlElement, str]) -> str | None:
    """The entry's title however often the card repeats it: heading, link text, then attributes."""
    text = _heading_text(card, key, urls)
    if text:
        return text
    links = [a for a in card.iter("a") if urls.get(a) == key]
    texts = sorted((_link_text(a) for a in links), key=len, reverse=True)
    if texts and texts[0]:
        return texts[0]
    for a in links:
        for attr in ("title", "aria-label"):
            if a.get(attr, "").strip():
                return a.get(attr).strip()
    for img in card.iter("img"):
        if img.get("alt", "").strip():
            return img.get("alt").strip()
    return None


def _has_image(card: HtmlElement) -> bool:
    return next(card.iter("img"), None) is not None


def _link_text(a: HtmlElement) -> str:
    """A link's text, or its ``title`` when the text is that title plus a «المزيد» label."""
    text = text_of(a)
    title = collapse_whitespace(a.get("title") or "")
    return title if title and text.startswith(title) else text


def _preceding_dates(container: HtmlElement, loop: list[HtmlElement]) -> dict[HtmlElement, str]:
    """Dates printed once above several cards (Blogger's ``h2.date-header``), in one walk.

    A date-named element that holds no card and comes before a card in the page is that
    card's date until the next one.
    """
    cards = set(loop)
    holds_card: set[HtmlElement] = set()
    for card in loop:
        for node in card.iterancestors():
            if node in holds_card:
                break
            holds_card.add(node)
            if node is container:
                break
    found: dict[HtmlElement, str] = {}
    current: str | None = None
    stack = [container]
    while stack:
        node = stack.pop()
        if node in cards:
            if current:
                found[node] = current
            continue
        if not isinstance(node.tag, str):
            continue
        if node not in holds_card and node is not container:
            if element_words(node) & DATE_WORDS:
                text = text_of(node)
                if text and len(text) <= 80 and DATE_HINT.search(text):
                    current = text
            continue
        stack.extend(reversed(node))
    return found


def _excerpt(card: HtmlElement, title: str | None) -> str | None:
    """The card's summary: a summary-classed block, else its first substantial paragraph."""

    def skip(el: HtmlElement) -> bool:
        return (
            el.tag in _HEADINGS
            or el.tag == "time"
            or bool(el.tag == "a" and (_READ_MORE.search(text_of(el)) or element_words(el) & {"more"}))
        )

    def usable(el: HtmlElement) -> str | None:
        if next(el.iter(*_HEADINGS), None) is not None or element_words(el) & _META_WORDS:
            return None
        text = text_of(el, skip)
        if not text or text == title or len(text) < 15:
            return None
        return text

    for el in card.iter():
        if isinstance(el.tag, str) and el is not card and element_words(el) & _EXCERPT_WORDS:
            text = usable(el)
            if text:
                return text
    for p in card.iter("p"):
        text = usable(p)
        if text and not (element_words(p) & DATE_WORDS):
            return text
    return None


@dataclass
class ListingPage:
    """A listing page's entries and how sure the extraction is of them.

    ``path`` is the winning DOM structure (``None`` when entries came from structured data
    alone); ``confident`` is false when no block of the page looked like an archive loop,
    in which case ``entries`` is empty rather than a menu. ``template`` is the structure the
    entries came from as a reusable template (``None`` when no DOM block won); ``reused`` says
    a given template served this page; ``mismatch`` why a given template did not fit (the page
    then went through full extraction).
    """

    entries: list[Entry]
    path: RecordPath | None = None
    confident: bool = True
    date_disagreements: int = 0  # cards whose printed day contradicts their machine-readable date
    template: Template | None = None
    reused: bool = False
    mismatch: str | None = None


def extract_listing(sel: Selector, page_url: str, template: Template | None = None) -> ListingPage:
    """The archive's own entries in page order, one per article, with the structure they came from.

    With a ``template`` (learnt on an earlier page of the site) only the cards on its record
    paths are read and checked against it; a page that does not fit goes through full
    extraction, and ``mismatch`` says why.
    """
    root = sel.root
    links = PageLinks(page_url, base_url(root, page_url))
    cards = find_cards(root, links)
    ld_entries = {
        page_key(url): e for e in item_list_entries(json_ld_objects(sel)) if (url := links.absolute(e["url"]))
    }
    mismatch = None
    if template is not None:
        reused = _reuse(template, cards, links, ld_entries)
        if isinstance(reused, ListingPage):
            return reused
        mismatch = reused
    if not cards:
        if ld_entries:
            entries = [_entry_from_json_ld(page_url, e) for e in ld_entries.values()]
            return ListingPage(entries, None, True, mismatch=mismatch)
        return _from_state(root, links, mismatch)
    titles, excerpts, dates = _fields(cards, links)
    rich = {card: 0.5 * bool(excerpts[card]) + 0.5 * bool(dates[card].raw) + 0.25 * _has_image(card) for card in cards}
    records = choose_records(root, page_url, cards, titles, rich, set(ld_entries))
    if not records.confident:
        from_state = _from_state(root, links, mismatch)
        return from_state if from_state.entries else ListingPage([], records.path, False, mismatch=mismatch)
    entries, disagreements = _entries(records.cards, cards, titles, excerpts, dates, ld_entries)
    learnt = _learn(records.cards, cards, entries) if entries else None
    return ListingPage(entries, records.path, True, disagreements, learnt, mismatch=mismatch)


def _fields(
    cards: dict[HtmlElement, tuple[str, str]], links: PageLinks
) -> tuple[dict[HtmlElement, str | None], dict[HtmlElement, str | None], dict[HtmlElement, CardDate]]:
    """Title, excerpt and date of each card."""
    urls: dict[HtmlElement, str] = {}
    for card in cards:
        for a in card.iter("a"):
            url = links.absolute(a.get("href"))
            urls[a] = page_key(url) if url else ""
    titles = {card: _title(card, key, urls) for card, (key, _url) in cards.items()}
    excerpts = {card: _excerpt(card, titles[card]) for card in cards}
    dates = {card: card_date(card, titles[card]) for card in cards}
    return titles, excerpts, dates


def _reuse(
    template: Template, cards: dict[HtmlElement, tuple[str, str]], links: PageLinks, ld_entries: dict[str, dict]
) -> ListingPage | str:
    """The page read through ``template``, or why it does not fit."""
    wanted = set(template.containers)
    loop = [card for card, path in record_paths(cards).items() if page_independent(path.container) in wanted]
    if loop:
        loop = without_rails(loop[0].getroottree().getroot(), links.page_url, cards, loop)
    if not loop:
        return "no records on the template's paths"
    chosen = {card: cards[card] for card in loop}
    titles, excerpts, dates = _fields(chosen, links)
    entries, disagreements = _entries(loop, chosen, titles, excerpts, dates, ld_entries)
    reason = check(
        template,
        len(entries),
        sum(1 for e in entries if e.title),
        sum(1 for e in entries if e.date_raw),
        [url_shape(e.url) for e in entries],
    )
    if reason is not None:
        return reason
    return ListingPage(entries, None, True, disagreements, template, reused=True)


def _entries(
    loop: list[HtmlElement],
    cards: dict[HtmlElement, tuple[str, str]],
    titles: dict[HtmlElement, str | None],
    excerpts: dict[HtmlElement, str | None],
    dates: dict[HtmlElement, CardDate],
    ld_entries: dict[str, dict],
) -> tuple[list[Entry], int]:
    """The loop's entries, one per article, with dates printed above cards and JSON-LD filled in."""
    container = _common_ancestor(loop)
    preceding = _preceding_dates(container, loop) if container is not None else {}
    entries: list[Entry] = []
    seen: set[str] = set()
    disagreements = 0
    for card in loop:
        key, url = cards[card]
        if key in seen:
            continue
        seen.add(key)
        date_raw, date_source = dates[card].raw, dates[card].source
        disagreements += dates[card].disagreement
        ld = ld_entries.get(key, {})
        if isinstance(ld.get("datePublished"), str):
            date_raw, date_source = ld["datePublished"], "json-ld"
        elif date_raw is None and card in preceding:
            date_raw, date_source = preceding[card], "listing-text"
        entries.append(
            Entry(
                url=url,
                title=titles[card] or _ld_text(ld, "headline", "name"),
                excerpt=excerpts[card] or _ld_text(ld, "description"),
                date_raw=date_raw,
                date_source=date_source,
            )
        )
    return entries, disagreements


def _learn(loop: list[HtmlElement], cards: dict[HtmlElement, tuple[str, str]], entries: list[Entry]) -> Template:
    """The template of a page full extraction understood: its loop's record paths and what they held."""
    paths = record_paths(loop)
    first = loop[0]
    title_el = next((h for tag in _HEADINGS for h in first.iter(tag)), None)
    date_el = next((el for el in first.iter() if isinstance(el.tag, str) and _is_date_part(el)), None)
    return Template(
        containers=tuple(dict.fromkeys(page_independent(paths[card].container) for card in loop)),
        records=len(entries),
        titled=all(e.title for e in entries),
        dated=sum(1 for e in entries if e.date_raw) * 2 >= len(entries),
        url_shape=most_common_shape([url_shape(e.url) for e in entries]),
        entry_css=css_path(first, shared=set.intersection(*({*(c.get("class") or "").split()} for c in loop))),
        title_css=css_path(title_el, first) if title_el is not None else "",
        date_css=css_path(date_el, first) if date_el is not None else "",
    )


def _from_state(root: HtmlElement, links: PageLinks, mismatch: str | None) -> ListingPage:
    """Entries from the page's embedded JSON state, when its HTML shows no list of its own."""
    entries: list[Entry] = []
    seen: set[str] = set()
    for found in state_entries(root):
        url = article_url(found.href, links)
        if url is not None and page_key(url) not in seen:
            seen.add(page_key(url))
            entries.append(Entry(url, found.title, None, found.date, "listing-text" if found.date else None))
    return ListingPage(entries, None, bool(entries), mismatch=mismatch)


def extract_entries(sel: Selector, page_url: str) -> list[Entry]:
    """The archive's own entries in page order (see :func:`extract_listing`)."""
    return extract_listing(sel, page_url).entries


def _ld_text(obj: dict[str, object], *keys: str) -> str | None:
    for key in keys:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _entry_from_json_ld(page_url: str, obj: dict[str, object]) -> Entry:
    date = obj.get("datePublished")
    return Entry(
        url=urljoin(page_url, str(obj["url"])),
        title=_ld_text(obj, "headline", "name"),
        excerpt=_ld_text(obj, "description"),
        date_raw=date if isinstance(date, str) else None,
        date_source="json-ld" if isinstance(date, str) else None,
    )


def _common_ancestor(elements: list[HtmlElement]) -> HtmlElement | None:
    paths = []
    for el in elements:
        path = []
        node = el.getparent()
        while node is not None:
            path.append(node)
            node = node.getparent()
        paths.append(path[::-1])
    common = None
    for nodes in zip(*paths, strict=False):
        if all(n is nodes[0] for n in nodes):
            common = nodes[0]
        else:
            break
    return common


_TAG_PREFIX = re.compile(
    r"^\s*(أرشيف الوسم|أرشيف الوسوم|الوسم|وسم|الوسوم|أرشيف|التصنيف|تصنيف|القسم|الموضوع|التسمية|تسمية|"
    r"tag archives?|tag|tags|label|category|archives?)\s*[:：\-–|]\s*",
    re.IGNORECASE,
)
_TAG_HEADINGS = (
    ".page-title",
    ".archive-title",
    ".taxonomy-title",
    ".jeg_cat_title",
    ".td-page-title",
    "#page-title",
    ".archive-header h1",
    "main h1",
    "h1",
)


def archive_tag(sel: Selector, page_url: str) -> str | None:
    """The tag an archive page is about: its heading without the «الوسم:» prefix, else its URL slug."""
    for css in _TAG_HEADINGS:
        for el in sel.css(css):
            text = text_of(el.root)
            if text:
                return _TAG_PREFIX.sub("", text).strip() or None
    slug = unquote(urlsplit(page_url).path.rstrip("/").rsplit("/", 1)[-1])
    return slug.replace("-", " ").strip() or None
