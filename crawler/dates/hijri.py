"""Hijri dates by the Umm al-Qura calendar, the one Saudi and Gulf sites print.

Other Hijri reckonings (local moon sighting, the tabular calendar) can differ by a day or
two; Umm al-Qura is what «… هـ» means on the sites akhbar meets, and the Saudi
«… هـ الموافق … م» form lets the reader take the Gregorian day the page itself gives.
"""

from __future__ import annotations

from datetime import date

from hijridate import Hijri

# The years a four-digit number can only mean in the Hijri calendar (news is 1900-2199 AD).
HIJRI_YEARS = range(1300, 1601)


def hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """The Gregorian day of an Umm al-Qura date; ``None`` outside its tables (1343-1500 AH) or past a month's end."""
    try:
        gregorian = Hijri(year, month, day).to_gregorian()
    except (OverflowError, ValueError):
        return None
    return date(gregorian.year, gregorian.month, gregorian.day)
