"""Whether a run failed: the one rule ``scrapy crawl``'s exit code and ``make demo`` share.

A component that loses items or cannot start counts ``akhbar/run/failed/<reason>``;
a run failed when any such counter exists or it finished for another reason than
``finished`` (shutdown, closespider limits, an exception).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

RUN_FAILED = "akhbar/run/failed"


class Stats(Protocol):
    """The part of Scrapy's stats collector a failure is recorded in."""

    def inc_value(self, key: str, count: int = 1, start: int = 0) -> None: ...


def mark_failed(stats: Stats, reason: str) -> None:
    """Record why the run failed; ``run_failures`` turns it into a failed run."""
    stats.inc_value(f"{RUN_FAILED}/{reason}")


def run_failures(stats: Mapping[str, object]) -> list[str]:
    """Why a finished crawl counts as failed; empty when it did its job."""
    reasons = [key.removeprefix(f"{RUN_FAILED}/") for key in stats if key.startswith(f"{RUN_FAILED}/")]
    finish = stats.get("finish_reason")
    if finish not in (None, "finished"):
        reasons.append(f"finish_reason={finish}")
    return reasons
