"""A listing card's date from everything in the card (crawler/extract/card_dates.py)."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.extract.card_dates import card_date

TITLE = "وزارة الثروة السمكية تعلن فتح موسم اصطياد الجمبري"


def date_of(inner: str) -> tuple[str | None, str | None, bool]:
    card = lxml.html.fragment_fromstring(f'<div class="card"><h5><a href="/n/1">{TITLE}</a></h5>{inner}</div>')
    found = card_date(card, TITLE)
    return found.raw, found.source, found.disagreement


@pytest.mark.parametrize(
    ("inner", "raw"),
    [
        ('<small class="text-muted"><i></i> 07/12/2021 &nbsp; <i></i> 02:20 م</small>', "07/12/2021 02:20 م"),
        ("<span>٥ ديسمبر ٢٠٢١</span>", "٥ ديسمبر ٢٠٢١"),
        ("<span>منذ <!-- -->4<!-- --> ساعات</span>", "منذ 4 ساعات"),
        ("<span>1443/05/03 هـ</span>", "1443/05/03 هـ"),
        ("<p><span>07/12/2021</span> · <span>5 دقائق قراءة</span></p>", "07/12/2021"),
        ("<div><span>الكاتب: سالم</span><span>37 تعليقا</span></div>", None),
    ],
)
def test_printed_dates_are_found_in_any_short_text(inner, raw):
    assert date_of(inner)[0] == raw


def test_a_number_in_the_title_is_not_a_date():
    card = lxml.html.fragment_fromstring('<div><h3><a href="/n/2">البورصة تربح 12 مليار جنيه في 2021</a></h3></div>')
    assert card_date(card, "البورصة تربح 12 مليار جنيه في 2021").raw is None


@pytest.mark.parametrize(
    ("inner", "raw"),
    [
        (
            '<amp-timeago datetime="2021-12-07T10:00:00Z" layout="fixed">قبل 5 ساعات</amp-timeago>',
            "2021-12-07T10:00:00Z",
        ),
        ('<span class="ts" data-timestamp="1638871200">قبل ساعة</span>', "2021-12-07T10:00:00+00:00"),
        ('<span data-published-time="2021-12-07T13:00:00+03:00">اليوم</span>', "2021-12-07T13:00:00+03:00"),
    ],
)
def test_machine_readable_attributes_come_first(inner, raw):
    assert date_of(inner)[:2] == (raw, "time-tag")


def test_structured_wins_over_text_and_the_disagreement_is_reported():
    inner = '<time datetime="2021-12-07T10:00:00+03:00"></time><span>3 نوفمبر 2021</span>'
    assert date_of(inner) == ("2021-12-07T10:00:00+03:00", "time-tag", True)
    agreeing = '<time datetime="2021-12-07T10:00:00+03:00"></time><span>7 ديسمبر 2021</span>'
    assert date_of(agreeing)[2] is False
