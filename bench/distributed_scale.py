"""Distributed mode's scale figure: 2 workers against 1 on the crawl benchmark's mirror, same run.

    python -m bench.distributed_scale [--tags 60] [--pages 20] [--rounds 2]

Generates the mirror of ``bench.crawl`` (``bench.mirror``: tags x pages, 20 entries a
page), serves it on 127.0.0.1 (``bench.serve``), starts a redis-server of its own, and
crawls all tags as ONE archive (``-a urls=FILE``, one shared queue) with distributed
mode on (``REDIS_URL``) into PostgreSQL (``AKHBAR_TEST_POSTGRES_URL``, a fresh schema
per crawl). Arms alternate, A B A B: A is one worker, B two workers started together.
Each crawl is a new run (``AKHBAR_REDIS_RUN``). pages/s is the run's listing pages
divided by the crawl window, from the first worker's ``start_time`` to the last
worker's ``finish_time`` in Scrapy's stats (process start-up excluded), and the wall
clock including start-up is printed beside it. The mirror is one host, so the shared
per-host interval is off (``AKHBAR_HOST_INTERVAL=0``); with it on, one site caps every
worker count at 1/interval pages/s.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

import psycopg

from bench.crawl import COMMON, settings_args
from bench.machine import describe
from bench.mirror import generate
from bench.serve import serve
from tests.support import RedisServer, postgres_url

ROOT = Path(__file__).resolve().parent.parent
_TIME = re.compile(r"'(start|finish)_time': datetime\.datetime\(([\d, ]+)")


def crawl_window(log: str) -> tuple[datetime, datetime]:
    found = {kind: datetime(*(int(n) for n in numbers.split(",") if n.strip())) for kind, numbers in _TIME.findall(log)}
    return found["start"], found["finish"]


def arm(workers: int, urls: Path, work: Path, redis_url: str, name: str) -> tuple[int, float, float]:
    """``(pages, crawl window seconds, wall seconds)`` of one run crawled by ``workers`` processes."""
    url, schema = postgres_url(), f"akhbar_bench_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(url, autocommit=True)
    admin.execute(f"CREATE SCHEMA {schema}")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REDIS_URL": redis_url, "AKHBAR_REDIS_RUN": name}
    logs = [work / f"{name}-{i}.log" for i in range(workers)]
    started = time.monotonic()
    try:
        procs = []
        for i, log in enumerate(logs):
            cmd = [sys.executable, "-m", "scrapy", "crawl", "tag_archive", "-a", f"urls={urls}"]
            cmd += ["-a", "follow_articles=false", "-a", "max_pages=1000", "-O", str(work / f"{name}-{i}.jsonl")]
            extra = [f"DATABASE_URL={url}", f"DATABASE_SCHEMA={schema}", "AKHBAR_HOST_INTERVAL=0"]
            worker_env = env | {"AKHBAR_HOME": str(work / f"home-{name}-{i}")}
            with log.open("wb") as out:
                procs.append(
                    subprocess.Popen(
                        cmd + settings_args(COMMON + extra), cwd=ROOT, env=worker_env, stdout=out, stderr=out
                    )
                )
        codes = [proc.wait() for proc in procs]
        wall = time.monotonic() - started
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()
    texts = [log.read_text(encoding="utf-8", errors="replace") for log in logs]
    if codes != [0] * workers:
        raise RuntimeError(f"{name}: workers exited {codes}:\n{texts[codes.index(max(codes))][-3000:]}")
    windows = [crawl_window(text) for text in texts]
    seconds = (max(end for _, end in windows) - min(start for start, _ in windows)).total_seconds()
    # Every worker closing on the finished run reports the run's sums: the largest is the run's count.
    pages = max(int(re.findall(r"'akhbar/pages/listing': (\d+)", text)[-1]) for text in texts)
    return pages, seconds, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tags", type=int, default=60)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(describe())
    with tempfile.TemporaryDirectory(prefix="akhbar-scale-") as tmp:
        work = Path(tmp)
        generate(work / "mirror", args.tags, args.pages, 20, with_time=True)
        server = RedisServer(work / "redis").start()
        try:
            with serve(work / "mirror") as (base, server_name):
                urls = work / "urls.txt"
                urls.write_text("\n".join(f"{base}/tag/tag-{t}/" for t in range(args.tags)), encoding="utf-8")
                print(f"mirror: {args.tags} tags x {args.pages} pages ({server_name}); Redis, PostgreSQL local")
                rates: dict[int, list[float]] = {1: [], 2: []}
                for n in range(args.rounds):
                    for workers in (1, 2):
                        pages, seconds, wall = arm(workers, urls, work, server.url, f"scale-{workers}-{n}")
                        rates[workers].append(pages / seconds)
                        print(
                            f"  {workers} worker(s): {pages} pages in {seconds:.1f}s = {pages / seconds:.1f} pages/s "
                            f"(wall clock with start-up {wall:.1f}s = {pages / wall:.1f} pages/s)",
                            flush=True,
                        )
        finally:
            server.stop()
    one, two = statistics.median(rates[1]), statistics.median(rates[2])
    print(f"median: 1 worker {one:.1f} pages/s, 2 workers {two:.1f} pages/s: {two / one:.2f}x (target 1.80x)")


if __name__ == "__main__":
    main()
