"""Replay every bundled fixture site through the full pipeline and summarize the run.

    python -m crawler.demo [--fixtures fixtures/html] [--out out]

This is what ``make demo`` runs: the real spider, pipelines, SQLite store and
JSONL feeds, fed from recordings instead of the network. It exits non-zero when
a crawl fails (``crawler.run_status``), logs an error or stores nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.utils.project import get_project_settings

from crawler.redaction import redact
from crawler.run_status import run_failures
from crawler.runs import drops
from crawler.store import SQLiteDialect, StoreSettings, store_from_settings
from crawler.urls import site_of


@dataclass
class SiteRun:
    """One fixture site's crawl and where its output went."""

    name: str
    crawler: Crawler
    feed: Path


def fixture_sites(root: Path) -> list[tuple[str, dict[str, str]]]:
    """``(site folder, spider arguments)`` for every folder with a ``crawl.json``."""
    sites = []
    for crawl_json in sorted(root.glob("*/crawl.json")):
        args = json.loads(crawl_json.read_text(encoding="utf-8"))
        sites.append((crawl_json.parent.name, {k: str(v) for k, v in args.items()}))
    return sites


def problems(stats: dict[str, Any]) -> list[str]:
    """Why a fixture crawl counts as failed: the run failed (``crawler.run_status``, the rule
    ``scrapy crawl`` exits by), or it broke what a bundled fixture always gives: no error
    logged, some items."""
    found = run_failures(stats)
    if stats.get("log_count/ERROR"):
        found.append(f"{stats['log_count/ERROR']} errors logged")
    if not stats.get("item_scraped_count"):
        found.append("no items")
    return found


def summarize(runs: list[SiteRun], database: str) -> tuple[str, bool]:
    """The human summary of a demo run, and whether every crawl succeeded."""
    lines = [f"{'site':<32} {'pages':>5} {'items':>5}  drops / notes"]
    ok = True
    for run in runs:
        stats = run.crawler.stats.get_stats()
        pages = stats.get("akhbar/pages/listing", 0) + stats.get("akhbar/pages/article", 0)
        notes = [f"{k}={v}" for k, v in drops(stats).items()]
        if stats.get("akhbar/article/failed"):
            notes.append(f"article/failed={stats['akhbar/article/failed']}")
        if stats.get("akhbar/dates/unparsed"):
            notes.append(f"dates/unparsed={stats['akhbar/dates/unparsed']}")
        trouble = problems(stats)
        ok = ok and not trouble
        notes += [f"FAILED: {p}" for p in trouble]
        lines.append(f"{run.name:<32} {pages:>5} {stats.get('item_scraped_count', 0):>5}  {', '.join(notes) or '-'}")
        lines.append(f"{'':<32} feed: {run.feed}")
    lines.append(f"database: {database}")
    return "\n".join(lines), ok


def describe_store(settings: StoreSettings) -> str:
    """Where the items went and how many rows the store holds now."""
    store = store_from_settings(settings).open()
    try:
        rows = store.count()
    finally:
        store.close()
    location = store.dialect.path if isinstance(store.dialect, SQLiteDialect) else redact(settings.get("DATABASE_URL"))
    return f"{location} ({rows} rows)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixtures", default="fixtures/html", help="folder of recorded sites")
    parser.add_argument("--out", default="out", help="where feeds go (the database follows DATABASE_URL)")
    args = parser.parse_args(argv)

    settings = get_project_settings()
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ")
    settings.set("REPLAY_MODE", "replay", priority="cmdline")
    settings.set("REPLAY_DIR", args.fixtures, priority="cmdline")
    settings.set("AKHBAR_FEED_URI", f"{args.out}/feeds/%(site)s/{stamp}.jsonl", priority="cmdline")
    if settings.getpriority("LOG_LEVEL") < 40:
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")

    sites = fixture_sites(Path(args.fixtures))
    if not sites:
        print(f"no fixture sites (*/crawl.json) under {args.fixtures}", file=sys.stderr)
        return 2
    process = CrawlerProcess(settings)
    spidercls = process.spider_loader.load("tag_archive")
    runs = []
    for name, spider_args in sites:
        crawler = process.create_crawler(spidercls)
        process.crawl(crawler, **spider_args)
        feed = Path(args.out) / "feeds" / site_of(spider_args["url"]) / f"{stamp}.jsonl"
        runs.append(SiteRun(name, crawler, feed))
    process.start()

    report, ok = summarize(runs, describe_store(settings))
    print(f"akhbar demo: replayed {len(runs)} fixture sites from {args.fixtures}")
    print(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
