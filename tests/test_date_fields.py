"""Schema version 2 dates: an instant with an offset or null, the site's day, a precision."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from crawler.dates.fields import DateFields, date_fields

RIYADH = ZoneInfo("Asia/Riyadh")


@pytest.mark.parametrize(
    ("value", "raw", "tz", "expected"),
    [
        (None, "حزيران 2021", None, DateFields(None, None, None)),
        ("2021-06-17", "17 يونيو 2021", None, DateFields(None, "2021-06-17", "day")),
        # A clock printed without seconds: minute, even though ISO writes :00.
        (
            "2021-06-17T22:30:00+03:00",
            "17 يونيو 2021 10:30 م",
            RIYADH,
            DateFields("2021-06-17T22:30:00+03:00", "2021-06-17", "minute"),
        ),
        (
            "2021-06-17T22:30:15+03:00",
            "2021-06-17T22:30:15+03:00",
            None,
            DateFields("2021-06-17T22:30:15+03:00", "2021-06-17", "second"),
        ),
        # Arabic-Indic seconds count as printed seconds.
        (
            "2021-06-17T10:30:15+03:00",
            "١٠:٣٠:١٥ ١٧/٦/٢٠٢١",
            RIYADH,
            DateFields("2021-06-17T10:30:15+03:00", "2021-06-17", "second"),
        ),
        # The day is the site's: 23:30 UTC is already the 18th in Riyadh.
        (
            "2021-06-17T23:30:00+00:00",
            "2021-06-17T23:30Z",
            RIYADH,
            DateFields("2021-06-17T23:30:00+00:00", "2021-06-18", "minute"),
        ),
        # Without the site's zone, the day at the printed offset.
        (
            "2021-06-17T23:30:00+00:00",
            "2021-06-17T23:30Z",
            None,
            DateFields("2021-06-17T23:30:00+00:00", "2021-06-17", "minute"),
        ),
        # Relative times are instants, but no more exact than the minute.
        (
            "2022-02-06T01:15:03+03:00",
            "منذ 25 دقيقة",
            RIYADH,
            DateFields("2022-02-06T01:15:03+03:00", "2022-02-06", "minute"),
        ),
        # A time with no offset on a site whose zone is unknown: not an instant, only its day.
        ("2021-06-17T10:30:00", "17/06/2021 10:30", None, DateFields(None, "2021-06-17", "day", no_zone=True)),
    ],
)
def test_date_fields(value, raw, tz, expected):
    assert date_fields(value, raw, tz) == expected


def test_instants_always_carry_an_offset():
    for value in ("2021-06-17", "2021-06-17T10:30:00", "2021-06-17T10:30:00+02:00"):
        at = date_fields(value, value).at
        assert at is None or at.endswith("+02:00")
