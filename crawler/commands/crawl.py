"""``scrapy crawl`` that exits non-zero when a run failed.

Scrapy's own command exits 0 unless start-up fails, even when items were lost
to a database error. A scheduled run must tell its scheduler, so this command
replaces it and checks the run's own verdict: any ``akhbar/run/failed/*``
counter, or a finish reason other than ``finished``.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler

from crawler.distributed.preflight import distributed_problem
from pipelines.storage import RUN_FAILED


def run_failures(stats: dict[str, object]) -> list[str]:
    """Why a finished crawl counts as failed; empty when it did its job."""
    reasons = [key.removeprefix(f"{RUN_FAILED}/") for key in stats if key.startswith(f"{RUN_FAILED}/")]
    finish = stats.get("finish_reason")
    if finish not in (None, "finished"):
        reasons.append(f"finish_reason={finish}")
    return reasons


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        problem = distributed_problem(self.settings)
        if problem:
            print(f"akhbar: {problem}", file=sys.stderr)
            self.exitcode = 1
            return
        crawlers: list[Crawler] = []
        create = self._create_crawler

        def remember(spidercls: object) -> Crawler:
            crawler = create(spidercls)  # type: ignore[arg-type]
            crawlers.append(crawler)
            return crawler

        self._create_crawler = remember  # type: ignore[method-assign]
        super().run(args, opts)
        for crawler in crawlers:
            failures = run_failures(crawler.stats.get_stats())
            if failures:
                print(f"akhbar: crawl failed: {', '.join(failures)}", file=sys.stderr)
                self.exitcode = 1
