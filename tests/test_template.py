"""Listing templates: learnt on page 1, reused and checked on later pages, kept across runs."""

from __future__ import annotations

import json
import logging
import tomllib
from pathlib import Path

import pytest
from parsel import Selector

from crawler.extract.listing import extract_listing
from crawler.extract.template import Template, check, draft_profile
from crawler.profiles import profile_by_name
from tests.support import FIXTURES, engine_crawl, local_site, read_jsonl, scrapy_command, tag_page

SITE = "https://news.example/tag/x/"


def _page(n: int, extra: str = "") -> bytes:
    """Page ``n`` of a tag archive: three dated cards in ``<main>``, and a link to page n+1."""
    entries = [(f"/news/2021/{n}{i}/story-number-{n}{i}", f"خبر رقم {n}{i} عن موضوع الوسم اليوم") for i in range(3)]
    return tag_page(*entries, extra=f'<nav class="pager"><a href="/tag/x/page/{n + 1}/">التالي</a></nav>{extra}')


def _changed(n: int) -> bytes:
    """Page ``n`` after a redesign: the cards are table rows, not ``<article>`` in ``<main>``."""
    rows = "".join(
        f'<tr class="row"><td class="cell"><a href="/news/2021/{n}{i}/story-number-{n}{i}">'
        f"خبر رقم {n}{i} عن موضوع الوسم اليوم</a></td><td>17 يونيو 2021</td></tr>"
        for i in range(3)
    )
    return f"<html><body><h1>وسم</h1><table class='list'>{rows}</table></body></html>".encode()


def _listing(body: bytes, url: str = SITE, template: Template | None = None):
    return extract_listing(Selector(text=body.decode()), url, template)


def test_page_two_reads_through_page_ones_template_with_the_same_entries():
    first = _listing(_page(1))
    assert first.template is not None and first.template.records == 3
    full = _listing(_page(2), SITE + "page/2/")
    reused = _listing(_page(2), SITE + "page/2/", first.template)
    assert reused.reused and reused.mismatch is None
    assert reused.entries == full.entries
    assert [e.url for e in reused.entries] == [
        f"https://news.example/news/2021/2{i}/story-number-2{i}" for i in range(3)
    ]


def test_a_changed_layout_misses_the_template_and_falls_back_to_full_extraction():
    template = _listing(_page(1)).template
    page = _listing(_changed(2), SITE + "page/2/", template)
    assert not page.reused
    assert page.mismatch == "no records on the template's paths"
    assert len(page.entries) == 3  # full extraction still found them
    assert page.template is not None and not page.template.same_structure(template)


def test_check_names_what_does_not_fit():
    template = Template(("main.>",), records=10, titled=True, dated=True, url_shape=(3, True, True))
    shape = (3, True, True)
    assert check(template, 4, 4, 4, [shape] * 4) is None  # a short last page fits
    assert check(template, 0, 0, 0, []) == "no records on the template's paths"
    assert check(template, 16, 16, 16, [shape] * 16) == "16 records where page 1 had 10"
    assert check(template, 4, 3, 4, [shape] * 4) == "records without a title"
    assert check(template, 4, 4, 1, [shape] * 4) == "most records without a date"
    assert check(template, 4, 4, 4, [(1, False, False)] * 4) == "entry URLs of another shape"


def test_template_json_round_trip_and_unreadable_text():
    template = _listing(_page(1)).template
    assert Template.from_json(template.to_json()) == template
    assert Template.from_json('{"containers": 3}') is None
    assert Template.from_json("not json") is None


def test_draft_profile_loads_as_a_profile_whose_entry_selector_finds_the_cards(tmp_path: Path):
    body = _page(1)
    text = draft_profile(_listing(body).template, "news.example")
    assert tomllib.loads(text)["hosts"] == ["news.example"]
    path = tmp_path / "news-example.toml"
    path.write_text(text, encoding="utf-8")
    profile = profile_by_name(str(path))
    assert len(Selector(text=body.decode()).css(profile.listing.entry)) == 3
    assert profile.listing.title == "h2.entry-title"


def _site(pages: dict[str, bytes]) -> dict[str, tuple[bytes, str]]:
    return {path: (body, "text/html; charset=utf-8") for path, body in pages.items()}


def test_a_crawl_reuses_the_template_and_counts_a_layout_change(tmp_path: Path, caplog):
    args = {"follow_articles": "false", "max_pages": "3", "tag": "x"}
    with local_site(_site({"/tag/x/": _page(1), "/tag/x/page/2/": _page(2), "/tag/x/page/3/": _page(3)})) as base:
        stats = engine_crawl({**args, "url": base + "/tag/x/"}, tmp_path / "a" / "out.jsonl").stats
    assert stats.get_value("akhbar/template/learnt") == 1
    assert stats.get_value("akhbar/template/reused") == 2
    assert stats.get_value("akhbar/template/mismatch") is None
    assert stats.get_value("akhbar/listing/entries") == 9

    caplog.set_level(logging.WARNING)
    with local_site(_site({"/tag/x/": _page(1), "/tag/x/page/2/": _changed(2)})) as base:
        crawler = engine_crawl({**args, "url": base + "/tag/x/"}, tmp_path / "b" / "out.jsonl")
    assert crawler.stats.get_value("akhbar/template/mismatch") == 1
    assert crawler.stats.get_value("akhbar/listing/entries") == 6  # the changed page's entries still came
    assert any("no longer fits" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)


def test_every_nth_page_is_a_full_extraction_spot_check(tmp_path: Path):
    pages = {"/tag/x/": _page(1), **{f"/tag/x/page/{n}/": _page(n) for n in range(2, 5)}}
    with local_site(_site(pages)) as base:
        stats = engine_crawl(
            {"url": base + "/tag/x/", "follow_articles": "false", "max_pages": "4"},
            tmp_path / "out.jsonl",
            {"AKHBAR_TEMPLATE_SPOT_CHECK_PAGES": 2},
        ).stats
    # Page 1 learns, pages 2 and 4 are spot checks with full extraction, page 3 is read through the template.
    assert stats.get_value("akhbar/template/reused") == 1
    assert stats.get_value("akhbar/pages/listing") == 4
    assert stats.get_value("akhbar/template/learnt") == 1  # the spot checks found the same structure


def test_the_next_run_starts_from_the_stored_template(tmp_path: Path):
    feed = tmp_path / "out.jsonl"
    with local_site(_site({"/tag/x/": _page(1)})) as base:
        args = {"url": base + "/tag/x/", "follow_articles": "false", "max_pages": "1"}
        first = engine_crawl(args, feed).stats
        second = engine_crawl(args, feed).stats
    assert first.get_value("akhbar/template/learnt") == 1 and first.get_value("akhbar/template/reused") is None
    assert second.get_value("akhbar/template/learnt") is None and second.get_value("akhbar/template/reused") == 1
    assert len(read_jsonl(feed)) == 3


@pytest.mark.parametrize("site", ["blog.plain-wp.example", "www.tagdiv-news.example"])
def test_fixture_sites_reuse_their_template_on_every_later_page(site: str, tmp_path: Path):
    args = json.loads((FIXTURES / site / "crawl.json").read_text(encoding="utf-8"))
    stats = engine_crawl(args, tmp_path / "out.jsonl", {"REPLAY_MODE": "replay", "REPLAY_DIR": str(FIXTURES)}).stats
    assert stats.get_value("akhbar/template/mismatch") is None
    assert stats.get_value("akhbar/template/reused") == stats.get_value("akhbar/pages/listing") - 1


def test_inspect_prints_the_learnt_template_as_a_draft_profile():
    result = scrapy_command("inspect", str(FIXTURES / "blog.plain-wp.example" / "tag-page-1.json"))
    assert result.returncode == 0, result.stderr
    draft = result.stdout.split("TEMPLATE", 1)[1].split("\n", 1)[1].split("\nARTICLE", 1)[0]
    profile = tomllib.loads(draft)
    assert profile["hosts"] == ["blog.plain-wp.example"]
    assert profile["listing"]["entry"].endswith(
        "main.site-main > article.post.type-post.status-publish.format-standard.has-post-thumbnail.hentry"
    )
