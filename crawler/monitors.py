"""Monitors of each archive's crawl, written with spidermon, and the extension that runs them.

The monitors are spidermon ``Monitor`` classes in one ``MonitorSuite``; a failed
monitor becomes an alert (``crawler/alerts.py``) at its level: spidermon's
``HIGH`` is an ``error`` (the archive fails), ``NORMAL`` a ``warning``.

* item count against the median of the archive's last finished runs (same
  mode, plain or incremental): zero is an error, a fall by more than
  ``AKHBAR_MONITOR_ITEM_FALL`` (half) a warning;
* unparsed dates over ``AKHBAR_MONITOR_UNPARSED_DATES`` (10%): warning;
* layout change: an empty listing page, a low-confidence listing
  (``akhbar/listing/low_confidence``) or a learnt template that stopped
  matching (``akhbar/template/mismatch``): error;
* article failures over ``AKHBAR_MONITOR_ARTICLE_FAILURES`` (20%): warning.

Why not spidermon's own Scrapy extension: it logs every failed monitor at ERROR,
so a warning would count as a run error, and its built-in close suite logs
NotConfigured as an ERROR unless every one of its settings is given. The suite
runs here through spidermon's plain ``MonitorRunner`` instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from spidermon import Monitor, MonitorSuite, monitors
from spidermon.runners import MonitorRunner

from crawler.alerts import Alerts
from crawler.runs import archive_key, item_history, median_or_none, seen_items


def share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def stats_sum(stats: Any, prefix: str) -> int:
    return sum(value for key, value in stats.items() if key.startswith(prefix))


class ArchiveMonitor(Monitor):
    """A spidermon monitor whose failure message is ours alone, without unittest's "0 not greater than 0 :"."""

    longMessage = False


@monitors.name("items")
class ItemCountMonitor(ArchiveMonitor):
    """Items against the median of the archive's last runs."""

    @property
    def count(self) -> int:
        return seen_items(self.data.stats)

    @monitors.name("none")
    @monitors.level.high
    def test_not_zero(self) -> None:
        self.assertGreater(self.count, 0, "the archive gave no items")

    @monitors.name("fell")
    @monitors.level.normal
    def test_not_halved(self) -> None:
        settings, spider = self.data.crawler.settings, self.data.spider
        history = item_history(
            Path(settings.get("AKHBAR_RUNS_DIR")),
            archive_key(getattr(spider, "start_list", [])),
            bool(getattr(spider, "incremental", False)),
            settings.getint("AKHBAR_MONITOR_HISTORY"),
        )
        median = median_or_none(history)
        if median is None or self.count == 0:
            return  # no history yet; zero is the other test's
        floor = median * (1 - settings.getfloat("AKHBAR_MONITOR_ITEM_FALL"))
        self.assertGreaterEqual(
            self.count, floor, f"{self.count} items, against a median of {median:g} over the last {len(history)} runs"
        )


@monitors.name("dates")
class UnparsedDatesMonitor(ArchiveMonitor):
    @monitors.name("unparsed")
    @monitors.level.normal
    def test_unparsed_share(self) -> None:
        stats = self.data.stats
        unparsed = stats.get("akhbar/dates/unparsed", 0)
        total = stats_sum(stats, "akhbar/dates/parsed/") + unparsed + stats.get("akhbar/dates/missing", 0)
        limit = self.data.crawler.settings.getfloat("AKHBAR_MONITOR_UNPARSED_DATES")
        self.assertLessEqual(share(unparsed, total), limit, f"{unparsed} of {total} dates unparsed (over {limit:.0%})")


@monitors.name("layout")
class LayoutMonitor(ArchiveMonitor):
    @monitors.name("changed")
    @monitors.level.high
    def test_layout_still_recognised(self) -> None:
        stats = self.data.stats
        signs = {
            "empty listing pages": stats.get("akhbar/listing/empty_page", 0),
            "low-confidence listings": stats.get("akhbar/listing/low_confidence", 0),
            "template mismatches": stats.get("akhbar/template/mismatch", 0),
        }
        found = ", ".join(f"{count} {what}" for what, count in signs.items() if count)
        self.assertFalse(found, f"the layout may have changed: {found}")


@monitors.name("articles")
class ArticleFailuresMonitor(ArchiveMonitor):
    @monitors.name("failed")
    @monitors.level.normal
    def test_failure_share(self) -> None:
        stats = self.data.stats
        failed = stats.get("akhbar/article/failed", 0)
        tried = stats.get("akhbar/pages/article", 0) + failed
        limit = self.data.crawler.settings.getfloat("AKHBAR_MONITOR_ARTICLE_FAILURES")
        self.assertLessEqual(
            share(failed, tried), limit, f"{failed} of {tried} article pages failed (over {limit:.0%})"
        )


class ArchiveMonitors(MonitorSuite):
    monitors = [ItemCountMonitor, UnparsedDatesMonitor, LayoutMonitor, ArticleFailuresMonitor]  # noqa: RUF012


def alert_level(monitor: Monitor) -> str:
    return "error" if monitor.level == "HIGH" else "warning"


class RunMonitors:
    """Runs :class:`ArchiveMonitors` when the spider closes; each failed monitor raises an alert."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunMonitors:
        return cls(crawler)

    def spider_closed(self) -> None:
        crawler = self.crawler
        runner = MonitorRunner()
        result = runner.run(ArchiveMonitors(), stats=crawler.stats.get_stats(), crawler=crawler, spider=crawler.spider)
        alerts = crawler.get_extension(Alerts)
        for failed in result.monitors_failed_results:
            monitor = failed.monitor
            message = failed.reason or (failed.error or "").strip().splitlines()[-1]
            alerts.raise_alert(alert_level(monitor), monitor.name, message)
