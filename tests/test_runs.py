"""Scheduled runs end to end: per-run feeds, manifests, incremental runs, export cursors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.support import FIXTURES, ROOT, export_validator, read_jsonl, run_crawl, scrapy_command, stat

JANNAH = json.loads((FIXTURES / "www.jannah-news.example" / "crawl.json").read_text(encoding="utf-8"))
LISTING_ONLY = {**JANNAH, "follow_articles": "false"}


def feed_settings(tmp_path: Path) -> tuple[str, ...]:
    uri = f"AKHBAR_FEED_URI={tmp_path}/feeds/%(site)s/%(tag_slug)s/%(run_id)s.jsonl"
    return ("REPLAY_MODE=replay", uri)


def test_runs_write_atomic_feeds_and_a_manifest_and_incremental_runs_stop_early(tmp_path):
    db = tmp_path / "akhbar.sqlite3"
    first = run_crawl(LISTING_ONLY, None, *feed_settings(tmp_path), db=db)
    assert first.returncode == 0, first.stderr[-2000:]
    folder = tmp_path / "feeds" / "jannah-news.example" / "كأس-أمم-أفريقيا"
    [feed] = folder.glob("*.jsonl")
    assert not list(folder.glob("*.part"))
    items = read_jsonl(feed)
    assert len(items) == 14
    manifest = json.loads((folder / "latest.json").read_text(encoding="utf-8"))
    assert manifest["feed"] == feed.name  # relative to its own folder
    assert manifest["finish_reason"] == "finished"
    assert manifest["counts"]["items"] == 14
    assert manifest["counts"]["listing_pages"] == 3
    assert {"run_id", "start", "end"} <= set(manifest)

    second = run_crawl({**LISTING_ONLY, "incremental": "true"}, None, *feed_settings(tmp_path), db=db)
    assert second.returncode == 0, second.stderr[-2000:]
    assert stat(second.stderr, "akhbar/pages/listing") == 1  # page 1 held only known items
    assert stat(second.stderr, "akhbar/incremental/stopped") == 1
    assert stat(second.stderr, "akhbar/dedup/seen_before") == 6
    assert list(folder.glob("*.jsonl")) == [feed]  # an empty run keeps the previous feed
    manifest = json.loads((folder / "latest.json").read_text(encoding="utf-8"))
    assert (manifest["feed"], manifest["counts"]["items"]) == (None, 0)


def test_dash_capital_o_writes_only_the_named_file(tmp_path):
    result = run_crawl(LISTING_ONLY, tmp_path / "named.jsonl", *feed_settings(tmp_path))
    assert result.returncode == 0
    assert len(read_jsonl(tmp_path / "named.jsonl")) == 14
    assert not (tmp_path / "feeds").exists()


def test_a_second_plain_run_finds_nothing_new(tmp_path):
    db = tmp_path / "akhbar.sqlite3"
    assert run_crawl(LISTING_ONLY, tmp_path / "1.jsonl", "REPLAY_MODE=replay", db=db).returncode == 0
    again = run_crawl(LISTING_ONLY, tmp_path / "2.jsonl", "REPLAY_MODE=replay", db=db)
    assert stat(again.stderr, "akhbar/dedup/known") == 14
    assert stat(again.stderr, "akhbar/dedup/new") is None
    assert len(read_jsonl(tmp_path / "2.jsonl")) == 14  # a plain run's feed is a full snapshot


def export(db_settings: list[str], since: int, out: Path) -> tuple[int, list[dict]]:
    result = scrapy_command("export", "--since", str(since), "-o", str(out), *db_settings)
    assert result.returncode == 0, result.stderr
    return int(result.stdout.strip()), read_jsonl(out)


def check_export_cursors(db_settings: list[str], tmp_path: Path) -> None:
    cursor, rows = export(db_settings, 0, tmp_path / "all.jsonl")
    assert len(rows) == 14
    validator = export_validator()
    for row in rows:
        validator.validate(row)
    assert rows[0]["tags"] == ["كأس أمم أفريقيا"]
    assert export(db_settings, cursor, tmp_path / "none.jsonl") == (cursor, [])
    assert len(export([*db_settings, "--site", "jannah-news.example"], 0, tmp_path / "site.jsonl")[1]) == 14
    assert export([*db_settings, "--site", "other.example"], 0, tmp_path / "other.jsonl")[1] == []
    assert len(export([*db_settings, "--tag", "كأس أمم أفريقيا"], 0, tmp_path / "tag.jsonl")[1]) == 14


def test_export_from_sqlite(tmp_path):
    db = tmp_path / "akhbar.sqlite3"
    assert run_crawl(LISTING_ONLY, tmp_path / "o.jsonl", "REPLAY_MODE=replay", db=db).returncode == 0
    check_export_cursors(["-s", f"DATABASE_URL=sqlite:///{db}"], tmp_path)


def test_export_to_standard_output_and_csv_and_refuses_parquet(tmp_path):
    db = tmp_path / "akhbar.sqlite3"
    assert run_crawl(LISTING_ONLY, tmp_path / "o.jsonl", "REPLAY_MODE=replay", db=db).returncode == 0
    settings = ["-s", f"DATABASE_URL=sqlite:///{db}"]
    cursor, rows = export(settings, 0, tmp_path / "all.jsonl")

    piped = scrapy_command("export", "--since", "0", "-o", "-", *settings)
    assert piped.returncode == 0, piped.stderr
    assert [json.loads(line) for line in piped.stdout.splitlines()] == rows
    assert piped.stderr.split()[-1] == str(cursor)  # the cursor goes beside the rows, not into them
    assert not (ROOT / "-").exists()

    table = tmp_path / "items.csv"
    result = scrapy_command("export", "--since", "0", "-o", str(table), *settings)
    assert (result.returncode, result.stdout.strip()) == (0, str(cursor))
    with table.open(encoding="utf-8", newline="") as handle:
        cells = list(csv.DictReader(handle))
    assert [c["id"] for c in cells] == [r["id"] for r in rows]
    assert [json.loads(c["tags"]) for c in cells] == [r["tags"] for r in rows]
    assert [c["title"] for c in cells] == [r["title"] for r in rows]
    assert [c["published_at"] or None for c in cells] == [r["published_at"] for r in rows]  # null: empty cell
    assert [int(c["seq"]) for c in cells] == [r["seq"] for r in rows]

    refused = scrapy_command("export", "-o", str(tmp_path / "items.parquet"), *settings)
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [refused.stderr.strip()] and "Parquet" in refused.stderr
    assert not (tmp_path / "items.parquet").exists()
    bad = scrapy_command("export", "--since", "yesterday", "-o", "-", *settings)
    assert (bad.returncode, bad.stdout) == (2, "")
    assert "not a cursor" in bad.stderr


def test_crawl_and_export_on_postgresql(pg_schema, tmp_path):
    url, schema = pg_schema
    crawl = run_crawl(
        LISTING_ONLY, tmp_path / "o.jsonl", "REPLAY_MODE=replay", f"DATABASE_URL={url}", f"DATABASE_SCHEMA={schema}"
    )
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    check_export_cursors(["-s", f"DATABASE_URL={url}", "-s", f"DATABASE_SCHEMA={schema}"], tmp_path)


def test_export_reports_an_unreachable_database():
    result = scrapy_command("export", "-o", "/dev/null", "-s", "DATABASE_URL=postgresql://u:pw-xyz@127.0.0.1:1/x")
    assert result.returncode == 1
    assert "pw-xyz" not in result.stderr + result.stdout
    assert "unavailable" in result.stderr
    unusable = scrapy_command("export", "-o", "/dev/null", "-s", "DATABASE_URL=mysql://u:pw-xyz@db/x")
    assert unusable.returncode == 1
    assert unusable.stderr.strip().splitlines() == [unusable.stderr.strip()]  # one line, no traceback
    assert "pw-xyz" not in unusable.stderr
