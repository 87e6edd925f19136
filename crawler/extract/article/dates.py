"""When the article was published and modified, from the most trusted source that says so.

The order of trust (``docs/profiles.md``):

0. the site profile's selector: a person checked this site;
1. JSON-LD, ``@graph`` included (article objects, then ``WebPage``);
2. meta tags (``article:published_time``, ``pubdate``, ``datePublished``, ...);
3. ``<time datetime>`` outside page chrome;
4. microdata and RDFa (``itemprop``/``property`` with ``content`` or ``datetime``);
5. visible text: the short lines of the article's own part of the page (``scope``), then
   date elements (``.entry-date``, ``time``, ...) outside page chrome.

Among 1-4 an ISO 8601 value beats a non-ISO one from a more trusted source
(akhbarelyom.com prints Arabic text in ``article:published_time``), so the text
parser only sees what no machine-readable source gives. A modified time earlier
than the published one is a stale template value: it is dropped and counted.

A date after a «آخر تحديث» / «آخر تعديل» / "updated" label is the modification time, never
the publication. A published time stated in UTC (``Z``, ``+00:00``) is shown in the page's
own offset when the page reveals it: another machine value for the same instant with an
offset, the time printed for readers, or any other offset the page's dates carry. The
instant is unchanged; the local day is the one the site's readers saw. When the page shows
no offset but prints the article's day, and that is the UTC day's neighbour, the page's day
is taken (its time would be a guess).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from lxml.html import HtmlElement
from parsel import Selector

from crawler.dates import parse_iso, parse_text
from crawler.extract.article.parts import in_chrome
from crawler.extract.article.scope import Line
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
# «آخر تحديث», «آخر تعديل», «تم التحديث», «محدثة», "Updated", "Last modified": what follows is not the publication.
_MODIFIED_LABEL = re.compile(
    r"آخر\s*(?:تعديل|تحديث)|اخر\s*(?:تعديل|تحديث)|تم\s*(?:التعديل|التحديث)|\bمحدث[ةه]?\b|\bحدّ?ث\b"
    r"|\bupdated\b|\bmodified\b|\blast\s+update",
    re.IGNORECASE,
)
# Any moment serves to tell whether a line is a date: relative ones are resolved later, from the fetch time.
_ANY_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
_LARGEST_OFFSET = timedelta(hours=14)
_OFFSET_STEP = timedelta(minutes=15)


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


def _published_part(text: str, preceding: str = "") -> str | None:
    """The part of a date line that can be the publication: nothing after an update label."""
    if _MODIFIED_LABEL.search(preceding[-25:]):
        return None
    label = _MODIFIED_LABEL.search(text)
    if label:
        text = text[: label.start()].strip(" ،,:-–|(")
    return text or None


def _is_date(text: str) -> bool:
    return parse_text(text, _ANY_MOMENT, None) is not None


def _scope_dates(lines: list[Line]) -> list[DateCandidate]:
    """Date lines of the article's own part: those above its text first, in page order."""
    found = []
    for line in sorted(lines, key=lambda line: not line.before_body):
        words = element_words(line.element)
        if words & _CLOCK_WORDS or words & _MODIFIED_WORDS or not _YEAR_DIGITS.search(line.text):
            continue
        text = _published_part(line.text, line.preceding)
        if text and _is_date(text):
            found.append(DateCandidate("published", text, "article-text", f"text in the article ({_name(line)})"))
    # «بقلم: فلان الثلاثاء 07 دجنبر 2021» reads as a date too: the line that holds only the date wins.
    return [c for c in found if not any(o.raw != c.raw and o.raw in c.raw for o in found)]


def _name(line: Line) -> str:
    el = line.element
    return el.tag + "".join(f".{c}" for c in (el.get("class") or "").split()[:2])


def _visible_dates(sel: Selector, keep: frozenset[HtmlElement]) -> list[DateCandidate]:
    found: list[DateCandidate] = []
    seen: set[str] = set()
    for css in _TEXT_DATE_CSS:
        for el in sel.css(css):
            root = el.root
            words = element_words(root)
            if words & _CLOCK_WORDS or words & _MODIFIED_WORDS or in_chrome(root, keep):
                continue
            text = _published_part(text_of(root))
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


def _stated_in_utc(candidate: DateCandidate) -> datetime | None:
    moment = candidate.iso
    if moment is None or moment.utcoffset() != timedelta(0) or len(candidate.raw.strip()) <= 10:
        return None
    return moment


def _plausible(offset: timedelta | None) -> bool:
    return bool(offset) and abs(offset) <= _LARGEST_OFFSET and offset % _OFFSET_STEP == timedelta(0)  # type: ignore[operator]


def _same_instant_with_offset(moment: datetime, others: list[DateCandidate]) -> DateCandidate | None:
    """Another machine value the page gives for the same instant, in a non-UTC offset."""
    for other in others:
        value = other.iso
        if value is not None and value.tzinfo is not None and _plausible(value.utcoffset()) and value == moment:
            return other
    return None


def page_offset(moment: datetime, others: list[DateCandidate]) -> tuple[timedelta, str] | None:
    """The site's UTC offset as the page shows it beside ``moment`` (a UTC time), with the evidence:
    the local time the page prints for that instant, else any other offset its machine values carry."""
    for other in others:
        if other.source != "article-text":
            continue
        local = parse_iso(parse_text(other.raw, moment, None))
        if local is not None and local.tzinfo is None and len(other.raw) > 10 and (local.hour or local.minute):
            offset = local - moment.replace(tzinfo=None)
            if _plausible(offset):
                return offset, f"printed «{other.raw}»"
    for other in others:
        value = other.iso
        if value is not None and value.tzinfo is not None and _plausible(value.utcoffset()):
            return value.utcoffset(), f"{other.detail} {other.raw}"  # type: ignore[return-value]
    return None


def _shown_day(candidate: DateCandidate, moment: datetime) -> date | None:
    """The day a date-only value or a printed date line gives, else ``None``."""
    value = parse_text(candidate.raw, moment, None) if candidate.source == "article-text" else candidate.raw.strip()
    if not value or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _page_day(chosen: DateCandidate, moment: datetime, others: list[DateCandidate]) -> DateCandidate | None:
    """The page's own day for the article when a UTC time falls on another day and no offset is shown.

    A Ghost or Next.js page states ``…T22:40:00Z`` and prints only «7 ديسمبر 2021»: the site's
    day is the printed one, and any offset that would make the instant agree is a guess. Only a
    neighbouring day an offset can explain counts (a UTC hour of 10 or later for the next day,
    before 12 for the day before); anything else is another date, and nothing changes.
    """
    for other in others:
        day = _shown_day(other, moment) if other.role == "published" else None
        if day is None:
            continue
        if day == moment.date():
            return None
        later, earlier = day - moment.date() == timedelta(days=1), moment.date() - day == timedelta(days=1)
        if (later and moment.hour >= 10) or (earlier and moment.hour < 12):
            detail = f"{other.detail}: the day the page shows for {chosen.detail} {chosen.raw}, with no offset shown"
            return DateCandidate(chosen.role, other.raw, other.source, detail)
        return None
    return None


def _in_page_offset(chosen: DateCandidate, others: list[DateCandidate]) -> tuple[DateCandidate, str] | None:
    """``chosen`` in the page's own offset when it is stated in UTC and the page tells the offset.

    The page's own value for that instant is kept as it is written; only when the page prints
    none (the offset comes from its visible time or its other dates) is the value rewritten.
    """
    moment = _stated_in_utc(chosen)
    if moment is None:
        return None
    others = [c for c in others if c is not chosen]
    same = _same_instant_with_offset(moment, others)
    if same is not None:
        detail = f"{same.detail}: the instant of {chosen.detail} {chosen.raw}, in the page's offset"
        return DateCandidate(chosen.role, same.raw, same.source, detail), "utc_in_page_offset"
    learned = page_offset(moment, others)
    if learned is None:
        day = _page_day(chosen, moment, others)
        return (day, "utc_day_from_page") if day is not None else None
    offset, evidence = learned
    local = moment.astimezone(timezone(offset)).isoformat()
    detail = f"{chosen.detail} {chosen.raw} in the page's offset ({evidence})"
    return DateCandidate(chosen.role, local, chosen.source, detail), "utc_in_page_offset"


def extract_dates(
    sel: Selector,
    ld: list[dict[str, Any]],
    pages: list[dict[str, Any]],
    profile: ArticleSelectors | None = None,
    keep: frozenset[HtmlElement] = frozenset(),
    lines: list[Line] | None = None,
) -> ArticleDates:
    """The published and modified dates; ``keep`` is the title's ancestors (never chrome), ``lines``
    the short lines of the article's own part of the page."""
    times = _time_tags(sel, keep)
    in_scope = _scope_dates(lines or [])
    published = [
        *_json_ld_dates(ld, pages, "datePublished", "published"),
        *_meta_dates(sel, _PUBLISHED_META, "published"),
        *[c for c in times if c.role == "published"],
        *_microdata(sel, _PUBLISHED_PROPS, "published", keep),
        *in_scope,
        *[c for c in _visible_dates(sel, keep) if all(c.raw != other.raw for other in in_scope)],
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
    local = _in_page_offset(pub, [*published, *modified]) if pub is not None else None
    if local is not None:
        pub, event = local
        events.append(f"article/dates/{event}")
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
