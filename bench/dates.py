"""Date parsing speed and accuracy: akhbar's parser against dateparser, as whole processes, on the same texts.

    python bench/dates.py [--count 20000] [--rounds 3] [--seed 2021]
    python bench/dates.py --battery

The first form generates ``--count`` distinct, realistic date texts (every month family
and spelling, the three digit scripts and their mix, weekday prefixes, labels, clock
styles, numeric dates, double month names, Hijri and the Saudi «الموافق» form, relative
phrases, ISO and GMT forms). Each text's true value is known from how it was rendered
(tests/date_forms.py), never from a parser. They go to a temporary file, and two
commands read it on stdin, alternately A B A B A B:

    A  python -m crawler.dates --now 2021-12-07T15:00:00+03:00 --tz Asia/Riyadh
    B  python bench/dateparser_cli.py  (same arguments; dateparser, languages=['ar'], DMY, RELATIVE_BASE)

calls/s is texts / wall time of the whole process, start-up included; the report gives
the median round, the ratio, how often the arms agree, and each arm's right / wrong /
empty against the truth. akhbar's parser has no cache, so its figure is the uncached one.

``--battery`` compares the two on tests/data/arabic_dates.tsv instead, in process, and
counts what dateparser would add as a fallback where akhbar's parser returns nothing; it
also scores akhbar on the peer-style expressions of tests/data/peer_style_dates.tsv.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.machine import describe  # noqa: E402
from crawler.text import collapse_whitespace  # noqa: E402
from tests import date_forms as forms  # noqa: E402

NOW = "2021-12-07T15:00:00+03:00"
TZ = "Asia/Riyadh"
LOCAL_NOW = datetime.fromisoformat(NOW).astimezone(ZoneInfo(TZ))
ARAB_FAMILIES = ("msa", "levantine", "maghrebi", "moroccan")


def _local(day: date, at: clock_time | None, offset: str = "+03:00") -> str:
    return day.isoformat() if at is None else f"{day.isoformat()}T{at.isoformat()}{offset}"


def _clocked(rng: random.Random, text: str, day: date) -> tuple[str, str]:
    """Maybe a printed time before or after ``text``; the truth takes the site zone (+03:00)."""
    if rng.random() < 0.45:
        return text, day.isoformat()
    at = clock_time(rng.randrange(24), rng.randrange(60), rng.randrange(60))
    style = rng.choice(["24h", "24h", "12h-am-pm", "12h-am-pm", "hour-label", "24h-seconds"])
    shown = forms.clock(at, style, rng.randrange(5))
    at = at if style == "24h-seconds" else at.replace(second=0)
    text = f"{shown} {text}" if rng.random() < 0.15 else f"{text}{rng.choice([' ', ' - ', ' | ', '، '])}{shown}"
    return text, _local(day, at)


def _named(rng: random.Random, day: date) -> tuple[str, str]:
    family = rng.choice([*ARAB_FAMILIES, "msa", "msa", "levantine", "english"])
    month = rng.choice(forms.MONTHS[family][day.month - 1])
    style = "mdy" if family == "english" else rng.choice(["dmy", "dmy", "dmy-era", "mdy"])
    text = forms.named(day, month, style, pad=rng.random() < 0.5)
    if family != "english":
        text = rng.choice(forms.LABELS) + forms.weekday(day, rng.randrange(len(forms.WEEKDAY_STYLES))) + text
    text, truth = _clocked(rng, text, day)
    return (text if family == "english" else forms.to_digits(text, rng.choice(forms.DIGIT_SCRIPTS))), truth


def _double(rng: random.Random, day: date) -> tuple[str, str]:
    msa = rng.choice(forms.MONTHS["msa"][day.month - 1])
    other = rng.choice(forms.MONTHS[rng.choice(["levantine", "maghrebi"])][day.month - 1])
    shape = rng.choice(["{a}/{b}", "{a} / {b}", "{b} ({a})", "{a} {b}", "{b}/ {a}"])
    return _clocked(rng, f"{day.day} {shape.format(a=msa, b=other)} {day.year}", day)


def _numeric(rng: random.Random, day: date) -> tuple[str, str]:
    text = forms.numeric(day, rng.choice(["/", "-", ".", " / "]), rng.choice(["DMY", "DMY", "YMD"]))
    text = forms.weekday(day, rng.randrange(len(forms.WEEKDAY_STYLES))) + text
    text, truth = _clocked(rng, text, day)
    return forms.to_digits(text, rng.choice(forms.DIGIT_SCRIPTS)), truth


def _hijri(rng: random.Random, day: date) -> tuple[str, str]:
    text = forms.weekday(day, rng.randrange(len(forms.WEEKDAY_STYLES)))
    text += forms.hijri(day, rng.randrange(2), rng.choice([" هـ", "هـ", " ه"]))
    if rng.random() < 0.4:  # the Saudi form: the Gregorian day is the truth even when the Hijri is a day off
        shifted = forms.hijri(day + timedelta(days=rng.choice([0, 0, -1, 1])), rng.randrange(2), "هـ")
        gregorian = forms.named(day, rng.choice(forms.MONTHS["msa"][day.month - 1]), "dmy-era")
        text = forms.weekday(day, rng.randrange(len(forms.WEEKDAY_STYLES))) + f"{shifted} الموافق {gregorian}"
    return forms.to_digits(text, rng.choice(forms.DIGIT_SCRIPTS)), day.isoformat()


def _relative(rng: random.Random, day: date) -> tuple[str, str]:
    kind = rng.randrange(4)
    if kind == 0:
        minutes = rng.randrange(1, 60 * 48)
        hours, rest = divmod(minutes, 60)
        text = f"منذ {hours} ساعة" if hours and not rest else f"منذ {minutes} دقيقة"
        if hours and not rest:
            minutes = hours * 60
        instant = LOCAL_NOW - timedelta(minutes=minutes)
        return rng.choice(["", "آخر تحديث: "]) + text.replace("منذ", rng.choice(["منذ", "قبل"])), instant.isoformat()
    if kind == 1:
        days = rng.randrange(3, 400)
        return f"منذ {days} أيام", (LOCAL_NOW.date() - timedelta(days=days)).isoformat()
    word, back = rng.choice([("أمس", 1), ("الأمس", 1), ("يوم أمس", 1), ("أول أمس", 2), ("اليوم", 0)])
    at = clock_time(rng.randrange(24), rng.randrange(60))
    return f"{word} {forms.clock(at, '24h')}", _local(LOCAL_NOW.date() - timedelta(days=back), at)


def _structured(rng: random.Random, day: date) -> tuple[str, str]:
    at = clock_time(rng.randrange(24), rng.randrange(60), rng.randrange(60))
    kind = rng.randrange(4)
    if kind == 0:
        offset = rng.choice(["+03:00", "+02:00", "+04:00", "+00:00", "+01:00"])
        return f"{day.isoformat()}T{at.isoformat()}{offset}", _local(day, at, offset)
    if kind == 1:  # sputnik
        return f"GMT {at.hour:02d}:{at.minute:02d} {forms.numeric(day, '.', 'DMY')}", _local(
            day, at.replace(second=0), "+00:00"
        )
    if kind == 2:  # cnn
        month = rng.choice(forms.MONTHS["levantine"][day.month - 1]) + "/" + forms.MONTHS["msa"][day.month - 1][0]
        text = f"{forms.weekday(day, 2)}{day.day:02d} {month} {day.year}، آخر تحديث {at.hour:02d}:{at.minute:02d} "
        return text + "(GMT+0400)", _local(day, at.replace(second=0), "+04:00")
    zone, offset = rng.choice([("بتوقيت مكة", "+03:00"), ("بتوقيت غرينتش", "+00:00"), ("GMT+3", "+03:00")])
    text = f"{forms.named(day, forms.MONTHS['msa'][day.month - 1][0], 'dmy')} {at.hour:02d}:{at.minute:02d} {zone}"
    return text, _local(day, at.replace(second=0), offset)


KINDS = [(_named, 50), (_double, 6), (_numeric, 14), (_hijri, 8), (_relative, 10), (_structured, 12)]


def generate(count: int, seed: int) -> list[tuple[str, str]]:
    """``count`` distinct (text, true ISO value) pairs."""
    rng = random.Random(seed)
    makers = [maker for maker, weight in KINDS for _ in range(weight)]
    first, span = date(2000, 1, 1).toordinal(), (LOCAL_NOW.date() - date(2000, 1, 1)).days
    texts: dict[str, str] = {}
    while len(texts) < count:
        day = date.fromordinal(first + rng.randrange(span))
        text, truth = rng.choice(makers)(rng, day)
        texts.setdefault(collapse_whitespace(text), truth)
    return list(texts.items())


def run_arm(command: list[str], path: Path, env: dict[str, str]) -> tuple[float, list[str]]:
    with path.open("rb") as stdin:
        start = time.perf_counter()
        result = subprocess.run(command, stdin=stdin, capture_output=True, cwd=ROOT, env=env, check=True)
        elapsed = time.perf_counter() - start
    return elapsed, result.stdout.decode("utf-8").split("\n")[:-1]


def child_env(pycache: Path) -> dict[str, str]:
    """Both arms run as an installed deployment would: with bytecode caching (dateparser's
    site-packages already have .pyc files; akhbar's modules would otherwise be compiled at
    every start), cached in a temporary directory, not in the tree."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(pycache)}


def score(answers: list[str], truths: list[str]) -> Counter[str]:
    return Counter("right" if a == t else "wrong" if a else "empty" for a, t in zip(answers, truths, strict=True))


def speed(count: int, rounds: int, seed: int) -> None:
    cases = generate(count, seed)
    texts, truths = [t for t, _ in cases], [v for _, v in cases]
    args = ["--now", NOW, "--tz", TZ]
    arms = {
        "akhbar": [sys.executable, "-m", "crawler.dates", *args],
        "dateparser": [sys.executable, str(ROOT / "bench" / "dateparser_cli.py"), *args],
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dates.txt"
        path.write_text("\n".join(texts) + "\n", encoding="utf-8")
        empty = Path(tmp) / "empty.txt"
        empty.write_text("", encoding="utf-8")
        env = child_env(Path(tmp) / "pycache")
        print(f"machine: {describe()}")
        print(f"input: {len(texts):,} distinct texts, {path.stat().st_size:,} bytes; --now {NOW} --tz {TZ}")
        for command in arms.values():  # warm-up: writes the bytecode cache
            run_arm(command, empty, env)
        times: dict[str, list[float]] = {name: [] for name in arms}
        answers: dict[str, list[str]] = {}
        for r in range(rounds):
            for name, command in arms.items():
                elapsed, out = run_arm(command, path, env)
                assert len(out) == len(texts), f"{name}: {len(out)} lines for {len(texts)} texts"
                times[name].append(elapsed)
                answers[name] = out
                print(f"round {r + 1} {name:10} {elapsed:7.3f} s  {len(texts) / elapsed:10,.0f} calls/s")
        startup = {
            name: statistics.median(run_arm(command, empty, env)[0] for _ in range(3)) for name, command in arms.items()
        }
    rate = {name: len(texts) / statistics.median(t) for name, t in times.items()}
    print()
    for name in arms:
        print(
            f"{name:10} median {statistics.median(times[name]):7.3f} s = {rate[name]:10,.0f} calls/s "
            f"(whole process; start-up alone {startup[name]:.3f} s)"
        )
    print(f"ratio: akhbar / dateparser = {rate['akhbar'] / rate['dateparser']:.1f}x (target >= 20x)")
    ours, theirs = answers["akhbar"], answers["dateparser"]
    agree = Counter(
        "same" if a == b else "only akhbar answers" if not b else "only dateparser answers" if not a else "differ"
        for a, b in zip(ours, theirs, strict=True)
    )
    print("agreement: " + ", ".join(f"{k} {v:,}" for k, v in sorted(agree.items())))
    for name in arms:
        s = score(answers[name], truths)
        print(
            f"{name:10} vs truth: right {s['right']:,} ({s['right'] / len(texts):.1%}), "
            f"wrong {s['wrong']:,}, empty {s['empty']:,}"
        )
    _in_process(texts)


def _in_process(texts: list[str]) -> None:
    """The parser alone, without process start-up (no cache anywhere, so this is the uncached figure)."""
    from crawler.dates import load_timezone, parse_text

    now, tz = datetime.fromisoformat(NOW), load_timezone(TZ)
    start = time.perf_counter()
    for text in texts:
        parse_text(text, now, tz)
    elapsed = time.perf_counter() - start
    per_call = elapsed / len(texts) * 1e6
    print(f"akhbar in process (no cache): {len(texts) / elapsed:,.0f} calls/s, {per_call:.1f} us/call")


def battery() -> None:
    """Both parsers on the hand-written battery; what a dateparser fallback would add."""
    from dateparser.date import DateDataParser

    from bench.dateparser_cli import parse
    from crawler.dates import load_timezone
    from tests.test_date_battery import battery as cases
    from tests.test_date_battery import run, score_peer

    ours, theirs, fallback = Counter(), Counter(), Counter()
    dated = left_empty = 0
    for _, raw, now, tz_name, order, expected in cases():
        tz = load_timezone(tz_name)
        local = datetime.fromisoformat(now).astimezone(tz) if tz else datetime.fromisoformat(now)
        parser = DateDataParser(
            languages=["ar"],
            settings={
                "DATE_ORDER": order,
                "PREFER_DATES_FROM": "past",
                "RETURN_TIME_AS_PERIOD": True,
                "RELATIVE_BASE": local.replace(tzinfo=None),
            },
        )
        a, b = run(raw, now, tz_name, order), parse(parser, raw, local, tz) or ""
        dated += bool(expected)
        left_empty += not a
        ours["right" if a == expected else "wrong" if a else "missed"] += 1
        theirs["right" if b == expected else "wrong" if b else "missed"] += 1
        if not a and b:
            fallback["right" if b == expected else "wrong"] += 1
    total = sum(ours.values())
    print(f"battery: {total} cases, {dated} with a date, {total - dated} that cannot be told (expected empty)")
    for name, c in (("akhbar", ours), ("dateparser", theirs)):
        print(f"{name:10} right {c['right']} ({c['right'] / total:.1%}), wrong {c['wrong']}, missed {c['missed']}")
    print(
        f"dateparser as a fallback, on the {left_empty} texts akhbar leaves empty: "
        f"right {fallback['right']}, wrong {fallback['wrong']}, empty {left_empty - sum(fallback.values())}"
    )
    counts, _ = score_peer()
    total = sum(counts.values())
    print(
        f"peer-style set (tests/data/peer_style_dates.tsv): {total} expressions; akhbar right {counts['right']} "
        f"({counts['right'] / total:.1%}), wrong {counts['wrong']}, empty {counts['empty']}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000, help="distinct texts to generate (default 20000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of A B (default 3)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--battery", action="store_true", help="compare on tests/data/arabic_dates.tsv instead")
    args = parser.parse_args()
    if args.battery:
        battery()
    else:
        speed(args.count, args.rounds, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
