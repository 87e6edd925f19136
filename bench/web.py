"""Response times of ``scrapy serve`` on a store of 100,000 rows: a tag's Atom feed and the items API.

    python -m bench.web [--rows 100000] [--requests 200] [--backend sqlite|postgresql|both]

Builds a throw-away store (SQLite, and PostgreSQL at ``AKHBAR_TEST_POSTGRES_URL`` in its own
schema when reachable) of ``--rows`` rows over 10 sites x 20 tags (500 rows a tag), starts
the real ``scrapy serve`` (uvicorn) on it, and times requests over one kept-alive HTTP
connection, as a polling reader would. Arms, interleaved round by round:

- ``atom``: ``GET /feeds/<site>/<tag>.atom`` (the 50 newest entries, feedgen);
- ``atom 304``: the same with ``If-None-Match``, what a reader polling an unchanged feed costs;
- ``api``: ``GET /api/items?since=<cursor>&limit=100`` from a cursor in the middle of the store
  (rows are written 500 a batch, as a crawl does, so the cursor is the middle batch);
- ``unknown tag 404``: ``GET /feeds/<site>/<unknown tag>.atom``, the tag lookup alone (never cached);
- ``baseline``: ``GET /feeds/<site>/x.xml``, refused before any query: what the same server
  (uvicorn, Starlette, one kept-alive connection) costs a request before akhbar's own work.

A reader polling an unchanged store is answered from the last built document after one indexed
``max(seq)``: that is ``atom`` and ``atom 304``. ``atom rebuilt`` writes one row on another site
before each request (untimed), as a crawl between two polls would, so the feed is queried and
built again every time.

Each figure is the median (and 95th percentile) of ``--requests`` requests.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from urllib.parse import quote, urlsplit

from bench.machine import describe
from bench.mirror import WORDS
from crawler.items import new_item
from crawler.store import Store, dialect_for, to_row
from crawler.urls import item_id
from tests.support import postgres_url, serving

SITES, TAGS = 10, 20


def fill(store: Store, rows: int, batch: int = 500) -> None:
    """``rows`` rows, each under one of SITES x TAGS, one per day-ish, in batches as a crawl writes them."""
    pending = []
    for i in range(rows):
        site, tag = f"site{i % SITES}.example", f"وسم {(i // SITES) % TAGS}"
        title = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(8)) + f" {i}"
        url = f"https://{site}/news/{i}/"
        day = 1 + i % 28
        item = new_item(
            id=item_id(url),
            url=url,
            title=title,
            excerpt=(title + " ") * 4,
            published_at=f"2026-11-{day:02d}T10:{i % 60:02d}:00+03:00",
            published_date=f"2026-11-{day:02d}",
            published_precision="minute",
            published_raw="منذ 3 ساعات",
            date_source="listing-text",
            tag=tag,
            site=site,
            listing_url=f"https://{site}/tag/{i % TAGS}/",
            position=i % 20 + 1,
            crawled_at="2026-11-30T09:00:00+00:00",
        )
        pending.append(to_row(item, "2026-11-30T09:00:00.000001+00:00"))
        if len(pending) >= batch:
            store.write_batch(pending)
            pending = []
    if pending:
        store.write_batch(pending)


def poke(store: Store, i: int) -> None:
    """One new row on a site the measured feed is not on: the store changed, the feed did not."""
    url = f"https://site9.example/news/{i}/"
    item = new_item(id=item_id(url), url=url, title=f"خبر {i}", site="site9.example", tag="وسم 0")
    store.write_batch([to_row({**item, "crawled_at": "2026-11-30T09:00:00+00:00"}, "2026-12-01T09:00:00+00:00")])


def poke_next(store: Store, numbers: Iterator[int]) -> None:
    poke(store, next(numbers))


def timed(conn: http.client.HTTPConnection, path: str, headers: dict[str, str], status: int) -> float:
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - started
    if response.status != status:
        raise SystemExit(f"{path}: HTTP {response.status}, expected {status}")
    return elapsed


def measure(base: str, requests: int, middle: int, poke: Callable[[], None]) -> dict[str, list[float]]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    feed = f"/feeds/site3.example/{quote('وسم 7')}.atom"
    conn.request("GET", feed)
    first = conn.getresponse()
    first.read()
    etag = first.headers["ETag"]
    conn.request("GET", "/api/items?limit=1")
    conn.getresponse().read()
    arms = {
        "baseline": ("/feeds/site3.example/x.xml", {}, 404),
        "unknown tag 404": (f"/feeds/site3.example/{quote('لا وسم')}.atom", {}, 404),
        "atom": (feed, {}, 200),
        "atom 304": (feed, {"If-None-Match": etag}, 304),
        "atom rebuilt": (feed, {}, 200),
        "api": (f"/api/items?since={middle}&limit=100", {}, 200),
    }
    times: dict[str, list[float]] = {name: [] for name in arms}
    for _ in range(requests):
        for name, (path, headers, status) in arms.items():
            if name == "atom rebuilt":
                poke()
            times[name].append(timed(conn, path, headers, status))
    conn.close()
    return times


@contextmanager
def backend(name: str, rows: int, tmp: Path) -> Iterator[tuple[list[str], Store] | None]:
    """``-s`` settings of a filled store on one backend and a writer on it, or ``None`` when the
    backend is not reachable."""
    started = time.perf_counter()
    if name == "sqlite":
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
        store = Store(dialect_for(url)).open()
        fill(store, rows)
        print(f"  sqlite: {rows} rows written in {time.perf_counter() - started:.1f} s")
        yield [f"DATABASE_URL={url}"], store
        store.close()
        return
    import psycopg

    try:
        admin = psycopg.connect(postgres_url(), connect_timeout=3, autocommit=True)
    except psycopg.OperationalError as exc:
        print(f"  postgresql: skipped ({str(exc).splitlines()[0]})")
        yield None
        return
    schema = f"akhbar_bench_{uuid.uuid4().hex[:12]}"
    admin.execute(f"CREATE SCHEMA {schema}")
    try:
        store = Store(dialect_for(postgres_url(), schema=schema)).open()
        fill(store, rows)
        print(f"  postgresql: {rows} rows written in {time.perf_counter() - started:.1f} s")
        yield [f"DATABASE_URL={postgres_url()}", f"DATABASE_SCHEMA={schema}"], store
        store.close()
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    print(f"bench.web: {args.rows} rows, {args.requests} requests an arm; {describe()}")
    names = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            with backend(name, args.rows, Path(tmp)) as filled:
                if filled is None:
                    continue
                settings, store = filled
                pokes = iter(range(args.rows, args.rows + args.requests))
                with serving(*settings, f"AKHBAR_FEED_URI={tmp}/feeds/%(site)s/x.jsonl") as base:
                    times = measure(base, args.requests, args.rows // 500 // 2, partial(poke_next, store, pokes))
                baseline = statistics.median(times["baseline"])
                print(f"  {name}:")
                for arm, values in times.items():
                    median, p95 = statistics.median(values), statistics.quantiles(values, n=20)[18]
                    print(
                        f"    {arm:16} median {median * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms  "
                        f"{1 / median:7.0f} req/s  {median / baseline:5.1f}x baseline"
                    )


if __name__ == "__main__":
    main()
