"""Storage throughput: items/s into SQLite and PostgreSQL through akhbar's batched store.

    python -m bench.storage [--items 50000] [--batch 500]

Each backend runs two arms on the same generated items, alternately (A B A B):
a bare ``executemany`` INSERT of prepared tuples in one transaction (what the
database and driver can do at best) and akhbar's ``StoreExtension`` (row building
with URL/title keys and content hash, upsert with tag merging, one transaction
per batch). Figures are the median of the rounds. PostgreSQL uses
``AKHBAR_TEST_POSTGRES_URL`` (default the local ``test`` database) in a
throw-away schema; it is skipped with a note if the server is not reachable.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from bench.machine import describe
from bench.mirror import WORDS
from crawler.items import FIELD_NAMES, new_item
from crawler.store_extension import StoreExtension
from crawler.urls import item_id
from tests.support import make_crawler


def generate(n: int) -> list[dict]:
    items = []
    for i in range(n):
        title = " ".join(WORDS[(i * 7 + k) % len(WORDS)] for k in range(8)) + f" {i}"
        url = f"https://news.example/2021/06/{i}/قمة-{i}/"
        item = new_item(
            id=item_id(url),
            url=url,
            title=title,
            excerpt=(title + " ") * 6,
            published_at="2021-06-16T10:00:00+03:00",
            published_raw="منذ 3 ساعات",
            date_source="listing-text",
            tag="قمة بايدن وبوتين",
            site="news.example",
            listing_url="https://news.example/tag/x/",
            position=i % 20 + 1,
            crawled_at="2021-06-17T09:00:00+00:00",
        )
        items.append(item)
    return items


def bare_sqlite(items: list[dict], path: Path) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE items ({', '.join(f'{c} TEXT' for c in FIELD_NAMES)})")
    rows = [tuple(str(item[c]) for c in FIELD_NAMES) for item in items]
    start = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO items VALUES ({', '.join('?' for _ in FIELD_NAMES)})", rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return len(items) / elapsed


def bare_postgres(items: list[dict], url: str, schema: str) -> float:
    import psycopg

    with psycopg.connect(url, options=f"-c search_path={schema}") as conn:
        conn.execute("DROP TABLE IF EXISTS bare")
        conn.execute(f"CREATE TABLE bare ({', '.join(f'{c} TEXT' for c in FIELD_NAMES)})")
        conn.commit()
        rows = [tuple(str(item[c]) for c in FIELD_NAMES) for item in items]
        start = time.perf_counter()
        with conn.cursor() as cur:
            cur.executemany(f"INSERT INTO bare VALUES ({', '.join('%s' for _ in FIELD_NAMES)})", rows)
        conn.commit()
        return len(items) / (time.perf_counter() - start)


def akhbar(items: list[dict], settings: dict) -> float:
    crawler = make_crawler({"AKHBAR_DB_BATCH_SECONDS": 3600, **settings})
    service = crawler.get_extension(StoreExtension)
    service.open()
    if service.unavailable:
        raise SystemExit("database unavailable")
    start = time.perf_counter()
    for item in items:
        service.add(item)
    service.flush()
    elapsed = time.perf_counter() - start
    assert service.store.count() == len(items)
    service.close()
    return len(items) / elapsed


def postgres_schema() -> tuple[str, str] | None:
    try:
        import psycopg

        url = os.environ.get("AKHBAR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
        with psycopg.connect(url, connect_timeout=3, autocommit=True) as conn:
            schema = f"akhbar_bench_{uuid.uuid4().hex[:8]}"
            conn.execute(f"CREATE SCHEMA {schema}")
        return url, schema
    except Exception as exc:  # any failure means there is no server to measure
        print(f"PostgreSQL skipped: {type(exc).__name__}: {exc}".splitlines()[0])
        return None


def drop_schema(url: str, schema: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def report(name: str, bare: list[float], ours: list[float], target: float) -> None:
    b, o = statistics.median(bare), statistics.median(ours)
    verdict = "meets" if o >= target else "MISSES"
    print(f"{name:<11} bare INSERT {b:>9,.0f} items/s   akhbar store {o:>9,.0f} items/s   "
          f"ratio {o / b:.2f}x   target {target:,.0f}/s: {verdict}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    items = generate(args.items)
    print(f"storage benchmark: {args.items:,} items, batch {args.batch}, {args.rounds} rounds; {describe()}")

    with tempfile.TemporaryDirectory() as tmp:
        bare, ours = [], []
        for r in range(args.rounds):
            bare.append(bare_sqlite(items, Path(tmp) / f"bare{r}.sqlite3"))
            ours.append(
                akhbar(
                    items,
                    {
                        "DATABASE_URL": f"sqlite:///{tmp}/akhbar{r}.sqlite3",
                        "AKHBAR_DB_BATCH_SIZE": args.batch,
                        "AKHBAR_DEADLETTER_DIR": f"{tmp}/dead",
                    },
                )
            )
        report("SQLite", bare, ours, 20_000)

    pg = postgres_schema()
    if pg:
        url, schema = pg
        try:
            bare, ours = [], []
            for r in range(args.rounds):
                bare.append(bare_postgres(items, url, schema))
                round_schema = f"{schema}_{r}"
                with __import__("psycopg").connect(url, autocommit=True) as conn:
                    conn.execute(f"CREATE SCHEMA {round_schema}")
                try:
                    ours.append(
                        akhbar(
                            items,
                            {
                                "DATABASE_URL": url,
                                "DATABASE_SCHEMA": round_schema,
                                "AKHBAR_DB_BATCH_SIZE": args.batch,
                            },
                        )
                    )
                finally:
                    drop_schema(url, round_schema)
            report("PostgreSQL", bare, ours, 10_000)
        finally:
            drop_schema(url, schema)


if __name__ == "__main__":
    main()
