"""Test helpers: the repository layout, crawlers built with the project's settings, crawls through
the engine in this process, and real ``scrapy`` commands run as a user would."""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.test import get_crawler

import settings as project_settings
from crawler.spiders.tag_archive import TagArchiveSpider

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "html"
# -s values for a quick crawl of the tests' own 127.0.0.1 servers: no retries, waits or robots.txt.
LIVE = (
    "RETRY_ENABLED=False",
    "AUTOTHROTTLE_ENABLED=False",
    "ROBOTSTXT_OBEY=False",
    "DOWNLOAD_TIMEOUT=2",
    "AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.1",  # the tests' own servers
)
# The shared pages (../shared beside the checkout): read in place, never copied into the repository.
SHARED = ROOT.parent / "shared"


def load_schema(name: str) -> dict:
    """``crawler/<name>.schema.json`` (``item``, ``export``), as a consumer reads it."""
    return json.loads((ROOT / "crawler" / f"{name}.schema.json").read_text(encoding="utf-8"))


# settings.py as a dict: a test crawler runs with the project's defaults, as `scrapy crawl` does.
PROJECT_SETTINGS = {name: getattr(project_settings, name) for name in dir(project_settings) if name.isupper()}


def project_crawler(settings: Mapping[str, Any] | None = None) -> Crawler:
    """The one way tests build a crawler: Scrapy's ``get_crawler`` with the project's settings
    plus ``settings``, for ``tag_archive``."""
    return get_crawler(TagArchiveSpider, {**PROJECT_SETTINGS, **(settings or {})})


def make_crawler(settings: Mapping[str, Any] | None = None, **spider_args: Any) -> Crawler:
    """A crawler and its spider (``spider_args``, by default one news.example archive), not
    started: its components are built and driven by hand."""
    crawler = project_crawler(settings)
    crawler.spider = TagArchiveSpider.from_crawler(crawler, **({"url": "https://news.example/tag/x/"} | spider_args))
    return crawler


def engine_crawl(spider_args: Mapping[str, str], feed: Path, settings: Mapping[str, Any] | None = None) -> Crawler:
    """Crawl through Scrapy's engine in this process, the way Scrapy's own tests do
    (``get_crawler``, then ``await crawler.crawl_async(...)``), on asyncio without a Twisted
    reactor. The feed goes to ``feed`` as with ``-O``, the database beside it, and servers on
    127.0.0.1 are allowed (``run_crawl`` does the same); the returned
    crawler's ``stats`` hold every counter. A subprocess (``run_crawl``) is for what only the
    real command shows: exit codes, default feed paths, logs."""
    if is_reactor_installed():
        raise RuntimeError("a Twisted reactor is installed in this test process: engine_crawl runs on asyncio alone")
    crawler = project_crawler(
        {
            "DATABASE_URL": f"sqlite:///{feed.with_suffix('.sqlite3')}",
            "FEEDS": {str(feed): {"format": "jsonlines", "overwrite": True}},
            "AKHBAR_ALLOW_PRIVATE_HOSTS": ["127.0.0.1"],  # the tests' own servers
            **(settings or {}),
        }
    )
    asyncio.run(crawler.crawl_async(**spider_args))
    return crawler


def fixture_site_dirs() -> list[Path]:
    return sorted(p.parent for p in FIXTURES.glob("*/crawl.json"))


def read_jsonl(path: Path) -> list[dict]:
    # split("\n"), not splitlines(): a consumer must survive U+2028 inside a record.
    text = path.read_text(encoding="utf-8")
    return [json.loads(line) for line in text.split("\n") if line.strip()]


def run_crawl(
    args: dict[str, str], out: Path | None, *settings: str, db: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run ``scrapy crawl tag_archive`` as a user would, from the repository root.

    ``out`` becomes ``-O out`` (``None``: the default per-run feed); the database
    is ``db``, else a file beside ``out``, and ``AKHBAR_HOME`` (run reports, lock)
    the database's folder. ``settings`` are ``-s`` values.
    """
    cmd = [sys.executable, "-m", "scrapy", "crawl", "tag_archive"]
    if out is not None:
        cmd += ["-O", str(out)]
    for key, value in args.items():
        cmd += ["-a", f"{key}={value}"]
    db = db or (out or Path("out.jsonl")).with_suffix(".sqlite3")
    # Tests crawl their own servers on 127.0.0.1, which the SSRF guard refuses by default.
    cmd += ["-s", f"DATABASE_URL=sqlite:///{db}", "-s", "LOG_LEVEL=INFO", "-s", "AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.1"]
    for setting in settings:
        cmd += ["-s", setting]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AKHBAR_HOME": str(db.resolve().parent)}
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def scrapy_command(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run another ``scrapy`` project command from the repository root."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, check=False
    )


def postgres_url() -> str:
    """The test server's URL: ``AKHBAR_TEST_POSTGRES_URL``, default the local ``test`` database."""
    return os.environ.get("AKHBAR_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def service_missing(what: str, reason: str) -> None:
    """Skip with a one-line reason on a user's machine; fail under CI, where the service must exist."""
    import pytest

    message = f"{what} not reachable ({reason})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message}; CI must provide it", pytrace=False)
    pytest.skip(message)


@dataclass(frozen=True)
class Reply:
    """One answer of a test server: status, headers and body."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html; charset=utf-8"),)
    delay: float = 0.0  # seconds before answering

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status, headers=(("Location", location),))


# A route answers with one Reply, or a function of how many times the path was asked (1, 2, ...).
Route = Reply | Callable[[int], Reply]


@dataclass
class FaultSite:
    """A running test server: its base URL and every request it saw, as (monotonic time, path)."""

    url: str
    hits: list[tuple[float, str]] = field(default_factory=list)

    def times(self, path: str) -> list[float]:
        return [when for when, hit in self.hits if hit == path]


@contextmanager
def fault_site(routes: dict[str, Route]) -> Iterator[FaultSite]:
    """Serve ``routes`` on 127.0.0.1 (a free port); other paths are 404. Stops on exit."""
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with lock:
                site.hits.append((time.monotonic(), self.path))
                count = sum(1 for _, path in site.hits if path == self.path)
            route = routes.get(self.path, Reply(404))
            reply = route(count) if callable(route) else route
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, *args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        daemon_threads = True

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that timed out and hung up is what these tests provoke

    httpd = Server(("127.0.0.1", 0), Handler)
    site = FaultSite(f"http://127.0.0.1:{httpd.server_address[1]}")
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def local_site(
    pages: dict[str, tuple[bytes, str]], slow: frozenset[str] = frozenset(), delay: float = 0.0
) -> Iterator[str]:
    """Serve ``{path: (body bytes, Content-Type)}`` on 127.0.0.1; other paths are 404.

    ``slow`` paths answer after 3 seconds, longer than the tests' download timeout; every
    other answer waits ``delay`` seconds (a slow site). Yields the base URL; the server stops on exit.
    """
    html = "text/html; charset=utf-8"
    routes: dict[str, Route] = {
        path: Reply(200 if body else 404, body, (("Content-Type", kind),), 3.0 if path in slow else delay)
        for path, (body, kind) in {**dict.fromkeys(slow, (b"", html)), **pages}.items()
    }
    with fault_site(routes) as site:
        yield site.url


def stat(stderr: str, key: str) -> int | None:
    """One counter from the stats a crawl dumps at its end, or ``None`` if it was never counted."""
    match = re.search(rf"'{re.escape(key)}': (\d+)", stderr)
    return int(match.group(1)) if match else None


class RedisServer:
    """A ``redis-server`` of the test's own on a free loopback port, persisted to ``directory``.

    Append-only persistence, so :meth:`stop` then :meth:`start` is a Redis restart that keeps
    the run, as a production Redis would.
    """

    def __init__(self, directory: Path) -> None:
        import shutil
        import socket

        self.binary = shutil.which("redis-server")
        self.directory = directory
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        import redis

        self.directory.mkdir(parents=True, exist_ok=True)
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes"]
        args += ["--dir", str(self.directory), "--protected-mode", "no"]
        self.process = subprocess.Popen([self.binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        """A clean shutdown: the append-only file is complete."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def tag_page(*entries: tuple[str, str], extra: str = "") -> bytes:
    """A small tag-archive page listing ``(href, title)`` entries as dated cards."""
    cards = "".join(
        f'<article class="post"><h2 class="entry-title"><a href="{href}">{title}</a></h2>'
        f'<span class="date">17 يونيو 2021</span><p class="excerpt">ملخص {title} بما يكفي من الكلمات</p></article>'
        for href, title in entries
    )
    return f"<html><head><title>وسم</title></head><body><main>{cards}</main>{extra}</body></html>".encode()


def article_page(title: str, body: str = "نص الخبر الكامل") -> bytes:
    """A small article page with a JSON-LD date and a body paragraph."""
    return (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        f'"headline": "{title}", "datePublished": "2021-06-17T08:15:00+03:00"}}</script></head>'
        f'<body><h1>{title}</h1><div class="entry-content"><p>{body}</p></div></body></html>'
    ).encode()


def export_validator():
    """A validator for export rows: ``crawler/export.schema.json``, whose item fields refer to
    ``crawler/item.schema.json`` as a consumer would resolve them."""
    import jsonschema
    from referencing import Registry, Resource

    schemas = [load_schema("export"), load_schema("item")]
    registry = Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in schemas)
    return jsonschema.Draft202012Validator(schemas[0], registry=registry, format_checker=jsonschema.FormatChecker())


@contextmanager
def serving(*settings: str) -> Iterator[str]:
    """Run ``scrapy serve --port 0`` with ``-s`` ``settings`` as a user would; yields its base URL."""
    cmd = [sys.executable, "-m", "scrapy", "serve", "--port", "0"]
    for setting in settings:
        cmd += ["-s", setting]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        match = re.search(r"listening on (http://\S+)", line)
        assert match, f"scrapy serve did not start: {line}{proc.stderr.read() if proc.poll() is not None else ''}"
        yield match.group(1).rstrip("/")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
