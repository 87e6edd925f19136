"""Article pages scored against ground truth: title, date, time, author and the body's start.

    python -m bench.extract_articles [--dev-sites DIR] [--real-pages DIR] [--show-misses]

Corpora, read in place (never copied into the repository):

- ``../shared/dev-sites/*/``: each site's ``expected.json`` ``articles`` (keyed by path),
  read from the files the way ``serve.py`` answers them; no profile, no zone: a new user's
  first crawl of a site akhbar has never seen;
- ``../shared/real-pages/``: the truth in ``tests/data/real_pages.json``, read twice,
  generically and with the site's profile.

A page's date and time are the item's ``published_date`` and ``published_at`` as the dates
pipeline makes them (schema version 2): the date is right when it is the expected local day,
the time when it is the same instant (a time printed with no offset on a site whose zone is
unknown is no instant: a miss). The title and author are compared after display
normalization; the body is right when it starts with the expected first words.

``score_item`` is the pure scoring function for one article page's item (``bench/extract.py``
can call it on a crawl's items); ``score_article`` scores an extraction the same way.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from scrapy.http import HtmlResponse

import settings
from crawler.dates import load_timezone, parse_iso, resolve_date
from crawler.dates.fields import date_fields
from crawler.extract.article import ArticleFields, extract_article, trafilatura_config
from crawler.profiles import profile_for_url
from crawler.text import display_paragraphs, display_text

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
REAL_TRUTH = ROOT / "tests" / "data" / "real_pages.json"
# serve.py sends this as every response's Date header (dev-sites/README.md).
DEV_SITES_NOW = datetime.fromisoformat("2021-12-07T15:00:00+03:00")
REAL_PAGES_NOW = datetime(2026, 11, 1, tzinfo=UTC)  # no real page prints a relative date
FIGURES = ("title", "date", "time", "author", "body")
QUOTES = settings.AKHBAR_QUOTE_STYLE  # the crawl's display rule: items' text is compared as a feed shows it


@dataclass(frozen=True)
class ArticleTruth:
    """What a person reads on the page: its heading, local day, moment, author and first words."""

    url: str
    title: str | None
    date: str | None  # YYYY-MM-DD, the site's local day
    datetime: str | None  # ISO 8601 with offset (or ``Z``)
    author: str | None
    body_start: str | None


@dataclass(frozen=True)
class ArticleScore:
    """Each figure right or wrong for one page, with what extraction gave (for ``--show-misses``)."""

    url: str
    right: dict[str, bool]
    got: dict[str, str | None]

    @property
    def exact_date(self) -> bool:
        """The local day, and the instant too when the item has one (issue #11's "exact date")."""
        return self.right["date"] and (self.right["time"] or self.got["time"] is None)

    @property
    def date_and_body(self) -> bool:
        return self.exact_date and self.right["body"]


def _same_moment(got: str | None, want: str | None) -> bool:
    a, b = parse_iso(got), parse_iso(want)
    return a is not None and b is not None and a.tzinfo is not None and a == b


def _same_text(got: str | None, want: str | None) -> bool:
    return want is not None and display_text(got, QUOTES) == display_text(want, QUOTES)


def score_item(item: Mapping[str, Any], truth: ArticleTruth) -> ArticleScore:
    """Score what an item holds for one article page: ``title``, ``published_date``,
    ``published_at``, ``author`` and ``body`` (a crawled item, or one built from extraction)."""
    body = display_paragraphs(item.get("body"), QUOTES) or ""
    start = display_text(truth.body_start, QUOTES) or ""
    author = item.get("author")
    right = {
        "title": _same_text(item.get("title"), truth.title),
        "date": item.get("published_date") is not None and item.get("published_date") == truth.date,
        "time": _same_moment(item.get("published_at"), truth.datetime),
        "author": _same_text(author, truth.author) or (truth.author is None and author is None),
        "body": bool(start) and body.startswith(start),
    }
    got = {"title": item.get("title"), "date": item.get("published_date"), "time": item.get("published_at")}
    got |= {"author": author, "body": body[:60]}
    return ArticleScore(truth.url, right, got)


def score_article(
    fields: ArticleFields, truth: ArticleTruth, fetched_at: datetime, tz: tzinfo | None = None, order: str = "DMY"
) -> ArticleScore:
    """Score one page's extraction; its date goes through the dates pipeline's reading (schema version 2)."""
    raw = fields.date_raw
    published = date_fields(resolve_date(raw, fields.date_source, fetched_at, tz, order), raw, tz)
    item = {"title": fields.title, "author": fields.author, "body": fields.body}
    item |= {"published_date": published.date, "published_at": published.at}
    return score_item(item, truth)


# --- dev-sites ------------------------------------------------------------------------------------


def dev_site_file(site: Path, url_path: str) -> Path | None:
    """The file ``serve.py`` answers ``url_path`` from (wget's names: ``.html`` added, ``?query`` kept)."""
    parts = urlsplit(url_path)
    path = unquote(parts.path).lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    candidates = [site / path, site / f"{path}.html"]
    for candidate in candidates:
        named = candidate.with_name(f"{candidate.name}?{unquote(parts.query)}") if parts.query else candidate
        if named.is_file():
            return named
    return None


def dev_site_pages(site: Path) -> Iterator[tuple[HtmlResponse, ArticleTruth]]:
    """Each article page of one dev site, decoded as its server would label it, with its truth."""
    expected = json.loads((site / "expected.json").read_text(encoding="utf-8"))
    charset = expected.get("http_charset")
    headers = {"Content-Type": f"text/html; charset={charset}"} if charset else {"Content-Type": "text/html"}
    for path, truth in expected["articles"].items():
        found = dev_site_file(site, path)
        if found is None:
            raise SystemExit(f"{site.name}: no file for article {path}")
        url = f"http://127.0.0.1{path}"
        response = HtmlResponse(url, body=found.read_bytes(), headers=headers)
        yield (
            response,
            ArticleTruth(
                url,
                truth.get("title"),
                truth.get("date"),
                truth.get("datetime"),
                truth.get("author"),
                truth["body_start"],
            ),
        )


def score_dev_site(site: Path) -> list[ArticleScore]:
    """A dev site's article pages as a new user's crawl reads them: no profile, no zone."""
    config = trafilatura_config()
    scores = []
    for response, truth in dev_site_pages(site):
        fields = extract_article(response.selector, response.url, config=config)
        scores.append(score_article(fields, truth, DEV_SITES_NOW))
    return scores


# --- real pages -----------------------------------------------------------------------------------


def score_real_pages(pages: Path, with_profiles: bool) -> dict[str, list[ArticleScore]]:
    """The real pages, per host, generically or with the site's profile (and its zone)."""
    truth = json.loads(REAL_TRUTH.read_text(encoding="utf-8"))
    config = trafilatura_config()
    out: dict[str, list[ArticleScore]] = {}
    for host, case in sorted(truth.items()):
        body = (pages / host / case["file"]).read_bytes()
        response = HtmlResponse(case["url"], body=body, headers={"Content-Type": "text/html; charset=utf-8"})
        profile = profile_for_url(case["url"]) if with_profiles else None
        fields = extract_article(
            response.selector,
            response.url,
            profile.article if profile else None,
            profile.site_names if profile else (),
            config,
        )
        tz = load_timezone(profile.timezone) if profile and profile.timezone else None
        order = (profile.date_order if profile else None) or "DMY"
        expected = ArticleTruth(
            case["url"], case["title"], case["published_at"][:10], case["published_at"], case["author"], case["body"]
        )
        out[host] = [score_article(fields, expected, REAL_PAGES_NOW, tz, order)]
    return out


# --- the table ------------------------------------------------------------------------------------


def _row(name: str, scores: list[ArticleScore]) -> str:
    n = len(scores)
    cells = [f"{sum(s.right[f] for s in scores)}/{n}" for f in FIGURES]
    cells.append(f"{sum(s.date_and_body for s in scores)}/{n}")
    return f"{name:<34}" + "".join(f"{c:>10}" for c in cells)


def print_table(title: str, groups: dict[str, list[ArticleScore]], show_misses: bool) -> list[ArticleScore]:
    print(f"\n{title}")
    print(f"{'site':<34}" + "".join(f"{h:>10}" for h in (*FIGURES, "date+body")))
    everything = []
    for name, scores in groups.items():
        print(_row(name, scores))
        everything += scores
        if show_misses:
            for score in scores:
                for figure, ok in score.right.items():
                    if not ok:
                        print(f"    miss {figure:<6} {score.url}  got {score.got[figure]!r}")
    print(_row("total", everything))
    return everything


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev-sites", type=Path, default=SHARED / "dev-sites")
    parser.add_argument("--real-pages", type=Path, default=SHARED / "real-pages")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    for corpus in (args.dev_sites, args.real_pages):
        if not corpus.is_dir():
            print(f"skipped: {corpus} is not on this machine", file=sys.stderr)
    if args.dev_sites.is_dir():
        sites = sorted(p for p in args.dev_sites.iterdir() if (p / "expected.json").is_file())
        print_table("dev-sites article pages (generic)", {s.name: score_dev_site(s) for s in sites}, args.show_misses)
    if args.real_pages.is_dir():
        for with_profiles in (False, True):
            title = f"real-pages ({'with profiles' if with_profiles else 'generic'})"
            print_table(title, score_real_pages(args.real_pages, with_profiles), args.show_misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
