"""Spider arguments and multi-URL crawls."""

from __future__ import annotations

import json

import pytest

from crawler.spiders.tag_archive import TagArchiveSpider, parse_bool, slugify, start_urls_from
from tests.support import FIXTURES


def test_start_urls_from_a_file_or_a_comma_list(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("# tags to crawl\nhttps://a.example/tag/x/\n\n https://b.example/tag/y/ \n", encoding="utf-8")
    assert start_urls_from(None, str(listing)) == ["https://a.example/tag/x/", "https://b.example/tag/y/"]
    assert start_urls_from("https://a.example/t/", "https://a.example/u/,https://a.example/v/") == [
        "https://a.example/t/",
        "https://a.example/u/",
        "https://a.example/v/",
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "needs -a url="),
        ({"url": "ftp://a.example/x"}, "not an http"),
        ({"url": "https://a.example/", "max_pages": "0"}, "max_pages= must be at least 1"),
        ({"url": "https://a.example/", "follow_articles": "maybe"}, "must be true or false"),
        ({"url": "https://a.example/", "tz": "Asia/Nowhere"}, "unknown time zone"),
    ],
)
def test_bad_arguments_are_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TagArchiveSpider(**kwargs)


def test_allowed_domains_and_feed_names():
    one = TagArchiveSpider(url="http://127.0.0.1:8080/tag/قمة-جنيف/")
    assert one.allowed_domains == ["127.0.0.1"]
    assert (one.site, one.tag_slug) == ("127.0.0.1", "قمة-جنيف")
    many = TagArchiveSpider(urls="https://www.a.example/tag/x/,https://b.example/tag/y/")
    assert many.allowed_domains == ["a.example", "b.example"]
    assert (many.site, many.tag_slug) == ("multi-site", "multi-tag")
    assert parse_bool("x", "YES") is True
    assert slugify("  «قمة» بايدن / بوتين ") == "قمة-بايدن-بوتين"


def test_one_crawl_over_several_tag_archives(crawl):
    seed = json.loads((FIXTURES / "www.seed-news.example" / "crawl.json").read_text(encoding="utf-8"))
    jannah = json.loads((FIXTURES / "www.jannah-news.example" / "crawl.json").read_text(encoding="utf-8"))
    items, _ = crawl({"urls": f"{seed['url']},{jannah['url']}", "follow_articles": "false"}, REPLAY_MODE="replay")
    tags = {item["site"]: item["tag"] for item in items}
    assert tags == {"seed-news.example": "قمة بايدن وبوتين", "jannah-news.example": "كأس أمم أفريقيا"}
    assert len(items) == 3 + 14
