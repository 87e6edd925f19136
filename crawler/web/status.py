"""The status page's figures: per site and tag, what the store holds and what the last run said.

Run figures come from the run reports ``scrapy crawl`` writes (each feed folder's
``latest.json``, and the reports under ``AKHBAR_RUNS_DIR`` when scheduled runs write them),
read as they are found; a tag no report mentions shows what the store knows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

from crawler.web.chart import Chart, daily_chart, window_end
from crawler.web.queries import TagSummary

# Newest reports only: enough to find every archive's last run without reading years of history.
REPORTS_READ = 200


class LastRun(NamedTuple):
    """One archive's last run as its report tells it; a figure the report lacks is ``None``."""

    started: str | None
    when: str | None
    items: int | None
    new: int | None
    unparsed_dates: int | None
    alerts: tuple[str, ...]
    ok: bool


class StatusRow(NamedTuple):
    summary: TagSummary
    run: LastRun | None
    chart: Chart


def _count(counts: Mapping[str, Any], *names: str) -> int | None:
    return next((int(counts[n]) for n in names if isinstance(counts.get(n), int)), None)


def _alert_text(alert: object) -> str:
    if isinstance(alert, Mapping):
        return str(alert.get("message") or alert.get("name") or json.dumps(alert, ensure_ascii=False))
    return str(alert)


def last_run(record: Mapping[str, Any]) -> LastRun:
    """A feed's ``latest.json`` or one archive of a run report, read for the page.

    Figures sit at the top level (run reports) or under ``counts`` (feed manifests)."""
    counts = {**record.get("counts", {}), **record}
    return LastRun(
        started=record.get("start"),
        when=record.get("end") or record.get("start"),
        items=_count(counts, "items"),
        new=_count(counts, "new", "dedup/new"),
        unparsed_dates=_count(counts, "unparsed_dates"),
        alerts=tuple(_alert_text(a) for a in record.get("alerts") or ()),
        ok=record.get("status", "ok") == "ok"
        and not record.get("failures")
        and record.get("finish_reason") in (None, "finished"),
    )


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # half a file or a foreign one: the page shows the store's figures instead


def run_records(feeds_root: Path | None, runs_dir: Path | None) -> Iterator[Mapping[str, Any]]:
    """Archive records, each with ``site`` and ``tag``: feed manifests, then run reports newest first."""
    if feeds_root is not None and feeds_root.is_dir():
        for path in feeds_root.rglob("latest.json"):
            record = _read(path)
            if isinstance(record, dict):
                yield record
    if runs_dir is not None and runs_dir.is_dir():
        reports = sorted((p for p in runs_dir.glob("*.json") if p.name != "latest.json"), reverse=True)
        for path in reports[:REPORTS_READ]:
            report = _read(path)
            if isinstance(report, dict):
                yield from (a for a in report.get("archives", ()) if isinstance(a, dict))


def last_runs(records: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], LastRun]:
    """The most recent run of each site and tag (by start); what one report of a run lacks,
    another of the same run may give (the feed's ``latest.json`` has no alerts)."""
    runs: dict[tuple[str, str], LastRun] = {}
    for record in records:
        site, tag = record.get("site"), record.get("tag")
        if not isinstance(site, str) or not isinstance(tag, str):
            continue
        run, known = last_run(record), runs.get((site, tag))
        if known is None or (run.started or "") > (known.started or ""):
            runs[(site, tag)] = run
        elif run.started == known.started:  # one run told twice (feed manifest, run report): merge
            merged = (mine if mine not in (None, ()) else theirs for mine, theirs in zip(known, run, strict=True))
            runs[(site, tag)] = LastRun(*merged)._replace(ok=known.ok and run.ok)
    return runs


def status_rows(
    summaries: Sequence[TagSummary],
    counts: Mapping[tuple[str, str], Mapping[str, int]],
    runs: Mapping[tuple[str, str], LastRun],
    today: date,
) -> list[StatusRow]:
    """One row per site and tag, with its chart of the 30 days up to its newest entry (or today)."""
    rows = []
    for summary in summaries:
        daily = counts.get((summary.site, summary.tag), {})
        end = window_end(max(daily, default=None), today)
        rows.append(StatusRow(summary, runs.get((summary.site, summary.tag)), daily_chart(daily, end)))
    return rows
