"""Arabic text decoded right, or the page refused with a counted reason: never mojibake.

Scrapy decodes a page by its BOM, then the ``Content-Type`` charset, then ``<meta>``, then
a guess. Arabic sites get the declarations wrong in ways that decode without an error:
a UTF-8 header over windows-1256 bytes gives U+FFFD everywhere, an ``iso-8859-1`` header
over windows-1256 gives «ÇáÓÚæÏíÉ». So the bytes are checked against the declarations:

1. a BOM is believed;
2. bytes that are valid UTF-8 (and not plain ASCII) are UTF-8, whatever is declared:
   windows-1256 or ISO-8859-6 Arabic is never valid UTF-8 by accident;
3. otherwise the declared single-byte charset is kept when it gives Arabic text, else
   windows-1256 and ISO-8859-6 are tried, and the one that reads as Arabic (almost every
   letter Arabic, and the article «ال» where Arabic is) wins;
4. a declared non-Arabic charset that decodes cleanly is kept (a Latin-script page);
5. anything else is rejected (``akhbar/encoding/rejected/<why>``) rather than passed on garbled.

A page whose UTF-8 has a few broken bytes (a response cut mid-character) stays UTF-8 and is
counted as ``utf8_damaged``. The response body is never changed, only the codec it is read with,
so a recording keeps the bytes as served.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from typing import Self

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom, resolve_encoding

logger = logging.getLogger(__name__)

ARABIC_SINGLE_BYTE = ("cp1256", "iso8859-6")
_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
# Invalid UTF-8 a page may carry and still be UTF-8: one broken character per this many.
_DAMAGE_RATIO = 1000
# UTF-8 Arabic read as windows-1256: lead bytes D8/D9 become ط/ظ, continuation bytes become
# punctuation, Latin-1 signs or Persian/Urdu letters («ط§ظ„»). Real Arabic rarely has these pairs.
_MOJIBAKE = re.compile(
    "[طظ][\u0080-\u00ff\u0152\u0153\u0192\u02c6\u2010-\u2122\u067e\u0679\u0686\u0698\u0688\u06af\u06a9\u0691\u06ba\u06be\u060c\u061b\u061f]"
)


class EncodingRejected(IgnoreRequest):
    """A page whose text cannot be decoded without garbling it."""


@dataclass(frozen=True)
class Decision:
    """The codec to read a page with, and what that says about its declarations.

    ``outcome``: ``ok`` (declared right, or nothing to decide), ``bom``, ``sniffed`` (none
    declared), ``header_wrong``, ``meta_wrong``, ``utf8_damaged``, or ``rejected/<why>``.
    """

    encoding: str | None
    outcome: str
    reason: str = ""
    conflict: bool = False  # header and <meta> name different charsets


def codec_name(label: str | None) -> str | None:
    """Python's name for a charset label as browsers read it (``iso-8859-1`` means cp1252)."""
    if not label:
        return None
    resolved = resolve_encoding(label)
    if not resolved:
        return None
    try:
        return codecs.lookup(resolved).name
    except LookupError:
        return None


def _is_arabic(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _ARABIC_BLOCKS)


def reads_as_arabic(text: str) -> bool:
    """Whether decoded text is Arabic as people write it, not letters from the wrong code page.

    Nearly all non-ASCII letters must be Arabic, and «ال» (the article, about one word in
    three) must occur: a wrong single-byte code page still gives Arabic letters, but not that pair.
    """
    letters = [c for c in text if ord(c) > 127 and c.isalpha()]
    arabic = sum(1 for c in letters if _is_arabic(c))
    if arabic < 3 or arabic < 0.9 * len(letters):
        return False
    if len(_MOJIBAKE.findall(text)) > arabic // 50:
        return False
    # Natural Arabic runs at 4-9 «ال» per 100 letters (measured on every page in the fixtures and
    # ../shared/real-pages); ISO-8859-6 bytes read as windows-1256 give 0.3.
    return text.count("ال") >= max(1.0, 0.02 * arabic)


def _decodes(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decide(body: bytes, header_charset: str | None, meta_charset: str | None) -> Decision:
    """How to read ``body`` given the charset its header and its ``<meta>`` declare."""
    header, meta = codec_name(header_charset), codec_name(meta_charset)
    conflict = bool(header and meta and header != meta)
    bom, _ = read_bom(body)
    if bom:
        return Decision(codec_name(bom), "bom", conflict=conflict)
    declared = header or meta
    if body.isascii():
        return Decision(declared, "ok", conflict=conflict)

    def verdict(actual: str, reason: str = "") -> Decision:
        if declared is None:
            return Decision(actual, "sniffed", reason or f"nothing declared; the bytes are {actual}", conflict)
        if actual == declared:
            return Decision(actual, "ok", reason, conflict)
        wrong = "header_wrong" if header else "meta_wrong"
        said = f"{'header' if header else '<meta>'} says {declared}"
        return Decision(actual, wrong, reason or f"{said}; the bytes are {actual}", conflict)

    if _decodes(body, "utf-8") is not None:
        return verdict("utf-8")
    lenient = body.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd")
    damaged = declared == "utf-8" and broken <= 8
    damaged = damaged and broken * _DAMAGE_RATIO <= sum(1 for c in lenient if ord(c) > 127)
    if damaged and reads_as_arabic(lenient.replace("\ufffd", "")):
        return Decision("utf-8", "utf8_damaged", f"{broken} invalid UTF-8 sequence(s) replaced", conflict)

    candidates = [e for e in (header, meta) if e and e != "utf-8"]
    candidates += [e for e in ARABIC_SINGLE_BYTE if e not in candidates]
    readings = [(e, t) for e in candidates if (t := _decodes(body, e)) is not None and reads_as_arabic(t)]
    if readings:
        # Both Arabic code pages can pass on a short text by chance: the one with more «ال» is right.
        best = max(readings, key=lambda reading: reading[1].count("ال"))
        return verdict(best[0])
    for encoding in (e for e in (header, meta) if e and e != "utf-8" and e not in ARABIC_SINGLE_BYTE):
        if _decodes(body, encoding) is not None:
            return verdict(encoding, f"{encoding} decodes it and it is not Arabic")
    if declared == "utf-8":
        why = "declared UTF-8, but the bytes are neither UTF-8 nor windows-1256/ISO-8859-6 Arabic"
        return Decision(None, "rejected/invalid_utf8", why, conflict)
    why = "not UTF-8, and neither the declared charset nor windows-1256/ISO-8859-6 reads it as Arabic"
    return Decision(None, "rejected/unknown_charset", why + " (mixed or unknown encoding)", conflict)


def decide_response(response: TextResponse) -> Decision:
    """:func:`decide` for a Scrapy response: its ``Content-Type`` charset and its ``<meta>``."""
    content_type = response.headers.get(b"Content-Type")
    header = http_content_type_encoding(content_type.decode("latin-1")) if content_type else None
    return decide(response.body, header, html_body_declared_encoding(response.body))


def reread(response: TextResponse, decision: Decision) -> TextResponse:
    """The same response read with the decided codec; the body bytes are untouched."""
    if decision.encoding and codec_name(response.encoding) != decision.encoding:
        return response.replace(encoding=decision.encoding)
    return response


class EncodingMiddleware:
    """Downloader middleware: reads each HTML/text page with the codec :func:`decide` picks.

    Sits just inside HttpCompressionMiddleware (590), so it sees decompressed bytes, and
    outside MetaRefreshMiddleware (580), which reads the text. Counts ``akhbar/encoding/*``.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or request.url.endswith("/robots.txt"):
            return response
        decision = decide_response(response)
        stats = self.crawler.stats
        if decision.conflict:
            stats.inc_value("akhbar/encoding/header_meta_conflict")
        if decision.outcome.startswith("rejected"):
            stats.inc_value("akhbar/encoding/rejected")
            stats.inc_value(f"akhbar/encoding/{decision.outcome}")
            raise EncodingRejected(f"cannot decode {response.url} without garbling it: {decision.reason}")
        stats.inc_value(f"akhbar/encoding/{decision.outcome}")
        if decision.outcome != "ok":
            logger.info("encoding of %s: %s (%s)", response.url, decision.encoding, decision.reason or decision.outcome)
        return reread(response, decision)
