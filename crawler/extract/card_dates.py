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
from crawler.extract.dom import element_words
from crawler.text import collapse_whitespace

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
    """The card's machine-readable date, in one pass: ``<time datetime>`` (published before
    updated: tagDiv marks its only date "updated"), microdata, any ``datetime``, ``data-*``."""
    times: list[tuple[bool, str]] = []
    microdata = other = None
    for el in card.iter():
        if not isinstance(el.tag, str) or not el.attrib:
            continue
        value = (el.get("datetime") or "").strip()
        if el.tag == "time" and value:
            times.append((bool(element_words(el) & {"updated", "modified"}), value))
        elif microdata is None and el.get("itemprop") == "datePublished":
            microdata = (el.get("content") or value).strip() or None
        elif other is None and value and parse_iso(value) is not None:
            other = value  # amp-timeago, <ins datetime>, custom elements
        elif other is None:
            other = _data_timestamp(el)
    if times:
        return sorted(times, key=lambda t: t[0])[0][1], "time-tag"  # stable: page order within each kind
    if microdata:
        return microdata, "microdata"
    return (other, "time-tag") if other else None


def _data_timestamp(el: HtmlElement) -> str | None:
    for name, attr in el.attrib.items():
        if name.startswith("data-") and _DATA_NAME.match(name):
            attr = attr.strip()
            if _EPOCH.match(attr):
                return _epoch_iso(attr)
            if len(attr) >= 10 and attr[:4].isdigit() and parse_iso(attr) is not None:
                return attr
    return None


def _texts(card: HtmlElement, title: str | None) -> list[str]:
    """Candidate date texts in order of trust: ``<time>``, date-named elements, then every short text.

    ``text_content()`` joins text split by comments («منذ <!-- -->4<!-- --> ساعات») and skips
    the comments themselves.
    """
    named: list[str] = []
    short: list[str] = []
    stack = [card]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            continue
        if el.tag in _HEADINGS and not element_words(el) & DATE_WORDS:
            continue  # a title, unless it is a date header (Blogger's ``h2.date-header``)
        text = collapse_whitespace(el.text_content())
        if not text or text == title:
            continue  # the title's link or heading
        if len(text) <= _MAX_TEXT and not (title and title in text):
            (named if el.tag == "time" or element_words(el) & DATE_WORDS else short).append(text)
        stack.extend(reversed([child for child in el if isinstance(child.tag, str)]))
    return [*named, *short]


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
