"""``scrapy serve``: the store as feeds, an items API and a status page, read-only.

    scrapy serve [--port 8080] [--host 127.0.0.1]

Serves whichever store ``DATABASE_URL`` names (SQLite or PostgreSQL) with uvicorn:
``/feeds/<site>/<tag>.atom|.rss|.json``, ``/api/items?since=&site=&tag=&limit=`` and ``/``.
It binds to 127.0.0.1 unless told otherwise, writes nothing and runs no crawl. ``--port 0``
picks a free port; the address is printed on standard error once it listens.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path
from typing import ClassVar

from scrapy.addons import AddonManager
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings

from crawler.redaction import redact
from crawler.store import Store, StoreError, store_from_settings
from crawler.web.app import ServeOptions, create_app


def serve_options(settings: BaseSettings) -> ServeOptions:
    """The web service's options from Scrapy settings; the feed folder is ``AKHBAR_FEED_URI``'s fixed prefix."""
    template = settings.get("AKHBAR_FEED_URI") or ""
    fixed = template.split("%(", 1)[0]
    runs_dir = settings.get("AKHBAR_RUNS_DIR")
    return ServeOptions(
        feed_page_size=settings.getint("AKHBAR_FEED_PAGE_SIZE"),
        api_page_size=settings.getint("AKHBAR_API_PAGE_SIZE"),
        api_max_page_size=settings.getint("AKHBAR_API_MAX_PAGE_SIZE"),
        feeds_root=Path(fixed).parent if fixed and "://" not in fixed else None,
        runs_dir=Path(runs_dir) if runs_dir else None,
    )


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # no crawl, no reactor: uvicorn runs its own loop
    default_settings: ClassVar[dict[str, object]] = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[--port PORT] [--host HOST]"

    def short_desc(self) -> str:
        return "Serve stored items as Atom/RSS/JSON feeds, an items API and a status page (read-only)"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--port", type=int, help="TCP port (default AKHBAR_SERVE_PORT, 8080; 0: any free port)")
        parser.add_argument("--host", help="address to bind (default AKHBAR_SERVE_HOST, 127.0.0.1)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        import uvicorn

        if args:
            raise UsageError(f"unexpected arguments: {' '.join(args)}")
        assert self.settings is not None
        settings = self.settings
        # What a crawler process would do first: add-ons resolve paths under AKHBAR_HOME.
        AddonManager.load_pre_crawler_settings(settings)
        host = opts.host or settings.get("AKHBAR_SERVE_HOST")
        port = settings.getint("AKHBAR_SERVE_PORT") if opts.port is None else opts.port

        def open_store() -> Store:
            return store_from_settings(settings).open_read_only()

        try:
            open_store().close()  # a missing or unmigrated store is one clear line, before listening
        except (StoreError, ValueError) as exc:
            print(f"akhbar serve: database {redact(settings.get('DATABASE_URL'))} unavailable: {exc}", file=sys.stderr)
            self.exitcode = 1
            return
        try:
            sock = socket.create_server((host, port))
        except OSError as exc:
            print(f"akhbar serve: cannot listen on {host}:{port}: {exc.strerror}", file=sys.stderr)
            self.exitcode = 1
            return
        # Accepted connections inherit it: without it, a response written as headers then body
        # waits for the client's delayed ACK (40 ms a request on Linux).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        bound_host, bound_port = sock.getsockname()[:2]
        print(f"akhbar serve: listening on http://{bound_host}:{bound_port}/", file=sys.stderr, flush=True)
        app = create_app(open_store, serve_options(settings))
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
        server.run(sockets=[sock])
