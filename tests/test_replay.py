"""The fixture format: raw bytes plus metadata, found again by canonical URL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse
from scrapy.settings import Settings

from crawler.replay import (
    ReplayAddon,
    fetch_time,
    index_recordings,
    load_recording,
    recording_name,
    save_recording,
)

CP1256_PAGE = "<html><body><p>النفط يرتفع</p></body></html>".encode("cp1256")


def test_a_recording_keeps_the_exact_bytes_and_provenance(tmp_path):
    url = "https://www.legacy.example/news.asp?tag=%D9%86%D9%81%D8%B7&page=2"
    response = HtmlResponse(
        url=url,
        body=CP1256_PAGE,
        headers={"Content-Type": "text/html; charset=windows-1256", "Date": "Tue, 07 Dec 2021 12:00:00 GMT"},
        status=200,
    )
    meta_path = save_recording(tmp_path, url, response, datetime(2021, 12, 7, 12, 0, 3, tzinfo=UTC))

    assert meta_path.parent == tmp_path / "www.legacy.example"
    assert meta_path.with_suffix(".html").read_bytes() == CP1256_PAGE  # never re-encoded
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["url"] == url
    assert meta["status"] == 200
    assert meta["headers"]["Content-Type"] == ["text/html; charset=windows-1256"]
    assert meta["fetched_at"] == "2021-12-07T12:00:03+00:00"

    replayed = load_recording(meta_path)
    assert isinstance(replayed, HtmlResponse)
    assert replayed.body == CP1256_PAGE
    assert replayed.text == "<html><body><p>النفط يرتفع</p></body></html>"
    assert fetch_time(replayed.headers) == datetime(2021, 12, 7, 12, 0, tzinfo=UTC)


def test_a_recording_without_date_header_gets_its_fetch_time(tmp_path):
    folder = tmp_path / "s.example"
    folder.mkdir()
    (folder / "p.html").write_bytes(b"<html></html>")
    (folder / "p.json").write_text(
        json.dumps(
            {"url": "https://s.example/p", "status": 404, "headers": {}, "fetched_at": "2021-06-17T07:30:00+00:00"}
        )
    )
    response = load_recording(folder / "p.json")
    assert response.status == 404
    assert response.headers[b"Date"] == b"Thu, 17 Jun 2021 07:30:00 GMT"


def test_index_finds_recordings_by_canonical_url_and_skips_side_files(tmp_path):
    folder = tmp_path / "s.example"
    folder.mkdir()
    (folder / "crawl.json").write_text('{"url": "https://s.example/tag/x/"}')
    (folder / "listing.html").write_bytes(b"<html></html>")
    (folder / "listing.json").write_text('{"url": "https://s.example/tag/x/?b=2&a=1#top"}')
    index = index_recordings(tmp_path)
    assert list(index.values()) == [folder / "listing.json"]
    assert "https://s.example/tag/x/?a=1&b=2" in index


def test_recording_names_are_readable_and_distinct():
    first = recording_name("https://s.example/tag/قمة/page/2/")
    assert first.startswith("tag-قمة-page-2-")
    assert first != recording_name("https://s.example/tag/قمة/page/3/")


@pytest.mark.parametrize("mode", ["record", "replay"])
def test_replay_addon_turns_the_mode_into_cache_settings(mode):
    settings = Settings({"REPLAY_MODE": mode, "DOWNLOAD_DELAY": 2}, priority="project")
    ReplayAddon().update_settings(settings)
    assert settings.getbool("HTTPCACHE_ENABLED")
    assert settings["HTTPCACHE_STORAGE"] == "crawler.replay.FixtureCacheStorage"
    assert settings.getbool("HTTPCACHE_IGNORE_MISSING") == (mode == "replay")
    assert settings.getfloat("DOWNLOAD_DELAY") == (0 if mode == "replay" else 2)


def test_replay_addon_leaves_live_crawls_alone_and_rejects_typos():
    live = Settings({"REPLAY_MODE": "off"})
    ReplayAddon().update_settings(live)
    assert not live.getbool("HTTPCACHE_ENABLED")
    with pytest.raises(ValueError, match="REPLAY_MODE must be one of off, record, replay"):
        ReplayAddon().update_settings(Settings({"REPLAY_MODE": "replya"}))
