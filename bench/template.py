"""Listing extraction per page: full generic search against a learnt template, same pages, same run.

    python -m bench.template [--tags 4] [--pages 10] [--rounds 3]

Generates a mirror (``bench.mirror``), learns the template on each tag's page 1, checks that
every later page read through it gives the entries full extraction gives (a benchmark of a
wrong fast path would be worthless), then times ``extract_listing`` on every page, full
(arm A) and with the template (arm B), alternated A B A B. Parsing is timed on its own and
left out of both arms. Prints milliseconds per page (medians), the ratio and the machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from parsel import Selector

from bench.machine import describe
from bench.mirror import generate
from crawler.extract.listing import extract_listing
from crawler.extract.template import Template


def _pages(root: Path) -> list[tuple[str, str, str]]:
    """(tag, url, html) of every mirror page, each tag's page 1 first."""
    found = []
    for path in sorted(root.rglob("index.html"), key=lambda p: (p.parent.parent.name == "page", str(p))):
        rel = path.parent.relative_to(root).as_posix()
        found.append((rel.split("/")[1], f"http://127.0.0.1/{rel}/", path.read_text(encoding="utf-8")))
    return found


def _time(pages: list[tuple[str, Selector]], templates: dict[str, Template | None], use: bool) -> float:
    """Seconds per page of ``extract_listing`` on already parsed pages."""
    start = time.perf_counter()
    for url, sel in pages:
        extract_listing(sel, url, templates[url] if use else None)
    return (time.perf_counter() - start) / len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tags", type=int, default=4)
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        generate(Path(work), args.tags, args.pages, 20, with_time=True)
        pages = _pages(Path(work))
    learnt: dict[str, Template | None] = {}
    templates: dict[str, Template | None] = {}
    for tag, url, html in pages:
        page = extract_listing(Selector(text=html), url, learnt.get(tag))
        if tag not in learnt:
            learnt[tag] = page.template
        elif not page.reused or page.entries != extract_listing(Selector(text=html), url).entries:
            raise SystemExit(f"the template does not reproduce full extraction on {url}: {page.mismatch}")
        templates[url] = learnt[tag]
    start = time.perf_counter()
    parsed = [(url, Selector(text=html)) for _tag, url, html in pages]
    for _url, sel in parsed:
        sel.root  # noqa: B018 - parsing is what is timed here
    parse = (time.perf_counter() - start) / len(parsed)
    full, reused = [], []
    for _ in range(args.rounds):
        # A fresh parse per round: lxml caches nothing extraction relies on, but keep arms alike.
        parsed = [(url, Selector(text=html)) for _tag, url, html in pages]
        full.append(_time(parsed, templates, use=False))
        reused.append(_time(parsed, templates, use=True))
    a, b = statistics.median(full) * 1000, statistics.median(reused) * 1000
    print(describe())
    print(f"{len(pages)} pages ({args.tags} tags x {args.pages}), median of {args.rounds} rounds")
    print(f"parsing (in neither arm)  {parse * 1000:.2f} ms/page")
    print(f"full generic extraction   {a:.2f} ms/page")
    print(f"learnt template           {b:.2f} ms/page   ({a / b:.2f}x faster)")


if __name__ == "__main__":
    main()
