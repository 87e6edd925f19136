"""``scrapy serve`` used as its users would: feed readers poll it, programs page through the API,
a person opens the status page. Every check is against what the store holds."""

from __future__ import annotations

import hashlib
import json
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import feedparser
import feedparser_rs
import pytest

from crawler.store import Store, dialect_for, to_row
from tests.support import export_validator, fixture_site_dirs, read_jsonl, serving

PAGE = 5  # AKHBAR_FEED_PAGE_SIZE in these tests: fewer than most tags hold
SITE, TAG = "jnews-balad.example", "الدوري المصري"


def golden_items() -> list[dict]:
    return [item for site in fixture_site_dirs() for item in read_jsonl(site / "expected.jsonl")]


def fill(store: Store) -> list[dict]:
    """Every fixture site's golden items in the store, seen in two batches; returns them as exported."""
    items = golden_items()
    half = len(items) // 2
    store.write_batch([to_row(i, "2026-12-01T08:00:00.000001+00:00") for i in items[:half]])
    store.write_batch([to_row(i, "2026-12-02T08:00:00.000002+00:00") for i in items[half:]])
    return list(store.rows_since(0))


def settings_for(store: Store, tmp_path: Path) -> list[str]:
    """The store to serve, a small feed page, and no run reports but the test's own."""
    dialect = store.dialect
    common = [f"AKHBAR_FEED_PAGE_SIZE={PAGE}", f"AKHBAR_FEED_URI={tmp_path}/feeds/%(site)s/%(tag_slug)s/x.jsonl"]
    if dialect.name == "sqlite":
        return [f"DATABASE_URL=sqlite:///{dialect.path}", *common]
    return [f"DATABASE_URL={dialect.url}", f"DATABASE_SCHEMA={dialect.schema}", *common]


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    """Status, headers (case-insensitive, as HTTP's are) and body of one GET."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def newest_first(rows: list[dict]) -> list[dict]:
    """The order a reader expects, written out: the site's day, then the instant, then first seen."""

    def instant(row: dict) -> float:
        return datetime.fromisoformat(row["published_at"]).timestamp() if row["published_at"] else float("-inf")

    by_seen = sorted(rows, key=lambda r: r["first_seen"], reverse=True)
    by_instant = sorted(by_seen, key=instant, reverse=True)
    return sorted(by_instant, key=lambda r: r["published_date"] or "", reverse=True)


def parse_feed(body: bytes):
    """feedparser for Atom and RSS; JSON Feed with feedparser-rs, which keeps feedparser's API
    (feedparser 6.0 reads no JSON Feed)."""
    if body.lstrip().startswith(b"{"):
        return feedparser_rs.parse(body)
    return feedparser.parse(body)


def feed_url(base: str, site: str, tag: str, fmt: str) -> str:
    return f"{base}/feeds/{quote(site)}/{quote(tag)}.{fmt}"


@pytest.fixture
def served(store: Store, tmp_path: Path):
    rows = fill(store)
    with serving(*settings_for(store, tmp_path)) as base:
        yield base, rows


@pytest.mark.parametrize("fmt", ["atom", "rss", "json"])
def test_feed_readers_get_the_newest_entries_with_ids_titles_and_dates(served, fmt):
    base, rows = served
    in_tag = newest_first([r for r in rows if r["site"] == SITE and TAG in r["tags"]])
    assert len(in_tag) > PAGE
    status, headers, body = get(feed_url(base, SITE, TAG, fmt))
    assert status == 200
    assert "charset=utf-8" in headers["content-type"]
    assert TAG.encode("utf-8") in body  # raw UTF-8 Arabic, no character references
    parsed = parse_feed(body)
    assert parsed.version == {"atom": "atom10", "rss": "rss20", "json": "json11"}[fmt]
    assert not parsed.bozo, parsed.get("bozo_exception")
    want = in_tag[:PAGE]
    assert [e.id for e in parsed.entries] == [f"urn:akhbar:{r['id']}" for r in want]
    assert [e.title for e in parsed.entries] == [r["title"] for r in want]
    assert [e.link for e in parsed.entries] == [r["url"] for r in want]
    for entry, row in zip(parsed.entries, want, strict=True):
        if row["published_at"]:
            assert datetime(*entry.published_parsed[:6], tzinfo=UTC) == datetime.fromisoformat(row["published_at"])
        else:
            assert entry.get("published") is None
        if fmt != "json":  # feedparser-rs's sanitizer drops dir=; the JSON is checked as sent below
            assert 'dir="rtl"' in entry.content[0].value
    if fmt == "json":
        assert all(i["content_html"].startswith('<div dir="rtl" lang="ar">') for i in json.loads(body)["items"])


def test_every_tag_on_the_status_page_has_feeds_that_parse(served):
    base, rows = served
    status, _, body = get(base + "/")
    page = body.decode("utf-8")
    assert status == 200
    assert '<html lang="ar" dir="rtl">' in page
    pairs = {(r["site"], t) for r in rows for t in r["tags"]}
    assert page.count('class="tag-row"') == len(pairs)
    assert page.count("<svg") == len(pairs)
    for site, tag in sorted(pairs):
        expected = sum(1 for r in rows if r["site"] == site and tag in r["tags"])
        for fmt in ("atom", "rss", "json"):
            parsed = parse_feed(get(feed_url(base, site, tag, fmt))[2])
            assert len(parsed.entries) == min(expected, PAGE), (site, tag, fmt)


def test_feeds_answer_conditional_requests_with_304(served):
    base, _ = served
    url = feed_url(base, SITE, TAG, "atom")
    status, headers, _ = get(url)
    assert status == 200 and headers["ETag"] and headers["Last-Modified"]
    assert get(url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert get(url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert get(url, {"If-None-Match": '"something-else"'})[0] == 200
    assert get(url, {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"})[0] == 200
    other = get(feed_url(base, SITE, TAG, "rss"))[1]["ETag"]
    assert other != headers["ETag"]  # one representation, one tag


def test_unknown_feeds_are_404_and_bad_requests_400(served):
    base, _ = served
    assert get(feed_url(base, "nowhere.example", TAG, "atom"))[0] == 404
    assert get(feed_url(base, SITE, "وسم غير موجود", "atom"))[0] == 404
    assert get(feed_url(base, SITE, TAG, "xml"))[0] == 404
    assert get(f"{base}/api/items?since=yesterday")[0] == 400
    assert get(f"{base}/api/items?since=-1")[0] == 400
    assert get(f"{base}/api/items?limit=0")[0] == 400
    assert get(f"{base}/api/items?site=nowhere.example")[0] == 404
    assert get(f"{base}/api/items?tag={quote('وسم غير موجود')}")[0] == 404


def test_api_pages_through_every_row_once_as_export_does(served):
    base, rows = served
    validator = export_validator()
    seen, cursor = [], "0"
    for _ in range(100):
        status, _, body = get(f"{base}/api/items?since={cursor}&limit=7")
        assert status == 200
        answer = json.loads(body)
        if not answer["items"]:
            break
        for row in answer["items"]:
            validator.validate(row)
        seen += answer["items"]
        cursor = answer["next"]
    assert seen == rows  # the rows scrapy export writes, in its order, each once
    assert json.loads(get(f"{base}/api/items?since={cursor}")[2]) == {"items": [], "next": cursor}
    tagged = json.loads(get(f"{base}/api/items?site={SITE}&tag={quote(TAG)}&limit=1000")[2])["items"]
    assert tagged == [r for r in rows if r["site"] == SITE and TAG in r["tags"]]


def test_serve_writes_nothing_and_listens_on_localhost(tmp_path):
    db = tmp_path / "store.sqlite3"
    store = Store(dialect_for(f"sqlite:///{db}")).open()
    fill(store)
    store.close()
    before = hashlib.sha1(db.read_bytes()).hexdigest()
    with serving(f"DATABASE_URL=sqlite:///{db}", f"AKHBAR_FEED_URI={tmp_path}/feeds/%(site)s/x.jsonl") as base:
        assert base.startswith("http://127.0.0.1:")
        for path in ("/", "/api/items", f"/feeds/{quote(SITE)}/{quote(TAG)}.atom"):
            assert get(base + path)[0] == 200
        time.sleep(0.2)
    assert hashlib.sha1(db.read_bytes()).hexdigest() == before
    wal = db.with_name(db.name + "-wal")  # a WAL reader opens it (and -shm); nothing is written to it
    assert not wal.exists() or wal.stat().st_size == 0


def test_serve_refuses_a_missing_store_in_one_line(tmp_path):
    from tests.support import scrapy_command

    missing = tmp_path / "none.sqlite3"
    result = scrapy_command("serve", "--port", "0", "-s", f"DATABASE_URL=sqlite:///{missing}")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "unavailable" in result.stderr
    assert not missing.exists()
    # Like every command, serve finds the store under AKHBAR_HOME when DATABASE_URL is relative.
    relative = "DATABASE_URL=sqlite:///out/akhbar.sqlite3"
    home = scrapy_command("serve", "--port", "0", "-s", relative, env={"AKHBAR_HOME": str(tmp_path)})
    assert f"sqlite:///{tmp_path}/out/akhbar.sqlite3" in home.stderr, home.stderr
    bad = scrapy_command("serve", "--port", "0", "-s", "DATABASE_URL=mysql://db/x")
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1, bad.stderr


def test_status_page_shows_the_last_run_report(tmp_path: Path):
    db = tmp_path / "store.sqlite3"
    store = Store(dialect_for(f"sqlite:///{db}")).open()
    fill(store)
    store.close()
    folder = tmp_path / "feeds" / SITE / "x"
    folder.mkdir(parents=True)
    report = {
        "site": SITE,
        "tag": TAG,
        "end": "2026-12-02T08:00:05+00:00",
        "finish_reason": "finished",
        "counts": {"items": 16, "new": 3, "unparsed_dates": 2},
        "alerts": [{"name": "empty_listing", "message": "صفحة الوسم فارغة"}],
    }
    (folder / "latest.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    feed_uri = f"AKHBAR_FEED_URI={tmp_path}/feeds/%(site)s/%(tag_slug)s/%(run_id)s.jsonl"
    with serving(f"DATABASE_URL=sqlite:///{db}", feed_uri) as base:
        page = get(base + "/")[2].decode("utf-8")
    row = page[page.index(f'data-tag="{TAG}"') :].split("</tr>", 1)[0]
    assert '<td class="num new">3</td>' in row
    assert "صفحة الوسم فارغة" in row
    assert "2026-12-02 08:00" in row


def test_a_crawl_between_two_polls_changes_the_feed_and_its_etag(store: Store, tmp_path: Path):
    rows = fill(store)
    with serving(*settings_for(store, tmp_path)) as base:
        url = feed_url(base, SITE, TAG, "atom")
        _, first, _ = get(url)
        other = next(r for r in rows if r["site"] != SITE)
        store.write_batch([to_row({**other, "title": "عنوان آخر"}, "2026-12-03T08:00:00+00:00")])
        assert get(url, {"If-None-Match": first["ETag"]})[0] == 304  # another site changed: same feed
        newest = {**next(r for r in rows if r["site"] == SITE and TAG in r["tags"]), "tag": TAG}
        fresh = {**{k: newest[k] for k in golden_items()[0]}, "id": "f" * 40, "url": "https://x.example/new/"}
        fresh.update(title="خبر جديد", published_date="2099-01-01", published_at=None, published_precision="day")
        store.write_batch([to_row(fresh, "2026-12-03T09:00:00+00:00")])
        status, second, body = get(url, {"If-None-Match": first["ETag"]})
        assert status == 200 and second["ETag"] != first["ETag"]
        assert parse_feed(body).entries[0].title == "خبر جديد"


def test_status_page_reads_what_a_real_crawl_reports(tmp_path: Path):
    from tests.support import FIXTURES, run_crawl

    args = {**json.loads((FIXTURES / "www.jannah-news.example" / "crawl.json").read_text()), "follow_articles": "false"}
    settings = (
        f"AKHBAR_FEED_URI={tmp_path}/feeds/%(site)s/%(tag_slug)s/%(run_id)s.jsonl",
        f"AKHBAR_RUNS_DIR={tmp_path}/runs",
    )
    db = tmp_path / "akhbar.sqlite3"
    crawl = run_crawl(args, None, "REPLAY_MODE=replay", *settings, db=db)
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    with serving(f"DATABASE_URL=sqlite:///{db}", *settings) as base:
        page = get(base + "/")[2].decode("utf-8")
    row = page[page.index('data-site="jannah-news.example"') :].split("</tr>", 1)[0]
    assert '<td class="num items">14</td>' in row
    assert '<td class="num new">14</td>' in row  # the run's own report: all 14 were new
    assert 'class="failed"' not in row
