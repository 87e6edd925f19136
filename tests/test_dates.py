import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.dates import load_timezone, parse_iso, parse_structured, resolve_date
from crawler.dates.reader import read
from crawler.dates.resolve import resolve
from crawler.dates.words import fold

ROOT = Path(__file__).resolve().parent.parent

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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4 حزيران 2021", "2021-06-04"),
        ("8 فيفري 2019", "2019-02-08"),
        ("8 غشت 2019", "2019-08-08"),
        ("5 كانون 2 2021", "2021-01-05"),
        ("منذ ساعة", "2021-12-05T11:00:00+03:00"),
        ("منذ أسبوع", "2021-11-28"),
        ("أول أمس", "2021-12-03"),
        ("الأحد 1 جمادى الأولى 1443", "2021-12-05"),
        ("17 مارس 2020م", "2020-03-17"),
        ("يوم الإثنين 6 ديسمبر 2021", "2021-12-06"),
        ("an hour ago", "2021-12-05T11:00:00+03:00"),
    ],
)
def test_what_dateparser_could_not_read(raw, expected):
    assert resolve_date(raw, "listing-text", FETCHED, RIYADH) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "يونيو 2021",  # month only
        "17 يونيو",  # no year
        "12/25/2021",  # month first on a day-first site
        "07/12/21",  # two-digit year
        "منذ ساعات",  # how many?
        "17 يونيو 2021 - 18 يونيو 2021",  # two days
        "الخميس 5 ديسمبر 2021",  # 5 December 2021 was a Sunday
        "العدد 1234 - 5 ديسمبر 2021",  # a number the reader cannot account for
        "10:30",
        "كلام بلا تاريخ",
        "",
    ],
)
def test_what_cannot_be_told_is_none(raw):
    assert resolve_date(raw, "listing-text", FETCHED, RIYADH) is None


def test_numeric_order_is_the_sites():
    assert resolve_date("12/25/2021", "listing-text", FETCHED, None, "MDY") == "2021-12-25"
    assert resolve_date("07/12/2021", "listing-text", FETCHED, None, "MDY") == "2021-07-12"
    assert resolve_date("2021/12/07", "listing-text", FETCHED, None, "MDY") == "2021-12-07"
    with pytest.raises(ValueError, match="unknown date order 'DYM'"):
        resolve_date("07/12/2021", "listing-text", FETCHED, None, "DYM")


def test_named_zones_and_offsets_beat_the_site_zone():
    cairo_summer = resolve_date("5 يوليو 2023 10:30 بتوقيت القاهرة", "listing-text", FETCHED, RIYADH)
    assert cairo_summer == "2023-07-05T10:30:00+03:00"  # Egypt's summer time is back since 2023
    assert (
        resolve_date("5 يوليو 2021 10:30 بتوقيت القاهرة", "listing-text", FETCHED, RIYADH)
        == "2021-07-05T10:30:00+02:00"
    )
    assert resolve_date("7 ديسمبر 2021 10:30 بتوقيت مكة", "listing-text", FETCHED, None) == "2021-12-07T10:30:00+03:00"
    assert resolve_date("7 ديسمبر 2021 10:30 GMT+3", "listing-text", FETCHED, None) == "2021-12-07T10:30:00+03:00"


def test_hijri_with_its_gregorian_day():
    saudi = "الثلاثاء 2 جمادى الأولى 1443هـ الموافق 7 ديسمبر 2021م"  # Hijri off by a day: the Gregorian wins
    assert resolve_date(saudi, "listing-text", FETCHED, RIYADH) == "2021-12-07"
    assert resolve_date("2 جمادى الأولى 1443هـ - 7 ديسمبر 2021م", "listing-text", FETCHED, RIYADH) is None


def test_reading_is_pure_and_resolving_uses_only_the_fetch_time():
    reading = read("أمس الساعة 10:15 مساءً")
    assert reading.why is None and reading.days == [-1]
    assert resolve(reading, FETCHED, RIYADH).isoformat() == "2021-12-04T22:15:00+03:00"
    other_fetch = datetime(2020, 2, 29, 23, 0, tzinfo=UTC)
    assert resolve(reading, other_fetch, RIYADH).isoformat() == "2020-02-29T22:15:00+03:00"
    assert read("منذ ساعات").why == "ambiguous"


def test_fold_spellings():
    assert fold("إبريل ٢٠٢١ ۲۰۲۱ جويلية ديسـمبر\u200f\u00a0صباحًا GMT") == "ابريل 2021 2021 جويليه ديسمبر صباحا gmt"


def cli(stdin: str, *args: str, module: str = "crawler.dates") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        input=stdin.encode("utf-8"),
        capture_output=True,
        cwd=ROOT,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("module", ["crawler.dates", "pipelines.dates"])  # the old name stays an alias
def test_cli_writes_one_line_per_input(module):
    lines = ["منذ 3 ساعات", "أمس", "يونيو 2021", "", "٠٧/١٢/٢٠٢١ ١٠:٣٠ م", "12/25/2021"]
    result = cli("\n".join(lines) + "\n", "--now", "2021-12-07T15:00:00+03:00", module=module)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8").split("\n") == [
        "2021-12-07T12:00:00+03:00",  # --now's offset is the zone
        "2021-12-06",
        "",
        "",
        "2021-12-07T22:30:00+03:00",
        "",
        "",
    ]


def test_cli_zone_and_order():
    result = cli(
        "منذ ساعة\n12/25/2021 09:00\n", "--now", "2021-12-07T12:00:00Z", "--tz", "Africa/Cairo", "--order", "mdy"
    )
    assert result.stdout.decode("utf-8") == "2021-12-07T13:00:00+02:00\n2021-12-25T09:00:00+02:00\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "the following arguments are required: --now"),
        (["--now", "yesterday"], "not an ISO 8601 instant"),
        (["--now", "2021-12-07T15:00:00"], "needs an offset"),
        (["--now", "2021-12-07T15:00:00+03:00", "--tz", "Mars/Olympus"], "unknown time zone 'Mars/Olympus'"),
        (["--now", "2021-12-07T15:00:00+03:00", "--order", "DYM"], "invalid choice: 'DYM'"),
    ],
)
def test_cli_bad_arguments_exit_2_with_one_line(args, message):
    result = cli("", *args)
    err = result.stderr.decode("utf-8")
    assert result.returncode == 2
    assert message in err
    assert err.count("\n") == 1, err


def test_the_command_imports_no_scrapy():
    code = (
        "import sys, runpy; sys.argv = ['x', '--now', '2021-12-07T15:00:00+03:00']; sys.stdin = open(0)\n"
        "try:\n    runpy.run_module('crawler.dates', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'scrapy', 'itemadapter', 'twisted'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], input=b"", capture_output=True, cwd=ROOT, check=True)
    assert result.stdout.decode() == "[]\n", result.stderr


def test_unknown_time_zone_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        load_timezone("Mars/Olympus")


def test_parse_iso_accepts_what_sites_write():
    assert parse_iso("2020-06-03T03:01+0400").utcoffset().total_seconds() == 4 * 3600
    assert parse_iso("2026-01-08T11:42:50Z").tzinfo is not None
    assert parse_iso("2020-12-01 02:00:00").tzinfo is None
    assert parse_iso("الأربعاء، 07 أكتوبر 2020") is None
