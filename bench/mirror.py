"""Generate a local mirror of tag archives for crawl benchmarks.

    python -m bench.mirror DIR [--tags 100] [--pages 20] [--entries 20] [--text-dates]

Every tag has ``--pages`` listing pages of ``--entries`` cards, about 60 KB each
with the chrome real WordPress archives carry: a long menu, a ticker, a
"الأكثر قراءة" sidebar reusing the card markup, numbered pagination and a footer.
Cards print an Arabic date as text and, unless ``--text-dates``, also in
``<time datetime>``. Pages are ``DIR/tag/<slug>/index.html`` and
``DIR/tag/<slug>/page/N/index.html``, so any static server can serve them.
"""

from __future__ import annotations

import argparse
import datetime
import random
from pathlib import Path

MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
LEVANTINE = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
             "تشرين الثاني", "كانون الأول"]  # fmt: skip
WEEKDAYS = ["الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]  # Monday first, as date.weekday()
WORDS = [
    *[
        "قمة",
        "بايدن",
        "بوتين",
        "جنيف",
        "روسيا",
        "أوكرانيا",
        "البيت",
        "الأبيض",
        "الكرملين",
        "عقوبات",
        "محادثات",
        "الرئيس",
        "وزير",
        "الخارجية",
    ],
    *[
        "الأمن",
        "الدولي",
        "اتفاق",
        "الطاقة",
        "النفط",
        "الغاز",
        "الحدود",
        "الجيش",
        "الانتخابات",
        "البرلمان",
        "الحكومة",
        "الاقتصاد",
    ],
]
ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def text_date(rng: random.Random, year: int, month: int, day: int, hour: int, minute: int) -> str:
    """One of the ways Arabic sites print a date, chosen at random."""
    style = rng.randrange(6)
    if style == 0:
        return f"{day} {MONTHS[month - 1]} {year}"
    if style == 1:
        clock = f"{hour % 12 or 12}:{minute:02d} {'م' if hour >= 12 else 'ص'}"
        weekday = WEEKDAYS[datetime.date(year, month, day).weekday()]  # the day's own: a wrong one is rightly refused
        return f"{weekday}، {day} {MONTHS[month - 1]} {year} {clock}"
    if style == 2:
        return f"{day} {LEVANTINE[month - 1]} {year}"
    if style == 3:
        return f"{day:02d}/{month:02d}/{year}"
    if style == 4:
        return f"{day} {MONTHS[month - 1]} {year}".translate(ARABIC_DIGITS)
    return f"منذ {rng.randrange(2, 11)} ساعات"


def card(rng: random.Random, n: int, href: str, with_time: bool, date: tuple[int, ...], cls: str) -> str:
    title = f"{sentence(rng, 7)} «{rng.choice(WORDS)}» {n}"
    year, month, day, hour, minute = date
    iso = f"{year}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00+03:00"
    time_tag = f'<time class="entry-date published" datetime="{iso}">' if with_time else '<span class="date">'
    close = "</time>" if with_time else "</span>"
    return (
        f'<article class="{cls} post-{n} post type-post status-publish format-standard has-post-thumbnail">'
        f'<div class="post-thumb"><a href="{href}" title="{title}" aria-label="{title}">'
        f'<img src="/img/{n}.jpg" alt="{title}" width="390" height="220" loading="lazy"></a></div>'
        f'<div class="post-details"><div class="post-meta"><span class="author">بقلم {rng.choice(WORDS)}</span> '
        f"{time_tag}{text_date(rng, *date)}{close}"
        f'<a class="category" href="/category/{rng.randrange(20)}/">{rng.choice(WORDS)}</a></div>'
        f'<h2 class="entry-title"><a href="{href}">{title}</a></h2>'
        f'<p class="post-excerpt">{sentence(rng, 35)}…</p>'
        f'<a class="more-link" href="{href}">اقرأ المزيد</a></div></article>\n'
    )


def page(rng: random.Random, tag: int, number: int, pages: int, entries: int, with_time: bool) -> str:
    base = f"/tag/tag-{tag}/"
    menu = "".join(f'<li class="menu-item"><a href="/category/{i}/">{sentence(rng, 2)}</a></li>' for i in range(120))
    ticker = "".join(f'<li><a href="/news/ticker-{tag}-{i}/">{sentence(rng, 8)}</a></li>' for i in range(10))
    sidebar = "".join(
        card(rng, 90_000 + i, f"/news/popular-{i}/", with_time, (2021, 5, 1 + i, 9, 0), "widget-post")
        for i in range(10)
    )
    cards = "".join(
        card(
            rng,
            tag * 10_000 + (number - 1) * entries + i,
            f"/news/{tag}/{number}/{i}/",
            with_time,
            (2021, 1 + (number + i) % 12, 1 + (tag + i) % 28, (i * 5) % 24, (i * 7) % 60),
            "post-item",
        )
        for i in range(entries)
    )
    numbers = "".join(
        f'<a class="page-numbers" href="{base}page/{n}/">{n}</a>' for n in range(1, pages + 1) if n != number
    )
    nxt = f'<a class="next page-numbers" href="{base}page/{number + 1}/">التالي »</a>' if number < pages else ""
    footer = "".join(f'<a href="/page/{i}/">{sentence(rng, 3)}</a> ' for i in range(60))
    style = "".join(f".c{i}{{margin:{i}px;padding:{i % 7}px;color:#{i:06x}}}" for i in range(120))
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>وسم {tag} - الصفحة {number} - موقع الأخبار</title>"
        f'<link rel="canonical" href="{base}"><style>{style}</style></head><body class="archive tag">'
        f'<header class="site-header"><nav class="main-nav"><ul>{menu}</ul></nav>'
        f'<div class="breaking-news"><ul>{ticker}</ul></div></header>'
        f'<div id="content" class="site-content"><main id="main" class="site-main">'
        f'<h1 class="page-title">الوسم: <span>وسم {tag}</span></h1><div class="posts-container">{cards}</div>'
        f'<nav class="navigation pagination"><div class="nav-links">{numbers}{nxt}</div></nav></main>'
        f'<aside class="sidebar"><div class="widget"><h3 class="widget-title">الأكثر قراءة</h3>{sidebar}</div></aside>'
        f'</div><footer class="site-footer">{footer}</footer></body></html>'
    )


def generate(root: Path, tags: int, pages: int, entries: int, with_time: bool) -> list[str]:
    """Write the mirror; returns each tag's first-page path."""
    rng = random.Random(42)
    starts = []
    for tag in range(tags):
        for number in range(1, pages + 1):
            folder = root / "tag" / f"tag-{tag}" / ("" if number == 1 else f"page/{number}")
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_text(page(rng, tag, number, pages, entries, with_time), encoding="utf-8")
        starts.append(f"/tag/tag-{tag}/")
    return starts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--tags", type=int, default=100)
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--text-dates", action="store_true", help="no <time datetime>, only Arabic text")
    args = parser.parse_args()
    starts = generate(args.root, args.tags, args.pages, args.entries, not args.text_dates)
    print(f"{len(starts) * args.pages} pages under {args.root}")


if __name__ == "__main__":
    main()
