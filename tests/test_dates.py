from datetime import UTC, datetime

import pytest

from pipelines.dates import load_timezone, parse_structured, resolve_date

FETCHED = datetime(2021, 12, 5, 9, 0, tzinfo=UTC)  # the page's Date header
RIYADH = load_timezone("Asia/Riyadh")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021-06-17T10:00:00+03:00", "2021-06-17T10:00:00+03:00"),
        ("2020-06-03T03:01+0400", "2020-06-03T03:01:00+04:00"),
        ("2020-12-24T23:59:50Z", "2020-12-24T23:59:50+00:00"),
        ("2020-06-03", "2020-06-03"),
        ("2021-06-17T10:00:00.123+03:00", "2021-06-17T10:00:00+03:00"),
    ],
)
def test_structured_values_keep_their_offset(raw, expected):
    assert parse_structured(raw, RIYADH) == expected


def test_structured_value_without_offset_takes_the_site_zone_or_stays_naive():
    assert parse_structured("2020-03-17T17:27", RIYADH) == "2020-03-17T17:27:00+03:00"
    assert parse_structured("2020-12-01 02:00:00", None) == "2020-12-01T02:00:00"


def test_non_iso_meta_value_falls_back_to_the_text_parser():
    # akhbarelyom.com puts the visible Arabic date into article:published_time.
    assert resolve_date("الأربعاء، 07 أكتوبر 2020 - 12:09 م", "meta", FETCHED, None) == "2020-10-07T12:09:00"


@pytest.mark.parametrize(
    ("raw", "tz", "expected"),
    [
        ("17 يونيو 2021", RIYADH, "2021-06-17"),
        ("الخميس 17 يونيو 2021", None, "2021-06-17"),
        ("٧ ديسمبر ٢٠٢١", None, "2021-12-07"),
        ("07/12/2021", None, "2021-12-07"),
        ("ديسمبر 25, 2020", None, "2020-12-25"),
        ("17 يونيو 2021 10:30 م", RIYADH, "2021-06-17T22:30:00+03:00"),
        ("17 يونيو 2021 10:30 م", None, "2021-06-17T22:30:00"),
        ("منذ 3 ساعات", RIYADH, "2021-12-05T09:00:00+03:00"),
        ("منذ 3 ساعات", None, "2021-12-05T06:00:00+00:00"),
        ("قبل 5 دقائق", RIYADH, "2021-12-05T11:55:00+03:00"),
        ("أمس", RIYADH, "2021-12-04"),
        ("منذ يومين", RIYADH, "2021-12-03"),
    ],
)
def test_text_dates_resolve_against_the_fetch_time(raw, tz, expected):
    assert resolve_date(raw, "listing-text", FETCHED, tz) == expected


def test_relative_dates_use_the_fetch_time_not_the_clock():
    other_fetch = datetime(2019, 1, 2, 12, 0, tzinfo=UTC)
    assert resolve_date("أمس", "listing-text", other_fetch, None) == "2019-01-01"


@pytest.mark.parametrize("raw", ["يونيو 2021", "4 حزيران 2021", "8 فيفري 2019", "منذ ساعة", "كلام بلا تاريخ", ""])
def test_what_the_interim_parser_cannot_tell_is_none(raw):
    assert resolve_date(raw, "listing-text", FETCHED, RIYADH) is None


def test_unknown_time_zone_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        load_timezone("Mars/Olympus")
