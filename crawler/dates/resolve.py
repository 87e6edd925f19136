"""Give a reading its meaning: the fetch time places relative forms, the site's zone places clocks.

The result is a :class:`DateValue` (a day, maybe a time, and where its offset came from) or
an :class:`Unread` saying why there is none. Resolving refuses what cannot be told: two
different days (unless one is the Gregorian side of «… هـ الموافق … م»), a weekday that does
not match the day, a relative weekday whose two readings disagree, a month or a time alone.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from crawler.dates import words
from crawler.dates.iso import structured_value
from crawler.dates.patterns import ISO_RE
from crawler.dates.reader import ORDERS, Reading, Shift, read_folded
from crawler.dates.value import DateValue, Unread
from crawler.dates.zones import printed_zone


def _months_back(moment: datetime, months: int) -> datetime:
    """The same day ``months`` calendar months earlier, clamped to the month's end (31 March - 1 month = 28 Feb)."""
    if not months:
        return moment
    year, month0 = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month0 + 1)[1])
    return moment.replace(year=year, month=month0 + 1, day=day)


def _shifted(shift: Shift, now: datetime) -> DateValue:
    """The instant or the day ``shift`` away from ``now`` (the fetch time on the site's clock)."""
    moment = _months_back(now, shift.months) - timedelta(days=shift.days, seconds=shift.seconds)
    if shift.instant:
        return DateValue(moment.date(), moment.replace(microsecond=0), "fetch")
    return DateValue(moment.date())


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


def _relative_weekday(today: date, weekday: int, weeks: int) -> date | None:
    """«الثلاثاء الماضي» (``weeks`` -1), «الأحد القادم» (1), «… قبل الماضي» (-2): the day, when it is certain.

    Two readings exist: the nearest such weekday before (after) today, and that weekday in
    the previous (next) calendar week. On a Wednesday, «الاثنين الماضي» is two days ago by
    the first and nine by the second; Arabic news means the first, other parsers the second.
    Only a day both readings give is an answer.
    """
    if weeks < 0:
        nearest = today - timedelta(days=(today.weekday() - weekday) % 7 or 7) + timedelta(weeks=weeks + 1)
    else:
        nearest = today + timedelta(days=(weekday - today.weekday()) % 7 or 7) + timedelta(weeks=weeks - 1)
    in_week = today - timedelta(days=today.weekday()) + timedelta(weeks=weeks, days=weekday)
    return nearest if nearest == in_week else None


def resolve(reading: Reading, fetched_at: datetime, tz: tzinfo | None) -> DateValue | Unread:
    """The meaning of a usable reading; relative parts count from the fetch time shifted into ``tz`` (else UTC)."""
    days = {reading.dates[0][0]} if len(reading.dates) == 1 else {d for d, _ in reading.dates}
    if len(days) > 1:
        gregorian = {d for d, hijri in reading.dates if not hijri}
        both_calendars = len(days) == 2 and len(gregorian) == 1 and any(hijri for _, hijri in reading.dates)
        if not (reading.corresponding and both_calendars):
            return Unread("conflict")  # two different days: which one is the entry's?
        days = gregorian
    if reading.shifts:
        if len(reading.shifts) > 1 or days or reading.clocks or reading.days or reading.weekday_steps:
            return Unread("conflict")
        value = _shifted(reading.shifts[0], _local_now(fetched_at, tz))
        if reading.weekdays and reading.weekdays != {value.day.weekday()}:
            return Unread("conflict")
        return value
    named: set[date] = set()
    if reading.days or reading.weekday_steps:
        today = _local_now(fetched_at, tz).date()
        named = {today + timedelta(days=n) for n in reading.days}
        for weekday, weeks in reading.weekday_steps:
            day = _relative_weekday(today, weekday, weeks)
            if day is None:
                return Unread("ambiguous")
            named.add(day)
    if len(named) > 1 or (named and days and days != named):
        return Unread("conflict")
    if named or days:
        (day,) = named or days
    else:
        return Unread("no_date")  # a time, a weekday or a month alone is not a date
    if reading.weekdays and reading.weekdays != {day.weekday()}:
        return Unread("conflict")  # the page's weekday disagrees: the reading is wrong somewhere
    if len(reading.meridiems) > 1:
        return Unread("conflict")
    if not reading.clocks:
        return DateValue(day)
    apart = next(iter(reading.meridiems), None)
    clocks = {_clock(hour, minute, second, meridiem or apart) for hour, minute, second, meridiem in reading.clocks}
    if None in clocks:
        return Unread("invalid")  # «13:30 ص»
    if len(clocks) != 1 or reading.unknown_zone:
        return DateValue(day)  # a publish and an update time, or a zone nobody knows: the day is still certain
    if not reading.zones:
        return DateValue(day, datetime.combine(day, clocks.pop(), tzinfo=tz), "site" if tz else None)
    zones = set(reading.zones)
    if len(zones) > 1:
        return Unread("conflict")
    return DateValue(day, datetime.combine(day, clocks.pop(), tzinfo=printed_zone(zones.pop())), "text")


def read_text(raw: str, fetched_at: datetime, tz: tzinfo | None, order: str = "DMY") -> DateValue | Unread:
    """A date printed for readers, or why it cannot be told."""
    if order not in ORDERS:
        raise ValueError(f"unknown date order {order!r}: use one of {', '.join(ORDERS)}")
    folded = words.fold(raw)
    if folded[:1].isdigit() and ISO_RE.fullmatch(iso := folded.strip()):
        return structured_value(iso.upper(), tz) or Unread("invalid")
    reading = read_folded(folded, order)
    return Unread(reading.why) if reading.why else resolve(reading, fetched_at, tz)


def parse_text(raw: str, fetched_at: datetime, tz: tzinfo | None, order: str = "DMY") -> str | None:
    """A date printed for readers, as ISO 8601, or ``None`` when it cannot be told."""
    value = read_text(raw, fetched_at, tz, order)
    return value.isoformat() if isinstance(value, DateValue) else None
