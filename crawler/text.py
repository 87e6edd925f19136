"""Text rules: what users read (display text) and what is only compared (title keys).

Display rules are pure functions so each can be tested and reused on its own;
``display_text`` composes them. A title key survives the spelling noise two
copies of one headline carry (diacritics, hamza forms, taa marbuta,
punctuation, digit scripts). ``ARABIC_LETTER_FOLD`` is the one table of Arabic
letters that sites write interchangeably: title keys and the date reader both
fold with it. URL keys live in ``crawler.urls``.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

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

# Letters sites write interchangeably, each to the one spelling matching uses, and
# Arabic-Indic and Persian digits to ASCII. Only for keys and patterns, never for display.
ARABIC_LETTER_FOLD: dict[int, str] = {
    **dict.fromkeys(map(ord, "أإآٱ"), "ا"),
    ord("ى"): "ي",
    ord("ی"): "ي",  # Persian yeh
    ord("ئ"): "ي",
    ord("ؤ"): "و",
    ord("ة"): "ه",
    ord("ھ"): "ه",  # heh doachashmee, printed for the Hijri «ھ»
    ord("ک"): "ك",  # Persian kaf
    **{0x0660 + d: str(d) for d in range(10)},  # Arabic-Indic ٠-٩
    **{0x06F0 + d: str(d) for d in range(10)},  # Persian ۰-۹
}

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


def fold_quotes(text: str, style: str) -> str:
    """Fold every typographic quote to one style: ASCII ``"``/``'``, Arabic guillemets «»
    for double quotes, or ``keep`` the source's characters (``AKHBAR_QUOTE_STYLE``)."""
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
    """Turn runs of whitespace (NBSP and newlines included) into one space, trimmed."""
    return " ".join(text.split())


def display_text(text: str | None, quotes: str) -> str | None:
    """The text a reader sees; empty results become ``None``."""
    if text is None:
        return None
    text = decode_entities(text)
    text = strip_invisible(text)
    text = remove_tatweel(text)
    text = fold_presentation_forms(text)
    text = collapse_whitespace(text)
    return fold_quotes(text, quotes) or None


def display_paragraphs(text: str | None, quotes: str) -> str | None:
    """Like ``display_text`` for multi-paragraph text, keeping blank-line breaks."""
    if text is None:
        return None
    paragraphs = [display_text(p, quotes) for p in _PARAGRAPH_BREAK.split(text)]
    return "\n\n".join(p for p in paragraphs if p) or None


_NOT_WORD = re.compile(r"[\W_]+")
_KEY_REMOVED = re.compile(f"{INVISIBLE.pattern}|[\u0640\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_KEY_FOLD = str.maketrans(ARABIC_LETTER_FOLD)


@lru_cache(maxsize=4096)
def title_key(title: str | None) -> str | None:
    """The form two copies of one headline share, or ``None`` for no title.

    Cached: dedup and storage both key each title, moments apart.
    """
    if not title:
        return None
    text = fold_presentation_forms(decode_entities(title))
    # One pass removes what display_text removes (invisible marks, tatweel) plus the diacritics;
    # punctuation and symbols go too, since they never tell two headlines apart.
    text = _KEY_REMOVED.sub("", text).translate(_KEY_FOLD).casefold()
    return collapse_whitespace(_NOT_WORD.sub(" ", text)) or None


# What str.splitlines() splits on that JSON leaves raw: NEL, LINE SEPARATOR, PARAGRAPH SEPARATOR.
# (JSON escapes \n, \r, \v, \f and \x1c-\x1e itself.) A consumer reading JSON Lines with
# splitlines() would cut a record in two at any of them.
LINE_SEPARATORS = "\x85\u2028\u2029"
_LINE_SEPARATOR = re.compile(f"[{LINE_SEPARATORS}]")


def has_line_separator(text: str) -> bool:
    """Whether ``text`` holds NEL, U+2028 or U+2029 (a plain scan: most fields have none)."""
    return _LINE_SEPARATOR.search(text) is not None


def clean_line_separators(text: str, url: bool) -> str:
    """``text`` without NEL, U+2028 and U+2029: percent-escaped in a URL (it still points to the
    same page), a space elsewhere."""
    if url:
        return _LINE_SEPARATOR.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), text)
    return _LINE_SEPARATOR.sub(" ", text)


def cap_length(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, at the last word that fits when one ends in the
    last fifth, with "…" to show the cut. A 1 MB title is an attack or a bug, not a headline."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= 0.8 * (limit - 1):
        cut = cut[:space]
    return cut.rstrip() + "…"
