"""Dedup throughput and memory against stores of 10k, 100k and 1M items.

    python -m bench.dedup [--sizes 10000,100000,1000000] [--probe 20000]

For each store size, a fresh process runs akhbar's ``DedupPipeline`` over the
same probe items (half already stored, half new) and reports items/s and peak
RSS. The baseline arm, in the same run, is the naive design: a Python set
loaded with every stored key. akhbar asks the store on disk, so its memory
should stay flat while the set's grows with the store.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import describe
from crawler.items import new_item
from crawler.store import ROW_COLUMNS, Store, dialect_for


def fake_id(i: int) -> str:
    return hashlib.sha1(f"https://news.example/{i}".encode()).hexdigest()


def build_store(path: Path, size: int) -> None:
    """A migrated store holding ``size`` generated rows."""
    Store(dialect_for(f"sqlite:///{path}")).open().close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    values = {c: None for c in ROW_COLUMNS}
    marks = ", ".join("?" for _ in ROW_COLUMNS)
    for start in range(0, size, 50_000):
        rows = []
        for i in range(start, min(size, start + 50_000)):
            values.update(
                id=fake_id(i), schema_version=1, url=f"https://news.example/{i}", title=f"خبر رقم {i}",
                site="news.example", tags='["قمة"]', title_key=f"خبر رقم {i}", content_hash="0" * 40,
                first_seen="2021-01-01T00:00:00+00:00", last_seen="2021-01-01T00:00:00+00:00", seq=1,
                published_date="2021-06-16", crawled_at="2021-06-17T09:00:00+00:00",
            )  # fmt: skip
            rows.append(tuple(values[c] for c in ROW_COLUMNS))
        conn.executemany(f"INSERT INTO items ({', '.join(ROW_COLUMNS)}) VALUES ({marks})", rows)
    conn.execute("COMMIT")
    conn.close()


def probe_items(size: int, count: int) -> list[dict]:
    """Half of them stored already (spread over the store), half new."""
    items = []
    for n in range(count):
        i = (n * 7919) % size if n % 2 == 0 else size + n
        items.append(
            new_item(
                id=fake_id(i), url=f"https://news.example/{i}", title=f"خبر رقم {i}", site="news.example",
                tag="قمة", published_date="2021-06-16", crawled_at="2021-06-17T09:00:00+00:00",
            )
        )  # fmt: skip
    return items


def measure_akhbar(db: str, size: int, count: int) -> dict:
    from scrapy.exceptions import DropItem

    from crawler.store_extension import StoreExtension
    from pipelines.dedup import DedupPipeline
    from tests.support import make_crawler

    items = probe_items(size, count)
    crawler = make_crawler({"DATABASE_URL": f"sqlite:///{db}", "AKHBAR_DB_BATCH_SECONDS": 3600}, incremental="true")
    store = crawler.get_extension(StoreExtension)
    pipeline = DedupPipeline.from_crawler(crawler)
    store.open()
    pipeline.open_spider()
    start = time.perf_counter()
    kept = 0
    for item in items:
        try:
            pipeline.process_item(item)
            kept += 1
        except DropItem:
            pass
    elapsed = time.perf_counter() - start
    store.close()
    return {"rate": count / elapsed, "kept": kept, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def measure_set(db: str, size: int, count: int) -> dict:
    # The same imports as the akhbar arm, so RSS compares like with like.
    import pipelines.dedup  # noqa: F401
    import tests.support  # noqa: F401

    items = probe_items(size, count)
    conn = sqlite3.connect(db)
    seen = {row[0] for row in conn.execute("SELECT id FROM items")}  # the naive design: every key in memory
    conn.close()
    start = time.perf_counter()
    kept = 0
    for item in items:
        if item["id"] not in seen:
            seen.add(item["id"])
            kept += 1
    elapsed = time.perf_counter() - start
    return {"rate": count / elapsed, "kept": kept, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_arm(arm: str, db: Path, size: int, count: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.dedup", "--measure", arm, "--db", str(db), "--size", str(size),
         "--probe", str(count)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--probe", type=int, default=20_000)
    parser.add_argument("--measure", choices=["akhbar", "set"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure = measure_akhbar if args.measure == "akhbar" else measure_set
        print(json.dumps(measure(args.db, args.size, args.probe)))
        return

    print(f"dedup benchmark: {args.probe:,} probe items per size (half stored, half new); {describe()}")
    print(f"{'stored':>10} | {'akhbar items/s':>14} {'peak RSS':>9} | {'set items/s':>12} {'peak RSS':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            db = Path(tmp) / f"store-{size}.sqlite3"
            build_store(db, size)
            ours, naive = run_arm("akhbar", db, size, args.probe), run_arm("set", db, size, args.probe)
            assert ours["kept"] == naive["kept"] == args.probe // 2, (ours, naive)
            print(
                f"{size:>10,} | {ours['rate']:>14,.0f} {ours['rss_mb']:>7.0f}MB | "
                f"{naive['rate']:>12,.0f} {naive['rss_mb']:>7.0f}MB"
            )
            db.unlink()


if __name__ == "__main__":
    main()
