"""Every real Arabic news page in ../shared/real-pages/, read in place (never copied here).

Expected values are what the page itself shows a reader (its headline without the site
name, its printed date, its first paragraph), checked by hand against the HTML; the
publication dates of eight pages are htmldate's gold dates listed in SOURCES.md. Two pages
come with another project's expected output (goose3, fundus), used here as independent oracles.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from parsel import Selector

from crawler.dates import resolve_date
from crawler.extract.article import extract_article
from crawler.profiles import profile_for_url
from tests.support import SHARED

PAGES = SHARED / "real-pages"
pytestmark = pytest.mark.skipif(not PAGES.is_dir(), reason=f"real pages not available ({PAGES} is missing)")

# htmldate's eval_mediacloud_2020.json, as listed in SOURCES.md.
GOLD = {
    "arabic.sputniknews.com": "2020-03-17",
    "almadenahnews.com": "2020-04-24",
    "albayan.ae": "2020-06-03",
    "youm7.com": "2020-08-24",
    "akhbarelyom.com": "2020-10-07",
    "beirutobserver.com": "2020-11-09",
    "alyaum.com": "2020-12-01",
    "elbaladtv.net": "2020-12-25",
}

# host -> file, page URL, title, published_raw, date_source, published_at, start of body, author
# (and notes on the traps): shared with bench/extract_articles.py.
CASES = json.loads((Path(__file__).parent / "data" / "real_pages.json").read_text(encoding="utf-8"))
FETCHED = datetime(2026, 11, 1, tzinfo=UTC)  # no page here prints a relative date


def read(host: str):
    """The page's fields as the spider would get them: with the profile its host matches."""
    name, url = CASES[host]["file"], CASES[host]["url"]
    sel = Selector(text=(PAGES / host / name).read_bytes().decode("utf-8"))
    profile = profile_for_url(url)
    fields = extract_article(sel, url, profile.article if profile else None, profile.site_names if profile else ())
    return fields, profile


def test_every_real_page_has_a_case():
    hosts = sorted(p.name for p in PAGES.iterdir() if p.is_dir() and not p.name.startswith("_"))
    assert hosts == sorted(CASES)


@pytest.mark.parametrize("host", sorted(CASES))
def test_title_without_the_site_name(host):
    fields, _ = read(host)
    assert fields.title == CASES[host]["title"]


@pytest.mark.parametrize("host", sorted(CASES))
def test_publication_date(host):
    fields, profile = read(host)
    case = CASES[host]
    published_at = case["published_at"]
    assert (fields.date_raw, fields.date_source) == (case["published_raw"], case["date_source"])
    tz = ZoneInfo(profile.timezone) if profile else None
    resolved = resolve_date(fields.date_raw, fields.date_source, FETCHED, tz)
    assert resolved == published_at
    if host in GOLD:
        assert resolved[:10] == GOLD[host]


@pytest.mark.parametrize("host", sorted(CASES))
def test_body_starts_with_the_first_paragraph(host):
    fields, _ = read(host)
    assert fields.body is not None
    assert fields.body.startswith(CASES[host]["body"])
    assert "\n\n" in fields.body or host == "almadenahnews.com"  # paragraphs stay apart


@pytest.mark.parametrize("host", sorted(CASES))
def test_author(host):
    fields, _ = read(host)
    assert fields.author == CASES[host]["author"]


def test_cnn_body_matches_goose3_and_leaves_out_the_comment_policy():
    fields, _ = read("arabic.cnn.com")
    expected = json.loads((PAGES / "arabic.cnn.com" / "syria-clashes-2013-08-03.goose3-expected.json").read_text())
    assert fields.body.startswith(expected["expected"]["cleaned_text"])
    assert "الآراء الواردة أدناه" not in fields.body  # the comment policy below the story
    assert fields.body.endswith("في سوريا بشكل مستقل.")


def test_lbc_paragraphs_match_fundus():
    """LBC separates paragraphs with <br>: each one must come out as its own paragraph."""
    fields, _ = read("lbcgroup.tv")
    expected = json.loads((PAGES / "lbcgroup.tv" / "trump-pink-hair-2026-01-08.fundus-expected.json").read_text())
    assert fields.body.split("\n\n") == expected["V1"]["body"]["sections"][0]["paragraphs"]


def test_albayan_drops_a_modified_date_before_the_published_one():
    fields, _ = read("albayan.ae")
    assert fields.modified_raw is None  # JSON-LD dateModified 01:30, two hours before datePublished 03:01
    assert "article/dates/modified_before_published" in fields.events


def test_elbalad_meta_in_utc_loses_to_json_ld_in_local_time():
    fields, _ = read("elbaladtv.net")
    others = {(c.source, c.raw) for c in fields.dates if c.role == "published"}
    assert ("meta", "2020-12-24T23:59:50+00:00") in others  # present, and not chosen
    assert "article/dates/sources_disagree" not in fields.events  # the same instant


def test_page_tags():
    assert read("elbaladtv.net")[0].tags[:3] == ["أفلام الفنانة يسرا", "اصابة يسرا", "اصابة يسرا بكورونا"]
    assert read("youm7.com")[0].tags == ["وزير الرى", "الأمن المستدام", "الخزانات الجوفية", "جامعة القاهرة"]
    assert read("akhbarelyom.com")[0].tags == ["النمر", "مدرسة البنات", "نعيمة عاكف", "فتاة السيرك", "بياعة الجرايد"]
    assert read("arabic.sputniknews.com")[0].tags == ["مصر", "فيروس كورونا"]
    assert read("alyaum.com")[0].tags == []  # its meta keywords are the title's words, not tags


def test_images_are_absolute():
    assert read("alyaum.com")[0].image == "https://www.alyaum.com/uploads/images/2020/12/01/937359.JPG"
    assert read("youm7.com")[0].image == "https://img.youm7.com/large/202007190254595459.jpg"


@pytest.mark.parametrize(
    ("host", "what"),
    [
        ("youm7.com", "date"),  # the meta date is Cairo time labelled UTC
        ("arabic.sputniknews.com", "body"),  # the lead paragraph sits outside articleBody
        ("akhbarelyom.com", "author"),  # meta author is the site
    ],
)
def test_the_profile_is_what_fixes_these_pages(host, what):
    """Without its profile the page gives a different (wrong or missing) value: the profile earns its place."""
    name, url = CASES[host]["file"], CASES[host]["url"]
    sel = Selector(text=(PAGES / host / name).read_bytes().decode("utf-8"))
    generic = extract_article(sel, url)
    profiled, _ = read(host)
    value = {"date": "date_raw", "body": "body", "author": "author"}[what]
    assert getattr(generic, value) != getattr(profiled, value)


@pytest.mark.parametrize("host", sorted(CASES))
def test_without_a_profile_the_day_is_still_right(host):
    """Generic reading, as on a site nobody wrote a profile for: the publication day the page shows."""
    case = CASES[host]
    sel = Selector(text=(PAGES / host / case["file"]).read_bytes().decode("utf-8"))
    fields = extract_article(sel, case["url"])
    resolved = resolve_date(fields.date_raw, fields.date_source, FETCHED, None)
    assert resolved is not None and resolved[:10] == case["published_at"][:10]
