"""The article pages of ../shared/dev-sites/, read in place with no profile and no zone.

Each site's expected.json was written by the corpus's authors, not from this extractor. The
pages are read the way the site's server labels them (bench/extract_articles.py, which also
prints the table), and each figure is checked page by page, so a miss names its page.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bench.extract_articles import DEV_SITES_NOW, dev_site_pages, score_article
from crawler.extract.article import extract_article
from tests.support import SHARED

DEV_SITES = SHARED / "dev-sites"
SITES = sorted(p for p in DEV_SITES.iterdir() if (p / "expected.json").is_file()) if DEV_SITES.is_dir() else []
pytestmark = pytest.mark.skipif(not SITES, reason=f"dev-sites not available ({DEV_SITES} is missing)")


# Sites that print their times only as text, with no offset: the instant needs the site's zone,
# which a profile or ``-a tz=`` gives (generic extraction cannot know it); the day does not.
TEXT_ONLY_TIMES = {"hespress-like", "legacy-iso-8859-6", "news-aggregator-cluster"}


@pytest.mark.parametrize("site", SITES, ids=lambda p: p.name)
def test_every_article_page_has_its_title_date_time_author_and_body(site):
    misses = []
    for response, truth in dev_site_pages(site):
        fields = extract_article(response.selector, response.url)
        score = score_article(fields, truth, DEV_SITES_NOW)
        figures = {f: ok for f, ok in score.right.items() if f != "time" or site.name not in TEXT_ONLY_TIMES}
        misses += [f"{truth.url} {figure}: {score.got[figure]!r}" for figure, ok in figures.items() if not ok]
    assert misses == []


def test_with_the_sites_zone_a_printed_time_is_an_instant():
    site = DEV_SITES / "hespress-like"
    for response, truth in dev_site_pages(site):
        fields = extract_article(response.selector, response.url)
        assert score_article(fields, truth, DEV_SITES_NOW, ZoneInfo("Africa/Casablanca")).right["time"], truth.url


def test_the_corpus_has_forty_article_pages():
    assert sum(1 for site in SITES for _ in dev_site_pages(site)) == 40


def test_a_utc_time_on_the_next_local_day_is_given_that_day():
    """angular-universal: JSON-LD 22:40Z, printed «… 6 ديسمبر 2021 - 12:40 ص» (+02:00)."""
    pages = dict((truth.url, response) for response, truth in dev_site_pages(DEV_SITES / "angular-universal"))
    response = pages["http://127.0.0.1/ar/news/604488/five-year-multi-entry-visa"]
    fields = extract_article(response.selector, response.url)
    assert fields.date_raw == "2021-12-06T00:40:00+02:00"
    assert "2021-12-05T22:40:00Z" in fields.origins["published"]
