"""The DOM's repeated records on a listing page, found by scoring rather than by class words.

Every link to an article becomes the largest "card" that holds no other article; cards
are grouped by where they sit (their ancestors' tags and stable class words). Each group
is then scored on features that hold on pages nobody tuned for:

- where it sits: inside ``<main>`` and after the archive's heading, or under ``nav``,
  ``aside``, ``footer`` and chrome-named containers (a wrapper that holds the main content
  is never chrome, and class words the page's own URL uses, such as ``breaking`` on a
  breaking-news archive, are not chrome there);
- the heading it sits under («الأكثر قراءة», «ذات صلة», ...);
- its titles: menus and section links have one or two words, articles have sentences;
- its URLs: entries share a shape (depth, digits, a slug) that section links lack;
- what its cards hold: dates, excerpts, images;
- carousels, whose cloned slides repeat the same articles.

The best group is the archive loop; groups right next to it that look as good (top cards
above list rows) join it. The result names the winning structure as a value
(:class:`RecordPath`) that a later page, or a learnt template, can test cheaply. When no
group is convincing the result says so instead of returning menu links.

Everything here is linear in the page size: one pass over the anchors, one over the
document for positions, and per card only walks up its own ancestors.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median
from urllib.parse import unquote, urlsplit

from lxml.html import HtmlElement

from crawler.extract.card_dates import DATE_HINT
from crawler.extract.dom import CHROME_HEADINGS, CHROME_TAGS, CHROME_WORDS, element_words, is_chrome, text_of, words
from crawler.extract.links import PageLinks, anchors_with_href, page_key

_MAIN_WORDS = frozenset({"main", "content", "primary", "posts", "archive", "loop", "results"})
_CAROUSEL_WORDS = frozenset({"carousel", "slider", "slick", "swiper", "owl", "marquee", "slideshow", "splide"})
_CLONE_WORDS = frozenset({"cloned", "clone", "duplicate"})
# Blocks set apart from a list even when they sit right above it: a featured post, a widget, a promo.
_APART_WORDS = frozenset({"featured", "featuredpost", "widget", "sticky", "pinned", "promo", "sponsored", "spotlight"})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_HEADING_ENDINGS = ("title", "heading", "header")
# Hrefs of a pager: where an archive's list ends.
_PAGER_HREF = re.compile(r"[?&](page|paged|pg|start|updated-max|before|pageindex)=|/page/\d+", re.IGNORECASE)
# Text that may be a printed date: digits or a relative-time word.
# Paths that name a list of articles (sections, tags, authors, pages), not an article.
_NOT_ARTICLE_PATH = re.compile(
    r"/(tag|tags|category|categories|section|sections|author|authors|search|label|taxonomy|topics?|page)(/|$)"
    r"|/feed/?$|\.(jpe?g|png|gif|webp|svg|pdf|xml|rss|css|js)$",
    re.IGNORECASE,
)
_PAGINATION_QUERY = re.compile(r"(^|&)(page|paged|updated-max|start|max-results|before|after|cursor)=", re.I)
_VISIBLE_TEXT = ".//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]"
_MULTI = "\x00multi"  # marks an element that holds links to several articles


@dataclass(frozen=True)
class RecordPath:
    """The structure that won on a page: where its cards sit and what a card is.

    ``container`` is the cards' shared ancestor path (tags and stable class words, outermost
    last), ``card`` the card element's own label. Equal values on two pages mean the same
    template; a learnt template can be kept as this value and checked on later pages.
    """

    container: str
    card: str


@dataclass
class Group:
    """Cards that sit in the same place, with the features they are scored on."""

    path: RecordPath
    cards: list[HtmlElement] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    score: float = 0.0
    quality: float = 0.0  # the score per card: what joining groups are compared on
    chrome: bool = False
    chrome_cards: set[HtmlElement] = field(default_factory=set)  # cards under nav, aside, footer...
    title_words: float = 0.0


@dataclass
class Records:
    """The archive loop's cards in page order, each with its entry's key and URL."""

    cards: list[HtmlElement]
    link: dict[HtmlElement, tuple[str, str]]  # card -> (page key, url)
    path: RecordPath | None
    confident: bool
    groups: list[Group] = field(default_factory=list)


def article_url(href: str | None, links: PageLinks) -> str | None:
    """The absolute URL if ``href`` plausibly points at an article of this site."""
    if href and ((href[0] == "/" and not href.startswith("//")) or href.startswith(("http://", "https://"))):
        # Menus, tickers and footers repeat on every page of a site: decide each such href once.
        url = _site_article_url(href, links.origin)
    else:
        url = links.absolute(href)
        url = url if url is not None and _looks_like_article(url, links) else None
    if url is None or page_key(url) == links.page_key or _same_path(url, links.page_key):
        return None
    return url


def _same_path(url: str, listing_key: str) -> bool:
    """The listing's own path with another query (``list.php?cat=3``): a sibling listing, not an article."""
    key = page_key(url)
    return "?" in key and key.split("?", 1)[0] == listing_key.split("?", 1)[0]


@lru_cache(maxsize=16384)
def _site_article_url(href: str, origin: str) -> str | None:
    """The article URL a site-relative or absolute ``href`` names on the site at ``origin``, or ``None``.

    A memo of a pure function (same arguments, same answer, whichever page asks): menus,
    tickers and footers repeat on every page of a site, so each such href is decided once.
    """
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


def _is_clone(a: HtmlElement, stop: int = 6) -> bool:
    """A carousel's cloned slide (owl ``cloned``, slick ``slick-cloned``, swiper ``-duplicate``)."""
    node: HtmlElement | None = a
    for _ in range(stop):
        if node is None:
            return False
        value = node.get("class")
        if value and ("lon" in value or "upl" in value) and element_words(node) & _CLONE_WORDS:
            return True
        node = node.getparent()
    return False


def find_cards(root: HtmlElement, links: PageLinks) -> dict[HtmlElement, tuple[str, str]]:
    """Map each card element to ``(page key, url)``: the largest ancestor of an article
    link that contains no link to any other article. Cloned carousel slides are left out."""
    link_of: dict[HtmlElement, tuple[str, str]] = {}
    for a, href in anchors_with_href(root):
        url = article_url(href, links)
        if url is not None and not _is_clone(a):
            link_of[a] = (page_key(url), url)
    labels = _label_keys(link_of)
    link_of = {a: key_url for a, key_url in link_of.items() if key_url[0] not in labels}
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


def _label_keys(link_of: dict[HtmlElement, tuple[str, str]]) -> set[str]:
    """URLs only ever linked by a one-to-three-word text, never by an image, that label
    another entry's record: a section or source link (``<a href="/rubrique/regions">جهات</a>``,
    ``<a href="/source/12">نبض الديرة</a>``) inside a card, not an entry of its own.

    A key is such a label when the same text links it from several places (the menu and
    every card of that section), or when it sits in a small block with exactly one other
    article, whose link is a title (four words or more).
    """
    texts: dict[str, list[str]] = {}
    for a, (key, _url) in link_of.items():
        texts.setdefault(key, []).append(text_of(a))  # empty for an image link: it says nothing either way
    said = {key: [t for t in found if t] for key, found in texts.items()}
    titled = {key for key, found in said.items() if any(len(t.split()) >= 4 for t in found)}
    short = {key for key, found in said.items() if found and all(len(t.split()) <= 3 for t in found)}
    labels = {key for key in short if len(said[key]) >= 2 and len(set(said[key])) == 1}
    # Up to three keys each ancestor holds, nearest blocks first: enough to see "one other".
    held: dict[HtmlElement, list[str]] = {}
    for a, (key, _url) in link_of.items():
        for node in (a, *a.iterancestors()):
            keys = held.setdefault(node, [])
            if key in keys or len(keys) >= 3:
                break
            keys.append(key)
    anchors_of: dict[str, list[HtmlElement]] = {}
    for a, (key, _url) in link_of.items():
        anchors_of.setdefault(key, []).append(a)
    for a, (key, _url) in link_of.items():
        if key not in short or key in labels:
            continue
        for node in a.iterancestors():
            keys = held[node]
            if len(keys) > 1:
                other = next(k for k in keys if k != key)
                if len(keys) == 2 and other in titled and _beside(a, anchors_of[other], node):
                    labels.add(key)
                break
    return labels


def _beside(label: HtmlElement, others: list[HtmlElement], block: HtmlElement) -> bool:
    """Whether ``label`` sits in a different kind of part of ``block`` than the other article's
    link (a ``span.source`` beside an ``h3`` title), not in a sibling record of the same kind."""

    def part(el: HtmlElement) -> HtmlElement:
        while el.getparent() is not block:
            el = el.getparent()
        return el

    mine = label_of(part(label))
    return all(label_of(part(o)) != mine for o in others if block in o.iterancestors())


@lru_cache(maxsize=4096)
def _label(tag: str, class_: str | None, id_: str | None) -> str:
    stable = sorted(w for w in words(class_) | words(id_) if not any(c.isdigit() for c in w))
    return tag + "." + ".".join(stable)


def label_of(el: HtmlElement) -> str:
    """An element's tag and stable class words: what repeats from card to card."""
    tag = el.tag if isinstance(el.tag, str) else "#"
    return _label(tag, el.get("class"), el.get("id"))


def _signature(el: HtmlElement, memo: dict[HtmlElement, str]) -> str:
    """Where an element sits: the labels of its ancestors, nearest first (iterative, any depth)."""
    chain: list[HtmlElement] = []
    node = el.getparent()
    while node is not None and node not in memo:
        chain.append(node)
        node = node.getparent()
    known = memo[node] if node is not None else ""
    for ancestor in reversed(chain):
        known = label_of(ancestor) + ">" + known
        memo[ancestor] = known
    parent = el.getparent()
    return memo[parent] if parent is not None else ""


def record_paths(cards: Iterable[HtmlElement]) -> dict[HtmlElement, RecordPath]:
    """Each card's record path: what a learnt template keeps and a later page is matched on."""
    memo: dict[HtmlElement, str] = {}
    return {card: RecordPath(_signature(card, memo), label_of(card)) for card in cards}


class _Page:
    """What scoring needs to know about the whole page, computed once."""

    def __init__(self, root: HtmlElement, page_url: str) -> None:
        self.order: dict[HtmlElement, int] = {}
        main = heading = None
        elements = list(root.iter())
        for i, el in enumerate(elements):
            self.order[el] = i
            if not isinstance(el.tag, str):
                continue
            if main is None and (el.tag == "main" or el.get("role") == "main"):
                main = el
            elif heading is None and el.tag == "h1":
                heading = el
        self.main = main
        self.heading_at = self.order[heading] if heading is not None else -1
        anchor = main if main is not None else heading
        # Ancestors of the main content: a wrapper named "sidebar-grid" or "off-canvas menu" that
        # holds the page's main content is page structure, not chrome.
        self.main_line: set[HtmlElement] = set(anchor.iterancestors()) | {anchor} if anchor is not None else set()
        # A "menu" or "nav" that holds most of the page's text is a layout wrapper (or an
        # unclosed tag), not chrome: text lengths are measured only for such candidates.
        self._text_len: dict[HtmlElement, int] = {}
        self.page_text = self.text_len(root)
        path = unquote(urlsplit(page_url).path)
        self.url_words = words(re.sub(r"[^A-Za-z]+", " ", path))
        self.own_text = " ".join([re.sub(r"[-_/]+", " ", path), text_of(heading) if heading is not None else ""])

    def chrome_between(self, el: HtmlElement) -> bool:
        """Whether ``el`` is or sits in a chrome container (``nav``, ``aside``, ``footer``, a sidebar...)."""
        node = el
        while node is not None and node.tag not in ("body", "html"):
            if (
                node not in self.main_line
                and is_chrome(node)
                and not self._names_this_page(node)
                and self.text_len(node) * 2 < self.page_text
            ):
                return True
            node = node.getparent()
        return False

    def _names_this_page(self, node: HtmlElement) -> bool:
        """A chrome word the page's own URL uses: ``breaking`` on ``/breaking-news``."""
        if node.tag in CHROME_TAGS:
            return False
        chrome = element_words(node) & CHROME_WORDS
        return bool(chrome) and chrome <= self.url_words

    def text_len(self, el: HtmlElement) -> int:
        """Length of an element's visible text, scripts and styles left out (measured on demand)."""
        if el not in self._text_len:
            self._text_len[el] = sum(len(t.strip()) for t in el.xpath(_VISIBLE_TEXT))
        return self._text_len[el]

    def chrome_heading(self, heading: str) -> bool:
        """A «الأكثر قراءة» or «عاجل» heading, unless it names this very archive."""
        found = CHROME_HEADINGS.search(heading) if heading else None
        return found is not None and found.group(0) not in self.own_text

    def in_main(self, el: HtmlElement) -> bool:
        node = el.getparent()
        while node is not None:
            if node is self.main or element_words(node) & _MAIN_WORDS:
                return True
            node = node.getparent()
        return False


def _heading_like(el: HtmlElement) -> bool:
    """A heading element, or one named like a block title (``boxtitle``, ``card-header``)."""
    if el.tag in _HEADINGS:
        return True
    return any(w.endswith(_HEADING_ENDINGS) for w in element_words(el))


def block_heading(cards: list[HtmlElement], limit: int = 5) -> str:
    """Text of the nearest heading a block of cards sits under («الأكثر قراءة», ...), if any.

    A preceding sibling counts when it is heading-like or holds a heading-like element
    and no link (Bootstrap's ``.card > .card-header`` above a column of cards).
    """
    node = cards[0]
    for _ in range(limit):
        container = node.getparent()
        if container is None or container.tag in ("body", "html"):
            break
        sibling = node.getprevious()
        while sibling is not None:
            if isinstance(sibling.tag, str):
                label = sibling if _heading_like(sibling) else None
                if label is None and next(sibling.iter("a"), None) is None:
                    label = next((el for el in sibling.iter() if isinstance(el.tag, str) and _heading_like(el)), None)
                text = text_of(label) if label is not None else ""
                if text and len(text) < 80:
                    return text
            sibling = sibling.getprevious()
        node = container
    return ""


def _is_carousel(card: HtmlElement, limit: int = 6) -> bool:
    node = card.getparent()
    for _ in range(limit):
        if node is None:
            return False
        if node.tag == "marquee" or element_words(node) & _CAROUSEL_WORDS:
            return True
        node = node.getparent()
    return False


def url_shape(url: str) -> tuple[int, bool, bool]:
    """Path depth, whether it carries digits, whether its last part is a long slug."""
    path = url.split("://", 1)[-1].partition("/")[2].split("?", 1)[0].strip("/")
    parts = [p for p in path.split("/") if p]
    last = parts[-1] if parts else ""
    return len(parts), any(c.isdigit() for c in path), len(last) > 20 or last.count("-") >= 2


def _looks_like_sections(urls: list[str]) -> bool:
    """Short, digit-free one-part paths: ``/about``, ``/sports``; articles rarely look like that."""
    shapes = [url_shape(u) for u in urls]
    return all(depth <= 1 and not digits and not slug for depth, digits, slug in shapes)


def _title_words(title: str | None) -> int:
    return len(title.split()) if title else 0


def _score(group: Group, page: _Page, titles: dict, rich: dict, link: dict, ld_keys: set[str]) -> None:
    """Fill a group's score: unique entries weighted by how archive-like the block looks."""
    unique = len(set(group.keys))
    first = group.cards[0]
    tw = median(_title_words(titles[c]) for c in group.cards)
    group.title_words = tw
    quality = min(max(tw, 1.0), 8.0) / 8.0
    heading = block_heading(group.cards)
    group.chrome_cards = {card for card in group.cards if page.chrome_between(card)}
    group.chrome = len(group.chrome_cards) * 2 >= len(group.cards) or page.chrome_heading(heading)
    if group.chrome:
        quality *= 0.15
    if _is_carousel(first):
        quality *= 0.3
    if page.in_main(first):
        quality *= 1.5
    if page.heading_at >= 0:
        quality *= 1.3 if page.order[first] > page.heading_at else 0.7
    shapes = Counter(url_shape(link[c][1]) for c in group.cards)
    quality *= 0.6 + 0.4 * shapes.most_common(1)[0][1] / len(group.cards)
    if _looks_like_sections([link[c][1] for c in group.cards]):
        quality *= 0.3
    quality *= 1.0 + sum(rich[c] for c in group.cards) / len(group.cards)
    group.quality = quality
    group.score = unique * quality + 2.0 * len(ld_keys.intersection(group.keys))


def choose_records(
    root: HtmlElement,
    page_url: str,
    cards: dict[HtmlElement, tuple[str, str]],
    titles: dict[HtmlElement, str | None],
    rich: dict[HtmlElement, float],
    ld_keys: set[str],
) -> Records:
    """The archive loop among the page's cards: the best-scoring group and its good neighbours."""
    page = _Page(root, page_url)
    by_path: dict[str, Group] = {}
    for card, path in record_paths(cards).items():
        key = cards[card][0]
        group = by_path.setdefault(path.container, Group(path))
        group.cards.append(card)
        group.keys.append(key)
    groups = list(by_path.values())
    if not groups:
        return Records([], cards, None, False)
    for group in groups:
        _score(group, page, titles, rich, cards, ld_keys)
    best = max(groups, key=lambda g: (g.score, -page.order[g.cards[0]]))
    confident = not best.chrome and not (
        best.title_words <= 2
        and not any(rich[c] for c in best.cards)
        and _looks_like_sections([cards[c][1] for c in best.cards])
    )
    breaks = _breaks(root, cards, page)
    run = _best_run(best, breaks, page, cards)
    loop = _join_neighbours(best, run, groups, breaks, page)
    if not best.chrome:
        # An aside that an unclosed tag pulled in beside the list rows is still an aside.
        aside = {card for group in groups for card in group.chrome_cards}
        loop = [card for card in loop if card not in aside]
    return Records(loop, cards, best.path, confident, groups)


def _breaks(root: HtmlElement, cards: dict[HtmlElement, tuple[str, str]], page: _Page) -> list[int]:
    """Page positions where one block of cards ends and another begins: headings outside
    the cards that are not date headers, and pager links. Sorted."""
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        is_pager = el.tag == "a" and bool(_PAGER_HREF.search(el.get("href") or ""))
        named = (el.get("class") or el.get("id") or "").lower()
        heading = el.tag in _HEADINGS or (("title" in named or "head" in named) and _heading_like(el))
        if not (is_pager or heading) or any(node in cards for node in (el, *el.iterancestors())):
            continue
        if is_pager or not DATE_HINT.search(text_of(el)):
            found.append(page.order[el])
    return found


def _broken(breaks: list[int], a: int, b: int) -> bool:
    """Whether a break lies between page positions ``a`` < ``b``."""
    i = bisect_right(breaks, a)
    return i < len(breaks) and breaks[i] < b


def _best_run(best: Group, breaks: list[int], page: _Page, cards: dict) -> list[HtmlElement]:
    """The best group's cards cut at breaks (one table layout's list rows and its "most read"
    rows share a path); the run with the most entries that does not sit under a chrome heading."""
    ordered = sorted(best.cards, key=page.order.__getitem__)
    runs = [[ordered[0]]]
    for card in ordered[1:]:
        if _broken(breaks, page.order[runs[-1][-1]], page.order[card]):
            runs.append([])
        runs[-1].append(card)
    if len(runs) == 1:
        return runs[0]
    return max(runs, key=lambda r: (not page.chrome_heading(block_heading(r)), len({cards[c][0] for c in r})))


def without_rails(root: HtmlElement, page_url: str, cards: dict, loop: list[HtmlElement]) -> list[HtmlElement]:
    """``loop`` (cards a template's paths found) cut at breaks, without the runs under a
    «الأكثر قراءة»-like heading and the cards in chrome: a table layout's "most read" rows
    share the list's path, so a path alone cannot tell them apart."""
    page = _Page(root, page_url)
    breaks = _breaks(root, cards, page)
    ordered = sorted(loop, key=page.order.__getitem__)
    runs = [[ordered[0]]] if ordered else []
    for card in ordered[1:]:
        if _broken(breaks, page.order[runs[-1][-1]], page.order[card]):
            runs.append([])
        runs[-1].append(card)
    kept = [run for run in runs if not page.chrome_heading(block_heading(run))]
    return [card for run in kept for card in run if not page.chrome_between(card)]


def _join_neighbours(
    best: Group, run: list[HtmlElement], groups: list[Group], breaks: list[int], page: _Page
) -> list[HtmlElement]:
    """The best run plus adjacent cards of groups as good as it (top cards above the list
    rows, a blog's single-post and multi-post days), up to a break or a weaker block."""
    group_of = {card: g for g in groups for card in g.cards}
    best_line = set(best.cards[0].iterancestors())
    decided: dict[int, bool] = {}

    def set_apart(group: Group) -> bool:
        node = group.cards[0]
        while node is not None and node not in best_line:
            if element_words(node) & _APART_WORDS:
                return True
            node = node.getparent()
        return False

    def joins(group: Group) -> bool:
        if group is best:
            return True
        if id(group) not in decided:
            decided[id(group)] = (
                not group.chrome
                and not set_apart(group)
                and group.quality >= 0.5 * best.quality
                and group.title_words >= 0.5 * best.title_words
                and (page.heading_at < 0 or page.order[group.cards[0]] > page.heading_at)
            )
        return decided[id(group)]

    in_run = set(run)
    ordered = sorted(group_of, key=page.order.__getitem__)
    position = {card: i for i, card in enumerate(ordered)}
    start = min(position[c] for c in run)
    end = max(position[c] for c in run)

    def next_to(i: int, j: int) -> bool:
        a, b = sorted((page.order[ordered[i]], page.order[ordered[j]]))
        card = ordered[j]
        return not _broken(breaks, a, b) and (card in in_run or (group_of[card] is not best and joins(group_of[card])))

    while start > 0 and next_to(start, start - 1):
        start -= 1
    while end + 1 < len(ordered) and next_to(end, end + 1):
        end += 1
    return [c for c in ordered[start : end + 1] if c in in_run or (group_of[c] is not best and joins(group_of[c]))]
