"""Entries per day as bars: the geometry of the status page's inline SVG chart, drawn on the server.

Pure arithmetic; the template (``templates/status.html``) writes the ``<rect>`` elements. Time
runs right to left, as the page reads: the oldest day at the right edge, the newest at the left.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import NamedTuple

DAYS = 30
WIDTH, HEIGHT, GAP = 300, 60, 2


class Bar(NamedTuple):
    day: str
    count: int
    x: float
    y: float
    width: float
    height: float


class Chart(NamedTuple):
    first: str
    last: str
    peak: int
    total: int
    bars: tuple[Bar, ...]
    width: int = WIDTH
    height: int = HEIGHT


def window_end(latest_day: str | None, today: date) -> date:
    """The chart's last day: today, or the tag's newest day when that is earlier (a replayed or
    stalled archive still shows its last month rather than thirty empty days)."""
    if latest_day is None:
        return today
    return min(date.fromisoformat(latest_day), today)


def daily_chart(counts: Mapping[str, int], end: date, days: int = DAYS) -> Chart:
    """Bars for the ``days`` days ending at ``end``, newest at the left."""
    span = [end - timedelta(days=n) for n in range(days)]  # newest first = left to right
    peak = max((counts.get(d.isoformat(), 0) for d in span), default=0)
    step = WIDTH / days
    bars = []
    for i, day in enumerate(span):
        n = counts.get(day.isoformat(), 0)
        height = 0.0 if peak == 0 else max(1.0, (HEIGHT - 1) * n / peak) if n else 0.0
        bars.append(
            Bar(
                day.isoformat(),
                n,
                round(i * step, 2),
                round(HEIGHT - height, 2),
                round(step - GAP, 2),
                round(height, 2),
            )
        )
    return Chart(span[-1].isoformat(), span[0].isoformat(), peak, sum(b.count for b in bars), tuple(bars))
