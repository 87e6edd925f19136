"""Read the date an Arabic news page prints, and resolve it against the fetch time.

Reading works on folded text (:func:`crawler.dates.words.fold`) in passes. Each pass
cuts out what it recognises and records it: month names, zones and offsets, clock times,
dates (named month or numeric), relative phrases («منذ 3 ساعات», «أمس»), weekdays. Words
the reader does not know («نشر في:», «آخر تحديث») are left alone, but a digit or a month
left over means the text says something the reader does not understand, and the answer
is ``None``: a wrong date is worse than none.

Resolving refuses what cannot be told: two different days (unless one is the Gregorian
side of «… هـ الموافق … م»), a weekday that does not match the day, a numeric date that is
invalid in the site's order, a month without a day or a year, a vague «منذ ساعات».
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import NamedTuple, TypeVar

from crawler.dates import words
from crawler.dates.hijri import HIJRI_YEARS, hijri_to_gregorian
from crawler.dates.iso import parse_structured
from crawler.dates.zones import printed_zone

ORDERS = ("DMY", "MDY", "YMD")
GREGORIAN_YEARS = range(1900, 2200)

_T = TypeVar("_T")
_L = r"[^\W\d_]"  # a letter, Arabic or Latin
_B = rf"(?<!{_L})"  # a word starts here (a digit may touch it: «2021م»)
_E = rf"(?!{_L})"  # a word ends here


def _key(text: str) -> str:
    """A table key: folded, without spaces («كانون 2» and «كانون2» are one key)."""
    return _flat(words.fold(text))


def _flat(folded: str) -> str:
    """The table key of text that is folded already (what the passes match)."""
    return "".join(folded.split())


def _alternation(spellings: Iterable[str], after_first: str = "") -> str:
    """A regex matching any of ``spellings`` (folded), as a character trie.

    A trie lets the engine reject most positions on the first letter instead of trying
    150 month names one by one. A space matches any spacing («كانون2», «ذو  الحجة»); a
    spelling that ends in a digit must not run on into another («كانون 2», not «كانون 20»).
    ``after_first`` is put after every first character (see :func:`_word`).
    """
    trie: dict[str, dict] = {}
    for spelling in {" ".join(words.fold(s).split()) for s in spellings}:
        node = trie
        for char in spelling + ("\0" if spelling[-1].isdigit() else ""):
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie, after_first)


def _word(spellings: Iterable[str]) -> str:
    """:func:`_alternation` as a whole word: no letter before it or after it.

    The check for a letter before sits after the first character («(?<!L.)»), not in
    front: a pattern that starts with a character lets the engine skip to the places a
    match can start, one that starts with a lookbehind is tried at every position.
    """
    return _alternation(spellings, rf"(?<!{_L}.)") + _E


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


def _table(groups: Mapping[_T, Iterable[str]]) -> dict[str, _T]:
    """Table key of every spelling -> what it means."""
    return {_key(spelling): meaning for meaning, spellings in groups.items() for spelling in spellings}


def _spellings(groups: Mapping[object, Iterable[str]]) -> list[str]:
    """Every spelling of a table, for building its regex."""
    return [spelling for spellings in groups.values() for spelling in spellings]


# Month names become placeholders («M06», «H05») so that later passes see one token per month.
_MONTH_TOKENS: dict[str, str] = {
    **{k: f" M{m:02d} " for family in words.MONTH_FAMILIES.values() for k, m in _table(family).items()},
    **{k: f" H{m:02d} " for k, m in _table(words.HIJRI_MONTHS).items()},
}
_ALL_MONTH_SPELLINGS = [
    *(s for family in words.MONTH_FAMILIES.values() for s in _spellings(family)),
    *_spellings(words.HIJRI_MONTHS),
]
# The folded spelling as printed is a key too: most matches then need no _flat().
_MONTH_TOKENS |= {" ".join(words.fold(s).split()): _MONTH_TOKENS[_key(s)] for s in _ALL_MONTH_SPELLINGS}
_WEEKDAYS = _table(words.WEEKDAYS)
_WEEKDAY_SPELLINGS = [*_spellings(words.WEEKDAYS), *(f"يوم {w}" for w in _spellings(words.WEEKDAYS))]
# Month names (to placeholders) and weekdays (recorded) in one trie, one scan: no spelling is both.
_WORDS_RE = re.compile(_word(_ALL_MONTH_SPELLINGS + _WEEKDAY_SPELLINGS))
# «يونيو/حزيران», «حزيران (يونيو)», «نيسان / أبريل», «يونيو حزيران»: one month named twice.
_DOUBLE_RE = re.compile(r"([MH]\d\d)(?:\s*[-/|,(]\s*|\s+)([MH]\d\d)(?:\s*\))?")

_MERIDIEMS = {_key(k): v for k, v in words.MERIDIEMS.items()}
_MERIDIEM = _alternation(words.MERIDIEMS)
_ERAS = {**{words.fold(e): "g" for e in words.GREGORIAN_ERA}, **{words.fold(e): "h" for e in words.HIJRI_ERA}}
_ERA = _alternation([*words.GREGORIAN_ERA, *words.HIJRI_ERA])
_ZONES = {_key(name): zone for name, zone in words.ZONES.items()}
_UNITS = {_key(k): v for k, v in words.RELATIVE_UNITS.items()}
_NUMBERS = {words.fold(k): v for k, v in words.NUMBER_WORDS.items()}

_GMT_RE = re.compile(rf"\(?\s*{_B}(?:gmt|utc)\s*([+-])\s*(\d{{1,2}})(?::?(\d{{2}}))?(?!\d)\s*\)?")
_GMT_BARE_RE = re.compile(rf"{_B}(?:gmt|utc){_E}|{_B}ت\s*\.\s*غ{_E}")  # «ت.غ»: توقيت غرينتش
_NAMED_ZONE_RE = re.compile(
    rf"{_B}(?:ب|بال|ال|حسب\s+ال?)?توقيت{_E}\s*(?:({_alternation(words.ZONES)}){_E}|(ال)?(محلي){_E})?"
)
# A bare hour needs «الساعة» before it or a meridiem after it; «الساعة 1 يناير» holds a day, not an hour.
_HOUR_LABEL_RE = re.compile(rf"{_B}الساعه\s*(\d{{1,2}})(?![\d:])(?!\s*[-/.,]?\s*[MH\d])(?:\s*({_MERIDIEM}){_E})?")

# Number patterns start with «(\d)(?<![…]\d)», "a digit with none of … before it", written
# so that the pattern starts with a digit and the engine can skip to digits (see _word).
_TIME_RE = re.compile(  # 10:30, 10:30:15, 10:30 +03:00, 10:30 م
    r"(\d)(?<![\d:.]\d)(\d?):(\d{2})(?::(\d{2}))?(?:\.\d+)?(?![\d:])"
    r"(?:\s*([+-])(\d{2}):?(\d{2})(?!\d))?"
    rf"(?:\s*({_MERIDIEM}){_E})?"
)
_HOUR_MERIDIEM_RE = re.compile(rf"(\d)(?<![\d:/.\-]\d)(\d?)(?![\d:])\s*({_MERIDIEM}){_E}")  # 10 مساءً
# «7 ديسمبر 2021» (groups 1-6) or «ديسمبر 7, 2021» (groups 7-11), with an optional era («م», «هـ»).
_NAMED_DATE_RE = re.compile(
    r"(\d)(?<![\d.:/]\d)(\d?)(?:st|nd|rd|th)?\s*[-/.,]?\s*([MH])(\d\d)\.?\s*[-/.,]?\s*(\d{4})(?!\d)"
    rf"(?:\s*({_ERA}){_E})?"
    r"|([MH])(\d\d)\.?\s*[-/]?\s*(\d{1,2})(?:st|nd|rd|th)?(?!\d)\s*[,.]?\s*(\d{4})(?!\d)"
    rf"(?:\s*({_ERA}){_E})?"
)
# «2021/12/07» (groups 1-5) or «07/12/2021» (groups 1, 6-9), one separator throughout; era in group 10.
_NUMERIC_DATE_RE = re.compile(
    r"(\d)(?<![\d.:/-]\d)(?:(\d{3})\s*(?P<s1>[-/.])\s*(\d{1,2})\s*(?P=s1)\s*(\d{1,2})(?!\d)"
    r"|(\d?)\s*(?P<s2>[-/.])\s*(\d{1,2})\s*(?P=s2)\s*(\d{4})(?!\d))"
    rf"(?:\s*({_ERA}){_E})?"
)
_NUMERIC_HINT_RE = re.compile(r"\d\s*[-/.]\s*\d")


def _amount(group: str) -> str:
    """«3 ساعات», «ثلاث ساعات», «ساعتين», «يوم واحد»: ``group`` is "" to capture the number and unit, else "?:"."""
    number, unit = _alternation(words.NUMBER_WORDS), _alternation(words.RELATIVE_UNITS)
    return rf"(?:({group}\d+|{number})\s*)?({group}{unit}){_E}(?:\s+(?:واحد|واحده){_E})?"


_AMOUNT_RE = re.compile(_amount(""))
# The last group catches a «و» that goes on («منذ ساعة ونصف»): more than the reader can count.
_AGO_RE = re.compile(
    rf"{_B}(?:منذ|قبل)\s+(?:(?:حوالي|نحو|قرابه){_E}\s*)?{_amount('?:')}(?:\s*(?:,|و)\s*{_amount('?:')})*(\s*و)?"
)
_ENGLISH_AGO_RE = re.compile(rf"{_B}(\d+|an|a|one)\s+({'|'.join(words.ENGLISH_UNITS)})s?\s+ago{_E}")
_DAY_WORD_RE = re.compile(
    rf"{_B}(?:(اول\s+(?:من\s+)?امس|اول\s+البارحه|قبل\s+(?:يوم\s+)?امس|the\s+day\s+before\s+yesterday)"
    r"|((?:يوم\s+)?(?:امس|الامس|البارحه)|yesterday)"
    r"|(اليوم|today)"
    rf"|(الان|للتو|just\s+now|now)){_E}"
)
_DAY_HINT_RE = re.compile(_alternation(["امس", "البارحه", "اليوم", "الان", "للتو", "now", "today", "yesterday"]))
_STANDALONE_MERIDIEM_RE = re.compile(_word(words.STANDALONE_MERIDIEMS))
_DIGIT_RE = re.compile(r"\d")
_ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}(?::?\d{2})?)?)?")


class Ago(NamedTuple):
    """«منذ …»: how far back from the fetch, and whether that names an instant or only a day."""

    seconds: int = 0
    days: int = 0
    months: int = 0
    instant: bool = False

    def before(self, now: datetime) -> date | datetime:
        """The instant or the day this long before ``now`` (the fetch time on the site's clock)."""
        moment = _months_back(now, self.months) - timedelta(days=self.days, seconds=self.seconds)
        return moment.replace(microsecond=0) if self.instant else moment.date()


class Reading:
    """What a text says, before the fetch time and the site's zone give it a meaning."""

    __slots__ = (
        "ago",
        "bad",
        "clocks",
        "corresponding",
        "dates",
        "days_back",
        "meridiems",
        "unknown_zone",
        "weekdays",
        "zones",
    )

    def __init__(self) -> None:
        self.dates: list[tuple[date, bool]] = []  # (Gregorian day, printed as Hijri)
        self.clocks: list[tuple[int, int, int, str | None]] = []  # hour, minute, second, meridiem
        self.zones: list[int | str] = []  # minutes east of UTC, or an IANA name
        self.unknown_zone = False  # «بتوقيت <a place not in the table>»
        self.days_back: list[int] = []  # اليوم 0, أمس 1, أول أمس 2
        self.ago: list[Ago] = []
        self.weekdays: set[int] = set()
        self.meridiems: set[str] = set()  # «مساء أمس الساعة 8:30»: a meridiem apart from the clock
        self.corresponding = False  # «الموافق»: one day in two calendars
        self.bad = False


def _add_amount(unit: str, n: int, ago: Ago) -> Ago:
    """``ago`` plus ``n`` units: hours and smaller make an instant, days and larger only a day."""
    step = {"seconds": 1, "minutes": 60, "hours": 3600}.get(unit)
    if step is not None:
        return Ago(ago.seconds + n * step, ago.days, ago.months, True)
    if unit == "moments":
        return Ago(ago.seconds, ago.days, ago.months, True)
    if unit in ("days", "weeks"):
        return Ago(ago.seconds, ago.days + n * (7 if unit == "weeks" else 1), ago.months, ago.instant)
    return Ago(ago.seconds, ago.days, ago.months + n * (12 if unit == "years" else 1), ago.instant)


class _Reader(Reading):
    """The passes over one folded text; each ``_on_*`` records a match and cuts it out."""

    __slots__ = ("order",)

    def __init__(self, order: str) -> None:
        super().__init__()
        self.order = order

    def _offset(self, sign: str, hours: str, minutes: str | None) -> None:
        h, m = int(hours), int(minutes or 0)
        if h > 14 or m % 15:
            self.bad = True  # «+2021»: not an offset
        self.zones.append((h * 60 + m) * (-1 if sign == "-" else 1))

    def _on_gmt(self, m: re.Match[str]) -> str:
        self._offset(m[1], m[2], m[3])
        return " "

    def _on_gmt_bare(self, m: re.Match[str]) -> str:
        self.zones.append(0)
        return " "

    def _on_named_zone(self, m: re.Match[str]) -> str:
        if m[1]:
            self.zones.append(_ZONES[_flat(m[1])])
        elif not m[3]:  # not «بالتوقيت المحلي» (the site's own zone) either
            self.unknown_zone = True
        return " "

    def _on_word(self, m: re.Match[str]) -> str:
        name = m[0]
        token = _MONTH_TOKENS.get(name)
        if token is not None:
            return token
        key = _flat(name)
        if key in _MONTH_TOKENS:
            return _MONTH_TOKENS[key]
        day = _WEEKDAYS.get(key)
        self.weekdays.add(_WEEKDAYS[key.removeprefix("يوم")] if day is None else day)  # «يوم الأحد»
        return " "

    def _on_hour_label(self, m: re.Match[str]) -> str:
        self.clocks.append((int(m[1]), 0, 0, _MERIDIEMS[_flat(m[2])] if m[2] else None))
        return " "

    def _on_time(self, m: re.Match[str]) -> str:
        meridiem = _MERIDIEMS[_flat(m[8])] if m[8] else None
        self.clocks.append((int(m[1] + m[2]), int(m[3]), int(m[4] or 0), meridiem))
        if m[5]:
            self._offset(m[5], m[6], m[7])
        return " "

    def _on_hour_meridiem(self, m: re.Match[str]) -> str:
        self.clocks.append((int(m[1] + m[2]), 0, 0, _MERIDIEMS[_flat(m[3])]))
        return " "

    def _on_named_date(self, m: re.Match[str]) -> str:
        if m[3]:  # «7 ديسمبر 2021»
            self._add_date(m[3] == "H", int(m[5]), int(m[4]), int(m[1] + m[2]), m[6])
        else:  # «ديسمبر 7, 2021»
            self._add_date(m[7] == "H", int(m[10]), int(m[8]), int(m[9]), m[11])
        return " "

    def _on_numeric_date(self, m: re.Match[str]) -> str:
        if m[3]:  # year first: always year, month, day
            self._add_date(None, int(m[1] + m[2]), int(m[4]), int(m[5]), m[10])
            return " "
        first, second, year = int(m[1] + m[6]), int(m[8]), int(m[9])
        if self.order == "DMY":
            self._add_date(None, year, second, first, m[10])
        elif self.order == "MDY":
            self._add_date(None, year, first, second, m[10])
        else:
            self.bad = True  # a year-first site printing the year last: cannot tell
        return " "

    def _add_date(self, hijri: bool | None, year: int, month: int, day: int, era: str | None) -> None:
        """One date; ``hijri`` comes from a month name, ``None`` (numeric) lets the year's range decide."""
        if hijri is None:
            hijri = year in HIJRI_YEARS
        if era and _ERAS[era] != ("h" if hijri else "g"):
            self.bad = True  # «ديسمبر 2021هـ», «1443م»
            return
        if hijri:
            value = hijri_to_gregorian(year, month, day) if year in HIJRI_YEARS else None
        else:
            value = _gregorian(year, month, day) if year in GREGORIAN_YEARS else None
        if value is None:
            self.bad = True  # 31 فبراير, 30 of a 29-day Hijri month, a year no news was printed in
        else:
            self.dates.append((value, hijri))

    def _on_ago(self, m: re.Match[str]) -> str:
        if m[1]:
            self.bad = True
            return " "
        ago = Ago()
        for amount in _AMOUNT_RE.finditer(m[0]):
            unit, said = _UNITS[_flat(amount[2])]
            if amount[1] is None:
                if said is None and unit != "seconds":
                    self.bad = True  # «منذ ساعات»: how many?
                n = said or 0
            else:
                if said == 2:
                    self.bad = True  # «3 ساعتين»
                n = int(amount[1]) if amount[1].isdigit() else _NUMBERS[amount[1]]
            ago = _add_amount("moments" if unit == "seconds" and n == 0 else unit, n, ago)
        self.ago.append(ago)
        return " "

    def _on_english_ago(self, m: re.Match[str]) -> str:
        n = int(m[1]) if m[1].isdigit() else 1
        self.ago.append(_add_amount(words.ENGLISH_UNITS[m[2]], n, Ago()))
        return " "

    def _on_day_word(self, m: re.Match[str]) -> str:
        if m[4]:
            self.ago.append(Ago(instant=True))  # «الآن»
        else:
            self.days_back.append(2 if m[1] else 1 if m[2] else 0)
        return " "

    def read(self, text: str) -> Reading:
        """Run the passes; cheap substring checks skip the passes that cannot match."""
        self.corresponding = "موافق" in text
        text = _WORDS_RE.sub(self._on_word, text)
        months = text.count("M") + text.count("H")
        if months > 1:
            while pair := _DOUBLE_RE.search(text):
                if pair[1] != pair[2]:
                    self.bad = True  # «يونيو/تموز»: two months, no date
                text = f"{text[: pair.start()]} {pair[1]} {text[pair.end() :]}"
        if "gmt" in text or "utc" in text or "غ" in text:
            text = _GMT_RE.sub(self._on_gmt, text)
            text = _GMT_BARE_RE.sub(self._on_gmt_bare, text)
        if "توقيت" in text:
            text = _NAMED_ZONE_RE.sub(self._on_named_zone, text)
        if "الساعه" in text:
            text = _HOUR_LABEL_RE.sub(self._on_hour_label, text)
        if ":" in text:
            text = _TIME_RE.sub(self._on_time, text)
        if not self.clocks:  # a second, bare hour could only make the answer a day
            text = _HOUR_MERIDIEM_RE.sub(self._on_hour_meridiem, text)
        if months:
            text = _NAMED_DATE_RE.sub(self._on_named_date, text)
        digits = _DIGIT_RE.search(text) is not None
        if digits and _NUMERIC_HINT_RE.search(text):
            text = _NUMERIC_DATE_RE.sub(self._on_numeric_date, text)
        if "منذ" in text or "قبل" in text:
            text = _AGO_RE.sub(self._on_ago, text)
        if "ago" in text:
            text = _ENGLISH_AGO_RE.sub(self._on_english_ago, text)
        if _DAY_HINT_RE.search(text):
            text = _DAY_WORD_RE.sub(self._on_day_word, text)
        if self.clocks:
            self.meridiems = {_MERIDIEMS[_flat(w)] for w in _STANDALONE_MERIDIEM_RE.findall(text)}
        if digits and _DIGIT_RE.search(text):
            self.bad = True  # a number nobody explained, or a month without its day and year
        return self


def _gregorian(year: int, month: int, day: int) -> date | None:
    """The day, or ``None`` for one the calendar does not have (31 November)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _months_back(moment: datetime, months: int) -> datetime:
    """The same day ``months`` calendar months earlier, clamped to the month's end (31 March - 1 month = 28 Feb)."""
    if not months:
        return moment
    year, month0 = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month0 + 1)[1])
    return moment.replace(year=year, month=month0 + 1, day=day)


def _clock(hour: int, minute: int, second: int, meridiem: str | None) -> time | None:
    """24-hour time from a printed one; ``None`` for an impossible one («13:30 ص», «25:00»)."""
    if meridiem == "am":
        if hour > 12:
            return None
        hour = 0 if hour == 12 else hour
    elif meridiem == "pm":
        if hour == 0:
            return None
        hour = hour + 12 if hour < 12 else hour
    elif meridiem == "noon":
        if 1 <= hour <= 5:
            hour += 12
        elif not 11 <= hour <= 17:
            return None
    elif meridiem == "night":
        hour = 0 if hour == 12 else hour + 12 if 6 <= hour <= 11 else hour
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _local_now(fetched_at: datetime, tz: tzinfo | None) -> datetime:
    """The fetch time on the site's clock (UTC without a site zone): what «أمس» and «منذ» count from."""
    if fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    return fetched_at.astimezone(tz or UTC)


def read(raw: str, order: str = "DMY") -> Reading | None:
    """What ``raw`` says, or ``None`` when it holds something the reader cannot account for."""
    if order not in ORDERS:
        raise ValueError(f"unknown date order {order!r}: use one of {', '.join(ORDERS)}")
    reading = _Reader(order).read(words.fold(raw))
    return None if reading.bad else reading


def resolve(reading: Reading, fetched_at: datetime, tz: tzinfo | None) -> str | None:
    """ISO 8601 for a reading; relative parts count back from the fetch time shifted into ``tz`` (else UTC)."""
    days = {reading.dates[0][0]} if len(reading.dates) == 1 else {d for d, _ in reading.dates}
    if len(days) > 1:
        gregorian = {d for d, hijri in reading.dates if not hijri}
        both_calendars = len(days) == 2 and len(gregorian) == 1 and any(hijri for _, hijri in reading.dates)
        if not (reading.corresponding and both_calendars):
            return None  # two different days: which one is the entry's?
        days = gregorian
    if reading.ago:
        if len(reading.ago) > 1 or days or reading.clocks or reading.days_back:
            return None
        value = reading.ago[0].before(_local_now(fetched_at, tz))
        day = value.date() if isinstance(value, datetime) else value
        if reading.weekdays and reading.weekdays != {day.weekday()}:
            return None
        return value.isoformat()
    if len(set(reading.days_back)) > 1:
        return None
    if reading.days_back:
        day = _local_now(fetched_at, tz).date() - timedelta(days=reading.days_back[0])
        if days and days != {day}:
            return None
    elif days:
        (day,) = days
    else:
        return None  # a time, a weekday or a month alone is not a date
    if reading.weekdays and reading.weekdays != {day.weekday()}:
        return None  # the page's weekday disagrees: the reading is wrong somewhere
    if len(reading.meridiems) > 1:
        return None
    if not reading.clocks:
        return day.isoformat()
    apart = next(iter(reading.meridiems), None)
    clocks = {_clock(hour, minute, second, meridiem or apart) for hour, minute, second, meridiem in reading.clocks}
    if None in clocks:
        return None  # «13:30 ص»
    if len(clocks) != 1 or reading.unknown_zone:
        return day.isoformat()  # a publish and an update time, or a zone nobody knows: the day is still certain
    if not reading.zones:
        return datetime.combine(day, clocks.pop(), tzinfo=tz).isoformat()
    zones = set(reading.zones)
    if len(zones) > 1:
        return None
    return datetime.combine(day, clocks.pop(), tzinfo=printed_zone(zones.pop())).isoformat()


def parse_text(raw: str, fetched_at: datetime, tz: tzinfo | None, order: str = "DMY") -> str | None:
    """A date printed for readers, as ISO 8601, or ``None`` when it cannot be told."""
    if order not in ORDERS:
        raise ValueError(f"unknown date order {order!r}: use one of {', '.join(ORDERS)}")
    folded = words.fold(raw)
    if folded[:1].isdigit() and _ISO_RE.fullmatch(iso := folded.strip()):
        return parse_structured(iso.upper(), tz)
    reading = _Reader(order).read(folded)
    return None if reading.bad else resolve(reading, fetched_at, tz)
