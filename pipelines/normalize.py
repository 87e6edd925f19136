"""Display normalization: what users read in title, excerpt, body and author.

Each rule is a pure function so it can be tested and reused on its own;
``display_text`` composes them. Matching keys live in ``pipelines.keys``.
"""

from __future__ import annotations

import html
import re
import unicodedata

from itemadapter import ItemAdapter

_DOUBLE_QUOTES = "“”„‟″«»‹›〝〞＂"
_SINGLE_QUOTES = "‘’‚‛′"
_QUOTE_TABLE = str.maketrans({**dict.fromkeys(_DOUBLE_QUOTES, '"'), **dict.fromkeys(_SINGLE_QUOTES, "'")})

# Bidi controls (LRM, RLM, ALM, embeddings, isolates), zero-width characters,
# the BOM, soft hyphen, and the line/paragraph separators that split JSON Lines.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029]"
    "|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
_TATWEEL = "\u0640"
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")
_SPACES = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def fold_quotes(text: str) -> str:
    """Fold every typographic quote to ASCII ``"`` or ``'``."""
    return text.translate(_QUOTE_TABLE)


def strip_invisible(text: str) -> str:
    """Remove bidi marks, zero-width and control characters, U+2028/U+2029."""
    return _INVISIBLE.sub("", text)


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
    return _SPACES.sub(" ", text).strip()


def display_text(text: str | None) -> str | None:
    """The text a reader sees; empty results become ``None``."""
    if text is None:
        return None
    text = decode_entities(text)
    text = strip_invisible(text)
    text = remove_tatweel(text)
    text = fold_presentation_forms(text)
    text = fold_quotes(text)
    return collapse_whitespace(text) or None


def display_paragraphs(text: str | None) -> str | None:
    """Like ``display_text`` for multi-paragraph text, keeping blank-line breaks."""
    if text is None:
        return None
    paragraphs = [display_text(p) for p in _PARAGRAPH_BREAK.split(text)]
    return "\n\n".join(p for p in paragraphs if p) or None


TEXT_FIELDS = ("title", "excerpt", "author", "tag")


class NormalizePipeline:
    """Applies display normalization to the reader-facing fields."""

    def process_item(self, item: object) -> object:
        adapter = ItemAdapter(item)
        for field in TEXT_FIELDS:
            if adapter.get(field) is not None:
                adapter[field] = display_text(adapter[field])
        if adapter.get("body") is not None:
            adapter["body"] = display_paragraphs(adapter["body"])
        if adapter.get("published_raw") is not None:
            adapter["published_raw"] = collapse_whitespace(adapter["published_raw"]) or None
        return item
