"""The one ISO 8601 reader: structured values (JSON-LD, meta tags, ``<time datetime>``) and stored ones.

Article extraction ranks candidates by it, the dates pipeline writes through it, and dedup
takes a stored value's day from it, so all three agree on what counts as ISO.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from crawler.dates.value import DateValue


def parse_iso(raw: str | None) -> datetime | None:
    """A strict ISO 8601 reading (``Z``, ``+0400`` and a space separator accepted), else ``None``.

    A day alone reads as its midnight: callers that need to know check the text's length.
    """
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw.strip())
    except ValueError:
        return None


def day_of(value: str | None) -> date | None:
    """The calendar day of an ISO date or datetime, as the page stated it (no zone conversion)."""
    moment = parse_iso(value)
    return None if moment is None else moment.date()


def structured_value(raw: str, tz: tzinfo | None) -> DateValue | None:
    """A machine-readable value's meaning; ``None`` if it is not ISO.

    A day alone stays a day; a local time takes ``tz`` when the site's zone is known; fractions
    of a second go (no page means them).
    """
    text = raw.strip()
    if len(text) == 10:
        try:
            return DateValue(date.fromisoformat(text))
        except ValueError:
            return None
    value = parse_iso(text.replace(" ", "T", 1))
    if value is None:
        return None
    zone = "text" if value.tzinfo is not None else "site" if tz is not None else None
    if value.tzinfo is None and tz is not None:
        value = value.replace(tzinfo=tz)
    value = value.replace(microsecond=0)
    return DateValue(value.date(), value, zone)


def parse_structured(raw: str, tz: tzinfo | None) -> str | None:
    """:func:`structured_value` as ISO 8601, normalised (``+0400`` as ``+04:00``, ``Z`` as ``+00:00``)."""
    value = structured_value(raw, tz)
    return None if value is None else value.isoformat()
