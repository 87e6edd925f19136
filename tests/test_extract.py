"""Pure extraction on small pages: entries, pagination, article fields."""

from __future__ import annotations

import json

from parsel import Selector

from crawler.extract.article import extract_article
from crawler.extract.listing import archive_tag, extract_entries, extract_listing
from crawler.extract.pagination import next_page_candidates, page_number

PAGE = "https://news.example/tag/gaza/"


def entries(html: str, url: str = PAGE):
    return extract_entries(Selector(text=html), url)


def test_archive_entries_not_menus_sidebars_tickers_or_related():
    html = """<html><body>
    <header><nav><a href="/category/politics/">سياسة</a><a href="/2021/06/a/">خبر في القائمة</a></nav></header>
    <div class="breaking-news"><a href="/2021/06/t1/">عاجل: خبر في الشريط</a><a href="/2021/06/t2/">عاجل آخر</a></div>
    <div id="content"><div class="posts">
      <article class="post"><h2><a href="/2021/06/a/">الخبر الأول</a></h2><p>ملخص الخبر الأول للقارئ هنا</p></article>
      <article class="post"><h2><a href="/2021/06/b/">الخبر الثاني</a></h2><p>ملخص الخبر الثاني للقارئ هنا</p></article>
    </div>
    <div class="related-posts"><article class="post"><h2><a href="/2021/06/r/">خبر ذو صلة</a></h2></article>
    <article class="post"><h2><a href="/2021/06/r2/">خبر آخر ذو صلة</a></h2></article>
    <article class="post"><h2><a href="/2021/06/r3/">ثالث ذو صلة</a></h2></article></div>
    </div>
    <div class="col"><h3 class="block-title">الأكثر قراءة</h3><ul>
      <li><a href="/2021/06/m1/">الأكثر قراءة 1</a></li><li><a href="/2021/06/m2/">الأكثر قراءة 2</a></li>
      <li><a href="/2021/06/m3/">الأكثر قراءة 3</a></li></ul></div>
    <footer><a href="/2021/06/f/">رابط في التذييل</a></footer></body></html>"""
    found = entries(html)
    assert [e.url for e in found] == ["https://news.example/2021/06/a/", "https://news.example/2021/06/b/"]
    assert [e.excerpt for e in found] == ["ملخص الخبر الأول للقارئ هنا", "ملخص الخبر الثاني للقارئ هنا"]


def test_a_card_that_repeats_its_title_is_one_entry():
    html = """<main>
    <div class="card"><a href="/n/1" title="عنوان أ" aria-label="عنوان أ"><img alt="عنوان أ"></a>
      <h3><a href="/n/1">عنوان أ</a></h3><a class="more" href="/n/1">اقرأ المزيد</a></div>
    <div class="card"><a href="/n/2"><img alt="عنوان ب"></a><h3><a href="/n/2">عنوان ب</a></h3></div>
    </main>"""
    found = entries(html)
    assert [(e.url.rsplit("/", 1)[1], e.title) for e in found] == [("1", "عنوان أ"), ("2", "عنوان ب")]
    assert found[0].excerpt is None  # a "read more" link is not a summary


def test_title_falls_back_to_link_attributes():
    html = '<main><div class="c"><a href="/n/1"><img alt="من النص البديل"></a></div>'
    html += '<div class="c"><a href="/n/2" aria-label="من الوصف"></a></div></main>'
    assert [e.title for e in entries(html)] == ["من النص البديل", "من الوصف"]


def test_dates_prefer_time_datetime_over_text_and_published_over_updated():
    html = """<main>
    <article><h2><a href="/n/1">أ</a></h2><time class="updated" datetime="2021-06-18T00:00:00+03:00">x</time>
      <time class="entry-date published" datetime="2021-06-17T10:00:00+03:00">17 يونيو 2021</time></article>
    <article><h2><a href="/n/2">ب</a></h2><span class="post-date">منذ 3 ساعات</span></article>
    <article><h2><a href="/n/3">ج</a></h2><meta itemprop="datePublished" content="2021-06-15"></article>
    </main>"""
    found = entries(html)
    assert [(e.date_raw, e.date_source) for e in found] == [
        ("2021-06-17T10:00:00+03:00", "time-tag"),
        ("منذ 3 ساعات", "listing-text"),
        ("2021-06-15", "microdata"),
    ]


def test_json_ld_item_list_supplies_dates_and_picks_the_loop():
    html = """<html><head><script type="application/ld+json">{"@type": "ItemList", "itemListElement": [
      {"@type": "ListItem", "position": 1, "item": {"@type": "NewsArticle", "url": "/ar/news/1",
       "headline": "أ", "datePublished": "2021-06-17T10:00:00+04:00"}},
      {"@type": "ListItem", "position": 2, "url": "https://news.example/ar/news/2"}]}</script></head>
    <body><div><a class="Card_card__x" href="/ar/news/1"><h3 class="Card_title__y">أ</h3></a>
    <a class="Card_card__x" href="/ar/news/2"><h3 class="Card_title__y">ب</h3></a></div></body></html>"""
    found = entries(html)
    assert [e.title for e in found] == ["أ", "ب"]
    assert (found[0].date_raw, found[0].date_source) == ("2021-06-17T10:00:00+04:00", "json-ld")
    assert found[1].date_raw is None


def test_page_without_entries_gives_none():
    assert entries("<html><body><nav><a href='/2021/a/'>قائمة</a></nav><p>لا توجد نتائج</p></body></html>") == []


def _card(n: int, words: str = "عنوان خبر طويل بما يكفي ليكون عنوانا", extra: str = "") -> str:
    return f'<div class="card"><h3><a href="/news/{n}/slug-{n}">{words} {n}</a></h3>{extra}</div>'


def test_a_most_read_rail_with_the_list_markup_loses_to_the_archive_list():
    rail = "".join(_card(n) for n in (90, 91, 92, 93, 94, 95))
    loop = "".join(_card(n, extra=f"<p>ملخص الخبر رقم {n} كما يظهر للقارئ</p>") for n in range(1, 5))
    html = f"""<body><div class="sidebar-grid"><main><h1>الوسم: المياه</h1><div class="row">{loop}</div></main>
    <div class="col"><h3>الأكثر قراءة</h3><div class="row">{rail}</div></div></div></body>"""
    assert [e.url.rsplit("/", 2)[1] for e in entries(html)] == ["1", "2", "3", "4"]


def test_top_cards_and_list_rows_join_and_carousel_clones_do_not():
    top = "".join(f'<div class="top-card">{_card(n)}</div>' for n in (1, 2))
    rows = "".join(f'<div class="row-item">{_card(n)}</div>' for n in (3, 4, 5))
    slides = "".join(
        f'<div class="owl-item{" cloned" if n > 52 else ""}">{_card(n % 3 + 50)}</div>' for n in range(50, 56)
    )
    html = f"""<body><h1>أخبار محلية</h1><section class="top">{top}</section><section class="list">{rows}</section>
    <section><h2>الأكثر قراءة</h2><div class="owl-carousel">{slides}</div></section></body>"""
    assert [e.url.rsplit("/", 2)[1] for e in entries(html)] == ["1", "2", "3", "4", "5"]


def test_section_labels_inside_cards_are_not_entries():
    cards = "".join(
        f'<article><span class="rubrique"><a href="/rubrique/eau">مياه</a></span>'
        f'<h2><a href="/societe/{n}-barrages.html">السدود تتراجع إلى مستوى جديد رقم {n}</a></h2></article>'
        for n in (1, 2, 3)
    )
    html = f'<body><nav><a href="/rubrique/eau">مياه</a></nav><main>{cards}</main></body>'
    assert [e.url.rsplit("/", 1)[1] for e in entries(html)] == ["1-barrages.html", "2-barrages.html", "3-barrages.html"]


def test_sibling_listings_of_the_same_script_are_not_entries():
    menu = "".join(f'<td><a href="list.php?cat={n}">قسم {n}</a></td>' for n in (1, 2, 3))
    rows = "".join(f'<tr><td><a href="article.php?id={n}">خبر طويل بعنوان كامل رقم {n}</a></td></tr>' for n in (7, 8))
    html = f"<body><table><tr>{menu}</tr></table><table>{rows}</table></body>"
    found = entries(html, "https://old.example/list.php?cat=7")
    assert [e.url for e in found] == ["https://old.example/article.php?id=7", "https://old.example/article.php?id=8"]


def test_an_archive_named_like_chrome_is_still_the_archive():
    items = "".join(
        f'<div class="breaking_news_item"><span class="item_date">قبل {n} ساعات</span><a href="/article/{n}" '
        f'title="خبر عاجل طويل رقم {n}">خبر عاجل طويل رقم {n} <span>المزيد</span></a></div>'
        for n in (1, 2, 3)
    )
    html = f'<body><nav><a href="/about">من نحن</a></nav><div class="breaking_news_cont">{items}</div></body>'
    found = entries(html, "https://news.example/breaking-news")
    assert [(e.title, e.date_raw) for e in found] == [(f"خبر عاجل طويل رقم {n}", f"قبل {n} ساعات") for n in (1, 2, 3)]


def test_only_menu_links_is_low_confidence_not_entries():
    links = '<a href="/sports">رياضة</a><a href="/economy">اقتصاد</a><a href="/culture">ثقافة</a>'
    html = f'<body><div class="menu">{links}</div></body>'
    page = extract_listing(Selector(text=html), PAGE)
    assert (page.entries, page.confident) == ([], False)


def test_rows_of_one_table_layout_split_at_the_pager_and_a_most_read_box():
    rows = "".join(
        f'<tr><td><a href="article.php?id={n}"><b>خبر القسم الطويل رقم {n}</b></a></td></tr>' for n in (1, 2, 3)
    )
    rail = "".join(f'<tr><td><a href="article.php?id={n}">خبر الأكثر قراءة رقم {n}</a></td></tr>' for n in (7, 8))
    ticker = '<a href="article.php?id=9">خبر في الشريط المتحرك</a><a href="article.php?id=8">آخر</a>'
    html = f"""<body><marquee>{ticker}</marquee>
    <table><tr><td><table>{rows}</table><a href="list.php?cat=7&start=10">الصفحة التالية</a></td>
    <td><table><tr><td class="boxtitle">الأكثر قراءة</td></tr>{rail}</table></td></tr></table></body>"""
    found = entries(html, "https://old.example/list.php?cat=7")
    assert [e.url.rsplit("=", 1)[1] for e in found] == ["1", "2", "3"]


def test_a_source_or_section_link_beside_a_title_is_not_an_entry():
    stories = "".join(
        f'<article class="story"><div class="src"><a href="/source/{n}">مصدر {n}</a><span>منذ {n} ساعات</span></div>'
        f'<h3><a href="/go/{n}">عنوان الخبر الكامل من المصدر رقم {n}</a></h3></article>'
        for n in (11, 12, 13)
    )
    found = entries(f"<body><main>{stories}</main></body>")
    assert [(e.url.rsplit("/", 2)[1:], e.date_raw) for e in found] == [
        (["go", str(n)], f"منذ {n} ساعات") for n in (11, 12, 13)
    ]


def test_archive_tag_from_heading_or_slug():
    sel = Selector(text='<h1 class="page-title">الوسم: <span>قمة بايدن وبوتين</span></h1>')
    assert archive_tag(sel, PAGE) == "قمة بايدن وبوتين"
    assert (
        archive_tag(Selector(text="<p></p>"), "https://s.example/tag/%D9%82%D9%85%D8%A9-%D8%AC%D9%86%D9%8A%D9%81/")
        == "قمة جنيف"
    )


def next_of(html: str, url: str = PAGE) -> list[str]:
    return list(next_page_candidates(Selector(text=html), url))


def test_pagination_styles():
    assert next_of('<link rel="next" href="/tag/gaza/page/2/">')[0] == PAGE + "page/2/"
    assert next_of('<a rel="next" href="?page=2">›</a>') == [PAGE + "?page=2"]
    assert next_of('<a class="next page-numbers" href="/tag/gaza/page/2/">»</a>') == [PAGE + "page/2/"]
    assert next_of('<li class="pager-next"><a href="/tag/gaza?page=1">التالي ›</a></li>') == [
        "https://news.example/tag/gaza?page=1"
    ]
    assert next_of('<a href="/tag/gaza/page/2/">الأقدم</a>') == [PAGE + "page/2/"]
    blogger = (
        '<a class="blog-pager-older-link" href="/search/label/x?updated-max=2021-06-10T10:00:00%2B03:00">رسائل أقدم</a>'
    )
    assert next_of(blogger, "https://b.example/search/label/x")[0].startswith(
        "https://b.example/search/label/x?updated-max="
    )


def test_numbered_links_pick_the_next_number_not_the_last():
    html = '<a href="/tag/gaza/page/5/">5</a><a href="/tag/gaza/page/3/">3</a><a href="/tag/gaza/">1</a>'
    assert next_of(html, PAGE + "page/2/") == [PAGE + "page/3/", PAGE + "page/5/"]
    assert page_number(PAGE + "page/7/")[1] == 7
    assert page_number("https://s.example/t?page=0&x=1")[1] == 0


def test_pagination_ignores_other_sites_and_the_page_itself():
    html = '<a rel="next" href="https://other.example/tag/gaza/page/2/">التالي</a><a href="/tag/gaza/">التالي</a>'
    assert next_of(html) == []


def test_article_fields_in_order_of_trust():
    html = """<html><head>
    <meta property="article:published_time" content="2020-12-24T23:59:50+00:00">
    <script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "موقع"},
      {"@type": "NewsArticle", "datePublished": "2020-12-25T01:59:50+02:00",
       "author": [{"@type": "Person", "name": "ضحى عرفة"}]}]}</script></head>
    <body><article><div class="entry-content"><p>الفقرة <b>الأولى</b>.</p>
    <div class="share-buttons"><p>شارك</p></div><figure><p>تعليق صورة</p></figure><p>الفقرة الثانية.</p>
    </div></article></body></html>"""
    fields = extract_article(Selector(text=html))
    assert (fields.date_raw, fields.date_source) == ("2020-12-25T01:59:50+02:00", "json-ld")
    assert fields.author == "ضحى عرفة"
    assert fields.body == "الفقرة الأولى.\n\nالفقرة الثانية."


def test_article_fallbacks_meta_time_and_byline():
    meta = extract_article(Selector(text='<meta property="article:published_time" content="2020-08-24T09:23:13Z">'))
    assert (meta.date_raw, meta.date_source) == ("2020-08-24T09:23:13Z", "meta")
    html = '<time datetime="2021-01-02">2 يناير</time><span class="byline">كتب: محمد علي</span>'
    fields = extract_article(Selector(text=html))
    assert (fields.date_raw, fields.date_source, fields.author) == ("2021-01-02", "time-tag", "محمد علي")
    assert extract_article(Selector(text="<p>نص</p>")).date_raw is None


def test_next_page_in_every_form_a_theme_gives_it():
    icon = '<a class="pg-link" href="/tag/gaza/page/2/" title="الصفحة التالية"><i class="icon-left"></i></a>'
    assert next_of(icon) == [PAGE + "page/2/"]
    more = '<a class="btn-more" href="/topic/weather?before=1638778500">عرض المزيد من الأخبار</a>'
    assert next_of(more, "https://agg.example/topic/weather") == ["https://agg.example/topic/weather?before=1638778500"]
    button = '<button class="load-more" data-next-url="/tag/gaza/page/2/">تحميل المزيد</button>'
    assert next_of(button) == [PAGE + "page/2/"]
    posted = '<form method="post" action="/tag/gaza/"><a href="/tag/gaza/?more=1">المزيد</a></form>'
    assert next_of(posted) == []


def test_a_pager_of_numbers_only_gives_the_next_number():
    pager = (
        '<ul class="pages"><li class="active"><span>١</span></li><li><a href="/tags/الرياضة?p=2">٢</a></li>'
        '<li><a href="/tags/الرياضة?p=3">٣</a></li></ul>'
    )
    assert next_of(pager, "https://gulf.example/tags/الرياضة")[0] == "https://gulf.example/tags/الرياضة?p=2"
    second = pager.replace('class="active"><span>١</span>', '><a href="/tags/الرياضة">١</a>').replace(
        '<li><a href="/tags/الرياضة?p=2">٢</a></li>', '<li class="active"><span>٢</span></li>'
    )
    assert next_of(second, "https://gulf.example/tags/الرياضة?p=2") == ["https://gulf.example/tags/الرياضة?p=3"]


def test_links_resolve_against_base_href_and_one_url_in_two_spellings_is_one_entry():
    html = """<html><head><base href="/"></head><body><main>
    <div class="c"><a href="ar/news/1/سلام"><img alt="عنوان الخبر الأول الطويل"></a>
      <h3><a href="ar/news/1/%D8%B3%D9%84%D8%A7%D9%85">عنوان الخبر الأول الطويل</a></h3></div>
    <div class="c"><h3><a href="ar/news/2/سلام">عنوان الخبر الثاني الطويل</a></h3>
      <a href="ar/news/2/%D8%B3%D9%84%D8%A7%D9%85">اقرأ المزيد</a></div></main></body></html>"""
    found = entries(html, "https://ng.example/ar/tag/tourism")
    assert [e.url for e in found] == ["https://ng.example/ar/news/1/سلام", "https://ng.example/ar/news/2/سلام"]
    assert [e.title for e in found] == ["عنوان الخبر الأول الطويل", "عنوان الخبر الثاني الطويل"]


def test_an_unclosed_div_does_not_lose_the_rows_after_it():
    rows = "".join(
        f'<div class="row"><h3><a href="/news/{n}/story">عنوان الخبر رقم {n} في القائمة</a></h3>'
        f'<div class="summary">ملخص الخبر رقم {n} للقارئ هنا{"" if n == 4 else "</div>"}</div>'
        for n in range(10)
    )
    aside = '<aside><ul><li><a href="/news/99/x">خبر جانبي طويل العنوان هنا</a></li></ul></aside>'
    html = f'<html><body><main><h1>الوسم</h1><div class="list">{rows}</div></main>{aside}</body></html>'
    assert [e.url.split("/")[-2] for e in entries(html)] == [str(n) for n in range(10)]


def test_a_page_drawn_by_javascript_gives_its_entries_from_the_embedded_state():
    state = {
        "props": {
            "pageProps": {
                "posts": [
                    {"slug": f"s{n}", "url": f"/ar/news/{n}", "title": f"عنوان الخبر {n}", "date": "2021-06-17"}
                    for n in (1, 2, 3)
                ],
                "menu": [{"url": "/about", "name": "من نحن"}],
            }
        }
    }
    html = '<html><body><div id="__next"><nav><a href="/about">من نحن</a></nav></div><script id="__NEXT_DATA__" '
    html += f'type="application/json">{json.dumps(state, ensure_ascii=False)}</script></body></html>'
    found = entries(html)
    assert [(e.url, e.title, e.date_raw) for e in found] == [
        (f"https://news.example/ar/news/{n}", f"عنوان الخبر {n}", "2021-06-17") for n in (1, 2, 3)
    ]
    transfer = html.replace('id="__NEXT_DATA__"', 'id="serverApp-state"').replace('"', "&q;")
    transfer = transfer.replace(
        "<script id=&q;serverApp-state&q; type=&q;application/json&q;>", "<script type='application/json'>"
    )
    assert [e.title for e in entries(transfer)] == [f"عنوان الخبر {n}" for n in (1, 2, 3)]
