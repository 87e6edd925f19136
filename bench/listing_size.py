"""Listing extraction against page size: is it linear?

    python -m bench.listing_size [--sizes 1000,10000,50000] [--rounds 3]

For each size, builds one tag-archive page with that many cards (title link, image link,
excerpt, no date: the case that grew quadratically before) plus a menu, a most-read rail
and a pager, then times, best of ``--rounds``:

- **parse**: lxml parsing the page into a ``Selector`` (the baseline: work any extractor
  must do, and linear);
- **entries**: :func:`crawler.extract.listing.extract_listing` on the parsed page;
- **next page**: the first next-page candidate.

It prints one table with seconds, microseconds per card and the ratio of extraction to
parsing; a linear extractor keeps both per-card figures flat as the page grows.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from parsel import Selector

from bench.machine import describe
from crawler.extract.listing import extract_listing
from crawler.extract.pagination import next_page_candidates

PAGE_URL = "https://bench.example/tag/%D8%A7%D9%84%D9%85%D9%8A%D8%A7%D9%87/"


def page(cards: int) -> str:
    """A listing page with ``cards`` entries, chrome around them and a pager."""
    menu = "".join(f'<li><a href="/section/{n}/">قسم {n}</a></li>' for n in range(12))
    rail = "".join(f'<li><a href="/2021/12/{n}/rail-{n}/">خبر من الأكثر قراءة رقم {n}</a></li>' for n in range(10))
    loop = "".join(
        f'<article class="post"><a class="thumb" href="/2021/12/{n}/story-{n}/"><img src="/i/{n}.jpg" alt=""></a>'
        f'<h2 class="entry-title"><a href="/2021/12/{n}/story-{n}/">عنوان الخبر رقم {n} في أرشيف الوسم الطويل</a></h2>'
        f"<p>ملخص الخبر رقم {n} كما يظهر للقارئ في صفحة الوسم.</p></article>"
        for n in range(cards)
    )
    return (
        f"<html><head><title>الوسم</title></head><body><header><nav><ul>{menu}</ul></nav></header>"
        f'<main><h1>الوسم: المياه</h1><div class="posts">{loop}</div>'
        f'<a class="next page-numbers" href="{PAGE_URL}page/2/">التالي</a></main>'
        f'<aside class="sidebar"><h3>الأكثر قراءة</h3><ul>{rail}</ul></aside></body></html>'
    )


def best_of(rounds: int, run: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(rounds):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.listing_size", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma list of card counts")
    parser.add_argument("--rounds", type=int, default=3, help="runs per figure; the best is kept")
    args = parser.parse_args(argv)
    print("| cards | page | parse (baseline) | entries | next page | entries µs/card | entries ÷ parse |")
    print("|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        html = page(size)
        parse_s, sel = best_of(args.rounds, lambda html=html: Selector(text=html))
        entries_s, listing = best_of(args.rounds, lambda sel=sel: extract_listing(sel, PAGE_URL))
        next_s, upcoming = best_of(args.rounds, lambda sel=sel: next(next_page_candidates(sel, PAGE_URL), None))
        if len(listing.entries) != size or upcoming != PAGE_URL + "page/2/":
            raise SystemExit(f"wrong extraction at {size} cards: {len(listing.entries)} entries, next {upcoming}")
        print(
            f"| {size:,} | {len(html.encode()) / 1e6:.1f} MB | {parse_s:.2f} s | {entries_s:.2f} s | {next_s:.3f} s "
            f"| {entries_s / size * 1e6:.0f} | {entries_s / parse_s:.1f}× |"
        )
    print(f"\n{describe()}; best of {args.rounds} rounds")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
