"""Render a known date the way Arabic news sites print it.

Used by the property tests (tests/test_date_properties.py) and the benchmark
(bench/dates.py): the value rendered is the truth, so neither needs the parser's
answer to know the right one. The month and weekday spellings are written again
here, not imported from crawler.dates.words, so that a typo in the parser's
tables shows up as a failure instead of being rendered the same wrong way.
"""

from __future__ import annotations

from datetime import date, time

from hijridate import Gregorian

# Spellings by family, month 1-12.
MONTHS: dict[str, list[tuple[str, ...]]] = {
    "msa": [
        ("يناير",),
        ("فبراير",),
        ("مارس",),
        ("أبريل", "إبريل", "ابريل"),
        ("مايو",),
        ("يونيو", "يونيه", "يونية"),
        ("يوليو", "يوليه", "يولية"),
        ("أغسطس", "اغسطس"),
        ("سبتمبر",),
        ("أكتوبر", "اكتوبر"),
        ("نوفمبر",),
        ("ديسمبر",),
    ],
    "levantine": [
        ("كانون الثاني", "كانون 2", "كانون ثاني"),
        ("شباط",),
        ("آذار", "اذار"),
        ("نيسان",),
        ("أيار", "ايار"),
        ("حزيران",),
        ("تموز",),
        ("آب",),
        ("أيلول", "ايلول"),
        ("تشرين الأول", "تشرين 1", "تشرين اول"),
        ("تشرين الثاني", "تشرين 2", "تشرين الثانى"),
        ("كانون الأول", "كانون 1", "كانون الاول"),
    ],
    "maghrebi": [
        ("جانفي",),
        ("فيفري",),
        ("مارس",),
        ("أفريل", "افريل"),
        ("ماي",),
        ("جوان",),
        ("جويلية", "جويليه"),
        ("أوت", "اوت"),
        ("سبتمبر",),
        ("أكتوبر",),
        ("نوفمبر",),
        ("ديسمبر",),
    ],
    "moroccan": [
        ("يناير",),
        ("فبراير",),
        ("مارس",),
        ("أبريل",),
        ("ماي",),
        ("يونيو",),
        ("يوليوز",),
        ("غشت",),
        ("شتنبر",),
        ("أكتوبر",),
        ("نونبر",),
        ("دجنبر",),
    ],
    "english": [
        ("January", "Jan"),
        ("February", "Feb"),
        ("March", "Mar"),
        ("April", "Apr"),
        ("May",),
        ("June", "Jun"),
        ("July", "Jul"),
        ("August", "Aug"),
        ("September", "Sep"),
        ("October", "Oct"),
        ("November", "Nov"),
        ("December", "Dec"),
    ],
}
HIJRI_MONTHS: list[tuple[str, ...]] = [
    ("محرم",),
    ("صفر",),
    ("ربيع الأول",),
    ("ربيع الآخر", "ربيع الثاني"),
    ("جمادى الأولى",),
    ("جمادى الآخرة", "جمادى الثانية"),
    ("رجب",),
    ("شعبان",),
    ("رمضان",),
    ("شوال",),
    ("ذو القعدة", "ذي القعدة"),
    ("ذو الحجة", "ذي الحجة"),
]
WEEKDAYS = ("الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")  # Monday first
WEEKDAY_STYLES = ("", "{w} ", "{w}، ", "يوم {w} ", "يوم {w}، ")
DIGITS = {"ascii": "0123456789", "arabic": "٠١٢٣٤٥٦٧٨٩", "persian": "۰۱۲۳۴۵۶۷۸۹"}
DIGIT_SCRIPTS = ("ascii", "arabic", "persian", "mixed")
AM_WORDS = ("ص", "صباحاً", "صباحا", "صباحًا")
PM_WORDS = ("م", "مساءً", "مساءا", "مساء", "مساءاً")
LABELS = ("", "نشر في: ", "آخر تحديث: ", "تاريخ النشر: ", "تم نشره ", "بتاريخ ")


def to_digits(text: str, script: str) -> str:
    """ASCII digits rewritten in a script; "mixed" cycles Arabic-Indic, Persian and ASCII digit by digit."""
    if script == "mixed":
        scripts = ("arabic", "persian", "ascii")
        out, i = [], 0
        for char in text:
            if char.isdigit():
                char = DIGITS[scripts[i % 3]][int(char)]
                i += 1
            out.append(char)
        return "".join(out)
    table = str.maketrans("0123456789", DIGITS[script])
    return text.translate(table)


def weekday(day: date, style: int) -> str:
    """The weekday prefix in one of WEEKDAY_STYLES (0 = none)."""
    return WEEKDAY_STYLES[style].format(w=WEEKDAYS[day.weekday()])


def named(day: date, month: str, style: str, pad: bool = False) -> str:
    """A date with a month name: "dmy" («7 ديسمبر 2021»), "dmy-era" (…2021م), "mdy" (JNews «ديسمبر 7, 2021»)."""
    d = f"{day.day:02d}" if pad else str(day.day)
    if style == "mdy":
        return f"{month} {d}, {day.year}"
    return f"{d} {month} {day.year}{'م' if style == 'dmy-era' else ''}"


def numeric(day: date, sep: str, order: str) -> str:
    """A numeric date: order "DMY", "MDY" or "YMD" (year first)."""
    if order == "YMD":
        return f"{day.year}{sep}{day.month:02d}{sep}{day.day:02d}"
    first, second = (day.day, day.month) if order == "DMY" else (day.month, day.day)
    return f"{first:02d}{sep}{second:02d}{sep}{day.year}"


def clock(t: time, style: str, word: int = 0) -> str:
    """A printed time: "24h", "24h-seconds", "12h-am-pm" (AM_WORDS/PM_WORDS[word]), "hour-label" («الساعة 10:30 م»)."""
    if style == "24h":
        return f"{t.hour:02d}:{t.minute:02d}"
    if style == "24h-seconds":
        return f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    hour12 = t.hour % 12 or 12
    words = AM_WORDS if t.hour < 12 else PM_WORDS
    text = f"{hour12}:{t.minute:02d} {words[word % len(words)]}"
    return f"الساعة {text}" if style == "hour-label" else text


def hijri(day: date, spelling: int = 0, era: str = " هـ") -> str:
    """The Umm al-Qura date of a Gregorian day («3 جمادى الأولى 1443 هـ»)."""
    h = Gregorian(day.year, day.month, day.day).to_hijri()
    names = HIJRI_MONTHS[h.month - 1]
    return f"{h.day} {names[spelling % len(names)]} {h.year}{era}"
