"""Run reports: what a scheduled run did, per archive, for the operator and the next run.

A run writes ``<AKHBAR_RUNS_DIR>/<run id>.json`` when it starts (status
``running``, its pid) and again when it ends, plus ``latest.json``. A report
still ``running`` when the next run takes the lock belongs to a run that was
killed: the next run marks it ``interrupted`` and names it in its own report.
Files are written under a temporary name and renamed, so a reader never sees
half a report. Pure: no Scrapy; the figures come from a run's stats mapping.
"""

from __future__ import annotations

import json
import os
import statistics
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler.run_status import run_failures

LATEST = "latest.json"
# Item counters that are not drops: counted for the run, but the item was kept.
NOT_DROPS = ("akhbar/dedup/known", "akhbar/dedup/new")
DROP_PREFIXES = ("akhbar/dedup/", "akhbar/validate/")


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, file-name-safe id; microseconds so two runs in one second stay apart."""
    return (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H-%M-%S-%fZ")


def iso(value: object) -> str | None:
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else None


def by_reason(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """``{reason: count}`` for the counters ``<prefix><reason>`` (one level deep)."""
    return {
        key.removeprefix(prefix): value
        for key, value in sorted(stats.items())
        if key.startswith(prefix) and "/" not in key.removeprefix(prefix)
    }


def drops(stats: Mapping[str, Any]) -> dict[str, int]:
    """Dropped items by reason (``dedup/by_url``, ``validate/missing_title``, ...)."""
    return {
        key.removeprefix("akhbar/"): value
        for key, value in sorted(stats.items())
        if key.startswith(DROP_PREFIXES) and key.count("/") == 2 and key not in NOT_DROPS
    }


def archive_counts(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The figures of one archive's crawl, shared by the run report and the feed's ``latest.json``.

    ``new``: first time in the store; ``updated``: an article the store held, stored again with
    this run's copy (plain runs); ``already_seen``: held and only marked seen (incremental runs).
    """
    known, seen_before = stats.get("akhbar/dedup/known", 0), stats.get("akhbar/dedup/seen_before", 0)
    return {
        "listing_pages": stats.get("akhbar/pages/listing", 0),
        "article_pages": stats.get("akhbar/pages/article", 0),
        "entries": stats.get("akhbar/listing/entries", 0),
        "items": stats.get("item_scraped_count", 0),
        "new": stats.get("akhbar/dedup/new", 0),
        "updated": known - seen_before,
        "already_seen": seen_before,
        "dropped": stats.get("item_dropped_count", 0),
        "drops": drops(stats),
        "unparsed_dates": stats.get("akhbar/dates/unparsed", 0),
        "article_failures": by_reason(stats, "akhbar/article/failed/"),
        "listing_failures": by_reason(stats, "akhbar/listing/failed/"),
        "errors": stats.get("log_count/ERROR", 0),
    }


def archive_record(
    args: Mapping[str, str],
    site: str | None,
    tag: str | None,
    stats: Mapping[str, Any] | None,
    feed: str | None,
    alerts: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """One archive's entry in the run report; ``stats`` is ``None`` when it never started."""
    if stats is None:
        return {"url": args.get("url"), "site": site, "tag": tag, "status": "not_run", "failures": ["not started"]}
    failures = run_failures(stats)
    return {
        "url": args.get("url"),
        "site": site,
        "tag": tag,
        "status": "failed" if failures else "ok",
        "failures": failures,
        "start": iso(stats.get("start_time")),
        "finish_reason": stats.get("finish_reason"),
        **archive_counts(stats),
        "feed": feed,
        "alerts": list(alerts),
    }


def totals(archives: Sequence[Mapping[str, Any]]) -> dict[str, int]:
    keys = ("listing_pages", "article_pages", "entries", "items", "new", "updated", "already_seen", "dropped")
    return {key: sum(a.get(key, 0) for a in archives) for key in keys}


def write_json(path: Path, record: Mapping[str, Any]) -> None:
    """Write whole or not at all: a temporary name in the same folder, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def reports(runs_dir: Path) -> list[Path]:
    """Run reports, newest first (ids sort by time)."""
    return sorted((p for p in runs_dir.glob("*.json") if p.name != LATEST), reverse=True)


def pid_alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_interrupted(runs_dir: Path, by: str) -> list[str]:
    """Reports left ``running`` by a dead process become ``interrupted``; returns their run ids.

    Called with the lock held, so no live run of this store can be among them.
    """
    found = []
    for path in reports(runs_dir):
        report = read_json(path)
        if report and report.get("status") == "running" and not pid_alive(report.get("pid")):
            report.update(status="interrupted", interrupted_noted_by=by)
            write_json(path, report)
            found.append(report["run_id"])
    return found


def archive_key(start_urls: Sequence[str]) -> str:
    """An archive's stable name across runs: its start URL(s)."""
    return " ".join(start_urls)


def seen_items(counts: Mapping[str, Any]) -> int:
    """Items the archive gave: emitted, or (incremental) known and only marked seen.

    Takes a report entry or a run's stats."""
    if "items" in counts:
        return int(counts.get("items", 0)) + int(counts.get("already_seen", 0))
    return int(counts.get("item_scraped_count", 0)) + int(counts.get("akhbar/dedup/seen_before", 0))


def item_history(runs_dir: Path, key: str, incremental: bool, limit: int, scan: int = 100) -> list[int]:
    """:func:`seen_items` of archive ``key`` in up to ``limit`` earlier finished runs of the same
    mode (plain or incremental), newest first."""
    counts: list[int] = []
    for path in reports(runs_dir)[:scan]:
        report = read_json(path) or {}
        if report.get("status") in ("running", "interrupted"):
            continue
        for archive in report.get("archives", []):
            same = archive.get("key") == key and bool(archive.get("incremental")) == incremental
            if same and archive.get("status") != "not_run":
                counts.append(seen_items(archive))
        if len(counts) >= limit:
            break
    return counts[:limit]


def median_or_none(values: Sequence[int]) -> float | None:
    return statistics.median(values) if values else None


def relative_to(folder: Path, path: str | None) -> str | None:
    """``path`` as seen from ``folder`` (``../feeds/site/tag/run.jsonl``), so a report moves with its data."""
    return os.path.relpath(path, folder) if path else None


def table(archives: Sequence[Mapping[str, Any]]) -> str:
    """The short table printed at the end of a run."""
    lines = [f"{'archive':<48} {'status':<8} {'pages':>5} {'items':>5} {'new':>5} {'alerts':>6}"]
    for a in archives:
        label = a.get("key") or a.get("url") or "?"
        label = label if len(label) <= 48 else "…" + label[-47:]
        pages = a.get("listing_pages", 0) + a.get("article_pages", 0)
        lines.append(
            f"{label:<48} {a['status']:<8} {pages:>5} {a.get('items', 0):>5} {a.get('new', 0):>5} "
            f"{len(a.get('alerts', [])):>6}"
        )
        lines.extend(f"{'':<4}FAILED: {reason}" for reason in a.get("failures", []))
    return "\n".join(lines)
