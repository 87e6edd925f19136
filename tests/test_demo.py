"""``make demo``'s job: every fixture site replayed into feeds and SQLite, summarized."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys

from tests.support import ROOT, fixture_site_dirs, read_jsonl


def demo(*args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-m", "crawler.demo", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_demo_replays_every_site_into_feeds_and_sqlite(tmp_path):
    db = tmp_path / "akhbar.sqlite3"
    result = demo("--out", str(tmp_path), DATABASE_URL=f"sqlite:///{db}")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    feeds = sorted((tmp_path / "feeds").glob("*/*.jsonl"))
    assert len(feeds) == len(fixture_site_dirs())
    feed_items = [item for feed in feeds for item in read_jsonl(feed)]
    expected = sum(len(read_jsonl(site / "expected.jsonl")) for site in fixture_site_dirs())
    assert len(feed_items) == expected

    with sqlite3.connect(db) as conn:
        stored = {row[0] for row in conn.execute("SELECT id FROM items")}
    assert stored == {item["id"] for item in feed_items}

    for site in fixture_site_dirs():
        assert re.search(rf"^{re.escape(site.name)}\s+\d+\s+\d+", result.stdout, re.MULTILINE), result.stdout
    assert "dedup/by_url=" in result.stdout  # sliding posts are reported as drops
    assert "dedup/new" not in result.stdout  # kept items are not drops
    assert f"database: {db} ({len(stored)} rows)" in result.stdout
    for feed in feeds:
        assert str(feed) in result.stdout


def test_demo_fails_loudly_without_fixtures(tmp_path):
    result = demo("--fixtures", str(tmp_path))
    assert result.returncode == 2
    assert "no fixture sites" in result.stderr
