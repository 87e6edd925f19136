"""``scrapy crawl`` with exit codes a scheduler can trust.

Scrapy's own command exits 0 unless start-up fails, even when items were lost
to a database error. This one runs the crawl inside a :class:`RunSession`
(lock, crash recovery, run report) and exits with its verdict: 0 done, 1 the
run failed (``crawler/run_status.py``), 2 a bad argument (one line, no
traceback), 75 another run holds the store's lock. Only public Scrapy API:
the crawler is created with ``crawler_process.create_crawler`` and read back
through its ``stats`` and ``get_extension``.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError
from scrapy.spiders import Spider

from crawler.distributed.preflight import distributed_problem
from crawler.home import lock_path, resolve_paths
from crawler.lock import LockHeld, RunLock
from crawler.session import EXIT_FAILED, EXIT_LOCKED, EXIT_USAGE, ArchiveRun, RunSession, say


def checked_spider(spidercls: type[Spider], arguments: dict[str, str]) -> Spider:
    """The spider built once from its arguments, so a bad one is reported before anything starts.

    Raises ``ValueError`` (the spider's own checks) with a one-line message.
    """
    try:
        return spidercls(**arguments)
    except TypeError as exc:  # an argument the spider does not take
        raise ValueError(str(exc)) from None


def overwrite_even_when_empty(feeds: dict[str, dict]) -> dict[str, dict]:
    """``-O file`` promises the file holds this run's items only, even none: store it even empty."""
    return {
        uri: {**options, "store_empty": True} if options.get("overwrite") else options for uri, options in feeds.items()
    }


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        resolve_paths(self.settings)
        if opts.overwrite_output:
            feeds = overwrite_even_when_empty(self.settings.getdict("FEEDS"))
            self.settings.set("FEEDS", feeds, priority="cmdline")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError("scrapy crawl takes one spider name")
        process = self.crawler_process
        assert process is not None
        try:
            spidercls = process.spider_loader.load(args[0])
        except KeyError:
            raise UsageError(f"no spider named {args[0]!r}", print_help=False) from None
        try:
            spider = checked_spider(spidercls, opts.spargs)
        except ValueError as exc:
            say(f"bad argument: {exc}")
            self.exitcode = EXIT_USAGE
            return
        problem = distributed_problem(process.settings)
        if problem:
            say(problem)
            self.exitcode = EXIT_FAILED
            return
        try:
            with RunLock(lock_path(process.settings)):
                session = RunSession(process.settings, "crawl")
                session.begin()
                archive = ArchiveRun.of(opts.spargs, spider)
                archive.crawler = process.create_crawler(spidercls)
                process.crawl(archive.crawler, **opts.spargs)
                process.start()
                self.exitcode = session.finish([archive])
        except LockHeld as exc:
            say(str(exc))
            self.exitcode = EXIT_LOCKED
