"""The baseline arm of the crawl benchmark: a bare Scrapy spider yielding dict items.

It knows the mirror's markup (hard-coded selectors, no pipelines, no storage),
which is as fast as Scrapy crawls these pages; run it with ``scrapy runspider``
outside the project so no project settings apply.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, urls: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = Path(urls).read_text(encoding="utf-8").split()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url)

    def parse(self, response: Response) -> Iterator[Any]:
        for card in response.css("div.posts-container article"):
            yield {
                "url": response.urljoin(card.css("h2 a::attr(href)").get()),
                "title": card.css("h2 a::text").get(),
                "date": card.css("time::attr(datetime), span.date::text").get(),
                "excerpt": card.css("p.post-excerpt::text").get(),
            }
        next_page = response.css("a.next::attr(href)").get()
        if next_page:
            yield response.follow(next_page)
