"""The SSRF guard: no request reaches a non-public address or an unexpected port."""

from __future__ import annotations

import ipaddress
import json
import sqlite3

import pytest

from crawler.ssrf import address_refusal, allowed_networks
from tests.support import (
    FIXTURES,
    Reply,
    article_page,
    fault_site,
    read_jsonl,
    run_crawl,
    scrapy_command,
    stat,
    tag_page,
)

NO_PRIVATE = "AKHBAR_ALLOW_PRIVATE_HOSTS="  # what every real crawl has: no exception
INTERNAL = b"<html><body><h1>internal admin secret</h1></body></html>"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.0.0.2", "10.0.0.5", "172.16.3.4", "192.168.1.1", "169.254.169.254", "100.64.0.1",
     "0.0.0.0", "224.0.0.1", "240.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1"],
)  # fmt: skip
def test_non_public_addresses_are_refused(address):
    assert address_refusal(address, []) == "not a public address"


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c7:1946"])
def test_public_addresses_pass(address):
    assert address_refusal(address, []) is None


def test_the_allow_list_takes_addresses_and_networks():
    allowed = allowed_networks(["127.0.0.1", "10.1.0.0/16"])
    assert allowed == [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("10.1.0.0/16")]
    assert address_refusal("127.0.0.1", allowed) is None
    assert address_refusal("10.1.200.3", allowed) is None
    assert address_refusal("127.0.0.2", allowed) == "not a public address"
    assert address_refusal("10.2.0.1", allowed) == "not a public address"
    with pytest.raises(ValueError, match="'intranet' is not an IP address"):
        allowed_networks(["intranet"])


def rows(db) -> list[tuple]:
    return sqlite3.connect(db).execute("SELECT url, title, body FROM items ORDER BY position").fetchall()


def test_a_start_url_on_a_loopback_address_is_refused(tmp_path):
    with fault_site({"/tag/x/": Reply(body=tag_page(("/news/1/", "خبر")))}) as site:
        result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", NO_PRIVATE)
        assert site.hits == []  # not even robots.txt was fetched
    assert stat(result.stderr, "akhbar/ssrf/refused") == 2  # robots.txt and the page
    assert stat(result.stderr, "akhbar/ssrf/refused/address") == 2
    assert f"refused {site.url}/tag/x/: 127.0.0.1 is 127.0.0.1, not a public address" in result.stderr
    assert stat(result.stderr, "akhbar/listing/failed/ssrf") == 1
    assert rows(tmp_path / "o.sqlite3") == []


@pytest.mark.parametrize("host", ["localhost", "127.0.0.2"])
def test_other_loopback_names_are_refused_even_when_127_0_0_1_is_allowed(tmp_path, host):
    with fault_site({"/tag/x/": Reply(body=tag_page(("/news/1/", "خبر")))}) as site:
        url = site.url.replace("127.0.0.1", host)
        allow = (
            "AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.2" if host == "localhost" else "AKHBAR_ALLOW_PRIVATE_HOSTS=127.0.0.1"
        )
        result = run_crawl({"url": f"{url}/tag/x/"}, tmp_path / "o.jsonl", allow)
    assert site.hits == []
    # localhost is resolved (not a literal) to 127.0.0.1, which only 127.0.0.2 is allowed here.
    assert f"refused {url}/tag/x/: {host} is 127.0.0." in result.stderr
    assert stat(result.stderr, "akhbar/ssrf/lookups") == (2 if host == "localhost" else None)
    assert stat(result.stderr, "akhbar/ssrf/refused/address") == 2
    assert rows(tmp_path / "o.sqlite3") == []


def test_an_article_on_another_port_is_refused_and_its_listing_record_kept(tmp_path):
    with fault_site({"/admin/": Reply(body=INTERNAL)}) as internal:
        routes = {
            "/tag/x/": Reply(body=tag_page(("/news/1/", "الخبر الأول"), (f"{internal.url}/admin/", "الخبر الثاني"))),
            "/news/1/": Reply(body=article_page("الخبر الأول")),
        }
        with fault_site(routes) as site:
            result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", "ROBOTSTXT_OBEY=False")
        assert internal.hits == []
    assert result.returncode == 0, result.stderr[-2000:]
    assert stat(result.stderr, "akhbar/ssrf/refused") == 1
    assert stat(result.stderr, "akhbar/ssrf/refused/port") == 1
    assert stat(result.stderr, "akhbar/article/failed/ssrf") == 1
    stored = rows(tmp_path / "o.sqlite3")
    assert [(url, title) for url, title, _ in stored] == [
        (f"{site.url}/news/1/", "الخبر الأول"),
        (f"{internal.url}/admin/", "الخبر الثاني"),  # the listing record, without the internal body
    ]
    assert stored[1][2] is None
    assert "internal admin secret" not in (tmp_path / "o.jsonl").read_text(encoding="utf-8")


def test_a_redirect_to_another_port_is_refused(tmp_path):
    with fault_site({"/admin/": Reply(body=INTERNAL)}) as internal:
        routes = {
            "/tag/x/": Reply(body=tag_page(("/news/1/", "الخبر الأول"))),
            "/news/1/": Reply.redirect(f"{internal.url}/admin/"),
        }
        with fault_site(routes) as site:
            result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl", "ROBOTSTXT_OBEY=False")
        assert internal.hits == []
    assert result.returncode == 0, result.stderr[-2000:]
    assert stat(result.stderr, "akhbar/ssrf/refused/port") == 1
    assert f"refused {internal.url}/admin/: port" in result.stderr
    items = read_jsonl(tmp_path / "o.jsonl")
    assert [(i["url"], i["body"]) for i in items] == [(f"{site.url}/news/1/", None)]


def test_the_start_urls_port_and_the_web_ports_are_allowed(tmp_path):
    routes = {"/tag/x/": Reply(body=tag_page(("/news/1/", "الخبر الأول"))), "/news/1/": Reply(body=article_page("خ"))}
    with fault_site(routes) as site:
        result = run_crawl({"url": f"{site.url}/tag/x/"}, tmp_path / "o.jsonl")
    assert result.returncode == 0, result.stderr[-2000:]
    assert stat(result.stderr, "akhbar/ssrf/refused") is None
    assert sorted(path for _, path in site.hits) == ["/news/1/", "/robots.txt", "/tag/x/"]


SCHEMES_SPIDER = """
import scrapy

class Schemes(scrapy.Spider):
    name = "schemes"
    site = tag_slug = run_id = "x"

    async def start(self):
        for url in ("file:///etc/hostname", "data:text/plain,internal", "ftp://127.0.0.1:1/x", "s3://bucket/key"):
            yield scrapy.Request(url, callback=self.got, errback=self.failed)

    def got(self, response):
        self.logger.error("DOWNLOADED %s %r", response.url, response.body[:40])

    def failed(self, failure):
        self.logger.warning("NOT DOWNLOADED %s: %s", failure.request.url, failure.type.__name__)
"""


def test_file_data_ftp_and_s3_cannot_be_downloaded(tmp_path):
    spider = tmp_path / "schemes.py"
    spider.write_text(SCHEMES_SPIDER, encoding="utf-8")
    result = scrapy_command("runspider", str(spider), "-s", "AKHBAR_FEED_URI=")
    assert "DOWNLOADED" in result.stderr  # the spider ran...
    assert "ERROR: DOWNLOADED" not in result.stderr  # ...and fetched nothing
    for scheme in ("file", "data", "ftp", "s3"):
        assert f"NOT DOWNLOADED {scheme}:" in result.stderr
    assert result.stderr.count(": NotSupported") == 4


def test_a_replayed_crawl_resolves_no_host(tmp_path):
    """Recordings of *.example hosts are served by the cache, which sits before the guard."""
    args = json.loads((FIXTURES / "www.seed-news.example" / "crawl.json").read_text(encoding="utf-8"))
    result = run_crawl({"url": args["url"]}, tmp_path / "o.jsonl", "REPLAY_MODE=replay", NO_PRIVATE)
    assert result.returncode == 0, result.stderr[-2000:]
    assert stat(result.stderr, "akhbar/pages/listing") >= 1
    assert stat(result.stderr, "akhbar/pages/article") >= 1
    assert stat(result.stderr, "akhbar/ssrf/lookups") is None
    assert stat(result.stderr, "akhbar/ssrf/refused") is None
