"""Crash safety under ``kill -9``: lost, duplicated and partial-feed counts (all must be 0).

    .venv/bin/python -m bench.crash [--trials 20] [--delay 0.1] [--seed 1]

A local archive on 127.0.0.1 answers every page after ``--delay`` seconds and
grows by ``--grow`` entries (newest first) before each trial, as a real tag does
between scheduled runs. Each trial starts ``scrapy crawlall`` (incremental, small
store batches so a kill lands between flushes), kills it with SIGKILL at a random
moment (odd trials: anywhere from start-up on; even trials: somewhere in the crawl,
once the run holds the lock), then runs the same command again to completion and
checks:

* lost: entries the site lists that the store does not hold;
* duplicated: store rows beyond one per entry (by URL key and by title);
* partial feeds: final ``.jsonl`` files from a run that did not finish, or whose
  line count is not their run's item count, or whose last line is cut, plus
  ``.part`` files left outside the quarantine;
* noted: whether the recovery run's report names the killed run as interrupted
  (only when the kill came after the run recorded itself and before it finished).

Not a timed test: figures depend on where each kill lands, so the seed is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent
PER_PAGE = 10


@dataclass
class Site:
    """The archive's entries, newest first; ``grow`` adds new ones at the front."""

    total: int
    delay: float

    def grow(self, count: int) -> None:
        self.total += count

    def numbers(self) -> list[int]:
        return list(range(self.total, 0, -1))

    def page(self, number: int) -> bytes:
        entries = self.numbers()[(number - 1) * PER_PAGE : number * PER_PAGE]
        cards = "".join(
            f'<article class="post"><h2 class="entry-title"><a href="/news/{n}/">الخبر رقم {n} في أرشيف الاختبار</a>'
            f'</h2><span class="date">17 يونيو 2021</span></article>'
            for n in entries
        )
        last = (self.total + PER_PAGE - 1) // PER_PAGE
        nxt = f'<link rel="next" href="/tag/crash/?page={number + 1}">' if number < last else ""
        return f"<html><head>{nxt}</head><body><main>{cards}</main></body></html>".encode()


@contextmanager
def serve(site: Site) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != "/tag/crash/":
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            time.sleep(site.delay)
            body = site.page(int(parse_qs(parts.query).get("page", ["1"])[0]))
            try:
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the crawler was just killed: expected here

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/tag/crash/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def crawlall_cmd() -> list[str]:
    settings = [
        "LOG_LEVEL=WARNING",
        "ROBOTSTXT_OBEY=False",
        "AUTOTHROTTLE_ENABLED=False",
        "RETRY_ENABLED=False",
        "AKHBAR_DB_BATCH_SIZE=10",
        "AKHBAR_DB_BATCH_SECONDS=0.2",
        "AKHBAR_PROGRESS_SECONDS=60",
        "AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.1",  # the slow site is our own, on 127.0.0.1
    ]
    return [sys.executable, "-m", "scrapy", "crawlall", *(a for s in settings for a in ("-s", s))]


def start(home: Path) -> subprocess.Popen:
    env = {**os.environ, "AKHBAR_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(crawlall_cmd(), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def run_to_end(home: Path) -> tuple[int, float, str]:
    began = time.monotonic()
    proc = start(home)
    _, err = proc.communicate(timeout=600)
    return proc.returncode, time.monotonic() - began, err.decode("utf-8", "replace")


def stored(home: Path) -> tuple[list[str], list[str]]:
    with sqlite3.connect(home / "out" / "akhbar.sqlite3") as db:
        rows = db.execute("SELECT url, title FROM items").fetchall()
    return [r[0] for r in rows], [r[1] for r in rows]


def partial_feeds(home: Path) -> int:
    """Final feeds that are not whole: from a run that did not finish, with a line count other
    than its run's item count, or a last line cut short; plus ``.part`` files left outside the
    quarantine."""
    bad = 0
    feeds, runs = home / "out" / "feeds", home / "out" / "runs"
    for path in feeds.rglob("*.jsonl"):
        text = path.read_text(encoding="utf-8", errors="replace")
        report = json.loads((runs / f"{path.stem}.json").read_text(encoding="utf-8"))
        items = sum(a["items"] for a in report.get("archives", []))
        try:
            whole = text.endswith("\n") and all(json.loads(line) for line in text.split("\n")[:-1])
        except ValueError:
            whole = False
        finished = report["status"] in ("ok", "failed")
        bad += not (whole and finished and text.count("\n") == items)
    return bad + len(list(feeds.rglob("*.part")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.2, help="seconds each listing page takes to answer")
    parser.add_argument("--start", type=int, default=100, help="entries before the first trial")
    parser.add_argument("--grow", type=int, default=50, help="new entries before each trial")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    site = Site(args.start, args.delay)
    totals = {"lost": 0, "duplicated": 0, "partial": 0, "recovery_failed": 0}
    with tempfile.TemporaryDirectory(prefix="akhbar-crash-") as tmp, serve(site) as url:
        home = Path(tmp)
        plan = "[defaults]\nfollow_articles = false\nincremental = true\nmax_pages = 1000\n"
        (home / "crawls.toml").write_text(plan + f'[[crawl]]\nurl = "{url}"\ntag = "crash"\n', encoding="utf-8")
        code, first, err = run_to_end(home)
        if code != 0:
            print(err[-3000:], file=sys.stderr)
            return 1
        print(f"machine: {describe()}")
        print(f"seed {seed}; first full run of {args.start} entries took {first:.1f} s; each page waits {args.delay} s")
        print(
            f"{'trial':>5} {'entries':>7} {'kill at':>8} {'stored at kill':>16} {'exit':>4} {'lost':>4} {'dup':>4} "
            f"{'partial':>7} {'quarantined':>11} {'noted':>5}"
        )
        for trial in range(1, args.trials + 1):
            previous = site.total
            site.grow(args.grow)
            runs = home / "out" / "runs"
            reports_before = set(runs.glob("*.json"))
            began = time.monotonic()
            proc = start(home)
            if trial % 2:
                # Any moment from start-up to about the end of a run (the first full run took as long).
                time.sleep(rng.uniform(0.0, first))
            else:
                # Once the run holds the lock and has recorded itself: somewhere in its crawl.
                while proc.poll() is None and len(list(runs.glob("*.json"))) <= len(reports_before):
                    time.sleep(0.02)
                # The crawler itself takes a second or two to start after that on a busy machine.
                time.sleep(rng.uniform(1.0, 2.0 + (args.grow / PER_PAGE + 2) * args.delay * 1.5))
            kill_at = time.monotonic() - began
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            before = len(stored(home)[0])
            phase = "none new" if before == previous else "all new" if before == site.total else "some new"
            left_running = [
                report["run_id"]
                for path in sorted(set((home / "out" / "runs").glob("*.json")) - reports_before)
                if path.name != "latest.json"
                and (report := json.loads(path.read_text(encoding="utf-8")))["status"] == "running"
            ]
            code, _, err = run_to_end(home)
            urls, titles = stored(home)
            expected = {f"{url.split('/tag/')[0]}/news/{n}/" for n in site.numbers()}
            lost = len(expected - set(urls))
            duplicated = (len(urls) - len(set(urls))) + (len(titles) - len(set(titles))) + len(set(urls) - expected)
            partial = partial_feeds(home)
            latest = json.loads((home / "out" / "runs" / "latest.json").read_text(encoding="utf-8"))
            # Only a kill after the run recorded itself and before it finished leaves one to note.
            noted = "-" if not left_running else ("yes" if latest["interrupted_runs"] == left_running else "NO")
            totals["lost"] += lost
            totals["duplicated"] += duplicated
            totals["partial"] += partial
            totals["recovery_failed"] += code != 0 or noted == "NO"
            moved = len(latest["quarantined"])
            print(
                f"{trial:>5} {site.total:>7} {kill_at:>7.2f}s {f'{before} ({phase})':>16} {code:>4} {lost:>4} "
                f"{duplicated:>4} {partial:>7} {moved:>11} {noted:>5}"
            )
            if code != 0:
                print(err[-2000:], file=sys.stderr)
    print(
        f"{args.trials} kill -9 trials: lost {totals['lost']}, duplicated {totals['duplicated']}, "
        f"partial feeds {totals['partial']}, failed recoveries {totals['recovery_failed']}"
    )
    return 0 if not any(totals.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
