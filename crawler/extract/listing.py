"""Find a tag archive's own entries on a listing page, and nothing else.

The page is read the way a person skims it: every link to an article becomes
the largest "card" that holds no other article; cards are grouped by where they
sit in the page; groups inside menus, sidebars, tickers and related blocks are
set aside; the richest remaining group (more cards, excerpts and dates, a
JSON-LD ItemList that agrees, a ``<main>`` around it) is the archive loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote, urljoin, urlsplit

from lxml.html import HtmlElement
from parsel import Selector

from crawler.extract.dom import CHROME_HEADINGS, element_words, is_chrome, text_of, words
from crawler.extract.links import PageLinks, anchors_with_href, page_key
from crawler.extract.structured import item_list_entries, json_ld_objects

# Paths that name a list of articles (sections, tags, authors, pages), not an article.
_NOT_ARTICLE_PATH = re.compile(
    r"/(tag|tags|category|categories|section|sections|author|authors|search|label|taxonomy|topics?|page)(/|$)"
    r"|/feed/?$|\.(jpe?g|png|gif|webp|svg|pdf|xml|rss|css|js)$",
    re.IGNORECASE,
)
_PAGINATION_QUERY = re.compile(r"(^|&)(page|paged|updated-max|start|max-results)=", re.IGNORECASE)
_TITLE_WORDS = frozenset({"title", "headline", "heading"})
_DATE_WORDS = frozenset({"date", "time", "timestamp", "published", "publishtime", "datetime", "pubdate"})
_EXCERPT_WORDS = frozenset(
    {"excerpt", "summary", "snippet", "teaser", "brief", "intro", "description", "desc", "lead", "body", "abstract"}
)
_READ_MORE = re.compile(r"^(اقرأ|إقرأ|اقرا) ?(المزيد|أكثر|التفاصيل)|^المزيد$|^read more|^continue reading", re.I)
_DATE_HINT = re.compile(r"\d|[٠-٩۰-۹]|منذ|قبل|أمس|الأمس|اليوم|البارحة")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Card parts that describe the entry (byline, category, tags) rather than summarize it.
_META_WORDS = frozenset({"meta", "byline", "author", "category", "categories", "cat", "tags", "info"})
_MAIN_WORDS = frozenset({"main", "content", "primary", "posts", "archive", "loop", "results"})


@dataclass
class Entry:
    """One archive entry as the listing shows it; text is raw, normalized later."""

    url: str
    title: str | None
    excerpt: str | None = None
    date_raw: str | None = None
    date_source: str | None = None


@dataclass
class _Group:
    cards: list[HtmlElement] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def _article_url(href: str | None, links: PageLinks) -> str | None:
    """The absolute URL if ``href`` plausibly points at an article of this site."""
    if href and ((href[0] == "/" and not href.startswith("//")) or href.startswith(("http://", "https://"))):
        # Menus, tickers and footers repeat on every page of a site: decide each such href once.
        url = _site_article_url(href, links.origin, links.site)
    else:
        url = links.absolute(href)
        url = url if url is not None and _looks_like_article(url, links) else None
    if url is None or page_key(url) == links.page_key:
        return None
    return url


@lru_cache(maxsize=16384)
def _site_article_url(href: str, origin: str, site: str) -> str | None:
    links = PageLinks(origin + "/")
    url = links.absolute(href)
    return url if url is not None and _looks_like_article(url, links) else None


def _looks_like_article(url: str, links: PageLinks) -> bool:
    if not links.same_site(url):
        return False
    rest = url.split("://", 1)[1]
    slash = rest.find("/")
    path, _, query = (rest[slash:] if slash >= 0 else "/").partition("?")
    if _NOT_ARTICLE_PATH.search(path) or (query and _PAGINATION_QUERY.search(query)):
        return False
    return not (path in ("", "/") and not query)


_MULTI = "\x00multi"  # marks an element that holds links to several articles


def _cards(root: HtmlElement, links: PageLinks) -> dict[HtmlElement, tuple[str, str]]:
    """Map each card element to ``(link key, url)``: the largest ancestor of an article
    link that contains no link to any other article."""
    link_of: dict[HtmlElement, tuple[str, str]] = {}
    for a, href in anchors_with_href(root):
        url = _article_url(href, links)
        if url is not None:
            link_of[a] = (page_key(url), url)
    # Walk up from each link: an ancestor reached from two different articles holds several.
    holds: dict[HtmlElement, str] = {}
    for a, (key, _url) in link_of.items():
        for node in (a, *a.iterancestors()):
            seen = holds.get(node)
            if seen is None:
                holds[node] = key
            elif seen in (key, _MULTI):
                break
            else:
                holds[node] = _MULTI
    cards: dict[HtmlElement, tuple[str, str]] = {}
    for a, (key, url) in link_of.items():
        card = a
        parent = a.getparent()
        while parent is not None and parent.tag not in ("body", "html") and holds.get(parent) == key:
            card = parent
            parent = parent.getparent()
        cards.setdefault(card, (key, url))
    return cards


@lru_cache(maxsize=4096)
def _label(tag: str, class_: str | None, id_: str | None) -> str:
    stable = sorted(w for w in words(class_) | words(id_) if not any(c.isdigit() for c in w))
    return tag + "." + ".".join(stable)


def _signature(el: HtmlElement, memo: dict[HtmlElement, str]) -> str:
    """Where an element sits: the tags and stable class words of its ancestors."""
    parent = el.getparent()
    if parent is None:
        return ""
    if parent not in memo:
        memo[parent] = _label(parent.tag, parent.get("class"), parent.get("id")) + ">" + _signature(parent, memo)
    return memo[parent]


def _in_chrome(el: HtmlElement) -> bool:
    node: HtmlElement | None = el
    while node is not None:
        if is_chrome(node):
            return True
        node = node.getparent()
    return False


def _block_heading(cards: list[HtmlElement]) -> str:
    """Text of the heading a block of cards sits under ("الأكثر قراءة", ...), if any."""
    container = cards[0].getparent()
    for _ in range(3):
        if container is None:
            break
        for child in container:
            if child in cards:
                break
            if isinstance(child.tag, str) and (
                child.tag in _HEADINGS or element_words(child) & {"title", "heading", "header"}
            ):
                return text_of(child)
        container = container.getparent()
    return ""


def _inside(el: HtmlElement, tags: Iterable[str]) -> bool:
    node = el.getparent()
    while node is not None:
        if node.tag in tags or element_words(node) & _MAIN_WORDS:
            return True
        node = node.getparent()
    return False


def _is_date_part(el: HtmlElement) -> bool:
    return el.tag == "time" or bool(element_words(el) & _DATE_WORDS)


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
    texts = sorted((text_of(a) for a in links), key=len, reverse=True)
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


def _date(card: HtmlElement) -> tuple[str | None, str | None]:
    """The entry's date: ``<time datetime>``, microdata, then a date-looking text."""
    # A modified time only counts when it is the card's only time (tagDiv marks its one date "updated").
    times = sorted(card.iter("time"), key=lambda t: bool(element_words(t) & {"updated", "modified"}))
    for t in times:
        if t.get("datetime", "").strip():
            return t.get("datetime").strip(), "time-tag"
    for el in card.iter():
        if isinstance(el.tag, str) and el.get("itemprop") == "datePublished":
            value = el.get("content") or el.get("datetime")
            if value:
                return value.strip(), "microdata"
    for t in times:
        if text_of(t):
            return text_of(t), "listing-text"
    for el in card.iter():
        if not isinstance(el.tag, str) or (el.tag in ("a", "img") and not len(el)):
            continue
        if element_words(el) & _DATE_WORDS:
            text = text_of(el)
            if text and len(text) <= 60 and _DATE_HINT.search(text):
                return text, "listing-text"
    return None, None


def _preceding_date(card: HtmlElement, stop: HtmlElement | None) -> str | None:
    """A date header printed once above several cards (Blogger's ``h2.date-header``)."""
    node: HtmlElement | None = card
    while node is not None and node is not stop:
        sibling = node.getprevious()
        while sibling is not None:
            if isinstance(sibling.tag, str) and element_words(sibling) & _DATE_WORDS:
                text = text_of(sibling)
                if text and _DATE_HINT.search(text):
                    return text
            sibling = sibling.getprevious()
        node = node.getparent()
    return None


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
        if text and not (element_words(p) & _DATE_WORDS):
            return text
    return None


def _is_chrome_group(group: _Group) -> bool:
    return _in_chrome(group.cards[0]) or bool(CHROME_HEADINGS.search(_block_heading(group.cards)))


def _choose_group(groups: list[_Group], ld_keys: set[str], has_excerpt: set[HtmlElement]) -> _Group | None:
    """The archive loop: the richest group; ties go to the one earlier in the page."""
    best: tuple[float, int] | None = None
    chosen = None
    for order, group in enumerate(groups):
        score = float(len(set(group.keys)))
        score += sum(1 for c in group.cards if c in has_excerpt) * 0.5
        if ld_keys:
            score += 2 * len(ld_keys.intersection(group.keys))
        if _inside(group.cards[0], ("main",)):
            score *= 1.5
        candidate = (score, -order)
        if best is None or candidate > best:
            best, chosen = candidate, group
    return chosen


def _loop_cards(chosen: _Group, groups: list[_Group], order: dict[HtmlElement, int]) -> list[HtmlElement]:
    """The chosen group plus other card shapes inside the same loop container,
    such as Blogger's single-post and multi-post days, in page order."""
    container = _common_ancestor(chosen.cards)
    loop = list(chosen.cards)
    if container is not None and len(chosen.cards) > 1:
        for group in groups:
            if group is not chosen:
                loop += [c for c in group.cards if any(a is container for a in c.iterancestors())]
    return sorted(loop, key=order.__getitem__)


def extract_entries(sel: Selector, page_url: str) -> list[Entry]:
    """The archive's own entries in page order, one per article."""
    root = sel.root
    links = PageLinks(page_url)
    cards = _cards(root, links)
    ld_entries = {
        page_key(url): e for e in item_list_entries(json_ld_objects(sel)) if (url := links.absolute(e["url"]))
    }
    by_signature: dict[str, _Group] = {}
    memo: dict[HtmlElement, str] = {}
    for card, (key, _url) in cards.items():
        group = by_signature.setdefault(_signature(card, memo), _Group())
        group.cards.append(card)
        group.keys.append(key)
    if not by_signature:
        return [_entry_from_json_ld(page_url, e) for e in ld_entries.values()]
    groups = [g for g in by_signature.values() if not _is_chrome_group(g)]
    urls = {}
    for g in groups:
        for card in g.cards:
            for a in card.iter("a"):
                url = links.absolute(a.get("href"))
                urls[a] = page_key(url) if url else ""
    titles = {card: _title(card, cards[card][0], urls) for g in groups for card in g.cards}
    excerpts = {card: _excerpt(card, titles[card]) for card in titles}
    chosen = _choose_group(groups, set(ld_entries), {c for c, text in excerpts.items() if text})
    if chosen is None:
        return []
    order = {card: i for i, card in enumerate(cards)}
    loop = _loop_cards(chosen, groups, order)
    entries: list[Entry] = []
    seen: set[str] = set()
    stop = _common_ancestor(loop)
    for card in loop:
        key = cards[card][0]
        if key in seen:
            continue
        seen.add(key)
        title = titles[card]
        date_raw, date_source = _date(card)
        ld = ld_entries.get(key, {})
        if isinstance(ld.get("datePublished"), str):
            date_raw, date_source = ld["datePublished"], "json-ld"
        elif date_raw is None:
            date_raw = _preceding_date(card, stop)
            date_source = "listing-text" if date_raw else None
        entries.append(
            Entry(
                url=cards[card][1],
                title=title or _ld_text(ld, "headline", "name"),
                excerpt=excerpts[card] or _ld_text(ld, "description"),
                date_raw=date_raw,
                date_source=date_source,
            )
        )
    return entries


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
