"""Every real Arabic news page in ../shared/real-pages/, read in place (never copied here).

Expected values are what the page itself shows a reader (its headline without the site
name, its printed date, its first paragraph), checked by hand against the HTML; the
publication dates of eight pages are htmldate's gold dates listed in SOURCES.md. Two pages
come with another project's expected output (goose3, fundus), used here as independent oracles.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from parsel import Selector

from crawler.dates import resolve_date
from crawler.extract.article import extract_article
from crawler.profiles import profile_for_url

SHARED = Path(__file__).resolve().parents[2] / "shared"
PAGES = SHARED / "real-pages"
pytestmark = pytest.mark.skipif(not PAGES.is_dir(), reason=f"real pages not available ({PAGES} is missing)")

# htmldate's eval_mediacloud_2020.json, as listed in SOURCES.md.
GOLD = {
    "arabic.sputniknews.com": "2020-03-17",
    "almadenahnews.com": "2020-04-24",
    "albayan.ae": "2020-06-03",
    "youm7.com": "2020-08-24",
    "akhbarelyom.com": "2020-10-07",
    "beirutobserver.com": "2020-11-09",
    "alyaum.com": "2020-12-01",
    "elbaladtv.net": "2020-12-25",
}

# host: (file, page URL, title, (published_raw, date_source), published_at, start of body, author)
CASES = {
    "akhbarelyom.com": (
        "naima-akef-2020-10-07.html",
        "https://akhbarelyom.com/news/newdetails/3137478/1/x",
        "36 عامًا.. سر رحيل نعيمة عاكف في سن مبكر",
        ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", "article-text"),
        "2020-10-07T12:09:00+02:00",
        "يصادف اليوم ذكرى ميلاد الفنانة نعيمة عاكف التي ولدت في مثل هذا اليوم عام 1929",
        "نورهان نبيل",
    ),
    "albayan.ae": (
        "afghan-embassy-uae-2020-06-03.html",
        "https://www.albayan.ae/across-the-uae/news-and-reports/2020-06-03-1.3874337",
        "القائم بأعمال السفارة الأفغانية يثمّن جهود الإمارات",
        ("2020-06-03T03:01+0400", "json-ld"),
        "2020-06-03T03:01:00+04:00",
        "ثمّن أحمد ساير داودزي، القائم بأعمال السفارة الأفغانية لدى الدولة",
        "(أبوظبي - البيان)",
    ),
    "almadenahnews.com": (
        "us-covid-deaths-2020-04-24.html",
        "https://www.almadenahnews.com/article/825076",
        "أميركا :50 الفا حصيلة الوفيات بسبب فيروس كورونا",
        ("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", "article-text"),
        "2020-04-24T21:22:00+03:00",
        "المدينة نيوز :- بلغت حصيلة الوفيات الناجمة عن فيروس كورونا المستجدّ",
        None,  # the only byline is the site's own name
    ),
    "alyaum.com": (
        "tehran-buries-zadeh-2020-12-01.html",
        "https://www.alyaum.com/articles/6291787/x",
        "طهران تدفن «زادة».. وتتهم المعارضة الإيرانية باغتياله",
        ("2020-12-01T02:00:00+03:00", "json-ld"),
        "2020-12-01T02:00:00+03:00",
        "وسط تهديدات إيرانية بالانتقام وتوعد إسرائيلي برد قاس، شيعت إيران",
        "حسام أبو العلا - القاهرة",
    ),
    "arabic.cnn.com": (
        "syria-clashes-2013-08-03.html",
        "http://arabic.cnn.com/2013/middle_east/8/3/syria.clashes/index.html",
        "معارضون يسيطرون على مخازن للصواريخ بريف دمشق",
        # The page's only date: its story stamp, which CNN labels «آخر تحديث» (last update).
        ("الأحد، 04 آب/اغسطس 2013، آخر تحديث 02:21 (GMT+0400)", "article-text"),
        "2013-08-04T02:21:00+04:00",
        "دمشق، سوريا (CNN) -- أكدت جهات سورية معارضة",
        None,
    ),
    "arabic.sputniknews.com": (
        "egypt-covid-30-cases-2020-03-17.html",
        "https://arabic.sputniknews.com/arab_world/202003171044893040-x/",
        "مصر تسجل 30 إصابة جديدة وحالتي وفاة بفيروس كورونا",
        ("2020-03-17T17:27:41Z", "meta"),
        "2020-03-17T17:27:41+00:00",
        # The lead paragraph, outside [itemprop=articleBody].
        "أعلنت وزارة الصحة والسكان المصرية، اليوم الثلاثاء، تسجيل 30 حالة جديدة",
        None,  # the microdata author is the agency (an Organization)
    ),
    "assabah.com.tn": (
        "article-164913-sudan-activist.html",
        "http://www.assabah.com.tn/article/164913/x",
        "الناشط الحقوقي السوداني خالد عبد الكريم ماسا لـ«الصباح»: كل الشروط متوفرة لثورة سودانية ولا حاجة لنستورد شيئا",
        ("2019-02-08T00:00:00+01:00", "microdata"),  # RDFa dc:date beside «الجمعة 8 فيفري 2019»
        "2019-02-08T00:00:00+01:00",
        "مالذي يحدث في السودان؟ والى أين يتجه البلد",
        "آسيا العتروس",  # «حوار: آسيا العتروس» atop the body
    ),
    "beirutobserver.com": (
        "saudi-princess-paris-2020-11-09.html",
        "https://www.beirutobserver.com/2020/11/2020-11-09-x/",
        "سرقة منزل أميرة سعودية في باريس يضم أغراضاً فاخرة بقيمة 700 ألف دولار",
        ("2020-11-09T18:34:47+00:00", "meta"),
        "2020-11-09T18:34:47+00:00",
        "نشر موقع Middle East Eye البريطاني، أن خبراً يفيد بقيام لصوص",
        "Ziad Sankary",
    ),
    "elbaladtv.net": (
        "turki-alsheikh-yousra-2020-12-25.html",
        "https://elbaladtv.net/x/",
        "تركى آل الشيخ بعد إصابة يسرا بكورونا: يارب يرفع عنك",
        # meta article:published_time says 2020-12-24T23:59:50+00:00: same instant, the day before in UTC.
        ("2020-12-25T01:59:50+02:00", "json-ld"),
        "2020-12-25T01:59:50+02:00",
        "انتشر خبر خلال الساعات الأخيرة علي السوشيال ميديا بشأن إصابة الفنانة يسرا",
        "ضحى عرفة",
    ),
    "lbcgroup.tv": (
        "trump-pink-hair-2026-01-08.html",
        "https://www.lbcgroup.tv/news/lifestyle/898682/x/ar",
        '"شعر وردي يُشعل السخرية"… لغز لون شعر دونالد ترامب يربك الجمهور وخبير يشرح السبب',
        ("2026-01-08T11:42:50+00:00", "json-ld"),
        "2026-01-08T11:42:50+00:00",
        "أثار ظهور دونالد ترامب بشعرٍ مائل إلى اللون الوردي",
        None,  # «LBCI» is the channel's name
    ),
    "youm7.com": (
        "story-irrigation-minister-2020-08-24.html",
        "https://www.youm7.com/story/2020/8/24/x/4943459",
        "وزير الرى يشهد توقيع عقد دراسة تحديد السحب الآمن للخزانات الجوفية مع جامعة القاهرة",
        # Not meta article:published_time «2020-08-24T09:23:13Z»: that is Cairo time labelled UTC.
        ("الإثنين، 24 أغسطس 2020 09:23 ص", "article-text"),
        "2020-08-24T09:23:00+02:00",
        "شهد الدكتور محمد عبد العاطي وزير الموارد المائية والرى",
        "أسماء نصار",
    ),
}
FETCHED = datetime(2026, 11, 1, tzinfo=UTC)  # no page here prints a relative date


def read(host: str):
    """The page's fields as the spider would get them: with the profile its host matches."""
    name, url = CASES[host][0], CASES[host][1]
    sel = Selector(text=(PAGES / host / name).read_bytes().decode("utf-8"))
    profile = profile_for_url(url)
    fields = extract_article(sel, url, profile.article if profile else None, profile.site_names if profile else ())
    return fields, profile


def test_every_real_page_has_a_case():
    hosts = sorted(p.name for p in PAGES.iterdir() if p.is_dir() and not p.name.startswith("_"))
    assert hosts == sorted(CASES)


@pytest.mark.parametrize("host", sorted(CASES))
def test_title_without_the_site_name(host):
    fields, _ = read(host)
    assert fields.title == CASES[host][2]


@pytest.mark.parametrize("host", sorted(CASES))
def test_publication_date(host):
    fields, profile = read(host)
    raw, published_at = CASES[host][3], CASES[host][4]
    assert (fields.date_raw, fields.date_source) == raw
    tz = ZoneInfo(profile.timezone) if profile else None
    resolved = resolve_date(fields.date_raw, fields.date_source, FETCHED, tz)
    assert resolved == published_at
    if host in GOLD:
        assert resolved[:10] == GOLD[host]


@pytest.mark.parametrize("host", sorted(CASES))
def test_body_starts_with_the_first_paragraph(host):
    fields, _ = read(host)
    assert fields.body is not None
    assert fields.body.startswith(CASES[host][5])
    assert "\n\n" in fields.body or host == "almadenahnews.com"  # paragraphs stay apart


@pytest.mark.parametrize("host", sorted(CASES))
def test_author(host):
    fields, _ = read(host)
    assert fields.author == CASES[host][6]


def test_cnn_body_matches_goose3_and_leaves_out_the_comment_policy():
    fields, _ = read("arabic.cnn.com")
    expected = json.loads((PAGES / "arabic.cnn.com" / "syria-clashes-2013-08-03.goose3-expected.json").read_text())
    assert fields.body.startswith(expected["expected"]["cleaned_text"])
    assert "الآراء الواردة أدناه" not in fields.body  # the comment policy below the story
    assert fields.body.endswith("في سوريا بشكل مستقل.")


def test_lbc_paragraphs_match_fundus():
    """LBC separates paragraphs with <br>: each one must come out as its own paragraph."""
    fields, _ = read("lbcgroup.tv")
    expected = json.loads((PAGES / "lbcgroup.tv" / "trump-pink-hair-2026-01-08.fundus-expected.json").read_text())
    assert fields.body.split("\n\n") == expected["V1"]["body"]["sections"][0]["paragraphs"]


def test_albayan_drops_a_modified_date_before_the_published_one():
    fields, _ = read("albayan.ae")
    assert fields.modified_raw is None  # JSON-LD dateModified 01:30, two hours before datePublished 03:01
    assert "article/dates/modified_before_published" in fields.events


def test_elbalad_meta_in_utc_loses_to_json_ld_in_local_time():
    fields, _ = read("elbaladtv.net")
    others = {(c.source, c.raw) for c in fields.dates if c.role == "published"}
    assert ("meta", "2020-12-24T23:59:50+00:00") in others  # present, and not chosen
    assert "article/dates/sources_disagree" not in fields.events  # the same instant


def test_page_tags():
    assert read("elbaladtv.net")[0].tags[:3] == ["أفلام الفنانة يسرا", "اصابة يسرا", "اصابة يسرا بكورونا"]
    assert read("youm7.com")[0].tags == ["وزير الرى", "الأمن المستدام", "الخزانات الجوفية", "جامعة القاهرة"]
    assert read("akhbarelyom.com")[0].tags == ["النمر", "مدرسة البنات", "نعيمة عاكف", "فتاة السيرك", "بياعة الجرايد"]
    assert read("arabic.sputniknews.com")[0].tags == ["مصر", "فيروس كورونا"]
    assert read("alyaum.com")[0].tags == []  # its meta keywords are the title's words, not tags


def test_images_are_absolute():
    assert read("alyaum.com")[0].image == "https://www.alyaum.com/uploads/images/2020/12/01/937359.JPG"
    assert read("youm7.com")[0].image == "https://img.youm7.com/large/202007190254595459.jpg"


@pytest.mark.parametrize(
    ("host", "what"),
    [
        ("almadenahnews.com", "date"),  # no ISO date anywhere: only the printed text
        ("youm7.com", "date"),  # the meta date is Cairo time labelled UTC
        ("arabic.sputniknews.com", "body"),  # the lead paragraph sits outside articleBody
        ("akhbarelyom.com", "author"),  # meta author is the site
    ],
)
def test_the_profile_is_what_fixes_these_pages(host, what):
    """Without its profile the page gives a different (wrong or missing) value: the profile earns its place."""
    name, url = CASES[host][0], CASES[host][1]
    sel = Selector(text=(PAGES / host / name).read_bytes().decode("utf-8"))
    generic = extract_article(sel, url)
    profiled, _ = read(host)
    value = {"date": "date_raw", "body": "body", "author": "author"}[what]
    assert getattr(generic, value) != getattr(profiled, value)
