"""Distributed mode against a real Redis (the test's own redis-server) and PostgreSQL.

The scenario helpers at the top are shared with ``bench/distributed_kill.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from scrapy.http import HtmlResponse, Request
from twisted.python.failure import Failure

from bench.mirror import generate
from crawler.distributed.leases import LEASE, LeaseBook, unwrapped
from crawler.distributed.serialization import RejectedEntry, decode_request, encode_request
from crawler.items import new_item
from crawler.profiles import profile_by_name
from crawler.spiders.tag_archive import Chain, TagArchiveSpider
from tests.support import ROOT, local_site, stat

RUN = "test"


def run_base(urls: Path) -> str:
    """The Redis key prefix of the archive in ``urls``, as docs/operations.md describes it."""
    archive = " ".join(line for line in urls.read_text(encoding="utf-8").splitlines() if line)
    return f"akhbar:{RUN}:{hashlib.sha1(archive.encode()).hexdigest()[:16]}"


# --- scenario helpers (also used by bench/distributed_kill.py) -------------------------------------


@contextmanager
def slow_mirror(root: Path, tags: int, pages: int, entries: int, delay: float) -> Iterator[tuple[Path, set[str]]]:
    """A generated tag-archive mirror served slowly; yields (start URL file, every entry's URL)."""
    generate(root / "mirror", tags, pages, entries, with_time=True)
    served = {
        "/" + str(path.relative_to(root / "mirror").parent).replace("\\", "/") + "/": (
            path.read_bytes(),
            "text/html; charset=utf-8",
        )
        for path in (root / "mirror").rglob("index.html")
    }
    with local_site(served, delay=delay) as base:
        urls = root / "urls.txt"
        urls.write_text("\n".join(f"{base}/tag/tag-{t}/" for t in range(tags)), encoding="utf-8")
        expected = {
            f"{base}/news/{t}/{p}/{i}/" for t in range(tags) for p in range(1, pages + 1) for i in range(entries)
        }
        yield urls, expected


def start_worker(urls: Path, log: Path, redis_url: str, pg: tuple[str, str], *settings: str) -> subprocess.Popen:
    """``scrapy crawl tag_archive`` as one worker of the run on ``redis_url``, storing into schema ``pg[1]``."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "tag_archive", "-a", f"urls={urls}", "-a", "follow_articles=false"]
    cmd += ["-O", str(log.with_suffix(".jsonl"))]
    for setting in (
        f"DATABASE_URL={pg[0]}",
        f"DATABASE_SCHEMA={pg[1]}",
        "AKHBAR_LEASE_SECONDS=2",
        "AKHBAR_HOST_INTERVAL=0",
        "ROBOTSTXT_OBEY=False",
        "AUTOTHROTTLE_ENABLED=False",
        "AKHBAR_DB_BATCH_SECONDS=1",
        "AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.1",  # the test site is ours, on loopback
        *settings,
    ):
        cmd += ["-s", setting]
    # One home each (lock, run reports), as on separate machines.
    home = log.with_name(f"home-{log.stem}")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REDIS_URL": redis_url, "AKHBAR_REDIS_RUN": RUN}
    env["AKHBAR_HOME"] = str(home)
    with log.open("wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def stored_urls(pg: tuple[str, str]) -> list[str]:
    import psycopg

    with psycopg.connect(pg[0], options=f"-c search_path={pg[1]}") as conn:
        return [row[0] for row in conn.execute("SELECT url FROM items")]


def wait_all(workers: list[subprocess.Popen], timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    codes = []
    for worker in workers:
        try:
            codes.append(worker.wait(timeout=max(0.1, deadline - time.monotonic())))
        except subprocess.TimeoutExpired:
            worker.kill()
            codes.append(worker.wait())
    return codes


def wait_for_rows(pg: tuple[str, str], count: int, timeout: float = 60) -> None:
    """Until the store holds ``count`` rows: the workers are past start-up and crawling."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if len(stored_urls(pg)) >= count:
                return
        except Exception:  # the table does not exist before the first worker migrates
            pass
        time.sleep(0.1)
    raise TimeoutError(f"the store did not reach {count} rows in {timeout}s")


def leases_held(redis_url: str, stream: str, pid: int) -> int:
    """Queue entries the worker process ``pid`` holds right now (its consumer name carries the pid)."""
    client = redis.Redis.from_url(redis_url)
    try:
        consumers = client.xpending(stream, "workers")["consumers"]
    except redis.ResponseError:  # no group yet
        return 0
    return sum(c["pending"] for c in consumers if f"-{pid}-" in c["name"].decode())


def kill_scenario(work: Path, redis_url: str, pg: tuple[str, str], kill_after: float) -> dict[str, object]:
    """3 workers on a slow site, one killed with SIGKILL ``kill_after`` s after the first rows are
    stored; what the store holds when the other two have finished."""
    with slow_mirror(work, tags=6, pages=6, entries=10, delay=0.4) as (urls, expected):
        logs = [work / f"worker-{i}.log" for i in range(3)]
        workers = [start_worker(urls, log, redis_url, pg) for log in logs]
        wait_for_rows(pg, 1)
        time.sleep(kill_after)
        deadline = time.monotonic() + 30
        held = [0]
        while max(held) == 0 and time.monotonic() < deadline:
            stream = run_base(urls) + ":requests"
            held = [leases_held(redis_url, stream, worker.pid) if worker.poll() is None else 0 for worker in workers]
        # The victim holds work when it dies, or the kill proves nothing.
        logs.pop(held.index(max(held)))
        victim = workers.pop(held.index(max(held)))
        killed_while_running = victim.poll() is None
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        codes = wait_all(workers, timeout=120)
        stored = stored_urls(pg)
    texts = [log.read_text(encoding="utf-8") for log in logs]
    return {
        # Each survivor reports the run's sums (the dead worker's share up to its last tick included).
        "reported_rows": min(stat(text, "akhbar/storage/rows") or 0 for text in texts),
        "held_at_kill": max(held),
        "reclaimed": stat(texts[0], "akhbar/distributed/leases/reclaimed") or 0,
        "killed_while_running": killed_while_running,
        "exit_codes": codes,
        "expected": len(expected),
        "stored": len(stored),
        "lost": len(expected - set(stored)),
        "duplicated": len(stored) - len(set(stored)),
        "unexpected": len(set(stored) - expected),
    }


def log_of(work: Path, i: int) -> str:
    return (work / f"worker-{i}.log").read_text(encoding="utf-8", errors="replace")


# --- serialization: JSON, and entries no worker wrote are refused ----------------------------------


@pytest.fixture
def spider() -> TagArchiveSpider:
    return TagArchiveSpider(url="https://www.youm7.com/Tags/Index/1/x", follow_articles="true")


def test_a_listing_request_survives_json(spider):
    profile = profile_by_name("youm7")
    chain = Chain("youm7.com", "قمة", known_pages=2, profile=profile)
    request = Request(
        "https://www.youm7.com/Tags/Index/1/x?page=2",
        callback=spider.parse_listing,
        errback=spider.listing_failed,
        cb_kwargs={"page": 2, "chain": chain},
        meta={"depth": 3, "proxy": "http://evil:8080"},
    )
    raw = encode_request(request, spider)
    assert b"pickle" not in raw and raw.startswith(b"{")
    back = decode_request(raw, spider)
    assert back.url == request.url
    assert back.callback == spider.parse_listing and back.errback == spider.listing_failed
    assert back.cb_kwargs == {"page": 2, "chain": chain}
    assert back.cb_kwargs["chain"].profile is profile
    assert back.meta == {"depth": 3}  # meta other than Scrapy's retry/redirect/depth is not carried


def test_an_article_request_keeps_its_item(spider):
    item = new_item(id="abc", url="https://www.youm7.com/story/1", title="عنوان «مقتبس»", position=1)
    request = Request(item["url"], callback=spider.parse_article, cb_kwargs={"item": item, "profile": None})
    back = decode_request(encode_request(request, spider), spider)
    assert back.cb_kwargs == {"item": item, "profile": None}


class Explode:
    """Unpickling this would create the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"url": "https://a.example/", "_class": "os.system"}, "fields"),
        ({"url": "https://a.example/", "callback": "close"}, "callback"),
        ({"url": "https://a.example/", "callback": "__init__"}, "callback"),
        ({"url": "https://a.example/", "callback": "from_crawler"}, "callback"),
        ({"url": "https://a.example/", "callback": "no_such_method"}, "callback"),
        ({"url": "file:///etc/passwd", "callback": "parse_listing"}, "url"),
        ({"url": "https://a.example/", "method": "POST"}, "method"),
        ({"url": "https://a.example/", "meta": {"proxy": "http://evil:8080"}}, "meta"),
        ({"url": "https://a.example/", "cb_kwargs": {"chain": {"$eval": "1"}}}, "cb_kwargs"),
        ({"url": "https://a.example/", "cb_kwargs": {"item": {"id": "x", "evil": 1}}}, "cb_kwargs"),
        ({"url": "https://a.example/", "cb_kwargs": {"profile": {"$profile": "/etc/x.toml"}}}, "cb_kwargs"),
        (["https://a.example/"], "not_json"),
    ],
)
def test_crafted_entries_are_rejected(spider, entry, reason):
    with pytest.raises(RejectedEntry) as caught:
        decode_request(json.dumps(entry).encode(), spider)
    assert caught.value.reason == reason


def test_a_pickle_entry_is_never_unpickled(spider, tmp_path):
    marker = tmp_path / "pwned"
    with pytest.raises(RejectedEntry) as caught:
        decode_request(pickle.dumps(Explode(marker)), spider)
    assert caught.value.reason == "not_json"
    assert not marker.exists()


# --- leases: done only when the output is through -----------------------------------------------------


def _response(request: Request) -> HtmlResponse:
    return HtmlResponse(request.url, body=b"<html></html>", request=request)


def test_an_entry_is_done_when_its_items_are_through_the_pipelines():
    book = LeaseBook()

    def callback(response):
        yield {"n": 1}
        yield Request("https://a.example/next")
        yield {"n": 2}

    request = book.take("1-0", Request("https://a.example/", callback=callback))
    assert request.meta[LEASE] == "1-0"
    output = list(request.callback(_response(request)))
    assert len(output) == 3
    assert book.take_done() == []  # two items still in the pipelines
    book.item_done("1-0")
    assert book.take_done() == []
    book.item_done("1-0")
    assert book.take_done() == []  # done, acknowledged one tick later
    assert book.take_done() == ["1-0"]
    assert book.ids() == []


def test_a_partly_consumed_output_is_not_done():
    book = LeaseBook()
    request = book.take("2-0", Request("https://a.example/", callback=lambda r: iter([Request("https://a.example/b")])))
    output = request.callback(_response(request))
    assert book.ids() == ["2-0"] and book.take_done() == []
    list(output)
    assert book.take_done(everything=True) == ["2-0"]


def test_a_failed_download_without_errback_is_done_and_still_raises():
    book = LeaseBook()
    request = book.take("3-0", Request("https://a.example/", callback=lambda r: []))
    failure = Failure(ValueError("boom"))
    assert request.errback(failure) is failure  # Scrapy raises it and logs the download error
    assert book.take_done(everything=True) == ["3-0"]


def test_a_retry_is_serialized_with_the_spiders_own_callbacks(spider):
    book = LeaseBook()
    original = Request("https://a.example/", callback=spider.parse_listing, cb_kwargs={"page": 1})
    leased = book.take("4-0", original)
    retry = unwrapped(leased.replace(dont_filter=True))
    assert retry.callback == spider.parse_listing
    assert LEASE not in decode_request(encode_request(retry, spider), spider).meta
    book.replaced("4-0")
    assert book.take_done(everything=True) == ["4-0"]


# --- against a real Redis and PostgreSQL ------------------------------------------------------------


def test_one_worker_crawls_the_run_and_ends_it(tmp_path, redis_server, pg_schema):
    with slow_mirror(tmp_path, tags=2, pages=3, entries=5, delay=0) as (urls, expected):
        worker = start_worker(urls, tmp_path / "worker-0.log", redis_server.url, pg_schema)
        assert wait_all([worker], timeout=120) == [0], log_of(tmp_path, 0)[-3000:]
        assert sorted(stored_urls(pg_schema)) == sorted(expected)
        late = start_worker(urls, tmp_path / "worker-1.log", redis_server.url, pg_schema)
        assert wait_all([late], timeout=120) == [0], log_of(tmp_path, 1)[-3000:]
    late_log = log_of(tmp_path, 1)
    assert "was finished by other workers: nothing to do" in late_log
    assert "'scheduler/dequeued/redis'" not in late_log.split("run totals over")[0]  # it took no work
    assert stat(late_log, "akhbar/storage/rows") == len(expected)  # it reports the run's sums
    client, base = redis.Redis.from_url(redis_server.url), run_base(urls)
    assert client.exists(f"{base}:requests", f"{base}:seen") == 0  # the finished run is cleared
    assert client.exists(f"{base}:done") == 1
    totals = client.hgetall(f"{base}:stats")
    assert int(totals[b"akhbar/storage/rows"]) == len(expected)
    assert int(totals[b"akhbar/distributed/workers"]) == 1


def test_two_workers_share_the_fingerprints_and_crawl_each_page_once(tmp_path, redis_server, pg_schema):
    with slow_mirror(tmp_path, tags=2, pages=4, entries=5, delay=0.05) as (urls, expected):
        workers = [start_worker(urls, tmp_path / f"worker-{i}.log", redis_server.url, pg_schema) for i in range(2)]
        assert wait_all(workers, timeout=120) == [0, 0], log_of(tmp_path, 0)[-3000:]
        assert sorted(stored_urls(pg_schema)) == sorted(expected)
    for i in range(2):  # each reports the run's sums
        assert stat(log_of(tmp_path, i), "akhbar/pages/listing") == 8
        assert stat(log_of(tmp_path, i), "akhbar/storage/rows") == len(expected)


def test_crawlall_with_redis_url_is_one_worker_of_the_run(tmp_path, redis_server, pg_schema):
    with slow_mirror(tmp_path, tags=2, pages=3, entries=5, delay=0.05) as (urls, expected):
        plan = tmp_path / "crawls.toml"
        entries = [f'[[crawl]]\nurl = "{url}"\nfollow_articles = false\n' for url in urls.read_text().splitlines()]
        plan.write_text("\n".join(entries), encoding="utf-8")
        workers = []
        for i in range(2):
            log = tmp_path / f"worker-{i}.log"
            cmd = [sys.executable, "-m", "scrapy", "crawlall", "--plan", str(plan), "-s", "AKHBAR_HOST_INTERVAL=0"]
            cmd += ["-s", f"DATABASE_URL={pg_schema[0]}", "-s", f"DATABASE_SCHEMA={pg_schema[1]}"]
            cmd += ["-s", "ROBOTSTXT_OBEY=False", "-s", "AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.1"]
            env = {**os.environ, "PYTHONPATH": str(ROOT), "REDIS_URL": redis_server.url, "AKHBAR_REDIS_RUN": RUN}
            env["AKHBAR_HOME"] = str(tmp_path / f"home-{i}")
            with log.open("wb") as out:
                workers.append(subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT))
        assert wait_all(workers, timeout=180) == [0, 0], log_of(tmp_path, 0)[-3000:]
        assert sorted(stored_urls(pg_schema)) == sorted(expected)
    for i in range(2):
        report = json.loads((tmp_path / f"home-{i}" / "out" / "runs" / "latest.json").read_text(encoding="utf-8"))
        # Every worker's report gives the whole run: 3 pages of 5 entries per archive, summed over workers.
        assert [(a["status"], a["listing_pages"], a["items"]) for a in report["archives"]] == [("ok", 3, 15)] * 2
        assert "ScrapyDeprecationWarning" not in log_of(tmp_path, i)


def test_hostile_queue_entries_are_rejected_counted_and_not_run(tmp_path, redis_server, pg_schema):
    marker = tmp_path / "pwned"
    client = redis.Redis.from_url(redis_server.url)
    with slow_mirror(tmp_path, tags=1, pages=2, entries=5, delay=0) as (urls, expected):
        stream = run_base(urls) + ":requests"
        client.xadd(stream, {"r": pickle.dumps(Explode(marker))})
        client.xadd(stream, {"r": b'{"url": "http://127.0.0.1:1/", "_class": "tests.test_distributed.Explode"}'})
        worker = start_worker(urls, tmp_path / "worker-0.log", redis_server.url, pg_schema)
        assert wait_all([worker], timeout=120) == [0], log_of(tmp_path, 0)[-3000:]
        assert sorted(stored_urls(pg_schema)) == sorted(expected)
    log = log_of(tmp_path, 0)
    assert "'akhbar/distributed/rejected': 2" in log
    assert "'akhbar/distributed/rejected/not_json': 1" in log
    assert "'akhbar/distributed/rejected/fields': 1" in log
    assert not marker.exists()


def test_workers_die_and_nothing_is_lost_or_duplicated(tmp_path, redis_server, pg_schema):
    figures = kill_scenario(tmp_path, redis_server.url, pg_schema, kill_after=0.3)
    assert figures["killed_while_running"], "the crawl ended before the kill: make the site slower"
    assert figures["exit_codes"] == [0, 0], figures
    assert figures["held_at_kill"] >= 1, figures
    assert figures["reclaimed"] >= 1, figures  # the dead worker's leases were taken over
    assert (figures["lost"], figures["duplicated"], figures["unexpected"]) == (0, 0, 0)
    assert figures["stored"] == figures["expected"] == 360


def test_redis_dies_mid_run_and_the_same_command_completes_it(tmp_path, redis_server, pg_schema):
    with slow_mirror(tmp_path, tags=4, pages=6, entries=10, delay=0.4) as (urls, expected):
        workers = [start_worker(urls, tmp_path / f"worker-{i}.log", redis_server.url, pg_schema) for i in range(2)]
        wait_for_rows(pg_schema, 20)
        redis_server.stop()
        codes = wait_all(workers, timeout=60)
        assert codes == [1, 1]
        for i in range(2):
            log = log_of(tmp_path, i)
            assert "unreachable (ConnectionError): this worker stops taking work" in log, log[-3000:]
            assert "Traceback" not in log, log[-3000:]
        partial = len(set(stored_urls(pg_schema)))
        assert 0 < partial < len(expected)  # the buffered items were written on the way out
        redis_server.start()
        again = start_worker(urls, tmp_path / "worker-2.log", redis_server.url, pg_schema)
        assert wait_all([again], timeout=120) == [0], log_of(tmp_path, 2)[-3000:]
        stored = stored_urls(pg_schema)
    assert sorted(stored) == sorted(expected)
    assert "Resuming crawl" in log_of(tmp_path, 2)  # it went on from the queue, not from scratch


def test_redis_down_at_start_is_one_clear_line(tmp_path, pg_schema):
    with slow_mirror(tmp_path, tags=1, pages=1, entries=1, delay=0) as (urls, _expected):
        worker = start_worker(urls, tmp_path / "worker-0.log", "redis://:s3cret@127.0.0.1:1/0", pg_schema)
        assert wait_all([worker], timeout=60) == [1]
    log = log_of(tmp_path, 0)
    assert "akhbar: Redis 127.0.0.1:1/0 unreachable (ConnectionError): start it or fix REDIS_URL" in log
    assert "Traceback" not in log and "s3cret" not in log


def test_sqlite_is_refused_in_distributed_mode(tmp_path):
    with slow_mirror(tmp_path, tags=1, pages=1, entries=1, delay=0) as (urls, _expected):
        sqlite = f"sqlite:///{tmp_path / 'x.sqlite3'}"
        worker = start_worker(urls, tmp_path / "worker-0.log", "redis://127.0.0.1:1/0", (sqlite, ""))
        assert wait_all([worker], timeout=60) == [1]
    log = log_of(tmp_path, 0)
    assert "akhbar: distributed mode (REDIS_URL) needs DATABASE_URL=postgresql://" in log
    assert "Traceback" not in log
