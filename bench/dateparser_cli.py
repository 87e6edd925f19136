"""The baseline arm of ``bench/dates.py``: dateparser behind the same command line as ``python -m crawler.dates``.

    python bench/dateparser_cli.py --now 2021-12-07T15:00:00+03:00 [--tz Asia/Riyadh] [--order DMY] < dates.txt

It is the text parser akhbar used before its own (``languages=['ar']``, the site's date
order, ``RELATIVE_BASE`` from ``--now`` shifted into the zone), with the same output rules:
a day is ``YYYY-MM-DD``, a time takes the zone, anything else is an empty line.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

from crawler.dates.cli import write_lines

_RELATIVE = re.compile(r"منذ|قبل|أمس|الأمس|البارحة|اليوم|الآن")


def parse(parser: DateDataParser, raw: str, local_now: datetime, tz: tzinfo | None) -> str | None:
    """What the interim pipeline returned for one text."""
    data = parser.get_date_data(raw)
    if data.date_obj is None or data.period not in {"day", "time"}:
        return None
    if data.period == "day":
        return data.date_obj.date().isoformat()
    value = data.date_obj
    if value.tzinfo is None:
        value = value.replace(tzinfo=local_now.tzinfo if _RELATIVE.search(raw) else tz)
    return value.replace(microsecond=0).isoformat()


def main() -> int:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--now", required=True, type=datetime.fromisoformat)
    args.add_argument("--tz", type=ZoneInfo)
    args.add_argument("--order", default="DMY")
    opts = args.parse_args()
    tz = opts.tz or opts.now.tzinfo
    local_now = opts.now.astimezone(tz)
    parser = DateDataParser(
        languages=["ar"],
        settings={
            "DATE_ORDER": opts.order,
            "PREFER_DATES_FROM": "past",
            "RETURN_TIME_AS_PERIOD": True,
            "RELATIVE_BASE": local_now.replace(tzinfo=None, microsecond=0),
        },
    )
    sys.stdin.reconfigure(encoding="utf-8", errors="replace")
    sys.stdout.reconfigure(encoding="utf-8")
    # The same output path as akhbar's command, so that the two arms differ only in the parser.
    write_lines(
        ((parse(parser, line.strip(), local_now, tz) if line.strip() else None) or "" for line in sys.stdin), sys.stdout
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
