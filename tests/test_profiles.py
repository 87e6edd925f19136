"""Site profiles: validation at load time, start URLs, zone and order, and profiled listings."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from parsel import Selector

from crawler.extract.listing import extract_entries
from crawler.extract.profiled import listing_entries, next_pages
from crawler.profiles import (
    SITES_DIR,
    ListingSelectors,
    ProfileError,
    load_profile,
    load_profiles,
    parse_profile,
    profile_by_name,
    profile_for_url,
    run_zone_and_order,
)
from crawler.spiders.tag_archive import TagArchiveSpider
from tests.support import FIXTURES, read_jsonl

MINIMAL = {"name": "demo", "hosts": ["demo.example"], "timezone": "Asia/Riyadh"}
JNEWS = FIXTURES / "www.jnews-balad.example"


def problems(**changes: object) -> str:
    data = {**MINIMAL, **changes}
    data = {k: v for k, v in data.items() if v is not None}
    with pytest.raises(ProfileError) as caught:
        parse_profile(data, "demo.toml")
    return str(caught.value)


# --- validation -----------------------------------------------------------------------------


def test_every_shipped_profile_loads_and_names_its_file():
    profiles = load_profiles(SITES_DIR)
    assert {"youm7", "akhbarelyom", "almadenahnews", "elbaladtv", "cnn-arabic", "sputnik-arabic"} <= set(profiles)
    for name, profile in profiles.items():
        assert profile.path == SITES_DIR / f"{name}.toml"


def test_a_minimal_profile_gets_defaults():
    profile = parse_profile(MINIMAL)
    # No date order stated: None, and the run's AKHBAR_DATE_ORDER applies (tests/test_pipelines.py).
    assert (profile.date_order, profile.language, profile.tag_url) == (None, "ar", None)
    assert profile.listing == ListingSelectors()


def test_unknown_keys_are_named_with_what_is_allowed():
    message = problems(titel="x")
    assert "demo.toml" in message and "unknown key 'titel'" in message and "timezone" in message
    message = problems(article={"titel": "h1"})
    assert "[article] unknown key 'titel'" in message and "allowed: author, body, date" in message


def test_bad_selectors_are_rejected_with_the_reason():
    assert "article.title = 'h1[': not a valid CSS selector" in problems(article={"title": "h1["})
    assert "never matches" in problems(article={"date": "a:hover"})
    assert "must select elements" in problems(article={"body": "div.x::text"})
    assert "need listing.entry" in problems(listing={"title": "h2 a"})
    assert "::attr" not in problems(listing={"entry": "article", "link": "a::attr(href)", "title": "h2["})


def test_time_zone_order_language_hosts_and_tag_url_are_checked():
    assert "timezone 'Asia/Cairo' is not an IANA" in problems(timezone="Asia/Cairo")
    assert "date_order must be one of DMY, MDY, YMD" in problems(date_order="DM")
    assert "language must be a BCP 47 tag" in problems(language="Arabic")
    assert "not a lower-case host name" in problems(hosts=["https://demo.example/"])
    assert "'{tag}' exactly once" in problems(tag_url="https://demo.example/tag/")
    assert "is not among hosts" in problems(tag_url="https://other.example/tag/{tag}/")
    assert "missing required key 'timezone'" in problems(timezone=None)


def test_every_problem_is_reported_at_once():
    message = problems(timezone="Mars/Olympus", date_order="X", article={"title": "h1["})
    assert message.count(";") == 2


def test_file_errors_name_the_file(tmp_path: Path):
    bad = tmp_path / "broken.toml"
    bad.write_text('name = "broken"\nhosts = [', encoding="utf-8")
    with pytest.raises(ProfileError, match=r"broken\.toml: not valid TOML"):
        load_profile(bad)
    other = tmp_path / "other.toml"
    other.write_text('name = "mismatch"\nhosts = ["a.example"]\ntimezone = "UTC"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match="must match the file name 'other'"):
        load_profile(other)


def test_two_profiles_cannot_claim_one_host(tmp_path: Path):
    for name in ("one", "two"):
        (tmp_path / f"{name}.toml").write_text(
            f'name = "{name}"\nhosts = ["www.same.example"]\ntimezone = "UTC"\n', encoding="utf-8"
        )
    with pytest.raises(ProfileError, match="already claimed by profile 'one'"):
        load_profiles(tmp_path)


# --- lookup, start URLs, zone and order ------------------------------------------------------


def test_profile_for_url_matches_with_or_without_www():
    assert profile_for_url("https://www.youm7.com/story/2020/8/24/x/4943459").name == "youm7"
    assert profile_for_url("https://youm7.com/x").name == "youm7"
    assert profile_for_url("https://m.youm7.com/x") is None
    assert profile_for_url("https://news.example/x") is None


def test_unknown_profile_name_lists_the_known_ones():
    with pytest.raises(ProfileError, match=r"no site profile named 'nope'.*known: .*youm7"):
        profile_by_name("nope")


def test_tag_url_from_the_template():
    profile = profile_by_name("elbaladtv")
    assert (
        profile.tag_url_for("فيروس كورونا")
        == "https://elbaladtv.net/tag/%D9%81%D9%8A%D8%B1%D9%88%D8%B3-%D9%83%D9%88%D8%B1%D9%88%D9%86%D8%A7/"
    )
    with pytest.raises(ProfileError, match="has no tag_url"):
        profile_by_name("youm7").tag_url_for("وزير الرى")


def test_zone_and_order_come_from_profiles_unless_given():
    cairo, amman = profile_by_name("youm7"), profile_by_name("almadenahnews")
    assert run_zone_and_order([cairo]) == ("Africa/Cairo", "DMY", None)
    assert run_zone_and_order([cairo], "Asia/Riyadh", "MDY") == ("Asia/Riyadh", "MDY", None)
    tz, _, note = run_zone_and_order([cairo, amman])
    assert tz is None and "different time zones" in note
    assert run_zone_and_order([cairo, None])[0] is None  # a start URL without a profile: no guess
    assert run_zone_and_order([None]) == (None, None, None)
    _, order, note = run_zone_and_order([profile_by_name("elbaladtv"), parse_profile(MINIMAL)])
    assert order is None and "date orders differ (YMD, not stated)" in note
    with pytest.raises(ProfileError):
        run_zone_and_order([cairo], None, "DYM")


def test_spider_builds_the_start_url_and_takes_zone_and_order_from_the_profile():
    spider = TagArchiveSpider(site="elbaladtv", tag="فيروس كورونا")
    assert spider.start_list == [profile_by_name("elbaladtv").tag_url_for("فيروس كورونا")]
    assert (spider.tz, spider.date_order, spider.tag) == ("Africa/Cairo", "YMD", "فيروس كورونا")
    assert TagArchiveSpider(site="elbaladtv", tag="x", tz="Asia/Riyadh", date_order="DMY").tz == "Asia/Riyadh"
    auto = TagArchiveSpider(url="https://www.youm7.com/Tags/Index?id=3562&tag=وزير-الرى")
    assert (auto.tz, auto.date_order, auto.profiles[auto.start_list[0]].name) == ("Africa/Cairo", "DMY", "youm7")
    plain = TagArchiveSpider(url="https://news.example/tag/x/")
    assert (plain.tz, plain.date_order, plain.profiles) == (None, None, {"https://news.example/tag/x/": None})
    with pytest.raises(ValueError, match="needs -a tag=NAME"):
        TagArchiveSpider(site="elbaladtv")
    with pytest.raises(ValueError, match="no site profile named"):
        TagArchiveSpider(site="elbalad", tag="x")


# --- listings -------------------------------------------------------------------------------


def jnews_page(n: int = 1) -> tuple[Selector, str]:
    meta = json.loads((JNEWS / f"tag-page-{n}.json").read_text(encoding="utf-8"))
    return Selector(text=(JNEWS / f"tag-page-{n}.html").read_text(encoding="utf-8")), meta["url"]


def test_profile_entries_replace_generic_ones_and_record_where_each_field_came_from():
    sel, url = jnews_page()
    profiled = listing_entries(sel, url, profile_by_name("elbaladtv").listing)
    generic = extract_entries(sel, url)
    assert [e.url for e in profiled.entries] == [e.url for e in generic]
    assert [e.title for e in profiled.entries] == [e.title for e in generic]
    assert profiled.entries[1].date_raw == "منذ ساعة"  # a date without a digit, taken because the profile says so
    assert all(o == {"title": "profile", "date": "profile", "excerpt": "profile"} for o in profiled.origins)
    assert profiled.fallbacks == []


def test_a_profile_selector_can_disagree_with_generic_extraction():
    html = """<main><div class="card"><h2><a href="/n/1">عنوان أ</a></h2>
    <p class="lead">ملخص أول طويل بما يكفي ليكون ملخصا</p><span class="kicker">تحليل</span></div>
    <div class="card"><h2><a href="/n/2">عنوان ب</a></h2>
    <p class="lead">ملخص ثان طويل بما يكفي ليكون ملخصا</p><span class="kicker">رأي</span></div></main>"""
    listing = ListingSelectors(entry="div.card", excerpt="span.kicker")
    found = listing_entries(Selector(text=html), "https://news.example/tag/x/", listing)
    assert [e.excerpt for e in found.entries] == ["تحليل", "رأي"]
    assert [e.title for e in found.entries] == ["عنوان أ", "عنوان ب"]  # generic, for the fields not declared
    assert [o["title"] for o in found.origins] == ["generic", "generic"]


def test_an_entry_selector_that_finds_nothing_falls_back_to_generic_entries():
    sel, url = jnews_page()
    found = listing_entries(sel, url, ListingSelectors(entry="div.gone article"))
    assert [e.url for e in found.entries] == [e.url for e in extract_entries(sel, url)]
    assert found.fallbacks == ["listing.entry"]


def test_next_page_profile_first_then_generic():
    sel, url = jnews_page()
    candidates = list(next_pages(sel, url, profile_by_name("elbaladtv").listing))
    assert candidates[0] == (url + "page/2/", "profile")
    assert all(origin == "generic" for _, origin in candidates[1:])
    assert url + "page/2/" not in [u for u, _ in candidates[1:]]  # not offered twice
    last, last_url = jnews_page(3)
    assert [o for _, o in next_pages(last, last_url, profile_by_name("elbaladtv").listing)].count("profile") == 0


# --- whole crawls ---------------------------------------------------------------------------


def test_crawl_with_site_and_tag_builds_the_url_and_matches_the_golden_output(crawl, tmp_path: Path):
    """A profile file for the JNews fixture host, started with -a site=FILE -a tag=NAME only.

    Its selectors must give exactly the hand-written expected output of that fixture site.
    """
    elbalad = (SITES_DIR / "elbaladtv.toml").read_text(encoding="utf-8")
    profile = tmp_path / "jnews.toml"
    profile.write_text(
        elbalad.replace('name = "elbaladtv"', 'name = "jnews"')
        .replace('hosts = ["elbaladtv.net", "www.elbaladtv.net"]', 'hosts = ["www.jnews-balad.example"]')
        .replace("https://elbaladtv.net/tag/{tag}/", "https://www.jnews-balad.example/tag/{tag}/"),
        encoding="utf-8",
    )
    args = {"site": str(profile), "tag": "الدوري المصري", "follow_articles": "false"}
    items, stats = crawl(args, REPLAY_MODE="replay", REPLAY_DIR=str(FIXTURES))
    expected = read_jsonl(JNEWS / "expected.jsonl")
    assert items == expected
    assert stats["akhbar/profile/used/jnews"] == 1
    # The one card without an excerpt («فيديو | أهداف…», page 2) is the only selector miss.
    assert {k: v for k, v in stats.items() if k.startswith("akhbar/profile/fallback")} == {
        "akhbar/profile/fallback/listing.excerpt": 1
    }


def test_crawl_with_a_profile_whose_selectors_miss_still_crawls_generically(crawl, tmp_path: Path):
    profile = tmp_path / "stale.toml"
    profile.write_text(
        'name = "stale"\nhosts = ["www.jnews-balad.example"]\ntimezone = "Africa/Cairo"\n'
        '[listing]\nentry = "div.old-theme article"\nnext_page = "a.old-next"\n',
        encoding="utf-8",
    )
    url = json.loads((JNEWS / "crawl.json").read_text(encoding="utf-8"))["url"]
    args = {"url": url, "site": str(profile), "tag": "الدوري المصري", "follow_articles": "false"}
    items, stats = crawl(args, REPLAY_MODE="replay", REPLAY_DIR=str(FIXTURES))
    assert items == read_jsonl(JNEWS / "expected.jsonl")
    assert stats["akhbar/profile/fallback/listing.entry"] == 3
    assert stats["akhbar/profile/fallback/listing.next_page"] == 2


def test_the_documented_example_is_a_valid_profile():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "profiles.md").read_text(encoding="utf-8")
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    profile = parse_profile(tomllib.loads(example), "docs/profiles.md")
    assert profile.article.modified and profile.listing.next_page and profile.tag_url
