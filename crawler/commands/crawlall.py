"""``scrapy crawlall [--plan crawls.toml] [--only SITE,...]``: every archive of the plan, one process.

Each archive is its own crawler, so it keeps its own tag, zone, date order,
feed, counts and monitors. A site's archives run one after another while
different sites run side by side: Scrapy's download slots (delays,
concurrency, AutoThrottle) belong to one crawler's downloader, so this is what
keeps politeness per site across all of its tags. Exit codes as ``scrapy
crawl``: 0 every archive succeeded, 1 one or more failed, 2 a bad plan or
argument, 75 another run holds the lock.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from scrapy import signals
from scrapy.commands import ScrapyCommand
from scrapy.crawler import CrawlerRunnerBase
from twisted.internet import defer, task

from crawler.commands.crawl import checked_spider
from crawler.distributed.preflight import distributed_problem
from crawler.home import lock_path, resolve_paths
from crawler.lock import LockHeld, RunLock
from crawler.plan import PlanError, read_plan
from crawler.session import EXIT_FAILED, EXIT_LOCKED, EXIT_USAGE, ArchiveRun, RunSession, say


def when_done(outcome: object, then: Callable[[], None]) -> None:
    """Call ``then`` once a ``crawl()`` outcome (asyncio Task or Deferred) completes, however it ends."""

    def finished(task: asyncio.Future) -> None:
        if not task.cancelled() and task.exception() is not None:
            say(f"a crawl could not start: {task.exception()}")
        then()

    if isinstance(outcome, asyncio.Future):
        outcome.add_done_callback(finished)
    elif isinstance(outcome, defer.Deferred):
        outcome.addBoth(lambda result: then() or result)


def run_in_turn(process: CrawlerRunnerBase, archives: list[ArchiveRun]) -> None:
    """Start ``archives`` one after another: each starts as the previous one's crawl completes.

    The next crawl is started from the completion callback, before the process's ``join()``
    looks again, so the process keeps running until the last one ends.
    """
    queue = list(archives)

    def start_next() -> None:
        if queue:
            archive = queue.pop(0)
            assert archive.crawler is not None
            when_done(process.crawl(archive.crawler, **archive.args), start_next)

    start_next()


def progress_line(archives: list[ArchiveRun], started: float) -> str:
    """``archives done/total, pages, items, items/s`` over every crawler so far."""
    done = pages = items = 0
    for archive in archives:
        if not archive.started or archive.crawler is None:
            continue
        stats = archive.crawler.stats.get_stats()
        done += "finish_reason" in stats
        pages += stats.get("akhbar/pages/listing", 0) + stats.get("akhbar/pages/article", 0)
        items += stats.get("item_scraped_count", 0)
    rate = items / max(time.monotonic() - started, 1e-9)
    return f"progress: {done}/{len(archives)} archives done, {pages} pages, {items} items, {rate:.1f} items/s"


class Command(ScrapyCommand):
    requires_project = True

    def syntax(self) -> str:
        return "[--plan crawls.toml] [--only SITE,...]"

    def short_desc(self) -> str:
        return "Crawl every archive of the crawl plan in one process"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--plan", metavar="FILE", help="the crawl plan (default: AKHBAR_PLAN, crawls.toml)")
        parser.add_argument("--only", metavar="SITE,...", help="only these sites (host without www., or profile name)")

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        assert self.settings is not None
        resolve_paths(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        process = self.crawler_process
        assert process is not None
        settings = process.settings
        if args:
            say(f"bad argument: crawlall takes no positional arguments, got {' '.join(args)!r}")
            self.exitcode = EXIT_USAGE
            return
        plan = Path(opts.plan or settings.get("AKHBAR_PLAN"))
        try:
            archives = self.checked_archives(plan, opts.only)
        except PlanError as exc:
            for problem in exc.problems:
                say(problem)
            self.exitcode = EXIT_USAGE
            return
        problem = distributed_problem(settings)
        if problem:
            say(problem)
            self.exitcode = EXIT_FAILED
            return
        try:
            with RunLock(lock_path(settings)):
                session = RunSession(settings, "crawlall")
                session.begin()
                self.crawl_all(archives)
                self.exitcode = session.finish(archives)
        except LockHeld as exc:
            say(str(exc))
            self.exitcode = EXIT_LOCKED

    def checked_archives(self, plan: Path, only: str | None) -> list[ArchiveRun]:
        """The plan's archives, each checked by building its spider; every problem at once."""
        assert self.crawler_process is not None
        spidercls = self.crawler_process.spider_loader.load("tag_archive")
        entries, problems = read_plan(plan)
        archives = []
        for entry in entries:
            try:
                spider = checked_spider(spidercls, entry.args)
            except ValueError as exc:
                problems.append(f"{plan}: crawl #{entry.entry} ({entry.label}): {exc}")
                continue
            archives.append(ArchiveRun.of(entry.args, spider))
        if only is not None:
            wanted = {name.strip() for name in only.split(",") if name.strip()}
            known = {a.site for a in archives} | {a.args.get("site", "") for a in archives}
            problems += [f"--only: no archive of the plan is on site {name!r}" for name in sorted(wanted - known)]
            archives = [a for a in archives if a.site in wanted or a.args.get("site") in wanted]
        if problems:
            raise PlanError(problems)
        return archives

    def crawl_all(self, archives: list[ArchiveRun]) -> None:
        """Crawl every archive: sites side by side, each site's archives in turn; a progress line."""
        process = self.crawler_process
        assert process is not None
        spidercls = process.spider_loader.load("tag_archive")
        by_site: dict[str, list[ArchiveRun]] = defaultdict(list)
        for archive in archives:
            archive.crawler = process.create_crawler(spidercls)
            archive.crawler.signals.connect(archive.spider_opened, signal=signals.spider_opened)
            by_site[archive.site].append(archive)
        for site_archives in by_site.values():
            run_in_turn(process, site_archives)
        started = time.monotonic()
        progress = task.LoopingCall(lambda: say(progress_line(archives, started)))
        progress.start(process.settings.getfloat("AKHBAR_PROGRESS_SECONDS"), now=False)
        process.start()
        if progress.running:
            progress.stop()
