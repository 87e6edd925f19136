"""The status page's pure parts: reading run reports, and the chart's bars."""

from __future__ import annotations

from datetime import date

from crawler.web.chart import daily_chart, window_end
from crawler.web.status import last_runs

MANIFEST = {  # a feed's latest.json
    "site": "s.example",
    "tag": "قمة",
    "start": "2026-12-01T08:00:00+00:00",
    "end": "2026-12-01T08:03:00+00:00",
    "finish_reason": "finished",
    "failures": [],
    "counts": {"items": 20, "new": 4, "unparsed_dates": 1},
}
REPORT_ARCHIVE = {  # the same run in a run report: figures at the top, with alerts
    "site": "s.example",
    "tag": "قمة",
    "status": "failed",
    "start": "2026-12-01T08:00:00+00:00",
    "items": 20,
    "new": 4,
    "alerts": [{"level": "error", "monitor": "empty", "message": "لا مواد"}],
}


def test_one_run_told_twice_is_merged_and_the_newest_run_wins():
    older = {**MANIFEST, "start": "2026-11-30T08:00:00+00:00", "end": "2026-11-30T08:01:00+00:00"}
    run = last_runs([older, MANIFEST, REPORT_ARCHIVE])[("s.example", "قمة")]
    assert (run.when, run.items, run.new, run.unparsed_dates) == ("2026-12-01T08:03:00+00:00", 20, 4, 1)
    assert run.alerts == ("لا مواد",)
    assert run.ok is False  # the report says the archive failed
    assert last_runs([MANIFEST])[("s.example", "قمة")].ok is True
    assert last_runs([{"site": "s.example"}, {"tag": "x"}]) == {}


def test_chart_has_thirty_days_newest_at_the_left():
    chart = daily_chart({"2026-12-06": 4, "2026-12-05": 2, "2026-11-07": 1, "2026-11-06": 9}, date(2026, 12, 6))
    assert len(chart.bars) == 30
    assert (chart.last, chart.first) == ("2026-12-06", "2026-11-07")
    assert [b.count for b in chart.bars[:3]] == [4, 2, 0]
    assert chart.bars[-1].count == 1 and chart.total == 7  # 2026-11-06 is outside the window
    assert chart.bars[0].x < chart.bars[1].x
    assert chart.bars[0].height > chart.bars[1].height > 0
    assert chart.bars[0].y + chart.bars[0].height == chart.height


def test_chart_window_ends_at_the_newest_day_or_today():
    assert window_end("2021-06-17", date(2026, 12, 6)) == date(2021, 6, 17)
    assert window_end("2027-01-01", date(2026, 12, 6)) == date(2026, 12, 6)  # a future date does not stretch it
    assert window_end(None, date(2026, 12, 6)) == date(2026, 12, 6)
