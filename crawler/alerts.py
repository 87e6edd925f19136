"""Alerts: what the monitors found wrong with a run, recorded and sent out.

Each alert is a small JSON object (run, archive, level, monitor, message). It
goes into the run report and the log (WARNING, or ERROR for level ``error``,
which also fails the archive), and, when configured, to two ways out:

* ``AKHBAR_ALERT_COMMAND``: a shell command run with the alert JSON on stdin;
* ``AKHBAR_ALERT_WEBHOOK``: a URL the alert JSON is POSTed to.

A way out that fails is logged and counted (``akhbar/alerts/delivery_failed``),
never allowed to break the run.
"""

from __future__ import annotations

import json
import logging
import shlex
import subprocess
import urllib.request
from typing import Any

from scrapy.crawler import Crawler

from crawler.run_status import mark_failed

logger = logging.getLogger(__name__)
LEVELS = ("warning", "error")


def deliver_command(command: str, payload: bytes, timeout: float) -> None:
    """Run ``command`` (no shell) with the alert on standard input; a non-zero exit is an error."""
    subprocess.run(shlex.split(command), input=payload, timeout=timeout, check=True, capture_output=True)


def deliver_webhook(url: str, payload: bytes, timeout: float) -> None:
    """POST the alert as JSON; any non-2xx answer raises."""
    request = urllib.request.Request(url, data=payload, headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


class Alerts:
    """The run's alerts, reached with ``crawler.get_extension(Alerts)``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.command = settings.get("AKHBAR_ALERT_COMMAND")
        self.webhook = settings.get("AKHBAR_ALERT_WEBHOOK")
        self.timeout = settings.getfloat("AKHBAR_ALERT_TIMEOUT")
        self.alerts: list[dict[str, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Alerts:
        return cls(crawler)

    def raise_alert(self, level: str, monitor: str, message: str) -> dict[str, Any]:
        """Record, log and send one alert; an ``error`` fails the archive."""
        if level not in LEVELS:
            raise ValueError(f"alert level must be one of {LEVELS}, not {level!r}")
        spider = self.crawler.spider
        alert = {
            "run_id": getattr(spider, "run_id", None),
            "archive": " ".join(getattr(spider, "start_list", [])),
            "site": getattr(spider, "site", None),
            "tag": getattr(spider, "tag", None),
            "level": level,
            "monitor": monitor,
            "message": message,
        }
        self.alerts.append(alert)
        stats = self.crawler.stats
        stats.inc_value(f"akhbar/alerts/{level}")
        log = logger.error if level == "error" else logger.warning
        log("alert (%s) %s: %s [%s]", level, monitor, message, alert["archive"])
        if level == "error":
            mark_failed(stats, f"monitor/{monitor}")
        self._send(alert)
        return alert

    def _send(self, alert: dict[str, Any]) -> None:
        payload = json.dumps(alert, ensure_ascii=False).encode("utf-8")
        for way, target, deliver in (
            ("command", self.command, deliver_command),
            ("webhook", self.webhook, deliver_webhook),
        ):
            if not target:
                continue
            try:
                deliver(target, payload, self.timeout)
            except (OSError, subprocess.SubprocessError, ValueError) as exc:
                self.crawler.stats.inc_value("akhbar/alerts/delivery_failed")
                logger.warning("alert %s failed: %s", way, exc)
