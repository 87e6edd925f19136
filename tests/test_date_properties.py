"""Property tests: a random date rendered the way sites print it parses back to itself.

Every supported form is covered: each month family and spelling, double names, the
three digit scripts and their mix, weekday prefixes, labels, 24-hour and ص/م clocks,
numeric orders, Hijri (round trip through hijridate's Umm al-Qura), relative phrases
and ISO values. The renderers are in tests/date_forms.py.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from crawler.dates import load_timezone, parse_structured, resolve_date
from tests import date_forms as forms

NOW = datetime(2021, 12, 7, 12, 0, tzinfo=UTC)
ZONES = ("Asia/Riyadh", "Africa/Cairo", "Asia/Beirut", "Africa/Tunis", "Africa/Casablanca", "Asia/Dubai")

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31))
# A printed clock: whole seconds, and fold=0. A page prints the wall time only, so a time that
# falls in a DST gap or overlap (Cairo's 00:00-01:00 on a spring-forward night) reads as PEP 495's
# fold=0, the offset before the change; Hypothesis's fold=1 times are not something a page can say.
clocks = st.times().map(lambda t: t.replace(microsecond=0, fold=0))
# A response's fetch time: its Date header has whole seconds and UTC.
fetch_instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0, tzinfo=UTC)
)
scripts = st.sampled_from(forms.DIGIT_SCRIPTS)
month_spellings = st.sampled_from(
    [(family, m, s) for family, months in forms.MONTHS.items() for m, names in enumerate(months, 1) for s in names]
)


def text(raw: str, tz: str | None = None, order: str = "DMY", now: datetime = NOW) -> str | None:
    return resolve_date(raw, "listing-text", now, load_timezone(tz), order)


@settings(max_examples=400)
@given(
    day=days,
    spelling=month_spellings,
    style=st.sampled_from(["dmy", "dmy-era", "mdy"]),
    pad=st.booleans(),
    prefix=st.integers(0, len(forms.WEEKDAY_STYLES) - 1),
    label=st.sampled_from(forms.LABELS),
    script=scripts,
)
def test_named_month_dates(day, spelling, style, pad, prefix, label, script):
    family, month, name = spelling
    day = day.replace(day=min(day.day, 28)) if day.month != month else day
    day = day.replace(month=month)
    raw = label + forms.weekday(day, prefix) + forms.named(day, name, "mdy" if family == "english" else style, pad)
    assert text(forms.to_digits(raw, script)) == day.isoformat(), raw


@settings(max_examples=300)
@given(
    day=days,
    at=clocks,
    clock_style=st.sampled_from(["24h", "24h-seconds", "12h-am-pm", "hour-label"]),
    word=st.integers(0, 4),
    before=st.booleans(),
    zone=st.sampled_from(ZONES),
    script=scripts,
)
def test_dates_with_a_time_take_the_site_zone(day, at, clock_style, word, before, zone, script):
    name = forms.MONTHS["msa"][day.month - 1][0]
    printed = forms.named(day, name, "dmy")
    shown = forms.clock(at, clock_style, word)
    raw = f"{shown} {printed}" if before else f"{printed} - {shown}"
    want = at if clock_style == "24h-seconds" else at.replace(second=0)
    expected = datetime.combine(day, want).replace(tzinfo=load_timezone(zone)).isoformat()
    assert text(forms.to_digits(raw, script), zone) == expected, raw


@settings(max_examples=200)
@given(day=days, at=clocks, script=scripts)
def test_a_time_without_a_zone_stays_naive(day, at, script):
    day = day.replace(month=12)  # every day number exists in December
    raw = forms.to_digits(f"{forms.named(day, 'ديسمبر', 'dmy')} {forms.clock(at, '24h')}", script)
    assert text(raw) == datetime.combine(day, at.replace(second=0)).isoformat()


@settings(max_examples=300)
@given(
    day=days,
    sep=st.sampled_from(["/", "-", ".", " / "]),
    order=st.sampled_from(["DMY", "MDY"]),
    year_first=st.booleans(),
    script=scripts,
)
def test_numeric_dates_in_the_site_order(day, sep, order, year_first, script):
    raw = forms.to_digits(forms.numeric(day, sep, "YMD" if year_first else order), script)
    assert text(raw, order=order) == day.isoformat(), raw


@settings(max_examples=200)
@given(day=days.filter(lambda d: d.day > 12))
def test_month_first_text_is_not_guessed_under_day_first(day):
    assert text(forms.numeric(day, "/", "MDY")) is None


@settings(max_examples=200)
@given(
    day=days,
    msa=st.integers(0, 2),
    levantine=st.integers(0, 2),
    shape=st.sampled_from(["{a}/{b}", "{a} / {b}", "{a} ({b})", "{a} {b}", "{b}/ {a}"]),
)
def test_double_month_names(day, msa, levantine, shape):
    a = forms.MONTHS["msa"][day.month - 1]
    b = forms.MONTHS["levantine"][day.month - 1]
    both = shape.format(a=a[msa % len(a)], b=b[levantine % len(b)])
    assert text(f"{day.day} {both} {day.year}") == day.isoformat()


@settings(max_examples=300)
@given(
    day=st.dates(min_value=date(1924, 8, 1), max_value=date(2077, 11, 16)),
    spelling=st.integers(0, 1),
    era=st.sampled_from([" هـ", "هـ", " ه", " هجري"]),
    prefix=st.integers(0, len(forms.WEEKDAY_STYLES) - 1),
    script=scripts,
)
def test_hijri_round_trip(day, spelling, era, prefix, script):
    raw = forms.weekday(day, prefix) + forms.hijri(day, spelling, era)
    assert text(forms.to_digits(raw, script)) == day.isoformat(), raw


@settings(max_examples=200)
@given(day=st.dates(min_value=date(1924, 8, 1), max_value=date(2077, 11, 16)), shift=st.integers(-1, 1))
def test_hijri_with_its_gregorian_day_prefers_the_gregorian(day, shift):
    # Sites whose Hijri date is off by a day (moon sighting) still print the right Gregorian one.
    printed_hijri = forms.hijri(day + timedelta(days=shift))
    raw = f"{printed_hijri} الموافق {forms.named(day, forms.MONTHS['msa'][day.month - 1][0], 'dmy-era')}"
    assert text(raw) == day.isoformat(), raw


@settings(max_examples=300)
@given(
    now=fetch_instants,
    zone=st.sampled_from((None, *ZONES)),
    amount=st.sampled_from(
        [("منذ دقيقة", 1), ("منذ دقيقتين", 2), ("منذ ساعة", 60), ("منذ ساعتين", 120), ("قبل ساعة", 60)]
        + [(f"منذ {n} دقائق", n) for n in (3, 10)]
        + [(f"منذ {n} دقيقة", n) for n in (11, 45)]
        + [(f"قبل {n} ساعات", 60 * n) for n in (3, 10)]
        + [(f"منذ {n} ساعة", 60 * n) for n in (11, 23)]
    ),
    script=scripts,
)
def test_relative_instants_count_back_from_the_fetch(now, zone, amount, script):
    raw, minutes = amount
    tz = load_timezone(zone)
    expected = (now.astimezone(tz or UTC) - timedelta(minutes=minutes)).isoformat()
    assert text(forms.to_digits(raw, script), zone, now=now) == expected


@settings(max_examples=300)
@given(
    now=fetch_instants,
    zone=st.sampled_from((None, *ZONES)),
    amount=st.sampled_from(
        [
            *[("أمس", 1), ("الأمس", 1), ("يوم أمس", 1), ("أول أمس", 2), ("اليوم", 0), ("منذ يوم", 1)],
            *[("منذ يومين", 2), ("منذ أسبوع", 7), ("منذ أسبوعين", 14), ("منذ 3 أيام", 3), ("منذ 10 أيام", 10)],
        ]
    ),
    at=st.one_of(st.none(), clocks),
)
def test_relative_days_are_dates_and_take_a_printed_time(now, zone, amount, at):
    raw, back = amount
    tz = load_timezone(zone)
    day = now.astimezone(tz or UTC).date() - timedelta(days=back)
    if at is None or raw.startswith("منذ"):
        assert text(raw, zone, now=now) == day.isoformat()
    else:
        expected = datetime.combine(day, at.replace(second=0), tzinfo=tz).isoformat()
        assert text(f"{raw} {forms.clock(at, '24h')}", zone, now=now) == expected


@given(
    moment=st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2199, 12, 31)),
    offset=st.integers(-12 * 4, 14 * 4).map(lambda q: timezone(timedelta(minutes=15 * q))),
    shape=st.sampled_from(["iso", "z", "compact"]),
)
def test_structured_values_keep_their_offset(moment, offset, shape):
    value = moment.replace(microsecond=0, tzinfo=UTC if shape == "z" else offset)
    raw = value.isoformat()
    if shape == "z":
        raw = raw.replace("+00:00", "Z")
    elif shape == "compact":
        raw = raw[:-3] + raw[-2:]  # +0400
    assert parse_structured(raw, None) == value.isoformat()


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(list("0123456789٠١٢٣/-.:, مصيونوأمسمنذساعةهـ\u200f")), max_size=40))
def test_any_text_gives_none_or_a_valid_iso_value(raw):
    result = text(raw)
    assert result is None or datetime.fromisoformat(result)


def test_every_clock_minute_with_am_pm_words():
    day = date(2021, 12, 7)
    for minutes in range(0, 24 * 60, 7):
        at = time(minutes // 60, minutes % 60)
        for word in range(5):
            raw = f"7 ديسمبر 2021 {forms.clock(at, '12h-am-pm', word)}"
            assert text(raw) == datetime.combine(day, at).isoformat(), raw


# Date words a page may print. Set apart by « | » they cannot join the phrase they touch (a comma
# can: «منذ 3 ساعات، 20 دقيقة» is one sum). Half a phrase («الماضي», «ساعة», «هـ») is then always
# unexplained; a whole one («أمس», «الخميس») is a second statement that agrees or conflicts.
HALF_PHRASES = (
    *("الماضي", "القادم", "المقبل", "ساعة", "أيام", "ثلاثة", "عشرين", "ونصف", "منذ", "قبل", "بعد"),
    *("هجري", "هـ", "يونيو", "رجب", "الأسبوع", "شهر", "سنة", "عام", "2021", "15", "الثالث", "الثامنة"),
)
WHOLE_PHRASES = ("أمس", "غدا", "بكرة", "امبارح", "الآن", "الخميس", "اليوم", "الساعة")
readable = st.one_of(
    st.builds(
        lambda day, prefix, at: (
            forms.weekday(day, prefix)
            + forms.named(day, forms.MONTHS["msa"][day.month - 1][0], "dmy")
            + ("" if at is None else " " + forms.clock(at, "24h"))
        ),
        days,
        st.integers(0, len(forms.WEEKDAY_STYLES) - 1),
        st.one_of(st.none(), clocks),
    ),
    st.sampled_from(["منذ 3 ساعات", "أمس", "منذ يومين", "اليوم 10:30", "قبل عشر دقائق", "بعد غد", "امبارح"]),
    st.sampled_from(["الثلاثاء الماضي", "منذ ساعة ونصف", "7 ديسمبر 2021 الساعة الثامنة وعشرين دقيقة مساءً"]),
)


@settings(max_examples=400)
@given(
    raw=readable,
    word=st.sampled_from(HALF_PHRASES + WHOLE_PHRASES),
    at_end=st.booleans(),
    zone=st.sampled_from((None, *ZONES)),
)
def test_an_unexplained_date_word_never_changes_the_answer(raw, word, at_end, zone):
    before = text(raw, zone)
    assume(before is not None)
    after = text(f"{raw} | {word}" if at_end else f"{word} | {raw}", zone)
    assert after in (None, before), (raw, word)
    if word in HALF_PHRASES:
        assert after is None, (raw, word)  # never the answer of the half the reader understood
