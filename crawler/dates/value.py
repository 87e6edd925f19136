"""What reading a date gives: a :class:`DateValue`, or an :class:`Unread` saying why there is none.

Rich enough for a consumer to choose its own representation (a day, a moment, whether the
offset was printed, taken from the site or counted from the fetch); ``isoformat()`` is the
feed's. Named tuples, not dataclasses: one is made for every date read, and they are made
three times faster.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple


class DateValue(NamedTuple):
    """What a date text means: a day, and when it gives one, the moment on that day.

    ``zone`` says where ``moment``'s offset comes from: ``text`` (printed: «GMT+3», «بتوقيت
    مكة», ``+03:00``), ``site`` (a printed local time in the site's zone), ``fetch`` (counted
    from the fetch instant: «منذ 3 ساعات», «الآن»), or ``None`` when no offset is known and
    ``moment`` is naive.
    """

    day: date
    moment: datetime | None = None
    zone: str | None = None

    def isoformat(self) -> str:
        """``YYYY-MM-DD`` for a day, else the moment with its offset (or naive without one)."""
        return self.day.isoformat() if self.moment is None else self.moment.isoformat()


class Unread(NamedTuple):
    """No date, and why: ``partial`` (a date word or number left unexplained), ``span`` (a week,
    month or year), ``ambiguous``, ``invalid``, ``conflict`` (two meanings disagree) or ``no_date``
    (a time, a weekday or a month alone)."""

    why: str
