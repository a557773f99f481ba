"""From teasers to full articles: each item's own page, and the images to import.

:func:`fetch_extras` reads them before the import's transaction; :mod:`.drafting` puts them
into the drafts. An article that cannot be read is imported from its teaser, an image that
cannot be used is left out, and each is reported by URL with its reason; ``strict`` makes
any of them an error instead.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from .errors import ArticleError, TagfeedError
from .errors import gettext as _
from .fetching import Crawl, fetch, fetch_many
from .images import Download, download_images
from .listing import ListingItem
from .options import ImportOptions
from .parsing.article import ArticleContent, parse_article


@dataclass(frozen=True)
class Extras:
    """What was read for the items: article contents and image files, by URL."""

    articles: dict[str, ArticleContent] = field(default_factory=dict)
    downloads: dict[str, Download] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    messages: tuple[str, ...] = ()


def fetch_extras(
    items: Sequence[ListingItem], options: ImportOptions, *, crawl: Crawl | None = None
) -> Extras:
    """Fetch each item's article page (with the listing's limits) and the images to import.

    Pages and images are fetched several at once, as part of ``crawl`` (the import's run; a
    run of their own by default). ``options.url_map`` lists (prefix, replacement) pairs of
    mirrors to fetch from instead.
    """
    url_map = options.url_map
    crawl = crawl or Crawl(options.fetch_policy())

    def locate(url: str) -> str:
        return mirror(url, url_map)

    def read_article(url: str) -> ArticleContent:
        document = fetch(locate(url), crawl=crawl)
        return parse_article(dataclasses.replace(document, url=unmirror(document.url, url_map)))

    contents: dict[str, ArticleContent] = {}
    messages: list[str] = []
    pages = [item.url for item in items] if options.fetch_articles else []
    for url, result in zip(pages, fetch_many(pages, crawl, read_article), strict=True):
        if isinstance(result, TagfeedError):
            messages.append(
                _("Article %(url)s imported from its teaser: %(reason)s")
                % {"url": url, "reason": result}
            )
        else:
            contents[url] = result
    downloads: dict[str, Download] = {}
    titles: dict[str, str] = {}
    if options.images:
        urls: list[str] = []
        for item in items:
            content = contents.get(item.url)
            teaser = item.image or (content.image if content else None)
            if teaser:
                urls.append(teaser)
            for block in content.blocks if content else ():
                if block.type == "image":
                    urls.append(block.value["url"])
                    titles.setdefault(block.value["url"], block.value["alt"])
        downloads, failures = download_images(
            urls, crawl=crawl, max_images=options.max_images, locate=locate
        )
        messages.extend(str(failure) for failure in failures)
    if options.strict and messages:
        raise ArticleError(
            _("%(problem)s (and %(more)d more); nothing was imported")
            % {"problem": messages[0], "more": len(messages) - 1}
            if len(messages) > 1
            else _("%(problem)s; nothing was imported") % {"problem": messages[0]}
        )
    return Extras(contents, downloads, titles, tuple(messages))


def mirror(url: str, url_map: Sequence[tuple[str, str]]) -> str:
    """Where to fetch ``url`` from: its mirror when a prefix of ``url_map`` matches."""
    for prefix, replacement in url_map:
        if url.startswith(prefix):
            return replacement + url[len(prefix) :]
    return url


def unmirror(url: str | None, url_map: Sequence[tuple[str, str]]) -> str | None:
    """The URL a mirror's ``url`` stands for."""
    return mirror(url, [(replacement, prefix) for prefix, replacement in url_map]) if url else url
