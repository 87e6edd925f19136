"""One scheduled run around Scrapy crawlers: lock, crash recovery, report and exit code.

``scrapy crawl`` and ``scrapy crawlall`` both run through :class:`RunSession`:

* it holds the store's lock (``crawler/lock.py``) for the whole run;
* it notes runs a ``kill -9`` interrupted (``crawler/runs.py``), moves their
  half-written ``.part`` feeds to ``AKHBAR_QUARANTINE_DIR``, and tells this
  run's crawlers not to trust "known pages, stop here": pages the killed run
  saw may hold entries it never stored;
* it writes the run report and turns the archives' outcomes into an exit code.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings

from crawler.alerts import Alerts
from crawler.feeds import RunManifest
from crawler.runs import (
    LATEST,
    archive_key,
    archive_record,
    mark_interrupted,
    new_run_id,
    relative_to,
    table,
    totals,
    write_json,
)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75


def say(message: str) -> None:
    """One line for the operator on standard error (Scrapy's log goes there too)."""
    print(f"akhbar: {message}", file=sys.stderr, flush=True)


def feeds_root(template: str) -> Path | None:
    """The fixed folder above a feed URI template's first ``%(...)s``; ``None`` for remote feeds."""
    if not template or "://" in template:
        return None
    prefix = template.split("%(", 1)[0]
    return Path(prefix) if prefix.endswith("/") else Path(prefix).parent


def quarantine_leftovers(root: Path | None, quarantine: Path) -> list[str]:
    """Move ``*.part`` files under ``root`` (feeds a killed run never finished) into ``quarantine``.

    Called with the lock held, so no live run is writing them. Returns the new paths.
    """
    if root is None or not root.is_dir():
        return []
    moved = []
    for part in sorted(root.rglob("*.part")):
        if part.is_relative_to(quarantine):
            continue
        target = quarantine / part.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(part, target)
        moved.append(str(target))
    return moved


@dataclass
class ArchiveRun:
    """One archive of the run: its spider arguments and, once created, its crawler."""

    args: dict[str, str]
    key: str
    site: str
    tag: str | None
    incremental: bool
    crawler: Crawler | None = None
    started: bool = False  # its spider opened: its stats can be read

    def spider_opened(self) -> None:
        self.started = True

    @classmethod
    def of(cls, args: dict[str, str], spider: object) -> ArchiveRun:
        """The archive a checked spider (built from ``args``) describes."""
        return cls(
            dict(args),
            archive_key(getattr(spider, "start_list", [])),
            getattr(spider, "site", ""),
            getattr(spider, "tag", None),
            bool(getattr(spider, "incremental", False)),
        )


@dataclass
class RunSession:
    """The run's id, report folder and outcome; ``begin`` under the lock, ``finish`` at the end."""

    settings: BaseSettings
    command: str
    run_id: str = field(default_factory=new_run_id)
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    interrupted: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)

    @property
    def runs_dir(self) -> Path:
        return Path(self.settings.get("AKHBAR_RUNS_DIR"))

    def report_base(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "command": self.command,
            "pid": os.getpid(),
            "start": self.started.isoformat(timespec="seconds"),
            "interrupted_runs": self.interrupted,
            "quarantined": self.quarantined,
        }

    def begin(self) -> None:
        """Note interrupted runs, clear their leftovers, and record this run as ``running``."""
        self.interrupted = mark_interrupted(self.runs_dir, by=self.run_id)
        self.quarantined = quarantine_leftovers(
            feeds_root(self.settings.get("AKHBAR_FEED_URI")), Path(self.settings.get("AKHBAR_QUARANTINE_DIR"))
        )
        for run_id in self.interrupted:
            say(f"run {run_id} was interrupted; this run does not trust its pages as known")
        if self.quarantined:
            say(
                f"moved {len(self.quarantined)} unfinished feed file(s) to {self.settings.get('AKHBAR_QUARANTINE_DIR')}"
            )
        if self.interrupted:
            self.settings.set("AKHBAR_TRUST_KNOWN_PAGES", False, priority="cmdline")
        self.settings.set("AKHBAR_RUN_ID", self.run_id, priority="cmdline")
        write_json(self.runs_dir / f"{self.run_id}.json", {**self.report_base(), "status": "running"})

    def record(self, archive: ArchiveRun) -> dict[str, Any]:
        """The report entry of one archive, from its crawler's stats and components."""
        crawler = archive.crawler
        stats: Mapping[str, Any] | None = None
        feed, alerts = None, []
        if crawler is not None and getattr(crawler, "spider", None) is not None:
            stats = crawler.stats.get_stats()
            manifest = crawler.get_extension(RunManifest)
            feed = manifest.feed if manifest else None
            recorder = crawler.get_extension(Alerts)
            alerts = recorder.alerts if recorder else []
        spider = crawler.spider if crawler is not None and getattr(crawler, "spider", None) is not None else None
        tag = getattr(spider, "tag", None) or archive.tag
        entry = archive_record(archive.args, archive.site, tag, stats, relative_to(self.runs_dir, feed), alerts)
        return {"key": archive.key, "incremental": archive.incremental, **entry}

    def finish(self, archives: list[ArchiveRun]) -> int:
        """Write ``<run id>.json`` and ``latest.json``, print the table; returns the exit code."""
        records = [self.record(a) for a in archives]
        code = EXIT_FAILED if any(r["status"] != "ok" for r in records) else EXIT_OK
        report = {
            **self.report_base(),
            "end": datetime.now(UTC).isoformat(timespec="seconds"),
            "status": "failed" if code else "ok",
            "exit_code": code,
            "totals": totals(records),
            "archives": records,
        }
        write_json(self.runs_dir / f"{self.run_id}.json", report)
        write_json(self.runs_dir / LATEST, report)
        print(table(records), file=sys.stderr, flush=True)
        say(f"run report: {self.runs_dir / (self.run_id + '.json')}")
        for record in records:
            if record["status"] != "ok":
                say(f"crawl failed: {', '.join(record['failures'])} ({record['key']})")
        return code
