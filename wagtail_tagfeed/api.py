"""What a separate front end reads of the pages: values it can use as they are.

Rich text comes as front-end HTML (links to pages resolved to their URLs), images as
renditions with their size, format and alt text, tags with the URL of their listing, dates
as ISO dates. The same functions give the fields of Wagtail's API (``api_fields``) and the
items of a listing's JSON (:func:`listing_response`), so both say the same of an article.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework.fields import Field
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.images.shortcuts import get_renditions_or_not_found
from wagtail.rich_text import expand_db_html

from . import queries, teasers
from .truncation import truncate_html

if TYPE_CHECKING:
    from taggit.models import Tag
    from wagtail.images.models import AbstractImage
    from wagtail.models import Page

BODY_IMAGE_FILTERS = ("width-800", "width-1600", "width-800|format-webp", "width-1600|format-webp")
"""The renditions of an image in an article's body: as the page shows it (``width-800``),
for screens of twice the pixel density, and both as WebP."""
WORDS_PER_MINUTE = 230
MEDIA_TYPES = {"jpg": "image/jpeg", "svg": "image/svg+xml", "ico": "image/x-icon"}


# Values --------------------------------------------------------------------------


def rendition_format(file_name: str) -> str:
    """The format of a rendition file, as ``format-…`` filters name it (``jpeg``, ``webp``)."""
    extension = file_name.rsplit(".", 1)[-1].lower()
    return "jpeg" if extension == "jpg" else extension


def image_data(image: AbstractImage, filters, base_url: str) -> dict[str, Any]:
    """An image with its renditions: URL, absolute URL, size, format and media type each.

    Renditions the caller prefetched cost no query. ``alt`` is the image's alt text, or the
    block's own (empty for a decorative image).
    """
    renditions = get_renditions_or_not_found(image, list(filters))
    first = next(iter(renditions.values()))
    items = []
    for spec, rendition in renditions.items():
        kind = rendition_format(rendition.file.name)
        items.append(
            {
                "filter": spec if isinstance(spec, str) else spec.spec,
                "url": rendition.url,
                "full_url": urljoin(base_url, rendition.url),
                "width": rendition.width,
                "height": rendition.height,
                "format": kind,
                "media_type": MEDIA_TYPES.get(kind, f"image/{kind}"),
            }
        )
    return {"id": image.pk, "title": image.title, "alt": first.alt, "renditions": items}


def tag_data(tag: Tag, index_url: str) -> dict[str, str]:
    """A tag with the URL of its listing on the tag index at ``index_url``."""
    return {"name": tag.name, "slug": tag.slug, "url": f"{index_url}tag/{tag.slug}/"}


def block_data(block: blocks.Block, value: Any, base_url: str, context=None) -> Any:
    """A StreamField value as Wagtail's API gives it, with rich text as front-end HTML and
    images as :func:`image_data`."""
    if isinstance(block, blocks.RichTextBlock):
        return expand_db_html(value.source) if value else ""
    if isinstance(block, ImageBlock | ImageChooserBlock):
        if not value:
            return None
        data = image_data(value, BODY_IMAGE_FILTERS, base_url)
        if isinstance(block, ImageBlock):
            data["decorative"] = bool(getattr(value, "decorative", False))
        return data
    if isinstance(block, EmbedBlock):
        return {"url": value.url, "html": value.html} if value else None
    if isinstance(block, blocks.StreamBlock):
        return [
            {
                "type": child.block_type,
                "value": block_data(child.block, child.value, base_url, context),
                "id": child.id,
            }
            for child in value
        ]
    if isinstance(block, blocks.StructBlock):
        return {
            name: block_data(child, value.get(name), base_url, context)
            for name, child in block.child_blocks.items()
        }
    if isinstance(block, blocks.ListBlock):
        return [block_data(block.child_block, item, base_url, context) for item in value]
    return block.get_api_representation(value, context)


def reading_minutes(article: Page) -> int:
    """Minutes to read the article's body (its summary, without one), at least one."""
    texts = []
    for block in article.body:
        value = block.value
        if hasattr(value, "source"):
            texts.append(teasers.plain_text(value.source))
        elif block.block_type in ("heading", "quote"):
            texts.append(value["text"])
    if not texts:
        texts.append(teasers.plain_text(article.summary))
    words = sum(len(text.split()) for text in texts)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def article_item(
    article: Page,
    request: HttpRequest | None,
    index_url: str,
    summary_words: int | None = None,
) -> dict[str, Any]:
    """An article as a listing shows it, its teaser cut after ``summary_words`` words.

    Reads only what the listing queries fetched (tags, listing image renditions).
    """
    full_url = article.get_full_url(request)
    date = article.published_date
    return {
        "id": article.pk,
        "title": article.title,
        "url": article.get_url(request),
        "full_url": full_url,
        "date": article.date.isoformat() if article.date else None,
        "published_date": date.isoformat() if date else None,
        "author": article.author,
        "source_url": article.source_url,
        "teaser": truncate_html(expand_db_html(article.teaser), words=summary_words),
        "summary_truncated": article.summary_truncated,
        "listing_image": (
            image_data(article.listing_image, queries.listing_image_filters(), full_url)
            if article.listing_image
            else None
        ),
        "tags": [tag_data(tag, index_url) for tag in article.listing_tags],
    }


# The listing's JSON ----------------------------------------------------------------


def listing_data(index: Page, request: HttpRequest, tag: Tag | None = None) -> dict[str, Any]:
    """A listing page as JSON: what its HTML shows, from the same context."""
    context = index.listing_context(request, tag)
    page = context["articles"]
    index_url = index.get_url(request)
    full_url = index.get_full_url(request)
    listing_path = f"tag/{tag.slug}/" if tag else ""

    def page_url(number: int | None, suffix: str = "") -> str | None:
        if number is None:
            return None
        query = f"?page={number}" if number > 1 else ""
        return f"{full_url}{listing_path}{suffix}{query}"

    previous_number = page.previous_page_number() if page.has_previous() else None
    next_number = page.next_page_number() if page.has_next() else None
    return {
        "title": (_("Contents tagged with %(tag)s") % {"tag": tag.name} if tag else index.title),
        "index": {
            "id": index.pk,
            "title": index.title,
            "url": index_url,
            "full_url": full_url,
            "intro": expand_db_html(index.intro),
        },
        "tag": tag_data(tag, index_url) if tag else None,
        "canonical_url": page_url(page.number),
        "pagination": {
            "page": page.number,
            "num_pages": page.paginator.num_pages,
            "per_page": page.paginator.per_page,
            "count": page.paginator.count,
            "previous_page": previous_number,
            "next_page": next_number,
            "previous_url": page_url(previous_number, "json/"),
            "next_url": page_url(next_number, "json/"),
        },
        "items": [
            article_item(article, request, index_url, index.summary_words)
            for article in page.object_list
        ],
        "tags": tag_counts_data(context["tags_in_use"], index_url),
        "feeds": context["feeds"],
    }


def tag_counts_data(rows: list[dict], index_url: str) -> list[dict[str, Any]]:
    return [
        {"name": row["name"], "slug": row["slug"], "count": row["count"]}
        | {"url": f"{index_url}tag/{row['slug']}/"}
        for row in rows
    ]


def listing_response(index: Page, request: HttpRequest, tag: Tag | None = None) -> JsonResponse:
    data = listing_data(index, request, tag)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


def json_errors(route: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a JSON route: a page that does not exist is a 404 in JSON, as in Wagtail's API."""

    @functools.wraps(route)
    def wrapper(*args, **kwargs) -> HttpResponse:
        try:
            return route(*args, **kwargs)
        except Http404 as error:
            return JsonResponse({"message": str(error)}, status=404)

    return wrapper


# Serializer fields of Wagtail's API --------------------------------------------------


class PageField(Field):
    """A field of Wagtail's API computed from the whole page: the request gives its URLs."""

    def __init__(self, **kwargs):
        super().__init__(source="*", **kwargs)

    @property
    def request(self) -> HttpRequest | None:
        return self.context.get("request")


class RichTextSerializer(Field):
    """Rich text as front-end HTML: links to pages and documents resolved, images rendered."""

    def to_representation(self, value: str) -> str:
        return expand_db_html(value or "")


class StreamSerializer(PageField):
    """The page's StreamField of the same name, with rich text as front-end HTML and images
    as renditions."""

    def to_representation(self, page) -> list:
        value = getattr(page, self.field_name)
        return block_data(value.stream_block, value, page.get_full_url(self.request) or "")


class ListingImageSerializer(PageField):
    """The listing image in the renditions of the listing pages' ``<picture>``."""

    def to_representation(self, page) -> dict | None:
        image = getattr(page, self.field_name)
        if image is None:
            return None
        return image_data(image, queries.listing_image_filters(), page.get_full_url(self.request))


class ArticleTagsSerializer(PageField):
    """The article's tags, each with the URL of its listing on the article's tag index."""

    def to_representation(self, article: Page) -> list[dict]:
        return article.get_tag_links(self.request)


class PinnedTagSerializer(PageField):
    def to_representation(self, index: Page) -> dict | None:
        tag = index.pinned_tag
        return tag_data(tag, index.get_url(self.request)) if tag else None


class TagCountsSerializer(PageField):
    """The tags in use below a tag index with their counts, as its listings show them."""

    def to_representation(self, index: Page) -> list[dict]:
        return index.get_tag_counts(self.request)


class FeedsSerializer(PageField):
    def to_representation(self, index: Page) -> list[dict]:
        return index.feed_links(self.request)
