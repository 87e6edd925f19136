"""Time zones: the site's (an IANA name from a profile, ``-a tz=`` or ``AKHBAR_TIMEZONE``) and the
ones a page prints («بتوقيت القاهرة», «GMT+3»)."""

from __future__ import annotations

from datetime import timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def load_timezone(name: str | None) -> tzinfo | None:
    """A ``ZoneInfo`` for an IANA name; a clear error for a wrong one."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}: use an IANA name such as 'Asia/Riyadh'") from exc


@lru_cache(maxsize=64)
def printed_zone(zone: int | str) -> tzinfo:
    """A fixed offset in minutes («GMT+3») or a named zone whose offset depends on the date («بتوقيت القاهرة»)."""
    return timezone(timedelta(minutes=zone)) if isinstance(zone, int) else ZoneInfo(zone)
