"""From teasers to full articles: each item's own page and images, added to the item.

:func:`fetch_extras` does the reading (article pages, image files) before the import's
transaction; :func:`apply_extras` runs inside it, puts the images in the library and returns
the items with their body, author, date, tags and listing image filled in. An article that
cannot be read is imported from its teaser, an image that cannot be used is left out, and
each is reported by URL with its reason; ``strict`` makes any of them an error instead.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .articles import ArticleContent, Block, parse_article
from .conf import fetch_policy
from .errors import ArticleError, TagfeedError
from .fetching import Crawl, fetch, fetch_many
from .images import Download, download_images, existing_images, get_collection, store_images
from .listing import ListingItem


@dataclass(frozen=True)
class Extras:
    """What was read for the items: article contents and image files, by URL."""

    articles: dict[str, ArticleContent] = field(default_factory=dict)
    downloads: dict[str, Download] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    messages: tuple[str, ...] = ()


def fetch_extras(
    items: Sequence[ListingItem],
    *,
    articles: bool = True,
    images: bool = False,
    strict: bool = False,
    crawl: Crawl | None = None,
    url_map: Sequence[tuple[str, str]] = (),
) -> Extras:
    """Fetch each item's article page (with the listing's limits) and the images to import.

    The pages are fetched several at once, as part of ``crawl`` (the import's run; by
    default one under the settings' policy). ``url_map`` lists (prefix, replacement) pairs
    of mirrors to fetch from instead.
    """
    crawl = crawl or Crawl(fetch_policy())

    def locate(url: str) -> str:
        return mirror(url, url_map)

    def read_article(url: str) -> ArticleContent:
        document = fetch(locate(url), crawl=crawl)
        return parse_article(dataclasses.replace(document, url=unmirror(document.url, url_map)))

    contents: dict[str, ArticleContent] = {}
    messages: list[str] = []
    pages = [item.url for item in items] if articles else []
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
    if images:
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
        downloads, failures = download_images(urls, crawl=crawl, locate=locate)
        messages.extend(str(failure) for failure in failures)
    if strict and messages:
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


def apply_extras(
    items: Sequence[ListingItem],
    extras: Extras,
    *,
    dry_run: bool = False,
    collection: str | None = None,
    written: list[str] | None = None,
) -> list[ListingItem]:
    """The items with what their article pages and images added.

    Creates the missing images in the library (their file names go to ``written``), unless
    ``dry_run``: then only images already there are used.
    """
    if dry_run:
        by_hash = existing_images(extras.downloads.values())
        ids = {
            url: by_hash[download.file_hash]
            for url, download in extras.downloads.items()
            if download.file_hash in by_hash
        }
    elif extras.downloads:
        ids = store_images(
            extras.downloads, extras.titles, get_collection(collection), written=written
        )
    else:
        ids = {}
    enriched = []
    for item in items:
        content = extras.articles.get(item.url)
        teaser = item.image or (content.image if content else None)
        item = dataclasses.replace(item, image_id=ids.get(teaser) if teaser else None)
        if content is not None:
            data = body_data(content.blocks, ids)
            item = dataclasses.replace(
                item,
                body=json.dumps(data, ensure_ascii=False) if data else "",
                author=item.author or content.author,
                published=item.published or content.published,
                tags=item.tags or content.tags,
            )
        enriched.append(item)
    return enriched


def body_data(blocks: Sequence[Block], image_ids: dict[str, int]) -> list[dict]:
    """StreamField data of the body; images not in the library are left out."""
    data = []
    for block in blocks:
        if block.type != "image":
            data.append({"type": block.type, "value": block.value})
        elif block.value["url"] in image_ids:
            alt = block.value["alt"]
            value = {"image": image_ids[block.value["url"]], "alt_text": alt}
            data.append({"type": "image", "value": {**value, "decorative": not alt}})
    return data
