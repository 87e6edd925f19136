"""The benchmark mirror prints dates a real site could: every text date reads as the day it names."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from parsel import Selector

from bench.mirror import WEEKDAYS, generate, text_date
from crawler.dates import DateValue, read_text


def test_every_text_date_of_the_mirror_reads_with_its_weekday_right(tmp_path: Path):
    generate(tmp_path, tags=2, pages=3, entries=20, with_time=False)
    printed = [
        text
        for page in tmp_path.rglob("index.html")
        for text in Selector(text=page.read_text(encoding="utf-8")).css("span.date::text").getall()
    ]
    with_weekday = [t for t in printed if t.split("،", 1)[0] in WEEKDAYS]
    assert len(printed) > 100 and len(with_weekday) > 10
    fetched = datetime(2022, 1, 1, tzinfo=UTC)
    unread = [t for t in printed if not isinstance(read_text(t, fetched, UTC, "DMY"), DateValue)]
    assert unread == []


class _WeekdayStyle:
    """A stand-in random source that always picks the weekday style of ``text_date``."""

    def randrange(self, stop: int) -> int:
        return 1


def test_a_weekday_date_names_the_days_own_weekday():
    # The mirror once printed «الأحد، 5 أغسطس 2021»; 5 August 2021 was a Thursday.
    assert text_date(_WeekdayStyle(), 2021, 8, 5, 14, 30).startswith("الخميس، 5 أغسطس 2021")
    assert text_date(_WeekdayStyle(), 2021, 6, 13, 9, 0).startswith("الأحد، 13 يونيو 2021")
