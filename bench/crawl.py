"""Crawl throughput: akhbar's full pipeline against a bare Scrapy spider, same mirror, same run.

    python -m bench.crawl [--tags 100] [--pages 20] [--rounds 2] [--memory-pages 50] [--skip-memory]

It generates a local mirror (``bench.mirror``) of tags x pages, serves it on
127.0.0.1 (``bench.serve``: nginx if installed, else Python), and crawls it
with two arms run alternately, A B A B: the bare spider (``bench/bare_spider.py``)
and ``scrapy crawl tag_archive -a urls=FILE -a follow_articles=false`` with the
project's default pipelines, SQLite store and JSONL feed. Each arm reports
pages/s, items/s, CPU seconds and peak RSS (medians); then the ratio. It does
this for a mirror with ``<time datetime>`` and one whose dates are Arabic text
only, then measures peak RSS of one crawl of 100k items, and the speed of two
processes splitting the tags against one.
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
from dataclasses import dataclass
from pathlib import Path

from bench.machine import describe
from bench.mirror import generate
from bench.serve import serve

ROOT = Path(__file__).resolve().parent.parent
COMMON = [
    "CONCURRENT_REQUESTS=16",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "ROBOTSTXT_OBEY=False",
    "TELNETCONSOLE_ENABLED=False",
    "REMOTE_CONTROL_ENABLED=False",
    "LOG_LEVEL=INFO",
    "AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.1",  # the mirror is served on 127.0.0.1
]


@dataclass
class Result:
    pages: int
    items: int
    elapsed: float
    cpu: float
    rss_mb: float

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.elapsed

    @property
    def items_per_s(self) -> float:
        return self.items / self.elapsed


def _stat(stderr: str, key: str) -> float:
    match = re.search(rf"'{re.escape(key)}': ([\d.]+)", stderr)
    if not match:
        raise RuntimeError(f"no {key} in the crawl's stats:\n{stderr[-3000:]}")
    return float(match.group(1))


def run(cmd: list[str], cwd: Path) -> Result:
    """Run one crawl process; CPU and peak RSS come from the kernel, speed from Scrapy's stats."""
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd[:6])}... failed:\n{stderr[-3000:]}")
    return Result(
        pages=int(_stat(stderr, "response_received_count")),
        items=int(_stat(stderr, "item_scraped_count")),
        elapsed=_stat(stderr, "elapsed_time_seconds"),
        cpu=usage.ru_utime + usage.ru_stime,
        rss_mb=usage.ru_maxrss / 1024,
    )


def settings_args(settings: list[str]) -> list[str]:
    return [arg for s in settings for arg in ("-s", s)]


def bare(urls: Path, work: Path) -> Result:
    # Outside the project folder: no project settings, pipelines or feeds apply.
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(ROOT / "bench" / "bare_spider.py"), "-a", f"urls={urls}"]
    return run(cmd + settings_args(COMMON), work)


def akhbar_cmd(urls: Path, work: Path, name: str, database: str) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "tag_archive", "-a", f"urls={urls}"]
    cmd += ["-a", "follow_articles=false", "-a", "max_pages=1000"]
    extra = [f"DATABASE_URL=sqlite:///{work}/{database}.sqlite3"]
    extra += [f"AKHBAR_FEED_URI={work}/feeds/{name}-%(run_id)s.jsonl", f"AKHBAR_RUNS_DIR={work}/runs-{name}"]
    # The scale-out arm shares one store between two processes on purpose: one lock each.
    extra += [f"AKHBAR_LOCK_FILE={work}/{name}.lock"]
    return cmd + settings_args(COMMON + extra)


def akhbar(urls: Path, work: Path, name: str) -> Result:
    return run(akhbar_cmd(urls, work, name, name), ROOT)


def median(results: list[Result]) -> Result:
    return Result(
        pages=results[0].pages,
        items=results[0].items,
        elapsed=statistics.median(r.elapsed for r in results),
        cpu=statistics.median(r.cpu for r in results),
        rss_mb=statistics.median(r.rss_mb for r in results),
    )


def line(name: str, r: Result) -> str:
    return (
        f"  {name:<24} {r.pages_per_s:>7.1f} pages/s {r.items_per_s:>8.0f} items/s "
        f"{r.cpu:>6.1f} s CPU {r.rss_mb:>6.0f} MB peak RSS  ({r.pages} pages, {r.items} items, {r.elapsed:.1f} s)"
    )


def compare(label: str, mirror: Path, tags: int, pages: int, rounds: int, work: Path, target: float) -> None:
    with serve(mirror) as (base, server):
        urls = work / f"urls-{label}.txt"
        urls.write_text("\n".join(f"{base}/tag/tag-{t}/" for t in range(tags)) + "\n", encoding="utf-8")
        bare_runs, ours = [], []
        for r in range(rounds):  # alternate, so drift hits both arms alike
            bare_runs.append(bare(urls, work))
            ours.append(akhbar(urls, work, f"{label}-{r}"))
        b, o = median(bare_runs), median(ours)
        ratio = o.pages_per_s / b.pages_per_s
        print(f"{label} ({tags * pages} pages served by {server}, median of {rounds} rounds):")
        print(line("bare Scrapy spider", b))
        print(line("akhbar tag_archive", o))
        print(f"  ratio {ratio:.2f}x bare pages/s (target {target:.2f}x): {'meets' if ratio >= target else 'MISSES'}")


def scale_out(mirror: Path, tags: int, work: Path) -> None:
    with serve(mirror) as (base, _server):
        all_urls = [f"{base}/tag/tag-{t}/" for t in range(tags)]
        one = work / "urls-one.txt"
        one.write_text("\n".join(all_urls), encoding="utf-8")
        single = akhbar(one, work, "scale-1")
        halves = []
        for i in range(2):
            half = work / f"urls-half-{i}.txt"
            half.write_text("\n".join(all_urls[i::2]), encoding="utf-8")
            halves.append(half)
        start = time.monotonic()
        logs = [work / f"scale-2-{i}.log" for i in range(2)]
        procs = []
        for i, half in enumerate(halves):
            with logs[i].open("wb") as log:
                procs.append(subprocess.Popen(akhbar_cmd(half, work, f"scale-2-{i}", "scale-2"), cwd=ROOT, stderr=log))
        for proc, log in zip(procs, logs, strict=True):
            if proc.wait() != 0:
                tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
                raise RuntimeError("a scale-out process failed:\n" + "\n".join(tail))
        wall = time.monotonic() - start
        two = single.pages / wall
        print("scale-out (one SQLite store shared by both processes):")
        print(f"  1 process : {single.pages_per_s:>7.1f} pages/s")
        print(f"  2 processes: {two:>7.1f} pages/s, wall clock incl. start-up ({two / single.pages_per_s:.2f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tags", type=int, default=100)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--memory-pages", type=int, default=50, help="pages per tag of the 100k-item run")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-compare", action="store_true", help="only the scale-out and memory runs")
    args = parser.parse_args()
    print(f"crawl benchmark; {describe()}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for label, with_time, target in (("dates in <time>", True, 0.85), ("dates as Arabic text only", False, 0.6)):
            mirror = work / ("mirror-time" if with_time else "mirror-text")
            generate(mirror, args.tags, args.pages, 20, with_time)
            if not args.skip_compare:
                compare(label, mirror, args.tags, args.pages, args.rounds, work, target)
        if not args.skip_scale:
            scale_out(work / "mirror-time", args.tags, work)
        if not args.skip_memory:
            mirror = work / "mirror-memory"
            generate(mirror, args.tags, args.memory_pages, 20, True)
            with serve(mirror) as (base, _server):
                urls = work / "urls-memory.txt"
                urls.write_text("\n".join(f"{base}/tag/tag-{t}/" for t in range(args.tags)), encoding="utf-8")
                big = akhbar(urls, work, "memory")
            verdict = "meets" if big.rss_mb < 250 else "MISSES"
            print(
                f"memory: {big.items:,} items in one crawl, peak RSS {big.rss_mb:.0f} MB (target < 250 MB): {verdict}"
            )


if __name__ == "__main__":
    main()
