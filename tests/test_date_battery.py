"""The date battery (tests/data/arabic_dates.tsv) and the real pages' printed dates.

The battery's expected values are written by hand from what each text means, never
produced by the parser. A wrong answer (a date that is not the expected one, or a date
where the truth is "cannot tell") fails the test outright; a miss only costs accuracy.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from parsel import Selector

from crawler.dates import load_timezone, resolve_date
from crawler.text import collapse_whitespace
from tests.support import SHARED

BATTERY = Path(__file__).resolve().parent / "data" / "arabic_dates.tsv"
REAL_PAGES = SHARED / "real-pages"


def battery() -> list[tuple[int, str, str, str, str, str]]:
    """(line number, raw, now, tz, order, expected) for every case."""
    cases = []
    lines = BATTERY.read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, 1):
        if not line or line.startswith("#") or line.startswith("raw\t"):
            continue
        raw, now, tz, order, expected = line.split("\t")
        raw = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), raw)
        cases.append((number, raw, now, tz, order or "DMY", expected))
    return cases


def run(raw: str, now: str, tz: str, order: str) -> str:
    return resolve_date(raw, "listing-text", datetime.fromisoformat(now), load_timezone(tz), order) or ""


def test_battery_is_large_and_well_formed():
    cases = battery()
    assert len(cases) >= 459  # the battery only grows: a lost line (a bad merge, a truncated file) fails here
    assert len({(raw, now, tz, order) for _, raw, now, tz, order, _ in cases}) == len(cases), "duplicate case"
    for number, _, now, tz, order, expected in cases:
        assert datetime.fromisoformat(now).tzinfo is not None, f"line {number}: now needs an offset"
        load_timezone(tz)
        assert order in ("DMY", "MDY", "YMD"), f"line {number}"
        if expected:
            assert datetime.fromisoformat(expected), f"line {number}"


def test_battery_accuracy_and_no_wrong_answers():
    cases = battery()
    wrong, missed = [], []
    for number, raw, now, tz, order, expected in cases:
        got = run(raw, now, tz, order)
        if got != expected:
            (wrong if got else missed).append(f"line {number}: {raw!r} -> {got!r}, want {expected!r}")
    accuracy = 1 - (len(wrong) + len(missed)) / len(cases)
    print(f"\nbattery: {len(cases)} cases, accuracy {accuracy:.2%}, {len(wrong)} wrong, {len(missed)} missed")
    print("\n".join(wrong + missed))
    assert not wrong, "wrong answers:\n" + "\n".join(wrong)
    assert accuracy >= 0.99, "misses:\n" + "\n".join(missed)


# The date each real page prints, where it prints it, and what it means (true dates: SOURCES.md).
REAL_DATES = [
    ("youm7.com", "span.newsStoryDate", "", "2020-08-24T09:23:00"),
    ("akhbarelyom.com", "div.post-meta-date", "Africa/Cairo", "2020-10-07T12:09:00+02:00"),
    ("almadenahnews.com", "div.main_artlce_title div.article_created", "Asia/Amman", "2020-04-24T21:22:00+03:00"),
    ("alyaum.com", "div.aksa-date", "Asia/Riyadh", "2020-12-01T02:00:00+03:00"),
    ("arabic.sputniknews.com", "time.b-article__refs-date", "", "2020-03-17T17:27:00+00:00"),
    ("arabic.cnn.com", "div.cnn_strytmstmp", "", "2013-08-04T02:21:00+04:00"),
    ("assabah.com.tn", "span.date-display-single", "Africa/Tunis", "2019-02-08"),
    ("elbaladtv.net", "div.entry-header div.jeg_meta_date a", "Africa/Cairo", "2020-12-25T01:59:00+02:00"),
    ("beirutobserver.com", "div.post-inner span.tie-date", "Asia/Beirut", "2020-11-09"),
    ("albayan.ae", "time.date.published", "Asia/Dubai", "2020-06-03"),
    ("lbcgroup.tv", "div.article_details_date span[id$=lblDate]", "", "2026-01-08T12:42:00"),
]


@pytest.mark.skipif(not REAL_PAGES.is_dir(), reason="../shared/real-pages is not on this machine")
@pytest.mark.parametrize(("site", "css", "tz", "expected"), REAL_DATES, ids=[r[0] for r in REAL_DATES])
def test_real_pages_printed_dates(site, css, tz, expected):
    (page,) = (REAL_PAGES / site).glob("*.html")
    element = Selector(text=page.read_bytes().decode("utf-8")).css(css)[0]
    printed = collapse_whitespace(" ".join(element.css("::text").getall()))
    fetched = datetime.fromisoformat(expected[:10] + "T23:00:00+00:00")  # relative forms are not on these pages
    assert resolve_date(printed, "article-text", fetched, load_timezone(tz)) == expected, printed


PEER = Path(__file__).resolve().parent / "data" / "peer_style_dates.tsv"


def peer_cases() -> list[tuple[int, str, str, str]]:
    """(line number, raw, now, truth) for every peer-style case."""
    lines = PEER.read_text(encoding="utf-8").split("\n")
    return [
        (number, *line.split("\t"))
        for number, line in enumerate(lines, 1)
        if line and not line.startswith("#") and not line.startswith("raw\t")
    ]


def peer_verdict(answer: str, truth: str) -> str:
    """``right``, ``wrong`` or ``empty``. A truth without an offset is a local time: the answer's
    offset (the reference's zone) is not compared; one with an offset is compared as an instant."""
    if not answer:
        return "empty"
    if truth == "span" or (len(answer) != len(truth) and (len(answer) == 10 or len(truth) == 10)):
        return "wrong"
    if len(truth) == 10:
        return "right" if answer == truth else "wrong"
    got, want = datetime.fromisoformat(answer), datetime.fromisoformat(truth)
    same = got == want if want.tzinfo else got.replace(tzinfo=None) == want
    return "right" if same else "wrong"


def score_peer() -> tuple[dict[str, int], list[str]]:
    """Counts by verdict on the peer-style set, and a line per case that is not right."""
    counts = {"right": 0, "wrong": 0, "empty": 0}
    notes = []
    for number, raw, now, truth in peer_cases():
        fetched = datetime.fromisoformat(now)
        answer = resolve_date(raw, "listing-text", fetched, fetched.tzinfo) or ""
        verdict = peer_verdict(answer, truth)
        counts[verdict] += 1
        if verdict != "right":
            notes.append(f"{verdict} line {number}: {raw!r} -> {answer!r}, truth {truth!r}")
    return counts, notes


def test_peer_style_expressions_are_read_or_left_empty_never_wrong():
    counts, notes = score_peer()
    total = sum(counts.values())
    print(f"\npeer-style: {total} cases, {counts}")
    print("\n".join(notes))
    assert total >= 200
    assert counts["wrong"] == 0, "\n".join(n for n in notes if n.startswith("wrong"))
    assert counts["right"] / total >= 0.6
