"""The pipelines as Scrapy runs them: thin adapters that count every outcome."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem

from crawler.items import new_item
from pipelines.dates import DatesPipeline
from pipelines.normalize import NormalizePipeline
from pipelines.validate import ValidatePipeline, missing_fields
from tests.support import make_crawler

ITEM = new_item(
    id="a" * 40,
    url="https://news.example/2021/06/story/",
    title="قمة «جنيف»",
    site="news.example",
    tag="قمة",
    listing_url="https://news.example/tag/x/",
    position=1,
    crawled_at="2021-12-05T09:00:00+00:00",
)


def changed(item: dict, **fields) -> dict:
    return {**item, **fields}


def make(pipeline_cls, **settings):
    tz = settings.pop("tz", None)
    crawler = make_crawler(settings, tz=tz)
    return crawler, pipeline_cls.from_crawler(crawler)


def test_normalize_pipeline_quote_style_setting():
    _, pipeline = make(NormalizePipeline, AKHBAR_QUOTE_STYLE="guillemets")
    item = changed(ITEM, title="“بلومبرغ”: نصر")
    pipeline.process_item(item)
    assert item["title"] == "«بلومبرغ»: نصر"
    with pytest.raises(ValueError, match="quote style"):
        make(NormalizePipeline, AKHBAR_QUOTE_STYLE="fancy")


def test_normalize_pipeline_cleans_reader_fields_only():
    _, pipeline = make(NormalizePipeline)
    item = changed(ITEM, title=" \u200f«قمة»  ـجنيف ", body="فقرة  أولى\n\nفقرة ثانية", url="https://news.example/«x»")
    pipeline.process_item(item)
    assert item["title"] == '"قمة" جنيف'
    assert item["body"] == "فقرة أولى\n\nفقرة ثانية"
    assert item["url"] == "https://news.example/«x»"  # links are keys, not display text


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"title": None}, "missing_title"),
        ({"url": None}, "missing_url"),
        ({"url": "javascript:void(0)"}, "missing_url"),
        ({"site": ""}, "missing_site"),
    ],
)
def test_validate_drops_and_counts(changes, reason):
    crawler, pipeline = make(ValidatePipeline)
    with pytest.raises(DropItem, match=reason):
        pipeline.process_item(changed(ITEM, **changes))
    assert crawler.stats.get_value(f"akhbar/validate/{reason}") == 1
    assert pipeline.process_item(ITEM) is ITEM
    assert missing_fields({"id": "1", "site": "x.example", "url": "https://x.example/a", "title": "t"}) == []


def test_dates_pipeline_parses_with_the_site_zone_and_counts_misses():
    crawler, pipeline = make(DatesPipeline, tz="Asia/Riyadh")
    pipeline.open_spider()
    good = changed(ITEM, published_raw="منذ 3 ساعات", date_source="listing-text")
    pipeline.process_item(good)
    assert good["published_at"] == "2021-12-05T09:00:00+03:00"
    bad = changed(ITEM, published_raw="حزيران 2021", date_source="listing-text")  # month only: cannot tell
    pipeline.process_item(bad)
    assert bad["published_at"] is None
    assert bad["published_raw"] == "حزيران 2021"  # the raw text survives
    assert crawler.stats.get_value("akhbar/dates/unparsed") == 1
    assert crawler.stats.get_value("akhbar/dates/partial") == 1  # the month is a date word nobody explained
    assert crawler.stats.get_value("akhbar/dates/parsed/listing-text") == 1
    half = changed(ITEM, published_raw="17 يونيو 2021 قبل ثلاث", date_source="listing-text")
    pipeline.process_item(half)
    assert half["published_at"] is None  # not 17 June: «قبل ثلاث» is part of what it says
    assert crawler.stats.get_value("akhbar/dates/partial") == 2
    span = changed(ITEM, published_raw="الأسبوع الماضي", date_source="listing-text")
    pipeline.process_item(span)
    assert span["published_at"] is None
    assert crawler.stats.get_value("akhbar/dates/span") == 1


def test_dates_pipeline_fills_schema_v2_fields_and_counts_times_without_a_zone():
    crawler, pipeline = make(DatesPipeline)  # no -a tz and no AKHBAR_TIMEZONE
    pipeline.open_spider()
    naive = changed(ITEM, published_raw="05/12/2021 10:30", date_source="listing-text")
    pipeline.process_item(naive)
    assert (naive["published_at"], naive["published_date"], naive["published_precision"]) == (None, "2021-12-05", "day")
    assert naive["published_raw"] == "05/12/2021 10:30"
    assert crawler.stats.get_value("akhbar/dates/no_zone") == 1
    exact = changed(ITEM, published_raw="2021-12-05T10:30:00+03:00", date_source="meta", modified_raw="2021-12-06")
    pipeline.process_item(exact)
    assert (exact["published_at"], exact["published_date"], exact["published_precision"]) == (
        "2021-12-05T10:30:00+03:00",
        "2021-12-05",
        "second",
    )
    assert (exact["modified_at"], exact["modified_date"], exact["modified_precision"]) == (None, "2021-12-06", "day")
    assert crawler.stats.get_value("akhbar/dates/no_zone") == 1


def test_dates_pipeline_reads_numeric_dates_in_the_default_order_unless_the_site_says():
    # 05/03/2021: 5 March in DMY, 3 May in MDY (both before the item's crawl).
    raw = changed(ITEM, published_raw="05/03/2021", date_source="listing-text")
    for settings, day in [({}, "2021-03-05"), ({"AKHBAR_DATE_ORDER": "MDY"}, "2021-05-03")]:
        _, pipeline = make(DatesPipeline, **settings)
        pipeline.open_spider()
        item = dict(raw)
        pipeline.process_item(item)
        assert item["published_date"] == day, settings
    crawler = make_crawler({"AKHBAR_DATE_ORDER": "MDY"}, date_order="DMY")
    pipeline = DatesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    item = dict(raw)
    pipeline.process_item(item)
    assert item["published_date"] == "2021-03-05"  # -a date_order= wins over the setting
