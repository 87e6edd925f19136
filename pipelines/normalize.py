"""Display normalization: what users read in title, excerpt, body and author.

Each rule is a pure function so it can be tested and reused on its own;
``display_text`` composes them. Matching keys live in ``pipelines.keys``.
"""

from __future__ import annotations

import html
import re
import unicodedata

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from pipelines.base import CrawlerPipeline

_DOUBLE_QUOTES = "“”„‟″«»‹›〝〞＂"
_SINGLE_QUOTES = "‘’‚‛′"
# Regex substitution, not str.translate: translate looks up every character in a dict (13 µs an excerpt).
_DOUBLE_RE = re.compile(f"[{_DOUBLE_QUOTES}]")
_SINGLE_RE = re.compile(f"[{_SINGLE_QUOTES}]")

# Bidi controls (LRM, RLM, ALM, embeddings, isolates), zero-width characters,
# the BOM, soft hyphen, and the line/paragraph separators that split JSON Lines.
INVISIBLE = re.compile(
    "[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029]"
    "|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
_TATWEEL = "\u0640"
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


QUOTE_STYLES = ("ascii", "guillemets", "keep")
_PROCLITICS = frozenset("لبكوف")  # one-letter words written onto a quoted word: لـ«الصباح»


def _opens(text: str, i: int) -> bool:
    """Whether the quote at ``i`` opens: it precedes a word and follows a boundary or a proclitic."""
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if nxt.isspace():
        return False
    prev = text[i - 1] if i else " "
    if prev.isspace() or prev in "([{-–—/:،":
        return True
    return prev in _PROCLITICS and (i < 2 or text[i - 2].isspace())


def fold_quotes(text: str, style: str = "ascii") -> str:
    """Fold every typographic quote to one style: ASCII ``"``/``'`` (default), Arabic
    guillemets «» for double quotes, or ``keep`` the source's characters."""
    if style == "keep":
        return text
    folded = _SINGLE_RE.sub("'", _DOUBLE_RE.sub('"', text))
    if style == "ascii":
        return folded
    if style != "guillemets":
        raise ValueError(f"quote style must be one of {', '.join(QUOTE_STYLES)}, not {style!r}")
    # Direction comes from position, not from the character: Arabic text mixes “ and ” freely.
    return "".join(("«" if _opens(folded, i) else "»") if ch == '"' else ch for i, ch in enumerate(folded))


def strip_invisible(text: str) -> str:
    """Remove bidi marks, zero-width and control characters, U+2028/U+2029."""
    return INVISIBLE.sub("", text)


def remove_tatweel(text: str) -> str:
    """Remove the kashida used to stretch words; it is never meaningful."""
    return text.replace(_TATWEEL, "")


def fold_presentation_forms(text: str) -> str:
    """NFKC on Arabic presentation forms only, so diacritics elsewhere stay as written."""
    return _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def decode_entities(text: str) -> str:
    """Decode entities left in text, such as a literal ``&quot;`` inside JSON-LD."""
    return html.unescape(text) if "&" in text else text


def collapse_whitespace(text: str) -> str:
    """Turn runs of whitespace (NBSP and newlines included) into one space."""
    return " ".join(text.split())


def display_text(text: str | None, quotes: str = "ascii") -> str | None:
    """The text a reader sees; empty results become ``None``."""
    if text is None:
        return None
    text = decode_entities(text)
    text = strip_invisible(text)
    text = remove_tatweel(text)
    text = fold_presentation_forms(text)
    text = collapse_whitespace(text)
    return fold_quotes(text, quotes) or None


def display_paragraphs(text: str | None, quotes: str = "ascii") -> str | None:
    """Like ``display_text`` for multi-paragraph text, keeping blank-line breaks."""
    if text is None:
        return None
    paragraphs = [display_text(p, quotes) for p in _PARAGRAPH_BREAK.split(text)]
    return "\n\n".join(p for p in paragraphs if p) or None


TEXT_FIELDS = ("title", "excerpt", "author", "tag")


class NormalizePipeline(CrawlerPipeline):
    """Applies display normalization to the reader-facing fields (``AKHBAR_QUOTE_STYLE`` picks the quotes)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.quotes = crawler.settings.get("AKHBAR_QUOTE_STYLE", "ascii")
        fold_quotes("", self.quotes)  # a wrong style fails at start-up, not on the first item

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        for field in TEXT_FIELDS:
            if adapter.get(field) is not None:
                adapter[field] = display_text(adapter[field], self.quotes)
        if adapter.get("body") is not None:
            adapter["body"] = display_paragraphs(adapter["body"], self.quotes)
        if adapter.get("article_tags"):
            tags = (display_text(tag, self.quotes) for tag in adapter["article_tags"])
            adapter["article_tags"] = list(dict.fromkeys(tag for tag in tags if tag))
        if adapter.get("published_raw") is not None:
            adapter["published_raw"] = collapse_whitespace(adapter["published_raw"]) or None
        return item
