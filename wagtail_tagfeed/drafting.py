"""Cleaned teasers (and their article pages and images, when read) -> article drafts.

A draft is the page as the import will write it: its fields in the database's terms, the
body as StreamField data and images as ids of the image library. What the listing shows wins
over what the article page says; the article page fills in what the listing lacks. Pure: the
image ids are looked up (or created) by the caller.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .cleaning import TAG_MAX_LENGTH
from .listing import ArticleDraft, ListingItem
from .parsing.article import ArticleContent, Block
from .parsing.urls import is_article_address

MAX_TAGS = 20
"""The most tags one article gets from an import (the listing's, the item's, the article's)."""


def draft_article(
    item: ListingItem,
    tags: Sequence[str],
    content: ArticleContent | None = None,
    image_ids: Mapping[str, int] | None = None,
) -> ArticleDraft:
    """The draft of ``item``, imported under ``tags``, with its article page's ``content``.

    ``image_ids`` maps image URLs to library ids; ``None`` means images are not imported,
    so the draft leaves the page's images alone.
    """
    teaser_image = item.image or (content.image if content else None)
    image_id = None
    if image_ids is not None and teaser_image:
        image_id = image_ids.get(teaser_image)
    own_tags = content.tags if content else ()
    return ArticleDraft(
        source_url=content.url if content and is_article_address(content.url) else item.url,
        listing_url=item.url,
        title=item.title,
        tags=merge_tags((*tags, *item.tags, *own_tags)),
        summary=item.summary_html,
        summary_truncated=item.truncated,
        published=item.published or (content.published if content else None),
        author=content.author if content else None,
        body=body_data(content.blocks, image_ids or {}) if content else None,
        image_id=image_id,
    )


def merge_tags(names: Iterable[str]) -> tuple[str, ...]:
    """The names in order, once each (case-insensitively), at most :data:`MAX_TAGS`."""
    found: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())[:TAG_MAX_LENGTH]
        if name and len(found) < MAX_TAGS:
            found.setdefault(name.casefold(), name)
    return tuple(found.values())


def body_data(blocks: Sequence[Block], image_ids: Mapping[str, int]) -> tuple[dict, ...]:
    """StreamField data of the body; images not in the library are left out."""
    data = []
    for block in blocks:
        if block.type != "image":
            data.append({"type": block.type, "value": block.value})
        elif block.value["url"] in image_ids:
            alt = block.value["alt"]
            value = {"image": image_ids[block.value["url"]], "alt_text": alt}
            data.append({"type": "image", "value": {**value, "decorative": not alt}})
    return tuple(data)
