"""Extraction evaluation: every corpus the project can read, scored against its ground truth.

    python -m bench.extract [--corpus fixtures,dev-sites,real-listings] [--site NAME] [--jobs 3]

Prints one table, one row a site, in the manner of trafilatura's evaluation:

- **found**: expected entries the crawl emitted (recall), after percent-decoding URLs;
- **precision**: emitted entries that are expected ones;
- **titles**: found entries whose title equals the expected one after display normalization;
- **list dates**: found entries with an expected listing date whose date is that day;
- **art. dates**: article pages that exist whose item has the page's date (and instant, when
  both give a time);
- **bodies**: those article pages whose body starts with the expected text.

Corpora:

- ``fixtures/html/`` (the project's own recordings): a replayed crawl per site with its
  ``crawl.json`` arguments, compared field by field with ``expected.jsonl``;
- ``../shared/dev-sites/``: each site served by its own ``serve.py`` on a free 127.0.0.1 port
  and crawled twice as a user would, without a profile: with ``follow_articles=false`` for the
  listing figures and with ``true`` for the article figures. The site's time zone is passed
  with ``-a tz=`` as its footer states it;
- ``../shared/real-listings/``: one saved page each, no server and no pagination, so the
  listing extraction the spider runs is called directly on the page under its original URL,
  and dates resolve against the page's own reference time.

A figure is ``-`` where the corpus has no truth for it. The total line sums the counts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from parsel import Selector

import settings
from bench.extract_articles import ArticleTruth, score_item
from bench.machine import describe
from crawler.dates import resolve_date
from crawler.extract.profiled import listing_entries
from crawler.text import display_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "html"
SHARED = ROOT.parent / "shared"
DEV_SITES = SHARED / "dev-sites"
REAL_LISTINGS = SHARED / "real-listings"

# Each dev-site's zone as its footer states it (dev-sites/README.md); a user passes it with -a tz=.
DEV_SITE_ZONES = {
    "wp-rest": "Asia/Hebron",
    "drupal10": "Africa/Tunis",
    "nuxt-ssr": "Asia/Dubai",
    "angular-universal": "Africa/Cairo",
    "bootstrap-laravel": "Asia/Aden",
    "blogger-contempo": "Africa/Algiers",
    "news-aggregator-cluster": "Asia/Kuwait",
    "hespress-like": "Africa/Casablanca",
    "gulf-hijri-numeric": "Asia/Riyadh",
    "legacy-iso-8859-6": "Africa/Algiers",
}
# Crawl settings for a local evaluation: our own 127.0.0.1 servers, allowed past the SSRF guard
# and crawled without politeness delays.
LOCAL_SETTINGS = ("AUTOTHROTTLE_ENABLED=False", "LOG_LEVEL=INFO", "AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.1")


def _display(text: str | None) -> str | None:
    """Display text as the crawl's normalize pipeline makes it, with the project's quote style."""
    return display_text(text, settings.AKHBAR_QUOTE_STYLE)


@dataclass
class Score:
    """Hits and totals of one site's figures; a total of 0 prints as ``-``."""

    corpus: str
    site: str
    counts: dict[str, list[int]] = field(
        default_factory=lambda: {k: [0, 0] for k in ("found", "precision", "titles", "dates", "art_dates", "bodies")}
    )
    note: str = ""
    misses: list[str] = field(default_factory=list)

    def add(self, figure: str, hit: bool, detail: str = "") -> None:
        self.counts[figure][0] += int(hit)
        self.counts[figure][1] += 1
        if not hit:
            self.misses.append(f"{self.site}: {figure}: {detail}")


def _key(url: str) -> str:
    """An entry's identity for scoring: path and query, percent-decoded, without a trailing slash."""
    parts = urlsplit(url)
    path = unquote(parts.path).rstrip("/") or "/"
    return path + ("?" + unquote(parts.query) if parts.query else "")


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


def published(item: dict) -> str | None:
    """An item's publication time, or its day when only the day is known (schema 2)."""
    return item.get("published_at") or item.get("published_date")


def published_day(item: dict) -> str | None:
    """The publication day on the site's calendar: ``published_date`` (schema 2), else the time's day."""
    return item.get("published_date") or _day(item.get("published_at"))


def _read_jsonl(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return [json.loads(line) for line in text.split("\n") if line.strip()]


def crawl(args: dict[str, str], settings: tuple[str, ...], workdir: Path) -> list[dict]:
    """Items of one ``scrapy crawl tag_archive`` run, as a user would start it."""
    out = workdir / "out.jsonl"
    cmd = [sys.executable, "-m", "scrapy", "crawl", "tag_archive", "-O", str(out)]
    for key, value in args.items():
        cmd += ["-a", f"{key}={value}"]
    for setting in (f"DATABASE_URL=sqlite:///{workdir / 'db.sqlite3'}", *LOCAL_SETTINGS, *settings):
        cmd += ["-s", setting]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    (workdir / "crawl.log").write_text(done.stderr, encoding="utf-8")
    return _read_jsonl(out)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def serving(site: str) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` with the dev-site served by its own ``serve.py``; stopped by its pid."""
    for _attempt in range(5):
        port = _free_port()
        proc = subprocess.Popen(
            [sys.executable, str(DEV_SITES / "serve.py"), site, str(port)],
            cwd=DEV_SITES,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            if proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            except OSError:
                time.sleep(0.05)
                continue
            try:
                yield f"http://127.0.0.1:{port}"
            finally:
                proc.terminate()
                proc.wait(timeout=10)
            return
        proc.kill()
        proc.wait(timeout=10)
    raise RuntimeError(f"could not serve dev-site {site}")


def score_entries(score: Score, expected: list[dict], got: list[dict], date_of: Callable[[dict], str | None]) -> None:
    """The listing figures: recall, precision, titles and dates of found entries."""
    want: dict[str, dict] = {}
    for entry in expected:  # an article linked twice counts once, as first listed
        want.setdefault(_key(entry["url"]), entry)
    have: dict[str, dict] = {}
    for item in got:
        have.setdefault(_key(item["url"]), item)
    for key, entry in want.items():
        item = have.get(key)
        score.add("found", item is not None, key)
        if item is None:
            continue
        title = _display(entry["title"])
        score.add("titles", item.get("title") == title, f"{item.get('title')!r} for {title!r}")
        if entry.get("date"):
            score.add("dates", _day(date_of(item)) == entry["date"], f"{key} {date_of(item)} for {entry['date']}")
    for key in have:
        score.add("precision", key in want, key)


def score_articles(
    score: Score, articles: dict[str, dict], got: list[dict], entry_url: Callable[[str, dict], str]
) -> None:
    """The article figures, scored by ``bench.extract_articles.score_item``: the exact date (the
    day, and the instant when the item has one) and the body's start."""
    have = {_key(item["url"]): item for item in got}
    for path, article in articles.items():
        item = have.get(_key(entry_url(path, article))) or {}
        truth = ArticleTruth(
            path, article.get("title"), article["date"], article.get("datetime"), article.get("author"),
            article["body_start"],
        )  # fmt: skip
        result = score_item(item, truth)
        want = article.get("datetime") or article["date"]
        score.add("art_dates", result.exact_date, f"{path} {published(item)} for {want}")
        score.add("bodies", result.right["body"], f"{path} {result.got['body'][:40]!r} for {article['body_start']!r}")


def fixture_site(site_dir: Path, workdir: Path) -> Score:
    """A recorded fixture site replayed with its own arguments, against its golden output."""
    score = Score("fixtures", site_dir.name)
    args = json.loads((site_dir / "crawl.json").read_text(encoding="utf-8"))
    got = crawl(args, ("REPLAY_MODE=replay", f"REPLAY_DIR={FIXTURES}"), workdir)
    expected = _read_jsonl(site_dir / "expected.jsonl")
    have = {item["url"]: item for item in got}
    for want in expected:
        item = have.get(want["url"])
        score.add("found", item is not None)
        if item is None:
            continue
        score.add("titles", item["title"] == want["title"])
        if published(want):
            figure = "art_dates" if want.get("body") else "dates"
            score.add(figure, published(item) == published(want), f"{want['url']} {published(item)}")
        if want.get("body"):
            score.add("bodies", item["body"] == want["body"])
    urls = {w["url"] for w in expected}
    for url in have:
        score.add("precision", url in urls)
    return score


def dev_site(name: str, workdir: Path) -> Score:
    """A dev-site served on 127.0.0.1, crawled without and with its article pages."""
    score = Score("dev-sites", name)
    truth = json.loads((DEV_SITES / name / "expected.json").read_text(encoding="utf-8"))
    with serving(name) as origin:
        args = {"url": origin + truth["start"], "tz": DEV_SITE_ZONES[name], "max_pages": "10"}
        (workdir / "listing").mkdir()
        (workdir / "articles").mkdir()
        listing = crawl({**args, "follow_articles": "false"}, (), workdir / "listing")
        followed = crawl({**args, "follow_articles": "true"}, (), workdir / "articles")
    score_entries(score, truth["entries"], listing, published_day)

    def entry_url(path: str, article: dict) -> str:
        return article.get("entry_url") or path

    score_articles(score, truth["articles"], followed, entry_url)
    return score


def real_listing(folder: Path) -> Score:
    """One saved real listing page, extracted in place under its original URL."""
    score = Score("real-listings", folder.name)
    truth = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    page_url = truth["page_url"] if (truth["page_url"] or "").startswith("http") else "https://racidy.example/"
    if "page_path" in truth:
        page_url = urljoin(page_url, truth["page_path"].split(" ", 1)[0])
    reference = truth.get("reference_time") or truth.get("snapshot_date") or "2026-01-01T00:00:00+00:00"
    fetched = datetime.fromisoformat(reference.split(" ", 1)[0])
    if fetched.tzinfo is None:
        fetched = fetched.replace(tzinfo=UTC)
    body = (folder / "page.html").read_bytes()
    sel = Selector(text=body.decode("utf-8", errors="replace"), base_url=page_url)
    entries = listing_entries(sel, page_url, None).entries
    got = [
        {
            "url": e.url,
            "title": _display(e.title),
            "published_at": resolve_date(e.date_raw, e.date_source, fetched, fetched.tzinfo),
        }
        for e in entries
    ]
    score_entries(score, truth["entries"], got, published_day)
    return score


def _cell(hits: int, total: int) -> str:
    return f"{hits / total:.2f}" if total else "-"


COLUMNS = (
    ("found", "found"),
    ("precision", "precision"),
    ("titles", "titles"),
    ("dates", "list dates"),
    ("art_dates", "art. dates"),
    ("bodies", "bodies"),
)


def table(scores: list[Score]) -> str:
    """One Markdown table: a row a site with ``hits/total ratio`` cells, then the total line."""
    header = "| corpus | site | " + " | ".join(label for _k, label in COLUMNS) + " |"
    lines = [header, "|" + "---|" * (len(COLUMNS) + 2)]
    total = Score("total", "")
    for s in scores:
        cells = []
        for key, _label in COLUMNS:
            hits, n = s.counts[key]
            total.counts[key][0] += hits
            total.counts[key][1] += n
            cells.append(f"{_cell(hits, n)} ({hits}/{n})" if n else "-")
        lines.append(f"| {s.corpus} | {s.site}{s.note} | " + " | ".join(cells) + " |")
    cells = [f"**{_cell(*total.counts[k])}** ({total.counts[k][0]}/{total.counts[k][1]})" for k, _l in COLUMNS]
    lines.append("| **total** | | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extract", description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="fixtures,dev-sites,real-listings", help="comma list of corpora")
    parser.add_argument("--site", action="append", default=[], help="only these sites (repeatable)")
    parser.add_argument("--jobs", type=int, default=3, help="crawls run at once")
    parser.add_argument("--keep", action="store_true", help="keep the crawl logs and feeds; print where")
    parser.add_argument("--misses", action="store_true", help="list every miss under the table")
    args = parser.parse_args(argv)
    corpora = set(args.corpus.split(","))
    unknown = corpora - {"fixtures", "dev-sites", "real-listings"}
    if unknown:
        parser.error(f"unknown corpus {', '.join(sorted(unknown))}")

    def wanted(name: str) -> bool:
        return not args.site or name in args.site

    tmp = Path(tempfile.mkdtemp(prefix="akhbar-extract-"))
    jobs: list[Callable[[], Score]] = []
    if "fixtures" in corpora:
        for site_dir in sorted(p.parent for p in FIXTURES.glob("*/crawl.json")):
            if wanted(site_dir.name):
                work = tmp / "fixtures" / site_dir.name
                work.mkdir(parents=True)
                jobs.append(lambda d=site_dir, w=work: fixture_site(d, w))
    if "dev-sites" in corpora:
        if not DEV_SITES.is_dir():
            print(f"skipping dev-sites: {DEV_SITES} is missing", file=sys.stderr)
        for name in sorted(DEV_SITE_ZONES):
            if DEV_SITES.is_dir() and wanted(name):
                work = tmp / "dev-sites" / name
                work.mkdir(parents=True)
                jobs.append(lambda n=name, w=work: dev_site(n, w))
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        scores = list(pool.map(lambda job: job(), jobs))
    if "real-listings" in corpora:
        if not REAL_LISTINGS.is_dir():
            print(f"skipping real-listings: {REAL_LISTINGS} is missing", file=sys.stderr)
        else:
            scores += [
                real_listing(p.parent) for p in sorted(REAL_LISTINGS.glob("*/expected.json")) if wanted(p.parent.name)
            ]
    print(table(scores))
    if args.misses:
        print("\n" + "\n".join(miss for s in scores for miss in s.misses))
    print(f"\n{len(scores)} sites in {time.perf_counter() - started:.0f} s on {describe()}")
    if args.keep:
        print(f"crawl logs and feeds: {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
