"""What an article page says about itself: times, title, author, body, image and tags.

One module per concern, each returning its values; ``extract_article`` alone assembles them:

- ``title``: the title and the names the site calls itself;
- ``dates``: the published and modified times, in order of trust;
- ``byline``: the author's name;
- ``media``: the lead image and the tags;
- ``body``: the main text, without the lines a body extractor keeps above it;
- ``scope``: the article's own part of the page (title to text), whose short lines the
  dates and byline parts read.

Pure: a parsel ``Selector`` in, a dataclass out; ``events`` name what the spider counts.
"""

from __future__ import annotations

from configparser import ConfigParser
from dataclasses import dataclass, field

from parsel import Selector

from crawler.extract.article.body import drop_leading_noise, extract_body, trafilatura_config
from crawler.extract.article.byline import extract_author
from crawler.extract.article.dates import DateCandidate, extract_dates
from crawler.extract.article.media import extract_image, extract_tags
from crawler.extract.article.parts import Found
from crawler.extract.article.scope import article_scope, scope_lines
from crawler.extract.article.title import extract_title, meta_titles, site_names, title_affixes
from crawler.extract.structured import articles, json_ld_objects, types_of
from crawler.profiles import ArticleSelectors

__all__ = ["ArticleFields", "DateCandidate", "extract_article", "trafilatura_config"]

_WEBPAGE_TYPES = frozenset({"WebPage", "ItemPage"})


@dataclass
class ArticleFields:
    """What an article page tells about itself; ``None`` (or an empty list) where it is silent."""

    date_raw: str | None = None
    date_source: str | None = None
    modified_raw: str | None = None
    modified_source: str | None = None
    title: str | None = None
    author: str | None = None
    body: str | None = None
    image: str | None = None
    tags: list[str] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)  # field -> where its value came from
    dates: list[DateCandidate] = field(default_factory=list)  # every date found, in order of trust
    events: list[str] = field(default_factory=list)  # counter names under ``akhbar/``


def extract_article(
    sel: Selector,
    url: str | None = None,
    profile: ArticleSelectors | None = None,
    names: tuple[str, ...] = (),
    config: ConfigParser | None = None,
) -> ArticleFields:
    """Read an article page; the spider merges the result into the listing entry.

    ``profile`` holds the site profile's article selectors, ``names`` its declared site names,
    ``config`` trafilatura's settings (``trafilatura_config()``; pass one to reuse it across pages).
    """
    objects = json_ld_objects(sel)
    ld = articles(objects)
    pages = [o for o in objects if types_of(o) & _WEBPAGE_TYPES and o not in ld]
    metas = meta_titles(sel, ld)
    known = site_names(sel, objects, url, names)
    known += [n for n in title_affixes(metas) if n not in known]

    title = extract_title(sel, metas, known, profile.title if profile else None)
    keep = frozenset(title.element.iterancestors()) if title.element is not None else frozenset()
    body = extract_body(sel, url, config or trafilatura_config(), profile.body if profile else None, title.element)
    scope = article_scope(sel.root, title.element, (body.value or [None])[0])
    lines = scope_lines(*scope, keep) if scope else []
    dates = extract_dates(sel, ld, pages, profile, keep, lines)
    author = extract_author(sel, ld, known, profile.author if profile else None, lines)
    image = extract_image(sel, ld, url, profile.image if profile else None)
    tags = extract_tags(sel, ld, profile.tags if profile else None, keep)
    published, modified = dates.published, dates.modified
    lead = drop_leading_noise(body.value or [], title.found.value, published.raw if published else None)
    if author.value is None and lead.byline:
        author = Found(lead.byline, "byline atop the body")
    if not lead.paragraphs:
        body = Found(None, None, body.events)

    named = {"title": title.found, "author": author, "image": image, "tags": tags, "body": body}
    origins = {key: found.origin for key, found in named.items() if found.origin}
    origins.update(dates.origins)
    return ArticleFields(
        date_raw=published.raw if published else None,
        date_source=published.source if published else None,
        modified_raw=modified.raw if modified else None,
        modified_source=modified.source if modified else None,
        title=title.found.value,
        author=author.value,
        body="\n\n".join(lead.paragraphs) or None,
        image=image.value,
        tags=tags.value or [],
        origins=origins,
        dates=list(dates.candidates),
        events=[
            *title.found.events,
            *dates.events,
            *author.events,
            *image.events,
            *tags.events,
            *body.events,
            *lead.events,
            *(() if lead.paragraphs else ("article/body/missing",)),
        ],
    )
