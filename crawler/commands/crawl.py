"""``scrapy crawl`` that exits non-zero when a run failed.

Scrapy's own command exits 0 unless start-up fails, even when items were lost
to a database error. A scheduled run must tell its scheduler, so this command
replaces it and checks the run's own verdict (``crawler.run_status``).
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler

from crawler.distributed.preflight import distributed_problem
from crawler.run_status import run_failures


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
