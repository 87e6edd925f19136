"""The reader's patterns, compiled once from the word tables (:mod:`crawler.dates.words`).

Every pattern matches folded text (:func:`crawler.dates.words.fold`). Word lists become
character tries, not long alternations: the regex engine then rejects most positions on
their first character, which keeps a whole read near ten microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TypeVar

from crawler.dates import words
from crawler.text import collapse_whitespace

_T = TypeVar("_T")
L = r"[^\W\d_]"  # a letter, Arabic or Latin
B = rf"(?<!{L})"  # a word starts here (a digit may touch it: «2021م»)
E = rf"(?!{L})"  # a word ends here


def key(text: str) -> str:
    """A table key: folded, without spaces («كانون 2» and «كانون2» are one key)."""
    return flat(words.fold(text))


def flat(folded: str) -> str:
    """The table key of text that is folded already (what the passes match)."""
    return "".join(folded.split())


def alternation(spellings: Iterable[str], after_first: str = "") -> str:
    """A regex matching any of ``spellings`` (folded), as a character trie.

    A trie lets the engine reject most positions on the first letter instead of trying
    150 month names one by one. A space matches any spacing («كانون2», «ذو  الحجة»); a
    spelling that ends in a digit must not run on into another («كانون 2», not «كانون 20»).
    ``after_first`` is put after every first character (see :func:`word`).
    """
    trie: dict[str, dict] = {}
    for spelling in {collapse_whitespace(words.fold(s)) for s in spellings}:
        node = trie
        for char in spelling + ("\0" if spelling[-1].isdigit() else ""):
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie, after_first)


def word(spellings: Iterable[str]) -> str:
    """:func:`alternation` as a whole word: no letter before it or after it.

    The check for a letter before sits after the first character («(?<!L.)»), not in
    front: a pattern that starts with a character lets the engine skip to the places a
    match can start, one that starts with a lookbehind is tried at every position.
    """
    return alternation(spellings, rf"(?<!{L}.)") + E


_TRIE_PIECES = {" ": r"\s*", "\0": r"(?!\d)"}


def _trie_regex(node: dict[str, dict], after_first: str = "") -> str:
    """The regex for one trie node: its branches, optional when a spelling may also end here."""
    branches = [
        _TRIE_PIECES.get(char, re.escape(char)) + after_first + _trie_regex(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if "" not in node:
        return body
    return f"(?:{body})?" if len(branches) == 1 else f"{body}?"


def table(groups: Mapping[_T, Iterable[str]]) -> dict[str, _T]:
    """Table key of every spelling -> what it means."""
    return {key(spelling): meaning for meaning, spellings in groups.items() for spelling in spellings}


def spellings(groups: Mapping[object, Iterable[str]]) -> list[str]:
    """Every spelling of a table, for building its regex."""
    return [spelling for spellings in groups.values() for spelling in spellings]


# --- months and weekdays ------------------------------------------------------------------------

# Month names become placeholders («M06», «H05») so that later passes see one token per month.
_MONTH_GROUPS: list[tuple[str, Mapping[int, Iterable[str]]]] = [
    *(("M", family) for family in words.MONTH_FAMILIES.values()),
    ("H", words.HIJRI_MONTHS),
]
MONTH_TOKENS: dict[str, str] = {}
_ALL_MONTH_SPELLINGS: list[str] = []
for _letter, _family in _MONTH_GROUPS:
    for _month, _names in _family.items():
        for _name in _names:
            _ALL_MONTH_SPELLINGS.append(_name)
            MONTH_TOKENS[key(_name)] = f" {_letter}{_month:02d} "
            # The folded spelling as printed is a key too: most matches then need no flat().
            MONTH_TOKENS[collapse_whitespace(words.fold(_name))] = f" {_letter}{_month:02d} "
_ARABIC_WEEKDAYS = [s for s in spellings(words.WEEKDAYS) if not s.isascii()]
_WEEKDAY_SPELLINGS = [*spellings(words.WEEKDAYS), *(f"يوم {w}" for w in _ARABIC_WEEKDAYS)]
# What WORDS_RE matched -> a month's placeholder, or a weekday's number (Monday 0), by the folded
# spelling as printed and by its key: one lookup for most matches.
WORD_MEANINGS: dict[str, str | int] = dict(MONTH_TOKENS)
for _day, _names in words.WEEKDAYS.items():
    for _name in (*_names, *(f"يوم {n}" for n in _names if not n.isascii())):
        WORD_MEANINGS[key(_name)] = WORD_MEANINGS[collapse_whitespace(words.fold(_name))] = _day
# Month names (to placeholders) and weekdays (recorded) in one trie, one scan: no spelling is both.
# A direction may follow («الثلاثاء الماضي», «الخميس قبل الماضي»): group 1 «قبل»/«بعد», group 2 the
# direction. After a month it is left in the text for what comes later («أكتوبر القادم»: a span).
WORDS_RE = re.compile(
    word(_ALL_MONTH_SPELLINGS + _WEEKDAY_SPELLINGS)
    + rf"(?:\s+(?:(قبل|بعد)\s+)?({alternation([*words.PAST_WORDS, *words.NEXT_WORDS])}){E})?"
)
# «يونيو/حزيران», «حزيران (يونيو)», «نيسان / أبريل», «يونيو حزيران»: one month named twice.
DOUBLE_RE = re.compile(r"([MH]\d\d)(?:\s*[-/|,(]\s*|\s+)([MH]\d\d)(?:\s*\))?")
PAST = frozenset(key(w) for w in words.PAST_WORDS)
# «شهر يونيو», «شهر رمضان»: the month.
MONTH_WORD_RE = re.compile(r"شهر\s*(?=[MH]\d\d)")
# «الثالث من M10»: an ordinal day before a month becomes its number.
ORDINAL_DAYS = {key(k): v for k, v in words.ORDINAL_DAYS.items()}
_TENS_ORDINALS = ("العشرين", "العشرون", "الثلاثين", "الثلاثون")
ORDINAL_DAY_RE = re.compile(
    rf"({alternation([*(s for ss in words.ORDINAL_UNITS.values() for s in ss), 'العاشر', 'العاشره'], rf'(?<!{L}.)')}"
    rf"(?:\s+عشره?|\s*و\s*{alternation(_TENS_ORDINALS)})?|{alternation(_TENS_ORDINALS, rf'(?<!{L}.)')}){E}"
    r"\s+(?:من\s+)?(?=[MH]\d\d)"
)

# --- clocks, zones, eras --------------------------------------------------------------------------

MERIDIEMS = {key(k): v for k, v in words.MERIDIEMS.items()}
_MERIDIEM = alternation(words.MERIDIEMS)
ERAS = {**{words.fold(e): "g" for e in words.GREGORIAN_ERA}, **{words.fold(e): "h" for e in words.HIJRI_ERA}}
_ERA = alternation([*words.GREGORIAN_ERA, *words.HIJRI_ERA])
ZONES = {key(name): zone for name, zone in words.ZONES.items()}

GMT_RE = re.compile(rf"\(?\s*{B}(?:gmt|utc)\s*([+-])\s*(\d{{1,2}})(?::?(\d{{2}}))?(?!\d)\s*\)?")
GMT_BARE_RE = re.compile(rf"{B}(?:gmt|utc){E}|{B}ت\s*\.\s*غ{E}")  # «ت.غ»: توقيت غرينتش
NAMED_ZONE_RE = re.compile(rf"{B}(?:ب|بال|ال|حسب\s+ال?)?توقيت{E}\s*(?:({alternation(words.ZONES)}){E}|(ال)?(محلي){E})?")
# A bare hour needs «الساعة» before it or a meridiem after it; «الساعة 1 يناير» holds a day, not an hour.
HOUR_LABEL_RE = re.compile(rf"{B}الساعه\s*(\d{{1,2}})(?![\d:])(?!\s*[-/.,]?\s*[MH\d])(?:\s*({_MERIDIEM}){E})?")

NUMBERS = {key(k): v for k, v in words.NUMBER_WORDS.items()}
# A spelled number, built from its parts (a trie of all 317 spellings compiles slowly and is
# written out six times below): teens first, so that «ثمانية عشر» is not read as «ثمانية».
_NUMBER = (
    rf"(?:{alternation(s for ss in words.TEEN_UNITS.values() for s in ss)}\s*عشره?"
    rf"|{alternation(s for ss in words.UNIT_WORDS.values() for s in ss)}"
    rf"(?:\s*و\s*{alternation(s for t, ss in words.TENS_WORDS.items() if t < 60 for s in ss)})?"
    rf"|{alternation(s for ss in words.TENS_WORDS.values() for s in ss)}|عشره?){E}"
)
FRACTIONS = {key(k): v for k, v in words.FRACTIONS.items()}
_FRACTION = alternation(words.FRACTIONS)
HOURS = {key(k): v for k, v in words.HOUR_WORDS.items()}
# A clock in words: «الساعة الثامنة وعشرين دقيقة مساءً», «الثالثة وربع عصراً», «السابعة والنصف», «الساعة 3 و 18 دقيقة»,
# «الساعة الثانية عشرة إلا ربعاً». Groups: 1 «الساعة», 2 hour word, 3 hour count, 4 hour digits,
# 5 minutes spelled, 6 minutes in digits, 7 «و» fraction, 8 «إلا» fraction, 9 meridiem.
SPELLED_CLOCK_RE = re.compile(
    rf"(الساعه)\s*(?:({alternation(words.HOUR_WORDS)})|({_NUMBER})|(\d{{1,2}}))(?![\d:])"
    rf"(?:\s*و\s*(?:({_NUMBER})|(\d{{1,2}})(?![\d:]))(?:\s*(?:دقيقه|دقائق|دقايق))?{E}"
    rf"|\s*و\s*(?:ال)?({_FRACTION}){E}"
    rf"|\s*الا\s*({_FRACTION})ا?{E})?"
    rf"(?:\s*({_MERIDIEM}){E})?"
)
# Worth trying only with «الساعة» before something other than a plain «10:30».
SPELLED_CLOCK_HINT_RE = re.compile(r"الساعه\s*(?:[^\d\s]|\d\d?\s*و)")

# Number patterns start with «(\d)(?<![…]\d)», "a digit with none of … before it", written
# so that the pattern starts with a digit and the engine can skip to digits (see word()).
TIME_RE = re.compile(  # 10:30, 10:30:15, 10:30 +03:00, 10:30 م
    r"(\d)(?<![\d:.]\d)(\d?):(\d{2})(?::(\d{2}))?(?:\.\d+)?(?![\d:])"
    r"(?:\s*([+-])(\d{2}):?(\d{2})(?!\d))?"
    rf"(?:\s*({_MERIDIEM}){E})?"
)
HOUR_MERIDIEM_RE = re.compile(rf"(\d)(?<![\d:/.\-]\d)(\d?)(?![\d:])\s*({_MERIDIEM}){E}")  # 10 مساءً

# --- dates ----------------------------------------------------------------------------------------

# «يوم 7 ديسمبر 2021», «7 ديسمبر عام 2021»: the words name the day and the year that follow.
DATE_LABEL_RE = re.compile(rf"{word(['يوم'])}(?=\s*\d)|{word(['عام', 'لعام', 'سنه', 'لسنه'])}(?=\s*\d{{4}}(?!\d))")
# «7 ديسمبر 2021», «27 من شعبان 1440» (groups 1-6) or «ديسمبر 7, 2021» (groups 7-11), with an optional era («م», «هـ»).
NAMED_DATE_RE = re.compile(
    r"(\d)(?<![\d.:/]\d)(\d?)(?:st|nd|rd|th)?\s*[-/.,]?\s*(?:من\s*)?([MH])(\d\d)\.?\s*[-/.,]?\s*(\d{4})(?!\d)"
    rf"(?:\s*({_ERA}){E})?"
    r"|([MH])(\d\d)\.?\s*[-/]?\s*(\d{1,2})(?:st|nd|rd|th)?(?!\d)\s*[,.]?\s*(\d{4})(?!\d)"
    rf"(?:\s*({_ERA}){E})?"
)
# «2021/12/07» (groups 1-5) or «07/12/2021» (groups 1, 6-9), one separator throughout; era in group 10.
NUMERIC_DATE_RE = re.compile(
    r"(\d)(?<![\d.:/-]\d)(?:(\d{3})\s*(?P<s1>[-/.])\s*(\d{1,2})\s*(?P=s1)\s*(\d{1,2})(?!\d)"
    r"|(\d?)\s*(?P<s2>[-/.])\s*(\d{1,2})\s*(?P=s2)\s*(\d{4})(?!\d))"
    rf"(?:\s*({_ERA}){E})?"
)
NUMERIC_HINT_RE = re.compile(r"\d\s*[-/.]\s*\d")

# --- relative forms -------------------------------------------------------------------------------

UNITS = {key(k): v for k, v in words.RELATIVE_UNITS.items()}


def _amount(group: str) -> str:
    """«3 ساعات», «ثلاث ساعات», «ساعتين», «يوم واحد», «ساعة ونصف», «نصف ساعة».

    ``group`` is "" to capture (count, fraction before, unit, fraction after), else "?:".
    """
    unit = alternation(words.RELATIVE_UNITS)
    return (
        rf"(?:(?:({group}\d+|{_NUMBER})|({group}{_FRACTION}))\s*)?({group}{unit}){E}(?:\s+(?:واحد|واحده){E})?"
        rf"(?:\s*و\s*({group}{_FRACTION}){E})?"
    )


AMOUNT_RE = re.compile(_amount(""))
# «منذ/قبل …» counts back, «بعد …» ahead; «من الآن» may close it. «قبل يوم أمس» is a day word, not
# a shift. The last group catches a «و» that goes on into something the reader cannot count.
SHIFT_RE = re.compile(
    rf"{B}(منذ|قبل|بعد)\s+(?:(?:حوالي|نحو|قرابه){E}\s*)?{_amount('?:')}(?:\s*(?:,|و)\s*{_amount('?:')})*"
    rf"(?!\s*(?:امس|الامس|البارحه|امبارح){E})(?:\s+من\s+(?:الان|الوقت\s+الحالي){E})?(\s*و)?"
)
ENGLISH_AGO_RE = re.compile(rf"{B}(\d+|an|a|one)\s+({'|'.join(words.ENGLISH_UNITS)})s?\s+ago{E}")
RELATIVE_DAYS = {key(k): v for k, v in words.RELATIVE_DAYS.items()}
# A day named from today («أمس», «بعد غد», in RELATIVE_DAYS) or now (anything else it matches).
# (Tried only after DAY_HINT_RE found a stem: a plain lookbehind in front compiles faster than word().)
DAY_WORD_RE = re.compile(rf"{B}(?:{alternation([*words.RELATIVE_DAYS, *words.NOW_WORDS])}){E}")
DAY_HINT_RE = re.compile(
    alternation(
        [
            *("امس", "البارحه", "اليوم", "الان", "للتو", "غد", "بكر", "مبارح", "حالا", "اللحظه"),
            *("now", "today", "yesterday", "tomorrow"),
        ]
    )
)
STANDALONE_MERIDIEM_RE = re.compile(word(words.STANDALONE_MERIDIEMS))
# «الساعة» before a clock in digits («الساعة 10:30 م»): explained once a clock was read.
CLOCK_LABEL_RE = re.compile(word(["عند الساعه", "الساعه"]))

# --- what is left ---------------------------------------------------------------------------------

DIGIT_RE = re.compile(r"\d")
# Date words (folded) with every «و», «ب», «ل», «ف», «ال», «لل» that may be glued to them, to look
# up what is left word by word: faster than a pattern, since what is left is mostly spaces and a
# label or two.
_DATE_STEMS = {collapse_whitespace(words.fold(w)) for w in words.DATE_WORDS}
DATE_WORDS = frozenset(
    f"{clitic}{article}{stem}" for stem in _DATE_STEMS for clitic in ("", *"وبلف") for article in ("", "ال", "لل")
)
_LETTERS_RE = re.compile(rf"{L}+")


@lru_cache(maxsize=4096)
def has_date_word(leftover: str) -> bool:
    """Whether what the passes left holds a date word. Cached: what is left is a label or two
    («نشر في:», «آخر تحديث») in a few spacings, so a crawl meets the same few strings again."""
    return not DATE_WORDS.isdisjoint(_LETTERS_RE.findall(leftover))


# «الأسبوع الماضي», «الشهر المقبل», «هذا العام»: a span, not a day.
SPAN_RE = re.compile(
    rf"{B}(?:(?:{alternation(words.THIS_WORDS)})\s+(?:{alternation(words.SPAN_UNITS)})"
    rf"|(?:{alternation(words.SPAN_UNITS)})\s+(?:(?:قبل|بعد)\s+)?"
    rf"(?:{alternation([*words.PAST_WORDS, *words.NEXT_WORDS, *words.CURRENT_WORDS])})){E}"
)
ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}(?::?\d{2})?)?)?")
