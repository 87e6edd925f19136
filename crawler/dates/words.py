"""The words Arabic news sites print around dates, and the one spelling each is matched in.

Every table is written the way sites spell it and folded with :func:`fold` when the
reader builds its patterns, so variants that differ only by hamza (أ إ آ), ة/ه, ى/ي,
tashkeel or tatweel need no entry of their own. Month names are grouped by family
because a site uses one family; the reader accepts all of them everywhere.
"""

from __future__ import annotations

import unicodedata

from crawler.text import ARABIC_LETTER_FOLD

# Digits become ASCII and letters sites write interchangeably become one letter (the
# project's one Arabic letter fold, crawler.text); tatweel, tashkeel, bidi and zero-width
# marks go; every space becomes a plain space; Arabic punctuation becomes ASCII.
_FOLD: dict[int, str | None] = {
    **ARABIC_LETTER_FOLD,
    **dict.fromkeys(range(0x064B, 0x0660)),  # tashkeel: tanween, harakat, shadda, sukun
    0x0670: None,  # superscript alef
    0x0640: None,  # tatweel
    **dict.fromkeys((0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD, 0x061C, 0x200E, 0x200F)),
    **dict.fromkeys(range(0x202A, 0x202F)),  # bidi embeddings and overrides
    **dict.fromkeys(range(0x2066, 0x206A)),  # bidi isolates
    **dict.fromkeys((0x00A0, 0x2007, 0x2008, 0x2009, 0x200A, 0x202F, 0x205F, 0x3000, 0x09, 0x0A, 0x0D), " "),
    **dict.fromkeys(range(0x2000, 0x2007), " "),
    0x060C: ",",  # Arabic comma
    0x066C: ",",  # Arabic thousands separator
    0x061B: ";",
    0x066B: ".",  # Arabic decimal separator, seen between date parts
    0x060D: "/",  # Arabic date separator
    **dict.fromkeys((0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212), "-"),
    **dict.fromkeys((0x2044, 0x2215), "/"),
}
# A list indexed by code point, not a dict: str.translate is twice as fast with it, and a
# character past its end (IndexError, a LookupError) is left as it is. Presentation and
# full-width forms («ﻻ», «１２») get their NFKC form here, folded too, so that fold() needs
# no normalisation pass.
_FOLD_TABLE: list[int | str | None] = list(range(0x10000))
for _code, _to in str.maketrans(_FOLD).items():
    _FOLD_TABLE[_code] = _to
for _code in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF), *range(0xFF00, 0xFFF0)):
    _compatible = unicodedata.normalize("NFKC", chr(_code))
    if _compatible != chr(_code):
        _FOLD_TABLE[_code] = _compatible.translate(_FOLD_TABLE)


def fold(text: str) -> str:
    """One spelling per word, ASCII digits, lower-case Latin: what every pattern is written against."""
    return text.translate(_FOLD_TABLE).lower()


# Gregorian month names by family, as printed. Numbered forms («كانون 2», «تشرين 1», «ك2») are
# Levantine shorthand; «مايس» is the older Iraqi May.
MONTH_FAMILIES: dict[str, dict[int, tuple[str, ...]]] = {
    "msa": {
        1: ("يناير",),
        2: ("فبراير", "فبرير"),
        3: ("مارس",),
        4: ("أبريل", "إبريل", "ابريل"),
        5: ("مايو",),
        6: ("يونيو", "يونيه", "يونية"),
        7: ("يوليو", "يوليه", "يولية"),
        8: ("أغسطس", "اغسطس", "أغسطوس"),
        9: ("سبتمبر", "سيبتمبر"),
        10: ("أكتوبر", "اكتوبر", "أوكتوبر"),
        11: ("نوفمبر",),
        12: ("ديسمبر", "ديسيمبر"),
    },
    "levantine": {
        1: ("كانون الثاني", "كانون ثاني", "كانون 2", "ك2"),
        2: ("شباط",),
        3: ("آذار",),
        4: ("نيسان",),
        5: ("أيار", "مايس"),
        6: ("حزيران",),
        7: ("تموز",),
        8: ("آب",),
        9: ("أيلول",),
        10: ("تشرين الأول", "تشرين أول", "تشرين 1", "ت1"),
        11: ("تشرين الثاني", "تشرين ثاني", "تشرين 2", "ت2"),
        12: ("كانون الأول", "كانون أول", "كانون 1", "ك1"),
    },
    "maghrebi": {  # Algeria and Tunisia (French-derived)
        1: ("جانفي",),
        2: ("فيفري",),
        3: ("مارس",),
        4: ("أفريل",),
        5: ("ماي",),
        6: ("جوان",),
        7: ("جويلية", "جويلة"),
        8: ("أوت",),
        9: ("سبتمبر",),
        10: ("أكتوبر",),
        11: ("نوفمبر",),
        12: ("ديسمبر",),
    },
    "moroccan": {
        1: ("يناير",),
        2: ("فبراير",),
        3: ("مارس",),
        4: ("أبريل",),
        5: ("ماي",),
        6: ("يونيو",),
        7: ("يوليوز",),
        8: ("غشت",),
        9: ("شتنبر",),
        10: ("أكتوبر",),
        11: ("نونبر",),
        12: ("دجنبر",),
    },
    # Arabic sites on an English WordPress locale print these (beirutobserver.com: «November 9, 2020»).
    "english": {
        1: ("january", "jan"),
        2: ("february", "feb"),
        3: ("march", "mar"),
        4: ("april", "apr"),
        5: ("may",),
        6: ("june", "jun"),
        7: ("july", "jul"),
        8: ("august", "aug"),
        9: ("september", "sept", "sep"),
        10: ("october", "oct"),
        11: ("november", "nov"),
        12: ("december", "dec"),
    },
}

# Umm al-Qura month names; a bare «ربيع» or «جمادى» names no month.
HIJRI_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("محرم", "المحرم"),
    2: ("صفر",),
    3: ("ربيع الأول", "ربيع أول", "ربيع 1"),
    4: ("ربيع الثاني", "ربيع الآخر", "ربيع ثاني", "ربيع آخر", "ربيع 2"),
    5: ("جمادى الأولى", "جمادى الأول", "جمادى أولى", "جمادى 1"),
    6: ("جمادى الآخرة", "جمادى الثانية", "جمادى الآخر", "جمادى الثاني", "جمادى آخرة", "جمادى 2"),
    7: ("رجب",),
    8: ("شعبان",),
    9: ("رمضان",),
    10: ("شوال",),
    11: ("ذو القعدة", "ذي القعدة"),
    12: ("ذو الحجة", "ذي الحجة"),
}

# Python's weekday numbers (Monday = 0).
WEEKDAYS: dict[int, tuple[str, ...]] = {
    0: ("الإثنين", "الاثنين", "الأثنين", "الإتنين", "monday", "mon"),
    1: ("الثلاثاء", "الثلاثا", "tuesday", "tues", "tue"),
    2: ("الأربعاء", "الاربعا", "wednesday", "wed"),
    3: ("الخميس", "thursday", "thurs", "thur", "thu"),
    4: ("الجمعة", "friday", "fri"),
    5: ("السبت", "saturday", "sat"),
    6: ("الأحد", "sunday", "sun"),
}

# What a word after a clock time does to the hour: "am" and "pm" as in English, "noon"
# (ظهراً: 12 stays, 1-5 are afternoon), "night" (ليلاً: 12 is midnight, 6-11 are evening).
MERIDIEMS: dict[str, str] = {
    "ص": "am",
    "صباحاً": "am",
    "صباح": "am",
    "فجراً": "am",
    "فجر": "am",
    "قبل الظهر": "am",
    "am": "am",
    "a.m.": "am",
    "a.m": "am",
    "م": "pm",
    "مساءً": "pm",
    "مساءاً": "pm",
    "مساء": "pm",
    "عصراً": "pm",
    "عصر": "pm",
    "بعد الظهر": "pm",
    "بعد الظهيرة": "pm",
    "pm": "pm",
    "p.m.": "pm",
    "p.m": "pm",
    "ظهراً": "noon",
    "ظهر": "noon",
    "ليلاً": "night",
    "الصبح": "am",
    "الفجر": "am",
    "العصر": "pm",
    "بعد العصر": "pm",
}

# Times of day printed apart from the clock («مساء أمس الساعة 8:30»): they set its meridiem.
STANDALONE_MERIDIEMS: tuple[str, ...] = (
    "صباحاً",
    "صباح",
    "فجراً",
    "فجر",
    "قبل الظهر",
    "مساءً",
    "مساءاً",
    "مساء",
    "عصراً",
    "عصر",
    "بعد الظهر",
    "ظهراً",
    "ظهر",
    "ليلاً",
)

# A year's era marker: «2021م» is Gregorian, «1443هـ» Hijri.
GREGORIAN_ERA: tuple[str, ...] = ("م", "ميلادي", "ميلادية", "للميلاد")
HIJRI_ERA: tuple[str, ...] = ("هـ", "هجري", "هجرية", "هجرياً", "للهجرة")

# «بتوقيت <place>»: the zone whose local time the page printed. A fixed offset in minutes,
# or an IANA name whose offset depends on the date (Cairo has summer time in some years).
# «عمان» is left out on purpose: unvocalised it is both Amman and Oman.
ZONES: dict[str, int | str] = {
    "غرينتش": 0,
    "جرينتش": 0,
    "غرينيتش": 0,
    "جرينيتش": 0,
    "غرنتش": 0,
    "جرنتش": 0,
    "مكة": "Asia/Riyadh",
    "مكة المكرمة": "Asia/Riyadh",
    "الرياض": "Asia/Riyadh",
    "السعودية": "Asia/Riyadh",
    "القاهرة": "Africa/Cairo",
    "مصر": "Africa/Cairo",
    "بيروت": "Asia/Beirut",
    "لبنان": "Asia/Beirut",
    "دمشق": "Asia/Damascus",
    "سوريا": "Asia/Damascus",
    "الأردن": "Asia/Amman",
    "بغداد": "Asia/Baghdad",
    "العراق": "Asia/Baghdad",
    "القدس": "Asia/Jerusalem",
    "أبوظبي": "Asia/Dubai",
    "أبو ظبي": "Asia/Dubai",
    "دبي": "Asia/Dubai",
    "الإمارات": "Asia/Dubai",
    "الدوحة": "Asia/Qatar",
    "قطر": "Asia/Qatar",
    "الكويت": "Asia/Kuwait",
    "المنامة": "Asia/Bahrain",
    "البحرين": "Asia/Bahrain",
    "مسقط": "Asia/Muscat",
    "صنعاء": "Asia/Aden",
    "اليمن": "Asia/Aden",
    "الخرطوم": "Africa/Khartoum",
    "السودان": "Africa/Khartoum",
    "تونس": "Africa/Tunis",
    "الجزائر": "Africa/Algiers",
    "الرباط": "Africa/Casablanca",
    "المغرب": "Africa/Casablanca",
}

# Units of «منذ/قبل …»: word -> (unit, count the word itself says). A dual says 2, a
# singular 1; a plural says nothing («منذ ساعات» is vague) and needs a number.
RELATIVE_UNITS: dict[str, tuple[str, int | None]] = {
    "ثانية": ("seconds", 1),
    "ثانيتين": ("seconds", 2),
    "ثانيتان": ("seconds", 2),
    "ثواني": ("seconds", None),
    "ثوان": ("seconds", None),
    "دقيقة": ("minutes", 1),
    "دقيقتين": ("minutes", 2),
    "دقيقتان": ("minutes", 2),
    "دقائق": ("minutes", None),
    "دقايق": ("minutes", None),
    "ساعة": ("hours", 1),
    "ساعتين": ("hours", 2),
    "ساعتان": ("hours", 2),
    "ساعات": ("hours", None),
    "يوم": ("days", 1),
    "يومين": ("days", 2),
    "يومان": ("days", 2),
    "أيام": ("days", None),
    "أسبوع": ("weeks", 1),
    "أسبوعين": ("weeks", 2),
    "أسبوعان": ("weeks", 2),
    "أسابيع": ("weeks", None),
    "شهر": ("months", 1),
    "شهرين": ("months", 2),
    "شهران": ("months", 2),
    "أشهر": ("months", None),
    "شهور": ("months", None),
    "سنة": ("years", 1),
    "سنتين": ("years", 2),
    "سنتان": ("years", 2),
    "سنوات": ("years", None),
    "سنين": ("years", None),
    "عام": ("years", 1),
    "عامين": ("years", 2),
    "عامان": ("years", 2),
    "أعوام": ("years", None),
    # After 11-99 the counted noun is singular and accusative: «منذ خمسة عشر يوماً» (a feminine
    # noun's accusative folds to its plain spelling).
    "يوماً": ("days", 1),
    "أسبوعاً": ("weeks", 1),
    "شهراً": ("months", 1),
    "عاماً": ("years", 1),
    "لحظة": ("moments", 0),
    "لحظات": ("moments", 0),
}

ENGLISH_UNITS: dict[str, str] = {
    "second": "seconds",
    "minute": "minutes",
    "min": "minutes",
    "hour": "hours",
    "day": "days",
    "week": "weeks",
    "month": "months",
    "year": "years",
}

# Spelled cardinals, as counted before a unit («منذ ثلاث ساعات») or as a clock's minutes
# («الثامنة وعشرين دقيقة»): masculine and feminine, MSA and the common dialect spellings
# (ت for ث). Units 1-9 and tens are written here; NUMBER_WORDS spells out 1-60 from them.
UNIT_WORDS: dict[int, tuple[str, ...]] = {
    1: ("واحد", "واحدة"),
    2: ("اثنان", "اثنين", "اثنتان", "اثنتين"),
    3: ("ثلاث", "ثلاثة", "تلات", "تلاتة"),
    4: ("أربع", "أربعة"),
    5: ("خمس", "خمسة"),
    6: ("ست", "ستة"),
    7: ("سبع", "سبعة"),
    8: ("ثمان", "ثماني", "ثمانية", "تمن", "تمانية"),
    9: ("تسع", "تسعة"),
}
TEEN_UNITS: dict[int, tuple[str, ...]] = {
    1: ("أحد", "إحدى", "حادي", "حادية"),
    2: ("اثنا", "اثني", "اثنتا", "اثنتي"),
    **{n: spellings for n, spellings in UNIT_WORDS.items() if n > 2},
}
TENS_WORDS: dict[int, tuple[str, ...]] = {
    20: ("عشرون", "عشرين"),
    30: ("ثلاثون", "ثلاثين", "تلاتين"),
    40: ("أربعون", "أربعين"),
    50: ("خمسون", "خمسين"),
    60: ("ستون", "ستين"),
}


def _spelled_numbers() -> dict[str, int]:
    """Every spelling of 1-60: units, «عشر(ة)», teens («ثلاثة عشر»), tens and «خمسة وعشرين»."""
    numbers = {spelling: n for n, spellings in UNIT_WORDS.items() for spelling in spellings}
    numbers |= {"عشر": 10, "عشرة": 10}
    numbers |= {f"{u} {ten}": 10 + n for n, us in TEEN_UNITS.items() for u in us for ten in ("عشر", "عشرة")}
    for tens, spellings in TENS_WORDS.items():
        numbers |= dict.fromkeys(spellings, tens)
        if tens < 60:
            numbers |= {f"{u} و{t}": tens + n for n, us in UNIT_WORDS.items() for u in us for t in spellings}
    return numbers


NUMBER_WORDS: dict[str, int] = _spelled_numbers()

# Fractions of an hour or a minute after a count («ساعة ونصف», «ساعتين وربع»), and as the
# count itself («منذ نصف ساعة»): in sixtieths.
FRACTIONS: dict[str, int] = {"نصف": 30, "ربع": 15, "ثلث": 20}

# The hour of a clock spelled out («الساعة الثامنة», «الثالثة فجراً»): the feminine ordinal
# (سَاعة is feminine), or the cardinal after «الساعة» («الساعة ثلاثة»).
HOUR_WORDS: dict[str, int] = {
    **{w: 1 for w in ("الواحدة", "الأولى")},
    **{w: 2 for w in ("الثانية",)},
    **{w: 3 for w in ("الثالثة",)},
    **{w: 4 for w in ("الرابعة",)},
    **{w: 5 for w in ("الخامسة",)},
    **{w: 6 for w in ("السادسة",)},
    **{w: 7 for w in ("السابعة",)},
    **{w: 8 for w in ("الثامنة",)},
    **{w: 9 for w in ("التاسعة",)},
    **{w: 10 for w in ("العاشرة",)},
    **{w: 11 for w in ("الحادية عشرة", "الحادية عشر")},
    **{w: 12 for w in ("الثانية عشرة", "الثانية عشر")},
}

# Days of the month as ordinals («الثالث من أكتوبر 2016», «الحادي والعشرين من مايو»): masculine
# (يوم) and feminine, the tens in both cases.
ORDINAL_UNITS: dict[int, tuple[str, ...]] = {
    1: ("الأول", "الأولى", "الحادي", "الحادية"),
    2: ("الثاني", "الثانية"),
    3: ("الثالث", "الثالثة"),
    4: ("الرابع", "الرابعة"),
    5: ("الخامس", "الخامسة"),
    6: ("السادس", "السادسة"),
    7: ("السابع", "السابعة"),
    8: ("الثامن", "الثامنة"),
    9: ("التاسع", "التاسعة"),
}


def _ordinal_days() -> dict[str, int]:
    """Every spelling of the 1st to the 31st."""
    days = {w: n for n, ws in ORDINAL_UNITS.items() for w in ws if w not in ("الحادي", "الحادية")}
    days |= {"العاشر": 10, "العاشرة": 10}
    for n, ws in ORDINAL_UNITS.items():
        days |= {f"{w} {ten}": 10 + n for w in ws if w not in ("الأول", "الأولى") for ten in ("عشر", "عشرة")}
        for tens, spellings in ((20, ("العشرين", "العشرون")), (30, ("الثلاثين", "الثلاثون"))):
            if tens + n <= 31:
                days |= {f"{w} و{t}": tens + n for w in ws if w not in ("الأول", "الأولى") for t in spellings}
    return days | {"العشرين": 20, "العشرون": 20, "الثلاثين": 30, "الثلاثون": 30}


ORDINAL_DAYS: dict[str, int] = _ordinal_days()

# Days named from today: «أمس», «بعد غد», dialect «امبارح», «بكرة». Negative is past. A bare
# «الغد» is left out: it is also a newspaper's name.
RELATIVE_DAYS: dict[str, int] = {
    **dict.fromkeys(("اليوم", "today"), 0),
    **dict.fromkeys(
        (
            *("أمس", "الأمس", "بالأمس", "يوم أمس", "البارحة", "امبارح", "مبارح", "yesterday"),
            *("اليوم الماضي", "اليوم السابق", "اليوم المنصرم", "اليوم الفائت"),
        ),
        -1,
    ),
    **dict.fromkeys(
        (
            *("أول أمس", "أول من أمس", "أمس الأول", "أول البارحة", "أول امبارح", "أول مبارح"),
            *("قبل أمس", "قبل يوم أمس", "يوم قبل أمس", "قبل البارحة", "قبل امبارح"),
            *("اليوم قبل الماضي", "اليوم الذي قبل أمس", "اليوم اللي قبل أمس", "اليوم الي قبل أمس"),
            *("اليوم الذي قبل امبارح", "اليوم اللي قبل امبارح", "اليوم الي قبل امبارح", "اليوم القبل البارحة"),
            "the day before yesterday",
        ),
        -2,
    ),
    **dict.fromkeys(
        (
            *("غداً", "غدا", "غد", "يوم غد", "بكرة", "بكرا", "tomorrow"),
            *("اليوم التالي", "اليوم الجاي", "اليوم القادم", "اليوم المقبل"),
        ),
        1,
    ),
    **dict.fromkeys(
        (
            *("بعد غد", "بعد الغد", "يوم بعد غد", "بعد بكرة", "بعد بكرا", "اليوم بعد القادم", "اليوم بعد الجاي"),
            *("اليوم الذي بعد الغد", "اليوم اللي بعد الغد", "اليوم الي بعد الغد", "اليوم الذي بعد غد"),
            *("اليوم الذي بعد بكرة", "اليوم اللي بعد بكرة", "اليوم الي بعد بكرة"),
            "the day after tomorrow",
        ),
        2,
    ),
}
# «الآن»: the fetch instant itself.
NOW_WORDS: tuple[str, ...] = ("الآن", "حالاً", "حالا", "للتو", "في هذه اللحظة", "just now", "now")

# After a weekday («الثلاثاء الماضي», «الأحد القادم») or a calendar unit (a span: «الأسبوع الماضي»).
PAST_WORDS: tuple[str, ...] = (
    *("الماضي", "الماضية", "الماض", "السابق", "السابقة", "المنصرم", "المنصرمة"),
    *("الفائت", "الفائتة", "الفايت", "الفايتة"),
)
NEXT_WORDS: tuple[str, ...] = (
    *("القادم", "القادمة", "المقبل", "المقبلة", "الجاي", "الجاية", "التالي", "التالية", "الآتي", "الآتية"),
)
THIS_WORDS: tuple[str, ...] = ("هذا", "هذه", "هذي", "هاد", "هاي")
CURRENT_WORDS: tuple[str, ...] = ("الحالي", "الحالية", "الجاري", "الجارية")
# Calendar units that name a span when made relative («الشهر المقبل», «هذا العام»).
SPAN_UNITS: tuple[str, ...] = ("الأسبوع", "الاسبوع", "الشهر", "السنة", "العام")

# What makes a word a date word, for the rule "every date word must be explained" (the reader
# answers only when it has read all of them). Month names, weekdays and digits are date words
# too; the reader checks them itself. Words here may carry «و», «ب», «ل», «ال»: «وعشرين», «بالأمس».
DATE_WORDS: tuple[str, ...] = (
    *(w for w in NUMBER_WORDS if " " not in w and w not in ("ست", "سبع", "أحد", "حادي")),
    *("عشر", "نصف", "ربع", "ثلث"),
    *("الأولى", "ثاني", "ثانية", "ثالث", "ثالثة", "رابع", "رابعة", "خامس", "خامسة", "سادس", "سادسة"),
    *("سابع", "سابعة", "ثامن", "ثامنة", "تاسع", "تاسعة", "عاشر", "عاشرة", "حادية"),
    *("ثانية", "ثانيتين", "ثانيتان", "ثواني", "ثوان", "دقيقة", "دقيقتين", "دقيقتان", "دقائق", "دقايق"),
    *("ساعة", "ساعتين", "ساعتان", "ساعات", "يوم", "يومين", "يومان", "أيام", "أسبوع", "أسبوعين", "أسبوعان"),
    *("أسابيع", "شهر", "شهرين", "شهران", "أشهر", "شهور", "سنة", "سنتين", "سنتان", "سنوات", "سنين"),
    *("عام", "عامين", "عامان", "أعوام", "لحظة", "لحظات", "يوماً", "أسبوعاً", "شهراً", "عاماً"),
    *("أمس", "البارحة", "امبارح", "مبارح", "غد", "غدا", "غداً", "بكرة", "بكرا", "الآن", "حالا", "للتو"),
    *(w.removeprefix("ال") for w in (*PAST_WORDS, *NEXT_WORDS, *CURRENT_WORDS)),
    *("منذ", "قبل", "بعد", "الليلة"),
    *("هـ", "هجري", "هجرية", "هجرة"),
    *("ago", "yesterday", "today", "tomorrow", "hour", "hours", "minute", "minutes", "day", "days", "week"),
    *("weeks", "month", "months", "year", "years", "last", "next"),
)
