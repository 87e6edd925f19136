"""When the article was published and modified, from the most trusted source that says so.

The order of trust (``docs/profiles.md``):

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from lxml.html import HtmlElement
from parsel import Selector

from crawler.dates.iso import parse_iso
from crawler.extract.article.parts import in_chrome
from crawler.extract.dom import element_words, text_of
from crawler.extract.profiled import pick_date
from crawler.extract.structured import types_of
from crawler.items import STRUCTURED_DATE_SOURCES as STRUCTURED
from crawler.profiles import ArticleSelectors

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
_YEAR_DIGITS = re.compile(r"\d{4}|[٠-٩]{4}")


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


@dataclass(frozen=True)
class ArticleDates:
    """The published and modified dates chosen, every candidate seen, and what to count."""

    published: DateCandidate | None
    modified: DateCandidate | None
    candidates: tuple[DateCandidate, ...]  # in order of trust, published ones first
    origins: dict[str, str]  # "published"/"modified" -> where the value came from (or why it was dropped)
    events: tuple[str, ...]


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
        if not value or in_chrome(el, keep):
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
                if value and not in_chrome(el.root, keep):
                    found.append(DateCandidate(role, value, "microdata", _describe(el.root, "content")))
    return found


def _visible_dates(sel: Selector, keep: frozenset[HtmlElement]) -> list[DateCandidate]:
    found: list[DateCandidate] = []
    seen: set[str] = set()
    for css in _TEXT_DATE_CSS:
        for el in sel.css(css):
            root = el.root
            words = element_words(root)
            if words & _CLOCK_WORDS or words & _MODIFIED_WORDS or in_chrome(root, keep):
                continue
            text = text_of(root)
            if text and text not in seen and len(text) <= 80 and _YEAR_DIGITS.search(text):
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


def _disagree(other: DateCandidate, chosen: DateCandidate) -> bool:
    """Two ISO published times that are not the same moment (or, offset-less, the same clock time)."""
    a, b = other.iso, chosen.iso
    if a is None or b is None or other is chosen or len(other.raw) <= 10 or len(chosen.raw) <= 10:
        return False
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return abs((a - b).total_seconds()) > 60


def extract_dates(
    sel: Selector,
    ld: list[dict[str, Any]],
    pages: list[dict[str, Any]],
    profile: ArticleSelectors | None = None,
    keep: frozenset[HtmlElement] = frozenset(),
) -> ArticleDates:
    """The published and modified dates; ``keep`` is the title's ancestors (never chrome)."""
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
    events: list[str] = []
    origins: dict[str, str] = {}
    chosen = {}
    for role, candidates, css in (
        ("published", published, profile.date if profile else None),
        ("modified", modified, profile.modified if profile else None),
    ):
        declared = pick_date(sel, css, "article-text") if css else None
        if css and declared is None:
            events.append(f"profile/fallback/article.{'date' if role == 'published' else role}")
        if declared:
            candidates.insert(0, DateCandidate(role, declared[0], declared[1], f"profile {css}"))
            chosen[role] = candidates[0]
        else:
            chosen[role] = _choose(candidates)
    pub, mod = chosen["published"], chosen["modified"]
    if pub is not None:
        origins["published"] = pub.detail
        if pub.source in STRUCTURED and pub.iso is None:
            events.append("article/dates/not_iso")
        if any(_disagree(c, pub) for c in published):
            events.append("article/dates/sources_disagree")
    if mod is not None and pub is not None and _earlier(mod, pub):
        events.append("article/dates/modified_before_published")
        origins["modified"] = f"dropped: {mod.detail} {mod.raw} is before the published time"
        mod = None
    elif mod is not None:
        origins["modified"] = mod.detail
    return ArticleDates(pub, mod, (*published, *modified), origins, tuple(events))
