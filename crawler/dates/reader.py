"""Read what the date an Arabic news page prints says, before the fetch time gives it a meaning.

Reading works on folded text (:func:`crawler.dates.words.fold`) in passes. Each pass
cuts out what it recognises and records it: relative weekdays («الثلاثاء الماضي»), month
names, zones and offsets, clock times (in digits or words), dates (named month or numeric),
days named from today («أمس», «بعد غد»), counted shifts («منذ 3 ساعات», «بعد أسبوعين»),
weekdays. Words the reader does not know («نشر في:», «آخر تحديث», a place) are left alone.

What is left decides whether the reading stands. A digit, a month, or a *date word* left
over (a number word, a unit, a relative word, a Hijri marker: :data:`words.DATE_WORDS`)
means the text says more than the reader understood, and the reading is refused as
``partial``: «اليوم الماضي» is not today, «في 5 مايو 2016 الساعة <something unread>» is not
the day without its time. A wrong date is worse than none.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from crawler.dates import words
from crawler.dates.hijri import HIJRI_YEARS, hijri_to_gregorian
from crawler.dates.patterns import (
    AMOUNT_RE,
    CLOCK_LABEL_RE,
    DATE_LABEL_RE,
    DAY_HINT_RE,
    DAY_WORD_RE,
    DIGIT_RE,
    DOUBLE_RE,
    ENGLISH_AGO_RE,
    ERAS,
    FRACTIONS,
    GMT_BARE_RE,
    GMT_RE,
    HOUR_LABEL_RE,
    HOUR_MERIDIEM_RE,
    HOURS,
    MERIDIEMS,
    MONTH_WORD_RE,
    NAMED_DATE_RE,
    NAMED_ZONE_RE,
    NUMBERS,
    NUMERIC_DATE_RE,
    NUMERIC_HINT_RE,
    ORDINAL_DAY_RE,
    ORDINAL_DAYS,
    PAST,
    RELATIVE_DAYS,
    SHIFT_RE,
    SPAN_RE,
    SPELLED_CLOCK_HINT_RE,
    SPELLED_CLOCK_RE,
    STANDALONE_MERIDIEM_RE,
    TIME_RE,
    UNITS,
    WORD_MEANINGS,
    WORDS_RE,
    ZONES,
    flat,
    has_date_word,
)

ORDERS = ("DMY", "MDY", "YMD")
GREGORIAN_YEARS = range(1900, 2200)


class Shift(NamedTuple):
    """«منذ …» / «بعد …»: how far from the fetch (positive back, negative ahead), and whether that
    names an instant (seconds to hours) or only a day (days and longer)."""

    seconds: int = 0
    days: int = 0
    months: int = 0
    instant: bool = False


class Reading:
    """What a text says, before the fetch time and the site's zone give it a meaning.

    ``why`` is ``None`` for a usable reading, else the first reason it is not: ``partial``
    (something date-like left unexplained), ``span`` (a week, month or year, not a day),
    ``ambiguous`` («منذ ساعات», a year-last date on a year-first site), ``invalid`` (31
    فبراير, «3 ساعتين») or ``conflict`` (two different month names).
    """

    __slots__ = (
        "clocks",
        "corresponding",
        "dates",
        "days",
        "meridiems",
        "shifts",
        "unknown_zone",
        "weekday_steps",
        "weekdays",
        "why",
        "zones",
    )

    def __init__(self) -> None:
        self.dates: list[tuple[date, bool]] = []  # (Gregorian day, printed as Hijri)
        self.clocks: list[tuple[int, int, int, str | None]] = []  # hour, minute, second, meridiem
        self.zones: list[int | str] = []  # minutes east of UTC, or an IANA name
        self.unknown_zone = False  # «بتوقيت <a place not in the table>»
        self.days: list[int] = []  # days from the fetch day: اليوم 0, أمس -1, بعد غد 2
        self.shifts: list[Shift] = []
        self.weekday_steps: list[tuple[int, int]] = []  # (weekday, weeks): الثلاثاء الماضي (1, -1)
        self.weekdays: set[int] = set()
        self.meridiems: set[str] = set()  # «مساء أمس الساعة 8:30»: a meridiem apart from the clock
        self.corresponding = False  # «الموافق»: one day in two calendars
        self.why: str | None = None


def _add_amount(unit: str, n: int, fraction: int, shift: Shift) -> Shift | None:
    """``shift`` plus ``n`` units and ``fraction`` sixtieths of one: hours and smaller make an
    instant, days and larger only a day; a fraction of a day or more names no day (``None``)."""
    step = {"seconds": 1, "minutes": 60, "hours": 3600}.get(unit)
    if step is not None:
        return Shift(shift.seconds + n * step + fraction * step // 60, shift.days, shift.months, True)
    if unit == "moments":
        return Shift(shift.seconds, shift.days, shift.months, True)
    if fraction:
        return None  # «منذ يوم ونصف»: which day?
    if unit in ("days", "weeks"):
        return Shift(shift.seconds, shift.days + n * (7 if unit == "weeks" else 1), shift.months, shift.instant)
    return Shift(shift.seconds, shift.days, shift.months + n * (12 if unit == "years" else 1), shift.instant)


class _Reader(Reading):
    """The passes over one folded text; each ``_on_*`` records a match and cuts it out."""

    __slots__ = ("order",)

    def _refuse(self, why: str) -> None:
        if self.why is None:
            self.why = why

    def _offset(self, sign: str, hours: str, minutes: str | None) -> None:
        h, m = int(hours), int(minutes or 0)
        if h > 14 or m % 15:
            self._refuse("invalid")  # «+2021»: not an offset
        self.zones.append((h * 60 + m) * (-1 if sign == "-" else 1))

    def _on_ordinal_day(self, m: re.Match[str]) -> str:
        day = ORDINAL_DAYS.get(flat(m[1]))
        return m[0] if day is None else f" {day} "

    def _on_gmt(self, m: re.Match[str]) -> str:
        self._offset(m[1], m[2], m[3])
        return " "

    def _on_gmt_bare(self, m: re.Match[str]) -> str:
        self.zones.append(0)
        return " "

    def _on_named_zone(self, m: re.Match[str]) -> str:
        if m[1]:
            self.zones.append(ZONES[flat(m[1])])
        elif not m[3]:  # not «بالتوقيت المحلي» (the site's own zone) either
            self.unknown_zone = True
        return " "

    def _on_word(self, m: re.Match[str]) -> str:
        name, direction = m[0], m[2]
        if direction is not None:
            name = name[: m.start(1 if m[1] else 2) - m.start()].rstrip()
        meaning = WORD_MEANINGS.get(name)
        if meaning is None:
            meaning = WORD_MEANINGS[flat(name)]
        if meaning.__class__ is str:  # a month's placeholder
            return meaning if direction is None else meaning + m[0][len(name) :]
        if direction is None:
            self.weekdays.add(meaning)
            return " "
        weekday = meaning
        # «الثلاثاء الماضي», «الخميس قبل الماضي»: a weekday counted from the fetch day.
        past = flat(direction) in PAST
        if m[1] and (m[1] == "قبل") != past:
            self._refuse("partial")  # «الأحد قبل القادم»: not a way to say a day
        weeks = 2 if m[1] else 1
        self.weekday_steps.append((weekday, -weeks if past else weeks))
        return " "

    def _on_spelled_clock(self, m: re.Match[str]) -> str:
        if not m[1] or (m[4] and not (m[5] or m[6] or m[7] or m[8])):
            return m[0]  # «الثانية» alone is no clock; «الساعة 10» is HOUR_LABEL_RE's
        hour = HOURS[flat(m[2])] if m[2] else NUMBERS.get(flat(m[3]), 0) if m[3] else int(m[4])
        if m[5] or m[6]:
            minute = NUMBERS.get(flat(m[5]), 60) if m[5] else int(m[6])
        elif m[7]:
            minute = FRACTIONS[m[7]]
        elif m[8]:  # «الثانية عشرة إلا ربعاً»: 11:45
            hour, minute = hour - 1, 60 - FRACTIONS[m[8]]
        else:
            minute = 0
        if not 1 <= hour <= 12 and not (hour == 0 and m[8]):
            self._refuse("invalid")
        self.clocks.append((hour, minute, 0, MERIDIEMS[flat(m[9])] if m[9] else None))
        return " "

    def _on_hour_label(self, m: re.Match[str]) -> str:
        self.clocks.append((int(m[1]), 0, 0, MERIDIEMS[flat(m[2])] if m[2] else None))
        return " "

    def _on_time(self, m: re.Match[str]) -> str:
        meridiem = MERIDIEMS[flat(m[8])] if m[8] else None
        self.clocks.append((int(m[1] + m[2]), int(m[3]), int(m[4] or 0), meridiem))
        if m[5]:
            self._offset(m[5], m[6], m[7])
        return " "

    def _on_hour_meridiem(self, m: re.Match[str]) -> str:
        self.clocks.append((int(m[1] + m[2]), 0, 0, MERIDIEMS[flat(m[3])]))
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
            self._refuse("ambiguous")  # a year-first site printing the year last: cannot tell
        return " "

    def _add_date(self, hijri: bool | None, year: int, month: int, day: int, era: str | None) -> None:
        """One date; ``hijri`` comes from a month name, ``None`` (numeric) lets the year's range decide."""
        if hijri is None:
            hijri = year in HIJRI_YEARS
        if era and ERAS[era] != ("h" if hijri else "g"):
            self._refuse("invalid")  # «ديسمبر 2021هـ», «1443م»
            return
        if hijri:
            value = hijri_to_gregorian(year, month, day) if year in HIJRI_YEARS else None
        else:
            value = _gregorian(year, month, day) if year in GREGORIAN_YEARS else None
        if value is None:
            self._refuse("invalid")  # 31 فبراير, 30 of a 29-day Hijri month, a year no news was printed in
        else:
            self.dates.append((value, hijri))

    def _on_day_word(self, m: re.Match[str]) -> str:
        days = RELATIVE_DAYS.get(flat(m[0]))
        if days is None:
            self.shifts.append(Shift(instant=True))  # «الآن»
        else:
            self.days.append(days)
        return " "

    def _on_shift(self, m: re.Match[str]) -> str:
        if m[2]:
            self._refuse("partial")  # «منذ ساعة و…»: more than the reader can count
            return " "
        shift: Shift | None = Shift()
        for amount in AMOUNT_RE.finditer(m[0]):
            count, before, unit_word, after = amount[1], amount[2], amount[3], amount[4]
            unit, said = UNITS[flat(unit_word)]
            if count is not None:
                if said == 2:
                    self._refuse("invalid")  # «3 ساعتين»
                n = int(count) if count.isdigit() else NUMBERS.get(flat(count), 0)
            elif before is not None:  # «نصف ساعة»
                if said != 1:
                    self._refuse("invalid")  # «نصف ساعتين»
                n, after = 0, before
            else:
                if said is None and unit != "seconds":
                    self._refuse("ambiguous")  # «منذ ساعات»: how many?
                n = said or 0
            fraction = FRACTIONS[after] if after else 0
            unit = "moments" if unit == "seconds" and n == 0 and not fraction else unit
            shift = _add_amount(unit, n, fraction, shift) if shift is not None else None
        if shift is None:
            self._refuse("ambiguous")
            return " "
        if m[1] == "بعد":
            shift = Shift(-shift.seconds, -shift.days, -shift.months, shift.instant)
        self.shifts.append(shift)
        return " "

    def _on_english_ago(self, m: re.Match[str]) -> str:
        n = int(m[1]) if m[1].isdigit() else 1
        self.shifts.append(_add_amount(words.ENGLISH_UNITS[m[2]], n, 0, Shift()) or Shift())
        return " "

    def _on_standalone_meridiem(self, m: re.Match[str]) -> str:
        self.meridiems.add(MERIDIEMS[flat(m[0])])
        return " "

    def read(self, text: str) -> Reading:
        """Run the passes; cheap substring checks skip the passes that cannot match."""
        self.corresponding = "موافق" in text
        text = WORDS_RE.sub(self._on_word, text)
        months = text.count("M") + text.count("H")
        if months > 1:
            while pair := DOUBLE_RE.search(text):
                if pair[1] != pair[2]:
                    self._refuse("conflict")  # «يونيو/تموز»: two months, no date
                text = f"{text[: pair.start()]} {pair[1]} {text[pair.end() :]}"
        if "gmt" in text or "utc" in text or "غ" in text:
            text = GMT_RE.sub(self._on_gmt, text)
            text = GMT_BARE_RE.sub(self._on_gmt_bare, text)
        if "توقيت" in text:
            text = NAMED_ZONE_RE.sub(self._on_named_zone, text)
        if "الساعه" in text and SPELLED_CLOCK_HINT_RE.search(text):
            text = SPELLED_CLOCK_RE.sub(self._on_spelled_clock, text)
        if "الساعه" in text:
            text = HOUR_LABEL_RE.sub(self._on_hour_label, text)
        if ":" in text:
            text = TIME_RE.sub(self._on_time, text)
        if not self.clocks:  # a second, bare hour could only make the answer a day
            text = HOUR_MERIDIEM_RE.sub(self._on_hour_meridiem, text)
        if "يوم" in text or "عام" in text or "سنه" in text:
            text = DATE_LABEL_RE.sub(" ", text)
        if months:
            text = NAMED_DATE_RE.sub(self._on_named_date, text)
            if "M" in text or "H" in text:  # a month not after a day in digits: «الثالث من (شهر) أكتوبر»
                text = MONTH_WORD_RE.sub(" ", text) if "شهر" in text else text
                text = NAMED_DATE_RE.sub(self._on_named_date, ORDINAL_DAY_RE.sub(self._on_ordinal_day, text))
        digits = DIGIT_RE.search(text) is not None
        if digits and NUMERIC_HINT_RE.search(text):
            text = NUMERIC_DATE_RE.sub(self._on_numeric_date, text)
        if "منذ" in text or "قبل" in text or "بعد" in text:
            text = SHIFT_RE.sub(self._on_shift, text)
        if DAY_HINT_RE.search(text):
            text = DAY_WORD_RE.sub(self._on_day_word, text)
        if "ago" in text:
            text = ENGLISH_AGO_RE.sub(self._on_english_ago, text)
        if self.clocks:
            text = STANDALONE_MERIDIEM_RE.sub(self._on_standalone_meridiem, text)
            if "الساعه" in text:
                text = CLOCK_LABEL_RE.sub(" ", text)
        if digits and DIGIT_RE.search(text):
            self._refuse("partial")  # a number nobody explained, or a month without its day and year
        elif text.strip(" ,.:;-/|()") and has_date_word(text):
            self._refuse("span" if SPAN_RE.search(text) else "partial")
        return self


def _gregorian(year: int, month: int, day: int) -> date | None:
    """The day, or ``None`` for one the calendar does not have (31 November)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read(raw: str, order: str = "DMY") -> Reading:
    """What ``raw`` says; ``reading.why`` tells when it cannot be used."""
    if order not in ORDERS:
        raise ValueError(f"unknown date order {order!r}: use one of {', '.join(ORDERS)}")
    return read_folded(words.fold(raw), order)


def read_folded(folded: str, order: str) -> Reading:
    """:func:`read` on text folded already, in an order checked already."""
    reader = _Reader()
    reader.order = order
    return reader.read(folded)
