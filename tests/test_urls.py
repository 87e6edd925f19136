import hashlib

import pytest

from crawler.urls import item_id, site_of, url_key


@pytest.mark.parametrize(
    "variant",
    [
        "https://www.example.com/2021/06/story/",
        "https://www.example.com/2021/06/story",
        "HTTPS://WWW.EXAMPLE.COM/2021/06/story/",
        "http://www.example.com/2021/06/story/",
        "https://www.example.com:443/2021/06/story/",
        "https://www.example.com/2021/06/story/#comments",
        "https://www.example.com/2021/06/story/?utm_source=twitter&utm_medium=social",
        "https://www.example.com/2021/06/story/?fbclid=abc&gclid=def",
        "https://www.example.com/2021/06/story/amp/",
        "https://www.example.com/2021/06/story/?amp",
        "https://www.example.com/2021/06/story/?amp=1",
    ],
)
def test_variants_of_one_article_share_a_key(variant):
    assert url_key(variant) == "https://www.example.com/2021/06/story"


def test_raw_and_percent_encoded_arabic_paths_share_a_key():
    raw = "https://site.example/tag/قمة-بايدن/"
    lower = "https://site.example/tag/%d9%82%d9%85%d8%a9-%d8%a8%d8%a7%d9%8a%d8%af%d9%86/"
    upper = "https://site.example/tag/%D9%82%D9%85%D8%A9-%D8%A8%D8%A7%D9%8A%D8%AF%D9%86"
    assert url_key(raw) == url_key(lower) == url_key(upper) == upper


def test_meaningful_query_and_ports_are_kept():
    assert url_key("https://s.example/news.asp?id=7&page=2") == "https://s.example/news.asp?id=7&page=2"
    assert url_key("https://s.example/news.asp?page=2&id=7") == "https://s.example/news.asp?id=7&page=2"
    assert url_key("http://127.0.0.1:8080/a/") == "https://127.0.0.1:8080/a"
    assert url_key("https://s.example/a?id=1") != url_key("https://s.example/a?id=2")


def test_item_id_is_the_sha1_of_the_key_and_stable():
    url = "https://www.example.com/2021/06/story/?utm_source=x"
    assert item_id(url) == hashlib.sha1(b"https://www.example.com/2021/06/story").hexdigest()
    # Pinned: ids are stored downstream, so a change here must be deliberate.
    assert item_id("https://www.example.com/a/") == "d61849747796fc2faf074aff3646bcc33895c77e"


def test_site_drops_www_only():
    assert site_of("https://www.alyaum.com/x") == "alyaum.com"
    assert site_of("https://arabic.cnn.com/x") == "arabic.cnn.com"
    assert site_of("http://127.0.0.1:8000/tag/x/") == "127.0.0.1"
