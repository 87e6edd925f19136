"""The three fields one date becomes in schema version 2: an instant, a day and a precision.

A consumer must be able to load ``*_at`` as a timestamp without thinking, so it is
either null or ISO 8601 *with* an offset: never a bare day (pandas and DuckDB would
read it as midnight UTC, a time the site never said) and never a naive time (one
column could then mix kinds). What is known of the day goes to ``*_date`` on the
site's own calendar, also when only the day is known. A time printed with no offset,
on a site whose zone nobody knows, is not an instant: only its day is kept.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo
from typing import Literal, NamedTuple

from crawler.dates.iso import parse_iso

Precision = Literal["day", "minute", "second"]
PRECISIONS: tuple[Precision, ...] = ("day", "minute", "second")

# A clock with seconds, in any digit script («10:30:15», «١٠:٣٠:١٥»): only then is "second" claimed.
_SECONDS = re.compile(r"\d{1,2}:\d{2}:\d{2}")


class DateFields(NamedTuple):
    """``at`` (ISO 8601 with offset) or ``None``; ``date`` (``YYYY-MM-DD``) or ``None``;
    ``precision`` of ``at`` (``day`` when only ``date`` is known); ``no_zone`` when a
    time was printed but dropped because its zone is unknown."""

    at: str | None
    date: str | None
    precision: Precision | None
    no_zone: bool = False


UNKNOWN = DateFields(None, None, None)


def date_fields(value: str | None, raw: str | None, tz: tzinfo | None = None) -> DateFields:
    """The version 2 fields of one date from the reader's ISO value (``None``, a day, an
    aware or a naive datetime), the ``raw`` text it came from and the site's zone.

    The day is taken on the site's clock (``tz``) when it is known, else at the offset
    the page printed. The precision says what the page printed: ``second`` only when
    the raw text shows seconds; relative times («منذ ساعتين») are at most ``minute``. A value
    that is not ISO 8601 gives nothing (its raw text stays in the item).
    """
    moment = parse_iso(value)
    if moment is None:
        return UNKNOWN
    if len(value.strip()) == 10:  # a day alone
        return DateFields(None, moment.date().isoformat(), "day")
    if moment.tzinfo is None:
        return DateFields(None, moment.date().isoformat(), "day", no_zone=True)
    local = moment.astimezone(tz) if tz is not None else moment
    precision: Precision = "second" if raw and _SECONDS.search(raw) else "minute"
    return DateFields(moment.isoformat(), local.date().isoformat(), precision)


# Dates further than this after the fetch are typos or placeholders (2099), not news. A day
# leaves room for the site's zone, a fast clock and an article scheduled for tomorrow morning.
FUTURE_SLACK = timedelta(days=1)


def in_future(fields: DateFields, fetched_at: datetime) -> bool:
    """Whether a date lies more than :data:`FUTURE_SLACK` after ``fetched_at`` (an aware time)."""
    if fields.at is not None:
        return datetime.fromisoformat(fields.at) > fetched_at + FUTURE_SLACK
    if fields.date is not None:
        return date.fromisoformat(fields.date) > (fetched_at + FUTURE_SLACK).date()
    return False
