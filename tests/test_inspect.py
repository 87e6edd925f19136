"""``scrapy inspect`` on recorded fixtures and on a live page served on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from tests.support import FIXTURES, local_site, scrapy_command

JNEWS = FIXTURES / "www.jnews-balad.example"
SEED = FIXTURES / "www.seed-news.example"


LOCAL = ("-s", "AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.1")  # the test's own server


def inspect(*args: str) -> dict:
    result = scrapy_command("inspect", "--json", *args, *LOCAL)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_listing_fixture_generic_and_profile_side_by_side():
    report = inspect(str(JNEWS / "tag-page-1.json"), "--site", "elbaladtv")
    assert report["profile"]["name"] == "elbaladtv"
    assert report["encoding"] == {"codec": "utf-8", "outcome": "ok", "reason": ""}
    generic, profiled = report["listing"]["generic"], report["listing"]["profile"]
    assert len(generic["entries"]) == len(profiled["entries"]) == 7  # NOTES.md: 7 + 7 + 5 cards
    assert profiled["entries"][0]["title"] == "«القمة» تقترب.. موسيماني يطالب لاعبي الأهلي بالتركيز قبل مواجهة الزمالك"
    assert profiled["entries"][0]["from"] == {"title": "profile", "date": "profile", "excerpt": "profile"}
    assert generic["next_page"].endswith("/page/2/")
    assert (profiled["next_page"], profiled["next_page_from"]) == (generic["next_page"], "profile")


def test_article_fixture_shows_each_field_and_where_it_came_from():
    report = inspect(str(SEED / "article-bloomberg-geneva-victory.html"))  # the .html works as well as the .json
    assert report["profile"] is None
    fields = report["article"]["generic"]
    assert fields["published"] == {
        "value": "2021-06-17T11:42:08+03:00 (json-ld)",
        "from": "json-ld NewsArticle.datePublished",
    }
    assert fields["title"]["from"] == "h1 (confirmed by json-ld NewsArticle.headline)"
    assert fields["author"]["value"] == "ليلى حداد"
    assert fields["body"]["from"] == "trafilatura"
    # Every date the page states, in order of trust: the UTC meta copy is listed after JSON-LD.
    dates = [(d["role"], d["source"], d["raw"]) for d in report["article"]["dates"]]
    assert dates[:2] == [
        ("published", "json-ld", "2021-06-17T11:42:08+03:00"),
        ("published", "meta", "2021-06-17T08:42:08+00:00"),
    ]


def test_text_report_for_a_person():
    result = scrapy_command("inspect", "--nolog", str(JNEWS / "tag-page-1.json"), "--site", "elbaladtv")
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert "profile    elbaladtv" in out
    assert "LISTING  generic: 7 entries, profile: 7 entries" in out
    assert "/tag/الدوري-المصري/page/2/ [profile]" in out  # URLs shown decoded
    assert "DATES FOUND" in out


def test_windows_1256_fixture_decodes():
    report = inspect(str(FIXTURES / "www.legacy-1256.example" / "page-2.json"))
    assert report["encoding"]["codec"] == "cp1256"
    assert any("النفط" in (e["title"] or "") or e["excerpt"] for e in report["listing"]["generic"]["entries"])
    assert "\ufffd" not in json.dumps(report, ensure_ascii=False)


def test_bad_arguments_fail_with_a_message():
    result = scrapy_command("inspect", str(JNEWS / "crawl.json"))
    assert result.returncode != 0 and "neither a URL nor a recording" in result.stderr
    result = scrapy_command("inspect", str(JNEWS / "tag-page-1.json"), "--site", "nope")
    assert result.returncode != 0 and "no site profile named 'nope'" in result.stderr


PAGE = (
    "<html><head><title>خبر تجريبي - موقع الاختبار</title>"
    '<meta property="og:site_name" content="موقع الاختبار"></head><body><h1>خبر تجريبي</h1>'
    "<p>" + "فقرة من نص الخبر التجريبي تكفي ليعدها المستخرج متنا. " * 4 + "</p></body></html>"
).encode("cp1256")


@pytest.fixture
def server() -> Iterator[str]:
    # The header lies: the bytes are windows-1256.
    with local_site({"/news/1/": (PAGE, "text/html; charset=utf-8")}) as base:
        yield base


def test_live_url_goes_through_the_downloader_and_its_encoding_check(server):
    report = inspect(f"{server}/news/1/")
    assert report["status"] == 200
    assert report["encoding"]["outcome"] == "header_wrong"
    assert report["article"]["generic"]["title"] == {
        "value": "خبر تجريبي",
        "from": "h1 (confirmed by <title>)",
    }
    result = scrapy_command("inspect", f"{server}/missing/", *LOCAL)
    assert result.returncode == 0  # a 404 page is still a page to look at
