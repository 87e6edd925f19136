"""The article's title and the names the site calls itself.

The title is the page's ``h1`` when page metadata confirms it (two identical ``h1``s are one;
a logo or copyright ``h1`` is not confirmed), else the JSON-LD headline, ``og:title`` or
``<title>`` with the site name cut off. Site names come from ``og:site_name``, JSON-LD and the
profile, and from what one metadata title adds to another («X - اليوم السابع» beside «X»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml.html import HtmlElement
from parsel import Selector

from crawler.extract.article.parts import Found, clean, in_chrome
from crawler.extract.dom import text_of
from crawler.extract.profiled import pick_text
from crawler.extract.structured import types_of
from crawler.text import title_key

TITLE_SEPARATORS = (" - ", " | ", " – ", " — ", " :: ", " « ", " » ", " · ", " • ")


@dataclass(frozen=True)
class Title:
    """The title found, and the element it was read from: its ancestors are the article, never chrome."""

    found: Found[str]
    element: HtmlElement | None = None


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
        name = clean(name)
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
        for sep in TITLE_SEPARATORS:
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


def same_title(a: str, b: str) -> bool:
    """The same title, one perhaps a little longer (a section name or site name kept)."""
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb:
        return False
    short, long_ = sorted((ka, kb), key=len)
    return short == long_ or (short in long_ and len(short) >= 0.6 * len(long_))


def meta_titles(sel: Selector, ld: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(source, text) of every metadata title: JSON-LD headlines, og/twitter titles, ``<title>``."""
    found = [(f"json-ld {'/'.join(sorted(types_of(o)))}.headline", o.get("headline")) for o in ld]
    for key in ("og:title", "twitter:title"):
        found += [
            (f"meta[{key}]", v) for v in sel.xpath(f'//meta[@property="{key}" or @name="{key}"]/@content').getall()
        ]
    found.append(("<title>", sel.xpath("//head/title/text() | /html/title/text()").get()))
    cleaned: list[tuple[str, str]] = []
    for source, value in found:
        text = clean(value) if isinstance(value, str) else ""
        if text and all(text != t for _, t in cleaned):
            cleaned.append((source, text))
    return cleaned


def title_affixes(titles: list[tuple[str, str]]) -> list[str]:
    """Parts one title adds to another: «X - اليوم السابع» beside «X» teaches «اليوم السابع»."""
    learned = []
    for _, long_ in titles:
        for _, short in titles:
            if len(short) >= len(long_):
                continue
            for sep in TITLE_SEPARATORS:
                if long_.startswith(short + sep):
                    learned.append(long_[len(short) + len(sep) :])
                elif long_.endswith(sep + short):
                    learned.append(long_[: -len(short) - len(sep)])
    return learned


def _title_parts(text: str) -> list[str]:
    """A metadata title and its parts between separators («صوت الهضاب - X» gives X as well)."""
    parts = [text]
    for sep in TITLE_SEPARATORS:
        parts += [part.strip() for part in text.split(sep) if part.strip() and sep in text]
    return parts


def _printed_heading(
    sel: Selector, stripped: list[tuple[str, str, bool]], names: list[str]
) -> tuple[str, HtmlElement] | None:
    """A page without a confirmed ``h1`` (a 2004 table layout prints its title in ``<b>``): the first
    element outside links and chrome whose whole text is a metadata title or one of its parts."""
    wanted: dict[str, str] = {}
    for source, text, _ in stripped:
        for part in _title_parts(text):
            key = title_key(part)
            if key and len(part.split()) >= 3 and not is_site_name(part, names):
                wanted.setdefault(key, source)
    if not wanted:
        return None
    body = sel.root.find("body")
    for el in body.iter() if body is not None else ():
        own = el.text.strip() if isinstance(el.tag, str) and el.text else ""
        start = title_key(own) if own else None
        if not start or not any(key.startswith(start) for key in wanted):
            continue
        key = title_key(text_of(el))
        if key in wanted and el.tag != "a" and not any(a.tag == "a" for a in el.iterancestors()) and not in_chrome(el):
            return f"printed heading {el.tag} (confirms {wanted[key]})", el
    return None


def extract_title(sel: Selector, metas: list[tuple[str, str]], names: list[str], css: str | None = None) -> Title:
    """The article's title, from the profile's selector, a confirmed ``h1`` or the metadata."""
    events: tuple[str, ...] = ()
    if css:
        picked = pick_text(sel, css)
        if picked:
            return Title(Found(picked.value, f"profile {css}"), picked.element)
        events = ("profile/fallback/article.title",)
    stripped = []
    for source, text in metas:
        cut = strip_site_name(text, names)
        for _, other in metas:  # «X - قسم - الموقع» beside «X»: the shorter one is the title
            if len(other) < len(cut) and any(cut.startswith(other + sep) for sep in TITLE_SEPARATORS):
                cut = other
        stripped.append((source, cut, cut != text))
    h1s: list[tuple[str, HtmlElement]] = []
    for h1 in sel.root.iter("h1"):
        text = clean(text_of(h1))
        if text and all(text != t for t, _ in h1s) and not is_site_name(text, names):
            h1s.append((text, h1))
    # Metadata confirms the article's h1 among logo, copyright and widget h1s; chrome is not
    # consulted here because some sites wrap the whole article in a "breaking news" block.
    for text, h1 in h1s:
        confirming = next((source for source, meta, _ in stripped if same_title(text, meta)), None)
        if confirming:
            return Title(Found(text, f"h1 (confirmed by {confirming})", events), h1)
    heading = _printed_heading(sel, stripped, names)
    if heading is not None:
        return Title(Found(clean(text_of(heading[1])), heading[0], events), heading[1])
    if stripped:
        source, text, cut_ = stripped[0]
        origin = source + (", site name cut" if cut_ else "")
        return Title(Found(text, origin, (*events, "article/title/from_metadata")))
    for text, h1 in h1s:
        if not in_chrome(h1):
            return Title(Found(text, "h1 (no metadata to confirm it)", events), h1)
    return Title(Found(None, None, events))
