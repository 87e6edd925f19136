"""A listing card's date, read from everything the card holds.

Structured values first: ``<time datetime>`` (a published time before an updated one),
microdata ``datePublished``, any other ``datetime`` attribute (``amp-timeago``), and
``data-*`` timestamps (ISO or Unix seconds/milliseconds). Then text: ``<time>`` text,
date-named elements, and finally every short text in the card, which is how most themes
print a date (a bare ``<small>`` or ``<span>``, Arabic-Indic digits, «منذ <!-- -->4<!-- -->
ساعات» split by comments). The date reader decides what is a date, so a title's «38 ألف
طن» or a «5 دقائق قراءة» reading time never passes for one.

Where a structured value and the card's text name different days, the structured one
wins and the disagreement is reported for counting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from lxml.html import HtmlElement

from crawler.dates.iso import parse_iso
from crawler.dates.reader import read
from crawler.extract.dom import element_words, text_of

DATE_WORDS = frozenset({"date", "time", "timestamp", "published", "publishtime", "datetime", "pubdate"})
DATE_HINT = re.compile(r"\d|[٠-٩۰-۹]|منذ|قبل|أمس|الأمس|اليوم|البارحة|الآن")
_DATA_NAME = re.compile(r"^data-(.*[-_])?(time|date|timestamp|published|pubdate|created|datetime)([-_].*)?$")
_EPOCH = re.compile(r"^\d{10}(\d{3})?$")
_SKIP = frozenset({"script", "style", "noscript", "template", "svg"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MAX_TEXT = 80  # a date line, with a weekday, a clock and a zone; longer is prose


@dataclass(frozen=True)
class CardDate:
    """The card's date as printed (``raw``), where it came from, and whether text disagreed."""

    raw: str | None = None
    source: str | None = None
    disagreement: bool = False


def names_a_day(text: str) -> bool:
    """Whether the date reader finds a day in ``text`` (absolute, relative or «أمس»), in either numeric order."""
    if not DATE_HINT.search(text):
        return False
    for order in ("DMY", "MDY"):
        reading = read(text, order)
        if reading.why is None and (reading.dates or reading.days or reading.shifts or reading.weekday_steps):
            return True
        if reading.why != "invalid":
            return False
    return False


def _absolute_day(text: str) -> date | None:
    reading = read(text)
    days = {d for d, _hijri in reading.dates if reading.why is None}
    gregorian = {d for d, hijri in reading.dates if not hijri}
    if len(days) == 1:
        return next(iter(days))
    return next(iter(gregorian)) if len(gregorian) == 1 else None


def _epoch_iso(value: str) -> str:
    seconds = int(value) / (1000 if len(value) == 13 else 1)
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def _structured(card: HtmlElement) -> tuple[str, str] | None:
    # A modified time only counts when it is the card's only time (tagDiv marks its one date "updated").
    times = sorted(card.iter("time"), key=lambda t: bool(element_words(t) & {"updated", "modified"}))
    for t in times:
        if t.get("datetime", "").strip():
            return t.get("datetime").strip(), "time-tag"
    for el in card.iter():
        if isinstance(el.tag, str) and el.get("itemprop") == "datePublished":
            value = el.get("content") or el.get("datetime")
            if value and value.strip():
                return value.strip(), "microdata"
    for el in card.iter():
        if not isinstance(el.tag, str):
            continue
        value = (el.get("datetime") or "").strip()
        if value and parse_iso(value) is not None:
            return value, "time-tag"  # amp-timeago, <ins datetime>, custom elements
        for name, attr in el.attrib.items():
            if name.startswith("data-") and _DATA_NAME.match(name):
                attr = attr.strip()
                if _EPOCH.match(attr):
                    return _epoch_iso(attr), "time-tag"
                if len(attr) >= 10 and attr[:4].isdigit() and parse_iso(attr) is not None:
                    return attr, "time-tag"
    return None


def _texts(card: HtmlElement, title: str | None) -> list[str]:
    """Candidate date texts in order of trust: ``<time>``, date-named elements, then every short text."""
    named: list[str] = [text_of(t) for t in card.iter("time")]
    short: list[str] = []
    stack = [card]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            continue
        if el.tag in _HEADINGS and not element_words(el) & DATE_WORDS:
            continue  # a title, unless it is a date header (Blogger's ``h2.date-header``)
        text = text_of(el)
        if not text or text == title:
            continue  # the title's link or heading
        if len(text) <= _MAX_TEXT and not (title and title in text):
            (named if element_words(el) & DATE_WORDS else short).append(text)
        stack.extend(reversed([child for child in el if isinstance(child.tag, str)]))
    return [t for t in (*named, *short) if t]


def card_date(card: HtmlElement, title: str | None = None) -> CardDate:
    """The card's date: the first structured value, else the first text the date reader accepts."""
    structured = _structured(card)
    texts = (t for t in _texts(card, title) if names_a_day(t))
    if structured is None:
        text = next(texts, None)
        return CardDate(text, "listing-text") if text else CardDate()
    raw, source = structured
    stated = parse_iso(raw)
    printed = next((d for t in texts if (d := _absolute_day(t)) is not None), None)
    disagrees = stated is not None and printed is not None and abs((stated.date() - printed).days) > 1
    return CardDate(raw, source, disagrees)
