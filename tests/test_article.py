"""Article pages on small hand-written documents: the order of trust and each known trap."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.extract.article import extract_article
from crawler.extract.article.title import strip_site_name
from crawler.profiles import ArticleSelectors

URL = "https://news.example/2021/06/17/story/"
PARAGRAPHS = "".join(
    f"<p>الفقرة رقم {n} من نص الخبر، وهي طويلة بما يكفي ليعدها المستخرج جزءا من المتن الرئيسي للمقال.</p>"
    for n in range(1, 5)
)


def page(head: str = "", body: str = "", article: str = PARAGRAPHS) -> str:
    content = f"<article><div class='entry-content'>{article}</div></article>"
    return f"<html><head>{head}</head><body>{body}{content}</body></html>"


def read(html: str, profile: ArticleSelectors | None = None, names: tuple[str, ...] = ()):
    return extract_article(Selector(text=html), URL, profile, names)


def ld(obj: str) -> str:
    return f'<script type="application/ld+json">{obj}</script>'


# --- dates ----------------------------------------------------------------------------------


def test_json_ld_beats_a_meta_date_in_the_wrong_zone():
    html = page(
        '<meta property="article:published_time" content="2021-06-17T10:00:00+00:00">'
        + ld(
            '{"@graph": [{"@type": "WebSite", "name": "س"}, {"@type": "NewsArticle", '
            '"datePublished": "2021-06-17T10:00:00+03:00"}]}'
        )
    )
    fields = read(html)
    assert (fields.date_raw, fields.date_source) == ("2021-06-17T10:00:00+03:00", "json-ld")
    assert fields.origins["published"] == "json-ld NewsArticle.datePublished"
    # 10:00 UTC and 10:00 +03:00 are three hours apart: the page contradicts itself, counted.
    assert "article/dates/sources_disagree" in fields.events


def test_the_same_instant_in_another_zone_is_no_disagreement():
    html = page(
        '<meta property="article:published_time" content="2021-06-17T07:00:00+00:00">'
        + ld('{"@type": "NewsArticle", "datePublished": "2021-06-17T10:00:00+03:00"}')
    )
    assert "article/dates/sources_disagree" not in read(html).events


def test_web_page_dates_in_a_graph_when_the_article_has_none():
    html = page(ld('{"@graph": [{"@type": "WebPage", "datePublished": "2021-06-17T09:00:00+03:00"}]}'))
    assert (read(html).date_raw, read(html).date_source) == ("2021-06-17T09:00:00+03:00", "json-ld")


def test_a_modified_date_before_the_published_one_is_dropped_and_counted():
    html = page(
        ld(
            '{"@type": "NewsArticle", "datePublished": "2020-06-03T03:01+0400", '
            '"dateModified": "2020-06-03T01:30+0400"}'
        )
    )
    fields = read(html)
    assert fields.date_raw == "2020-06-03T03:01+0400"
    assert fields.modified_raw is None
    assert fields.events.count("article/dates/modified_before_published") == 1
    assert fields.origins["modified"].startswith("dropped:")


def test_a_later_modified_date_is_kept():
    html = page(
        ld(
            '{"@type": "NewsArticle", "datePublished": "2021-06-17T10:00:00+03:00", '
            '"dateModified": "2021-06-18T08:00:00+03:00"}'
        )
    )
    fields = read(html)
    assert (fields.modified_raw, fields.modified_source) == ("2021-06-18T08:00:00+03:00", "json-ld")
    assert not any("modified" in e for e in fields.events)


def test_offsetless_and_date_only_values_are_compared_by_day_only():
    # 2020-12-01 02:00 local beside a modified 2020-11-30 20:36 in UTC could be the same evening: kept.
    html = page(
        '<meta name="datePublished" content="2020-12-01 02:00:00">'
        '<meta name="dateModified" content="2020-11-30T23:36:03+00:00">'
    )
    assert read(html).modified_raw == "2020-11-30T23:36:03+00:00"
    html = page('<meta name="datePublished" content="2020-12-01"><meta name="dateModified" content="2020-11-29">')
    assert read(html).modified_raw is None


def test_a_non_iso_meta_date_waits_behind_a_machine_readable_one():
    html = page(
        '<meta property="article:published_time" content="الأربعاء، 07 أكتوبر 2020 - 12:09 م">',
        article=PARAGRAPHS + '<time class="published" datetime="2020-10-07T12:09:00+02:00">7 أكتوبر</time>',
    )
    fields = read(html)
    assert (fields.date_raw, fields.date_source) == ("2020-10-07T12:09:00+02:00", "time-tag")
    # With nothing machine-readable the text in the meta tag is still better than nothing.
    fields = read(page('<meta property="article:published_time" content="الأربعاء، 07 أكتوبر 2020 - 12:09 م">'))
    assert (fields.date_raw, fields.date_source) == ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", "meta")
    assert "article/dates/not_iso" in fields.events


def test_time_tags_updated_is_modified_and_sidebar_times_are_ignored():
    html = page(
        body='<aside class="sidebar"><time datetime="2021-01-01T00:00:00+03:00">1</time></aside>',
        article=PARAGRAPHS
        + '<time class="updated" datetime="2021-06-18T00:00:00+03:00">x</time>'
        + '<time class="entry-date published" datetime="2021-06-17T10:00:00+03:00">17 يونيو</time>',
    )
    fields = read(html)
    assert (fields.date_raw, fields.date_source) == ("2021-06-17T10:00:00+03:00", "time-tag")
    assert fields.modified_raw == "2021-06-18T00:00:00+03:00"


def test_microdata_and_rdfa_dates():
    assert (
        read(page(article=PARAGRAPHS + '<meta itemprop="datePublished" content="2021-06-15">')).date_source
        == "microdata"
    )
    rdfa = (
        '<footer class="submitted"><span property="dc:date" content="2019-02-08T00:00:00+01:00">'
        "الجمعة 8 فيفري 2019</span></footer>"
    )
    html = f"<html><body><article typeof='schema:NewsArticle'><h1>ع</h1>{rdfa}{PARAGRAPHS}</article></body></html>"
    # A <footer> inside the article is its own byline and date, not page chrome.
    assert (read(html).date_raw, read(html).date_source) == ("2019-02-08T00:00:00+01:00", "microdata")


def test_visible_text_is_the_last_resort_and_a_header_clock_is_not_a_date():
    html = page(
        body='<div class="header-date">الأحد 5 ديسمبر 2021</div>',
        article='<span class="post-date">الخميس 17 يونيو 2021</span>' + PARAGRAPHS,
    )
    fields = read(html)
    assert (fields.date_raw, fields.date_source) == ("الخميس 17 يونيو 2021", "article-text")
    assert read(page(body='<div class="top-date">الأحد 5 ديسمبر 2021</div>')).date_raw is None


# --- title ----------------------------------------------------------------------------------


def test_two_identical_h1s_are_one_title():
    html = page(
        '<meta property="og:title" content="طهران تدفن «زادة»">',
        body="<h1>طهران تدفن «زادة»</h1><a href='/x'><h1>طهران تدفن «زادة»</h1></a>",
    )
    fields = read(html)
    assert fields.title == "طهران تدفن «زادة»"
    assert fields.origins["title"] == "h1 (confirmed by meta[og:title])"


def test_logo_and_copyright_h1s_are_not_the_title():
    html = page(
        '<meta property="og:site_name" content="CNNArabic">'
        '<meta property="og:title" content="معارضون يسيطرون على مخازن">',
        body='<div id="hdr-banner"><h1>CNN</h1></div><h1>معارضون يسيطرون على مخازن</h1>'
        "<div class='foot'><h1 class='HeaderPage1'>© الحقوق محفوظة 2018</h1></div>",
    )
    assert read(html).title == "معارضون يسيطرون على مخازن"


def test_json_ld_headline_with_the_site_name_and_a_literal_quot_entity():
    html = page(
        ld(
            '{"@graph": [{"@type": "WebSite", "name": "قناة صدى البلد"}, {"@type": "NewsArticle", '
            '"headline": "&quot;شعر وردي&quot; يشعل السخرية - قناة صدى البلد"}]}'
        )
    )
    fields = read(html)
    assert fields.title == '"شعر وردي" يشعل السخرية'
    assert fields.origins["title"] == "json-ld NewsArticle.headline, site name cut"


def test_site_name_suffix_and_prefix_in_title_and_og_title():
    suffix = page(
        "<title>وزير الري يشهد توقيع عقد - اليوم السابع</title><meta property='og:site_name' content='اليوم السابع'>"
    )
    assert read(suffix).title == "وزير الري يشهد توقيع عقد"
    prefix = page('<meta property="og:title" content=" المدينة نيوز - أميركا: 50 ألفا حصيلة الوفيات">')
    assert read(prefix, names=("المدينة نيوز",)).title == "أميركا: 50 ألفا حصيلة الوفيات"
    # Learned from the page itself: one title is another plus « - Lebanon News».
    learned = page(
        '<meta property="og:title" content="لغز لون شعر ترامب"><title>لغز لون شعر ترامب - Lebanon News</title>'
    )
    assert read(learned).title == "لغز لون شعر ترامب"


def test_strip_site_name_keeps_a_title_that_merely_starts_with_the_name():
    names = ["البيان"]
    assert strip_site_name("البيان الختامي لقمة العشرين يدعو إلى التهدئة - البيان", names) == (
        "البيان الختامي لقمة العشرين يدعو إلى التهدئة"
    )
    assert strip_site_name("Beirut Observer | خبر", ["beirutobserver"]) == "خبر"


# --- author, image, tags ---------------------------------------------------------------------


def test_author_skips_the_site_and_organizations_and_strips_byline_words():
    html = page(
        '<meta property="og:site_name" content="akhbarelyom"><meta name="author" content="akhbarelyom">'
        + ld('{"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Sputnik"}}'),
        body='<span class="byline">كتبت: أسماء نصار</span>',
    )
    fields = read(html)
    assert fields.author == "أسماء نصار"
    assert "article/author/site_name_skipped" in fields.events


def test_a_byline_atop_the_body_becomes_the_author():
    fields = read(page(article="<p>حوار: آسيا العتروس</p>" + PARAGRAPHS))
    assert fields.author == "آسيا العتروس"
    assert fields.body.startswith("الفقرة رقم 1")
    assert "article/body/byline_removed" in fields.events


def test_image_is_absolute_from_og_or_json_ld():
    assert read(page('<meta property="og:image" content="/img/a.jpg">')).image == "https://news.example/img/a.jpg"
    html = page(ld('{"@type": "NewsArticle", "image": {"@type": "ImageObject", "url": "https://cdn.example/b.jpg"}}'))
    assert read(html).image == "https://cdn.example/b.jpg"


def test_tags_from_meta_json_ld_and_links():
    meta = page(
        '<meta property="article:tag" content="النمر,مدرسة البنات"><meta property="article:tag" content="يسرا">'
    )
    assert read(meta).tags == ["النمر", "مدرسة البنات", "يسرا"]
    assert read(page(ld('{"@type": "NewsArticle", "keywords": ["غزة", "القسام"]}'))).tags == ["غزة", "القسام"]
    links = page(article=PARAGRAPHS + '<a rel="category tag" href="/c/">سياسة</a><a rel="tag" href="/t/x/">غزة</a>')
    assert read(links).tags == ["غزة"]
    assert read(page()).tags == []


# --- body -----------------------------------------------------------------------------------


def test_body_is_paragraphs_without_subheadings_or_share_bars():
    article = (
        "<p>الفقرة الأولى من الخبر وفيها ما يكفي من الكلمات ليكون فقرة.</p><h3>عنوان فرعي</h3>"
        "<div class='share-buttons'><a href='#'>شارك</a></div><ul><li>بند أول في القائمة</li><li>بند ثان</li></ul>"
        "<p>الفقرة الثانية<br>والثالثة بعد فاصل سطر.</p>"
    )
    fields = read(page(article=article))
    assert fields.body.split("\n\n") == [
        "الفقرة الأولى من الخبر وفيها ما يكفي من الكلمات ليكون فقرة.",
        "بند أول في القائمة",
        "بند ثان",
        "الفقرة الثانية",
        "والثالثة بعد فاصل سطر.",
    ]
    assert fields.origins["body"] == "trafilatura"


def test_a_page_without_text_has_no_body_and_says_so():
    fields = read("<html><body><nav><a href='/'>الرئيسية</a></nav></body></html>")
    assert fields.body is None
    assert "article/body/missing" in fields.events


# --- profile overrides ------------------------------------------------------------------------


def test_profile_selectors_override_single_fields():
    html = page(
        '<meta property="article:published_time" content="2020-08-24T09:23:13Z">',
        body="<div class='hdr'><h1>عنوان المقال</h1><span class='newsStoryDate'>الإثنين، 24 أغسطس 2020 09:23 ص</span>"
        "<span class='writeBy'>كتبت أسماء نصار</span></div>"
        "<div id='lead'><p>فقرة تمهيدية خارج المتن.</p></div>",
    )
    profile = ArticleSelectors(
        title="div.hdr h1", date="span.newsStoryDate", author="span.writeBy", body="#lead, div.entry-content"
    )
    fields = read(html, profile)
    assert fields.title == "عنوان المقال"
    assert (fields.date_raw, fields.date_source) == ("الإثنين، 24 أغسطس 2020 09:23 ص", "article-text")
    assert fields.author == "أسماء نصار"
    assert fields.body.split("\n\n")[:2] == [
        "فقرة تمهيدية خارج المتن.",
        "الفقرة رقم 1 من نص الخبر، وهي طويلة بما يكفي ليعدها المستخرج جزءا من المتن الرئيسي للمقال.",
    ]
    assert fields.origins["published"] == "profile span.newsStoryDate"
    assert not [e for e in fields.events if e.startswith("profile/")]


def test_profile_attributes_count_as_structured_dates():
    html = page(article=PARAGRAPHS + '<span class="d" data-x="1" content="2021-06-17T10:00:00+03:00">17 يونيو</span>')
    fields = read(html, ArticleSelectors(date="span.d::attr(content)"))
    assert fields.date_raw == "2021-06-17T10:00:00+03:00"
    fields = read(html, ArticleSelectors(date="span.d"))
    assert fields.date_source == "microdata"  # a content attribute on a non-meta element
    fields = read(html, ArticleSelectors(date="span.d::text"))
    assert (fields.date_raw, fields.date_source) == ("17 يونيو", "article-text")


def test_a_profile_selector_that_finds_nothing_falls_back_and_is_counted():
    html = page(ld('{"@type": "NewsArticle", "datePublished": "2021-06-17T10:00:00+03:00", "headline": "خبر"}'))
    fields = read(
        html, ArticleSelectors(title="h1.gone", date="span.gone", author=".gone", body="#gone", tags=".gone a")
    )
    assert fields.title == "خبر"
    assert fields.date_raw == "2021-06-17T10:00:00+03:00"
    assert fields.body.startswith("الفقرة رقم 1")
    assert sorted(e for e in fields.events if e.startswith("profile/")) == [
        "profile/fallback/article.author",
        "profile/fallback/article.body",
        "profile/fallback/article.date",
        "profile/fallback/article.tags",
        "profile/fallback/article.title",
    ]


# --- the article's own part of the page (issue #11 §5) -----------------------------------------

LEAD = "افتتح المعرض الجهوي للكتاب أبوابه صباح اليوم بمشاركة أكثر من مئة دار نشر من داخل البلاد وخارجها."
TEXT = f"<p>{LEAD}</p><p>وتستمر فعاليات المعرض عشرة أيام تتخللها ندوات وأمسيات شعرية ولقاءات مع الكتاب.</p>"


def story(meta: str = "", head: str = "", chrome: str = "", title: str = "معرض الكتاب يفتح أبوابه") -> str:
    """A page with French class names, a header clock and a sidebar: nothing a class list knows."""
    return (
        f"<html><head><title>{title} - جريدة الواحة</title>{head}</head><body>"
        '<div class="bandeau"><span class="jour">الأحد 12 مارس 2023</span></div>'
        f"{chrome}<div class='contenu'><div class='rubrique'>ثقافة</div><h1>{title}</h1>"
        f"<div class='infos'>{meta}</div><div class='texte'>{TEXT}</div></div>"
        '<div class="colonne"><ul><li>خبر آخر <span>الأربعاء 1 مارس 2023 - 09:00</span></li></ul></div>'
        "</body></html>"
    )


def test_the_date_line_beside_the_title_not_the_header_clock():
    fields = read(story("<span class='quand'>الخميس 9 مارس 2023 - 18:40</span>"))
    assert fields.date_raw == "الخميس 9 مارس 2023 - 18:40"
    assert fields.date_source == "article-text"
    assert fields.origins["published"].startswith("text in the article")


def test_a_date_after_an_update_label_is_never_the_publication():
    decoy = "<div class='maj'>آخر تحديث: الجمعة 10 مارس 2023 - 08:00</div>"
    fields = read(story(f"{decoy}<span>الخميس 9 مارس 2023 - 18:40</span>"))
    assert fields.date_raw == "الخميس 9 مارس 2023 - 18:40"
    # The label in its own element, the date in a child: still the update.
    nested = "<div>آخر تعديل: <b>الجمعة 10 مارس 2023</b></div><span>الخميس 9 مارس 2023</span>"
    assert read(story(nested)).date_raw == "الخميس 9 مارس 2023"
    # Only an update date on the page: no publication date rather than the wrong one.
    assert read(story("<span>Updated 10 March 2023 08:00</span>")).date_raw is None


def test_a_stamp_whose_time_is_the_update_keeps_its_day():
    fields = read(story("<div>الخميس، 09 مارس 2023، آخر تحديث 21:05 (GMT+0300)</div>"))
    assert fields.date_raw == "الخميس، 09 مارس 2023"


def test_a_date_line_shared_with_the_byline_and_a_read_count():
    fields = read(story("بقلم: سعاد المرابط &nbsp;|&nbsp; نشر يوم الخميس 9 مارس 2023 على الساعة 18:40 | قرئ 310 مرة"))
    assert fields.date_raw == "نشر يوم الخميس 9 مارس 2023 على الساعة 18:40"
    assert fields.author == "سعاد المرابط"
    assert fields.origins["author"].startswith("byline in the article")


def test_byline_prefixes_are_removed_and_a_sentence_is_no_byline():
    assert read(story("<span>كتب: ماهر الحداد</span>")).author == "ماهر الحداد"
    assert read(story("<span>بواسطة رنا الصيفي</span>")).author == "رنا الصيفي"
    long_line = "<span>كتبت الصحافة المحلية عن المعرض كثيرا في الأيام الماضية</span>"
    assert read(story(long_line)).author is None


def test_a_printed_heading_without_h1_takes_the_title_part_of_title():
    html = (
        "<html><head><title>جريدة الواحة - قافلة طبية تجوب قرى الجنوب</title></head><body>"
        '<table><tr><td><a href="/"><img src="logo.gif" alt="جريدة الواحة"></a></td></tr>'
        "<tr><td><a href='a.php?id=2'>قافلة طبية تجوب قرى الجنوب</a></td></tr>"  # a sidebar link first
        "<tr><td><table><tr><td><font size=4><b>قافلة طبية تجوب قرى الجنوب</b></font></td></tr>"
        "<tr><td><font>بقلم: نبيل سعدي | الأحد 5 مارس 2023 على الساعة 10:15</font></td></tr>"
        f"<tr><td>{TEXT}</td></tr></table></td></tr></table></body></html>"
    )
    fields = read(html)
    assert fields.title == "قافلة طبية تجوب قرى الجنوب"
    assert fields.origins["title"].startswith("printed heading b")
    assert fields.date_raw == "الأحد 5 مارس 2023 على الساعة 10:15"
    assert fields.author == "نبيل سعدي"


# --- UTC times in the site's offset ---------------------------------------------------------------


def test_a_utc_time_takes_the_offset_the_page_prints_for_it():
    # 22:40Z is 00:40 on the next day at +02:00: the day the site's readers saw.
    html = story(
        "<span>الأربعاء 8 مارس 2023 - 12:40 ص</span>",
        ld('{"@type": "NewsArticle", "datePublished": "2023-03-07T22:40:00Z"}'),
    )
    fields = read(html)
    assert fields.date_raw == "2023-03-08T00:40:00+02:00"
    assert fields.date_source == "json-ld"
    assert "2023-03-07T22:40:00Z" in fields.origins["published"]
    assert "article/dates/utc_in_page_offset" in fields.events
    assert ("json-ld", "2023-03-07T22:40:00Z") in {(c.source, c.raw) for c in fields.dates}  # kept as written


def test_a_utc_time_beside_the_pages_own_value_for_that_instant_uses_that_value():
    html = story(
        '<time class="published" datetime="2023-03-08T01:40:00+03:00">8 مارس 2023</time>',
        '<meta property="article:published_time" content="2023-03-07T22:40:00+00:00">',
    )
    fields = read(html)
    assert (fields.date_raw, fields.date_source) == ("2023-03-08T01:40:00+03:00", "time-tag")


def test_a_utc_time_and_the_offset_of_the_pages_other_dates():
    html = story(
        head='<meta property="article:published_time" content="2023-03-07T22:40:00Z">'
        '<meta property="article:modified_time" content="2023-03-08T09:00:00+01:00">'
    )
    assert read(html).date_raw == "2023-03-07T23:40:00+01:00"


def test_a_utc_time_stays_when_the_page_shows_no_other_offset():
    html = story(head='<meta property="article:published_time" content="2023-03-07T22:40:00Z">')
    fields = read(html)
    assert fields.date_raw == "2023-03-07T22:40:00Z"
    assert "article/dates/utc_in_page_offset" not in fields.events
    # A printed time equal to the UTC one tells nothing: the site may well be on UTC.
    same = story(
        "<span>7 مارس 2023 - 22:40</span>", '<meta property="article:published_time" content="2023-03-07T22:40:00Z">'
    )
    assert read(same).date_raw == "2023-03-07T22:40:00Z"


# --- the post's container -------------------------------------------------------------------------

ABOUT_LINE = "أكتب في هذه المدونة عن رحلاتي القصيرة في الريف وعن الناس الذين ألقاهم في الطريق والأسواق. "
ABOUT = f"<p>{ABOUT_LINE * 6}</p>"
POST = "<p>زرنا أمس سوق الخميس في القرية المجاورة.</p><p>كان الزحام شديدا والأسعار معقولة.</p>"


def blog(about_box: str, post_class: str = "post-body entry-content") -> str:
    return (
        "<html><head><title>سوق الخميس - دفتر الطريق</title></head><body><div class='main'>"
        "<article class='post'><h3 class='post-title'>سوق الخميس</h3>"
        f"<div class='{post_class}'>{POST}</div></article></div>"
        f"<div class='col-2'>{about_box.format(ABOUT)}</div></body></html>"
    )


@pytest.mark.parametrize("post_class", ["post-body entry-content", "entry-content", "gh-content", "node__content"])
def test_a_long_about_box_does_not_win_over_a_short_post(post_class):
    fields = read(blog("<div class='widget Profile'><div class='widget-content'>{}</div></div>", post_class))
    assert fields.body == "زرنا أمس سوق الخميس في القرية المجاورة.\n\nكان الزحام شديدا والأسعار معقولة."
    assert fields.origins["body"].startswith("post container div.")
    assert "article/body/post_container" in fields.events


def test_item_prop_article_body_is_a_post_container():
    html = blog("<div class='box'>{}</div>", "x").replace("class='x'", "itemprop='articleBody'")
    assert read(html).body.startswith("زرنا أمس سوق الخميس")


def test_trafilatura_stands_when_its_text_is_inside_the_post_container():
    fields = read(page())  # PARAGRAPHS inside div.entry-content
    assert fields.origins["body"] == "trafilatura"
    assert "article/body/post_container" not in fields.events


def test_a_relative_printed_time_teaches_no_offset():
    """«اليوم 22:40» is counted from the fetch time: it says nothing of the site's zone (no year, no date line)."""
    html = story(
        "<span>اليوم 22:40</span>",
        '<meta property="article:published_time" content="2023-03-07T20:40:00Z">',
    )
    assert read(html).date_raw == "2023-03-07T20:40:00Z"


def test_a_utc_time_on_another_day_than_the_page_prints_takes_the_printed_day():
    # Ghost, Next.js: JSON-LD in UTC, only the day printed. 22:40Z with «8 مارس» shown: the site is ahead of UTC.
    head = ld('{"@type": "NewsArticle", "datePublished": "2023-03-07T22:40:00.000Z"}')
    fields = read(story('<time datetime="2023-03-08">8 مارس 2023</time>', head))
    assert (fields.date_raw, fields.date_source) == ("2023-03-08", "time-tag")
    assert "article/dates/utc_day_from_page" in fields.events
    printed = read(story("<span>الأربعاء 8 مارس 2023</span>", head))
    assert (printed.date_raw, printed.date_source) == ("الأربعاء 8 مارس 2023", "article-text")
    # The same day printed: the UTC value stands, instant and all.
    assert read(story("<span>7 مارس 2023</span>", head)).date_raw == "2023-03-07T22:40:00.000Z"
    # A day no offset can explain (03:10Z cannot be the next day anywhere): another date, nothing changes.
    early = ld('{"@type": "NewsArticle", "datePublished": "2023-03-07T03:10:00Z"}')
    assert read(story("<span>8 مارس 2023</span>", early)).date_raw == "2023-03-07T03:10:00Z"
