"""What an article page says about itself: times, title, author, body, image and tags.

Times come from the most trusted source that has them (``docs/profiles.md``):

0. the site profile's selector: a person checked this site;
1. JSON-LD, ``@graph`` included (article objects, then ``WebPage``);
2. meta tags (``article:published_time``, ``pubdate``, ``datePublished``, ...);
3. ``<time datetime>`` outside page chrome;
4. microdata and RDFa (``itemprop``/``property`` with ``content`` or ``datetime``);
5. visible text of a date element outside page chrome.

Among 1-4 an ISO 8601 value beats a non-ISO one from a more trusted source
(akhbarelyom.com prints Arabic text in ``article:published_time``), so the text
parser only sees what no machine-readable source gives. A modified time earlier
than the published one is a stale template value: it is dropped and counted.

The title is the page's ``h1`` when page metadata confirms it (two identical
``h1``s are one; a logo or copyright ``h1`` is not confirmed), else the JSON-LD
headline, ``og:title`` or ``<title>`` with the site name cut off. The body is
trafilatura's main text: its paragraphs and list items, one paragraph per line
break, without subheadings, tables or captions.

Pure: a parsel ``Selector`` in, a dataclass out; ``events`` name what the spider counts.
"""

from __future__ import annotations

import html
import re
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from parsel import Selector
from trafilatura.settings import use_config

from crawler.dates.iso import parse_iso
from crawler.extract.dom import element_words, is_chrome, text_of
from crawler.extract.profiled import pick_date, pick_image, pick_text, pick_texts
from crawler.extract.structured import articles, json_ld_objects, person_name, types_of
from crawler.items import STRUCTURED_DATE_SOURCES as STRUCTURED
from crawler.profiles import ArticleSelectors
from pipelines.keys import title_key

_BYLINE_PREFIX = re.compile(
    r"^\s*(بقلم|كتبت|كتبه|كتب|إعداد|اعداد|حوار|تقرير|متابعة|ترجمة|تحرير|by)(?!\w)\s*[:：\-–]?\s*", re.IGNORECASE
)
_TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ", " « ", " » ", " · ", " • ")
_WEBPAGE_TYPES = frozenset({"WebPage", "ItemPage"})
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datePublished", "pubdate", "publishdate", "publish_date",
    "published_time", "date", "dc.date.issued", "DC.date.issued", "dcterms.created", "sailthru.date",
    "parsely-pub-date",
)  # fmt: skip
_MODIFIED_META = ("article:modified_time", "og:updated_time", "dateModified", "lastmod", "dcterms.modified")
_PUBLISHED_PROPS = (
    "datePublished",
    "schema:datePublished",
    "dateCreated",
    "dc:date",
    "dcterms:created",
    "dcterms:issued",
)
_MODIFIED_PROPS = ("dateModified", "schema:dateModified", "dcterms:modified", "dc:modified")
_MODIFIED_WORDS = frozenset({"updated", "modified", "upd", "update", "lastmod"})
# A clock in the page header shows when the page was rendered, not when the article was published.
_CLOCK_WORDS = frozenset({"header", "top", "today", "clock", "current", "now", "topbar"})
_TEXT_DATE_CSS = (
    ".entry-date", ".post-date", ".published", ".article-date", ".story-date", ".news-date", ".date", ".timestamp",
    "time",
)  # fmt: skip
_DATE_HINT = re.compile(r"\d{4}|[٠-٩]{4}")
_AUTHOR_CSS = ("[rel=author]", "[itemprop=author] [itemprop=name]", ".author-name", ".byline", ".author")
_TAG_CONTAINER_WORDS = frozenset({"tags", "posttags", "entrytags", "taglinks", "tagcloud"})
_LIST_SPLIT = re.compile(r"\s*[,،]\s*")


@dataclass(frozen=True)
class DateCandidate:
    """One date the page states, with where it stands in the order of trust."""

    role: str  # "published" or "modified"
    raw: str
    source: str  # json-ld, meta, time-tag, microdata, article-text
    detail: str  # e.g. "json-ld NewsArticle.datePublished", "meta[property=article:published_time]"

    @property
    def iso(self) -> datetime | None:
        return parse_iso(self.raw)


@dataclass
class ArticleFields:
    """What an article page tells about itself; ``None`` (or an empty list) where it is silent."""

    date_raw: str | None = None
    date_source: str | None = None
    modified_raw: str | None = None
    modified_source: str | None = None
    title: str | None = None
    author: str | None = None
    body: str | None = None
    image: str | None = None
    tags: list[str] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)  # field -> where its value came from
    dates: list[DateCandidate] = field(default_factory=list)  # every date found, in order of trust
    events: list[str] = field(default_factory=list)  # counter names under ``akhbar/``


def _earlier(modified: DateCandidate, published: DateCandidate) -> bool:
    """True when the modified time is certainly before the published one."""
    m, p = modified.iso, published.iso
    if m is None or p is None:
        return False
    date_only = len(modified.raw.strip()) <= 10 or len(published.raw.strip()) <= 10
    mixed = (m.tzinfo is None) != (p.tzinfo is None)
    if date_only:
        # A bare date is a local day; beside an offset time the two days may differ by one.
        return (p.date() - m.date()).days > (1 if mixed else 0)
    if mixed:
        # A local clock beside an offset clock: zones span 26 hours, so only more than that is certain.
        return p.replace(tzinfo=None) - m.replace(tzinfo=None) > timedelta(hours=26)
    return m < p


def _in_chrome(el: HtmlElement, keep: frozenset[HtmlElement] = frozenset()) -> bool:
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


def _clean(text: str | None) -> str:
    """Entities decoded (twice: lbcgroup.tv puts ``&quot;`` inside its JSON-LD) and whitespace collapsed."""
    if not text:
        return ""
    for _ in range(2):
        if "&" in text:
            text = html.unescape(text)
    return " ".join(text.split())


# --- site names -------------------------------------------------------------------------------


def _compact(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _host_stem(url: str | None) -> str | None:
    host = urlsplit(url or "").hostname or ""
    labels = [label for label in host.split(".") if label not in ("www", "m", "ar", "arabic")]
    return labels[-2] if len(labels) >= 2 else (labels[0] if labels else None)


def site_names(
    sel: Selector, objects: list[dict[str, Any]], url: str | None, declared: tuple[str, ...] = ()
) -> list[str]:
    """Names the site calls itself: og:site_name, JSON-LD WebSite/Organization/publisher, the profile's."""
    names = list(declared)
    names += sel.xpath('//meta[@property="og:site_name" or @name="application-name"]/@content').getall()
    for obj in objects:
        if types_of(obj) & {"WebSite", "Organization", "NewsMediaOrganization"}:
            names += [v for v in (obj.get("name"), obj.get("alternateName")) if isinstance(v, str)]
        publisher = obj.get("publisher")
        if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
            names.append(publisher["name"])
    cleaned = []
    for name in names:
        name = _clean(name)
        if name.startswith("http"):
            name = _host_stem(name) or ""
        if name and name not in cleaned:
            cleaned.append(name)
    stem = _host_stem(url)
    if stem and stem not in cleaned:
        cleaned.append(stem)
    return cleaned


def _near(a: str, b: str) -> bool:
    """Equal, or one is the other plus at most two words («بوابة أخبار اليوم الإلكترونية»)."""
    short, long_ = sorted((a, b), key=len)
    return short == long_ or (long_.startswith(short + " ") and len(long_.split()) - len(short.split()) <= 2)


def is_site_name(text: str, names: list[str]) -> bool:
    """Whether ``text`` is one of ``names`` (spelling noise folded), or the host's name in Latin letters."""
    key = title_key(text)
    if not key:
        return False
    compact = _compact(text).removesuffix("com").removesuffix("net")
    for name in names:
        other = title_key(name)
        if other and _near(key, other):
            return True
        stem = _compact(name)
        if len(stem) >= 3 and compact.startswith(stem) and len(compact) <= len(stem) + 10:
            return True  # «CNNArabic.com», «Beirut Observer» for the host's own name
    return False


def strip_site_name(title: str, names: list[str]) -> str:
    """``title`` without a site-name prefix or suffix such as « - اليوم السابع»."""
    changed = True
    while changed:
        changed = False
        for sep in _TITLE_SEPARATORS:
            if sep not in title:
                continue
            head, _, tail = title.rpartition(sep)
            if head.strip() and is_site_name(tail, names):
                title, changed = head.strip(), True
                continue
            head, _, tail = title.partition(sep)
            if tail.strip() and is_site_name(head, names):
                title, changed = tail.strip(), True
    return title


# --- title ------------------------------------------------------------------------------------


def _agree(a: str, b: str) -> bool:
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb:
        return False
    short, long_ = sorted((ka, kb), key=len)
    return short == long_ or (short in long_ and len(short) >= 0.6 * len(long_))


def _meta_titles(sel: Selector, ld: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = [(f"json-ld {'/'.join(sorted(types_of(o)))}.headline", o.get("headline")) for o in ld]
    for key in ("og:title", "twitter:title"):
        found += [
            (f"meta[{key}]", v) for v in sel.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content').getall()
        ]
    found.append(("<title>", sel.xpath("//head/title/text() | /html/title/text()").get()))
    cleaned: list[tuple[str, str]] = []
    for source, value in found:
        text = _clean(value) if isinstance(value, str) else ""
        if text and all(text != t for _, t in cleaned):
            cleaned.append((source, text))
    return cleaned


def _learn_affixes(titles: list[tuple[str, str]]) -> list[str]:
    """Parts one title adds to another: «X - اليوم السابع» beside «X» teaches «اليوم السابع»."""
    learned = []
    for _, long_ in titles:
        for _, short in titles:
            if len(short) >= len(long_):
                continue
            for sep in _TITLE_SEPARATORS:
                if long_.startswith(short + sep):
                    learned.append(long_[len(short) + len(sep) :])
                elif long_.endswith(sep + short):
                    learned.append(long_[: -len(short) - len(sep)])
    return learned


def _title(
    sel: Selector, ld: list[dict[str, Any]], names: list[str], css: str | None, fields: ArticleFields
) -> tuple[list[str], frozenset[HtmlElement]]:
    """Sets ``fields.title``; returns the site names learned from title affixes (for the author
    check) and the ancestors of the title element (never page chrome)."""
    if css:
        picked = pick_text(sel, css)
        if picked:
            fields.title, fields.origins["title"] = picked.value, f"profile {css}"
            anchor = picked.element
            return [], frozenset(anchor.iterancestors()) if anchor is not None else frozenset()
        fields.events.append("profile/fallback/article.title")
    metas = _meta_titles(sel, ld)
    learned = _learn_affixes(metas)
    all_names = names + [n for n in learned if n not in names]
    stripped = []
    for source, text in metas:
        clean = strip_site_name(text, all_names)
        for _, other in metas:  # «X - قسم - الموقع» beside «X»: the shorter one is the title
            if len(other) < len(clean) and any(clean.startswith(other + sep) for sep in _TITLE_SEPARATORS):
                clean = other
        stripped.append((source, clean, clean != text))
    h1s: list[tuple[str, HtmlElement]] = []
    for h1 in sel.root.iter("h1"):
        text = _clean(text_of(h1))
        if text and all(text != t for t, _ in h1s) and not is_site_name(text, all_names):
            h1s.append((text, h1))
    # Metadata confirms the article's h1 among logo, copyright and widget h1s; chrome is not
    # consulted here because some sites wrap the whole article in a "breaking news" block.
    for text, h1 in h1s:
        confirming = next((source for source, meta, _ in stripped if _agree(text, meta)), None)
        if confirming:
            fields.title, fields.origins["title"] = text, f"h1 (confirmed by {confirming})"
            return learned, frozenset(h1.iterancestors())
    if stripped:
        source, text, cut = stripped[0]
        fields.title, fields.origins["title"] = text, source + (", site name cut" if cut else "")
        fields.events.append("article/title/from_metadata")
        return learned, frozenset()
    for text, h1 in h1s:
        if not _in_chrome(h1):
            fields.title, fields.origins["title"] = text, "h1 (no metadata to confirm it)"
            return learned, frozenset(h1.iterancestors())
    return learned, frozenset()


# --- dates ------------------------------------------------------------------------------------


def _json_ld_dates(ld: list[dict[str, Any]], pages: list[dict[str, Any]], key: str, role: str) -> list[DateCandidate]:
    found = []
    for obj in [*ld, *pages]:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            kind = "/".join(sorted(types_of(obj)))
            found.append(DateCandidate(role, value.strip(), "json-ld", f"json-ld {kind}.{key}"))
    return found


def _meta_dates(sel: Selector, keys: tuple[str, ...], role: str) -> list[DateCandidate]:
    found = []
    for key in keys:
        for attr in ("property", "name"):
            for value in sel.xpath(f'//meta[@{attr}="{key}"]/@content').getall():
                if value.strip():
                    found.append(DateCandidate(role, value.strip(), "meta", f"meta[{attr}={key}]"))
    return found


def _time_tags(sel: Selector, keep: frozenset[HtmlElement]) -> list[DateCandidate]:
    found = []
    for el in sel.root.iter("time"):
        value = (el.get("datetime") or "").strip()
        if not value or _in_chrome(el, keep):
            continue
        modified = bool(element_words(el) & _MODIFIED_WORDS) or (el.get("itemprop") or "") in _MODIFIED_PROPS
        found.append(
            DateCandidate("modified" if modified else "published", value, "time-tag", _describe(el, "datetime"))
        )
    # Published-looking first: itemprop=datePublished or a "published" class before a bare <time>.
    return sorted(found, key=lambda c: 0 if ("datePublished" in c.detail or "published" in c.detail.lower()) else 1)


def _describe(el: HtmlElement, attr: str) -> str:
    selector = el.tag
    if el.get("class"):
        selector += "." + ".".join(el.get("class", "").split())
    for name in ("itemprop", "property"):
        if el.get(name):
            selector += f"[{name}={el.get(name)}]"
    return f"{selector}@{attr}"


def _microdata(sel: Selector, props: tuple[str, ...], role: str, keep: frozenset[HtmlElement]) -> list[DateCandidate]:
    found = []
    for prop in props:
        for name in ("itemprop", "property"):
            for el in sel.xpath(f'//*[@{name}="{prop}"][not(self::time)]'):
                value = (el.root.get("content") or el.root.get("datetime") or "").strip()
                if value and not _in_chrome(el.root, keep):
                    found.append(DateCandidate(role, value, "microdata", _describe(el.root, "content")))
    return found


def _visible_dates(sel: Selector, keep: frozenset[HtmlElement]) -> list[DateCandidate]:
    found: list[DateCandidate] = []
    seen: set[str] = set()
    for css in _TEXT_DATE_CSS:
        for el in sel.css(css):
            root = el.root
            words = element_words(root)
            if words & _CLOCK_WORDS or words & _MODIFIED_WORDS or _in_chrome(root, keep):
                continue
            text = text_of(root)
            if text and text not in seen and len(text) <= 80 and _DATE_HINT.search(text):
                seen.add(text)
                found.append(DateCandidate("published", text, "article-text", f"text of {css}"))
    return found


def _choose(candidates: list[DateCandidate]) -> DateCandidate | None:
    """The first ISO value among the structured sources, else the first structured one, else text."""
    structured = [c for c in candidates if c.source in STRUCTURED]
    for candidate in structured:
        if candidate.iso is not None:
            return candidate
    if structured:
        return structured[0]
    return candidates[0] if candidates else None


def _dates(
    sel: Selector,
    ld: list[dict[str, Any]],
    pages: list[dict[str, Any]],
    profile: ArticleSelectors | None,
    keep: frozenset[HtmlElement],
    fields: ArticleFields,
) -> None:
    times = _time_tags(sel, keep)
    published = [
        *_json_ld_dates(ld, pages, "datePublished", "published"),
        *_meta_dates(sel, _PUBLISHED_META, "published"),
        *[c for c in times if c.role == "published"],
        *_microdata(sel, _PUBLISHED_PROPS, "published", keep),
        *_visible_dates(sel, keep),
    ]
    modified = [
        *_json_ld_dates(ld, pages, "dateModified", "modified"),
        *_meta_dates(sel, _MODIFIED_META, "modified"),
        *[c for c in times if c.role == "modified"],
        *_microdata(sel, _MODIFIED_PROPS, "modified", keep),
    ]
    chosen = {}
    for role, candidates, css in (
        ("published", published, profile.date if profile else None),
        ("modified", modified, profile.modified if profile else None),
    ):
        declared = pick_date(sel, css, "article-text") if css else None
        if css and declared is None:
            fields.events.append(f"profile/fallback/article.{'date' if role == 'published' else role}")
        if declared:
            candidates.insert(0, DateCandidate(role, declared[0], declared[1], f"profile {css}"))
            chosen[role] = candidates[0]
        else:
            chosen[role] = _choose(candidates)
        fields.dates += candidates
    pub, mod = chosen["published"], chosen["modified"]
    if pub is not None:
        fields.date_raw, fields.date_source, fields.origins["published"] = pub.raw, pub.source, pub.detail
        if pub.source in STRUCTURED and pub.iso is None:
            fields.events.append("article/dates/not_iso")
        if any(_disagree(c, pub) for c in published):
            fields.events.append("article/dates/sources_disagree")
    if mod is not None:
        if pub is not None and _earlier(mod, pub):
            fields.events.append("article/dates/modified_before_published")
            fields.origins["modified"] = f"dropped: {mod.detail} {mod.raw} is before the published time"
        else:
            fields.modified_raw, fields.modified_source, fields.origins["modified"] = mod.raw, mod.source, mod.detail


def _disagree(other: DateCandidate, chosen: DateCandidate) -> bool:
    """Two ISO published times that are not the same moment (or, offset-less, the same clock time)."""
    a, b = other.iso, chosen.iso
    if a is None or b is None or other is chosen or len(other.raw) <= 10 or len(chosen.raw) <= 10:
        return False
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return abs((a - b).total_seconds()) > 60


# --- author, image, tags ----------------------------------------------------------------------


def _author(sel: Selector, ld: list[dict[str, Any]], names: list[str], css: str | None, fields: ArticleFields) -> None:
    candidates: list[tuple[str, str | None]] = []
    if css:
        picked = pick_texts(sel, css)
        if picked:
            candidates.append((f"profile {css}", "، ".join(dict.fromkeys(_BYLINE_PREFIX.sub("", p) for p in picked))))
        else:
            fields.events.append("profile/fallback/article.author")
    for obj in ld:
        author = obj.get("author")
        people = author if isinstance(author, list) else [author]
        persons = [p for p in people if not (isinstance(p, dict) and types_of(p) & {"Organization"})]
        candidates.append(("json-ld author", person_name(persons)))
    for key in ("author", "article:author"):
        for attr in ("name", "property"):
            candidates += [(f"meta[{attr}={key}]", v) for v in sel.xpath(f'//meta[@{attr}="{key}"]/@content').getall()]
    candidates += [("meta[itemprop=author]", v) for v in sel.xpath('//meta[@itemprop="author"]/@content').getall()]
    for selector in _AUTHOR_CSS:
        for el in sel.css(selector):
            if "Organization" in (el.root.get("itemtype") or ""):
                continue
            candidates.append((selector, text_of(el.root)))
    for source, value in candidates:
        name = _BYLINE_PREFIX.sub("", _clean(value)).strip() if value else ""
        if not name or name.startswith("http") or len(name) > 80:
            continue
        if is_site_name(name, names):
            fields.events.append("article/author/site_name_skipped")
            continue
        fields.author, fields.origins["author"] = name, source
        return


def _image(sel: Selector, ld: list[dict[str, Any]], url: str | None, css: str | None, fields: ArticleFields) -> None:
    base = url or ""
    if css:
        found = pick_image(sel, css, base)
        if found:
            fields.image, fields.origins["image"] = found, f"profile {css}"
            return
        fields.events.append("profile/fallback/article.image")
    for key in ("og:image", "og:image:url", "twitter:image", "twitter:image:src"):
        value = sel.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content').get()
        if value and value.strip():
            fields.image, fields.origins["image"] = urljoin(base, value.strip()), f"meta[{key}]"
            return
    for obj in ld:
        value = _ld_image(obj.get("image"))
        if value:
            fields.image, fields.origins["image"] = urljoin(base, value), "json-ld image"
            return
    value = sel.xpath('//*[@itemprop="image"]/@content | //link[@rel="image_src"]/@href').get()
    if value and value.strip():
        fields.image, fields.origins["image"] = urljoin(base, value.strip()), "microdata image"
        return
    # WordPress marks the featured image even when a theme prints no og:image.
    value = sel.xpath('//img[contains(concat(" ", @class, " "), " wp-post-image ")]/@src').get()
    if value and value.strip():
        fields.image, fields.origins["image"] = urljoin(base, value.strip()), "img.wp-post-image"


def _ld_image(value: Any) -> str | None:
    if isinstance(value, str) and value.strip() and not value.startswith("#"):
        return value.strip()
    if isinstance(value, list):
        return next((found for found in map(_ld_image, value) if found), None)
    if isinstance(value, dict):
        return _ld_image(value.get("url") or value.get("contentUrl") or value.get("@list"))
    return None


def _split(values: list[str]) -> list[str]:
    out = []
    for value in values:
        for part in _LIST_SPLIT.split(_clean(value)):
            if part and part not in out:
                out.append(part)
    return out


def _tags(
    sel: Selector, ld: list[dict[str, Any]], css: str | None, keep: frozenset[HtmlElement], fields: ArticleFields
) -> None:
    if css:
        picked = pick_texts(sel, css)
        if picked:
            fields.tags, fields.origins["tags"] = list(dict.fromkeys(picked)), f"profile {css}"
            return
        fields.events.append("profile/fallback/article.tags")
    links = [
        text_of(a)
        for a in sel.root.iter("a")
        if "tag" in (a.get("rel") or "").split() and "category" not in (a.get("rel") or "") and not _in_chrome(a, keep)
    ]
    if not any(links):
        # A "tags" box (``div.post-tags``, ``.b-article__refs-tags``) small enough to be one article's.
        links = [
            text_of(a)
            for box in sel.root.iter()
            if isinstance(box.tag, str) and element_words(box) & _TAG_CONTAINER_WORDS and not _in_chrome(box, keep)
            for a in (lambda found: found if len(found) <= 30 else [])(list(box.iter("a")))
        ]
    links = [t for t in links if t]
    if links:
        fields.tags, fields.origins["tags"] = list(dict.fromkeys(t for t in links if t)), "tag links"
        return
    # The tag links a reader sees come first: pages' meta tags and JSON-LD keywords are often
    # partial or padded for search engines.
    meta = sel.xpath('//meta[@property="article:tag" or @name="article:tag"]/@content').getall()
    if meta:
        fields.tags, fields.origins["tags"] = _split(meta), "meta[article:tag]"
        return
    for obj in ld:
        keywords = obj.get("keywords")
        values = keywords if isinstance(keywords, list) else [keywords] if isinstance(keywords, str) else []
        if values:
            fields.tags, fields.origins["tags"] = _split([v for v in values if isinstance(v, str)]), "json-ld keywords"
            return
    news = sel.xpath('//meta[@name="news_keywords"]/@content').getall()
    if news:
        fields.tags, fields.origins["tags"] = _split(news), "meta[news_keywords]"


# --- body -------------------------------------------------------------------------------------


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
    return [" ".join(line.split()) for line in lines if line.split()]


# trafilatura compares its answer with its fallback extractors (readability, jusText) when the
# main text is shorter than MIN_EXTRACTED_SIZE (250 characters). On a short news item the
# fallbacks win with the share bar, captions and the date line, so any answer of the main
# extractor is trusted; the fallbacks still run when it finds nothing at all.
_TRAFILATURA_CONFIG = use_config()
_TRAFILATURA_CONFIG.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")


def trafilatura_paragraphs(document: HtmlElement | str, url: str | None = None) -> list[str]:
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
        config=_TRAFILATURA_CONFIG,
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
    paragraphs = [text_of(p) for p in el.iter("p") if not _in_chrome(p)]
    return [p for p in paragraphs if p] or ([text_of(el)] if text_of(el) else [])


def _profile_body(sel: Selector, url: str | None, css: str) -> tuple[list[str], str]:
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
        fragment = etree.tostring(el, encoding="unicode", method="html", with_tail=False)
        found = trafilatura_paragraphs(f"<html><body><article>{fragment}</article></body></html>", url)
        if not found:
            found, plain = _plain_paragraphs(el), True
        paragraphs += found
    return paragraphs, f"profile {css} ({'plain paragraphs' if plain else 'trafilatura'})"


def _body(sel: Selector, url: str | None, css: str | None, fields: ArticleFields) -> None:
    paragraphs: list[str] = []
    if css:
        paragraphs, origin = _profile_body(sel, url, css)
        if paragraphs:
            fields.origins["body"] = origin
        else:
            fields.events.append("profile/fallback/article.body")
    if not paragraphs:
        # trafilatura cleans the tree it is given in place: give it a copy, the selector is still in use.
        paragraphs = trafilatura_paragraphs(deepcopy(sel.root), url)
        fields.origins["body"] = "trafilatura"
    paragraphs = _drop_leading_noise(paragraphs, fields)
    if paragraphs:
        fields.body = "\n\n".join(paragraphs)
    else:
        fields.origins.pop("body", None)
        fields.events.append("article/body/missing")


def _drop_leading_noise(paragraphs: list[str], fields: ArticleFields) -> list[str]:
    """The title, the date line or a byline («حوار: …») that a body extractor kept above the text."""
    while paragraphs:
        first = paragraphs[0]
        repeats_title = bool(fields.title) and _agree(first, fields.title or "")
        repeats_date = bool(fields.date_raw) and _clean(first) == _clean(fields.date_raw)
        if repeats_title or repeats_date:
            pass
        elif len(first.split()) <= 6 and _BYLINE_PREFIX.match(first) and _BYLINE_PREFIX.sub("", first).strip():
            if fields.author is None:
                fields.author, fields.origins["author"] = _BYLINE_PREFIX.sub("", first).strip(), "byline atop the body"
            fields.events.append("article/body/byline_removed")
        else:
            break
        paragraphs = paragraphs[1:]
    return paragraphs


def extract_article(
    sel: Selector, url: str | None = None, profile: ArticleSelectors | None = None, names: tuple[str, ...] = ()
) -> ArticleFields:
    """Read an article page; the spider merges the result into the listing entry.

    ``profile`` holds the site profile's article selectors, ``names`` its declared site names.
    """
    objects = json_ld_objects(sel)
    ld = articles(objects)
    pages = [o for o in objects if types_of(o) & _WEBPAGE_TYPES and o not in ld]
    fields = ArticleFields()
    known = site_names(sel, objects, url, names)
    learned, keep = _title(sel, ld, known, profile.title if profile else None, fields)
    known += [n for n in learned if n not in known]
    _dates(sel, ld, pages, profile, keep, fields)
    _author(sel, ld, known, profile.author if profile else None, fields)
    _image(sel, ld, url, profile.image if profile else None, fields)
    _tags(sel, ld, profile.tags if profile else None, keep, fields)
    _body(sel, url, profile.body if profile else None, fields)
    return fields
