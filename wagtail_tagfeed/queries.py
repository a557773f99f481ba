"""The listing queries, in a constant number of SQL queries whatever the page size.

What grows with the archive (a tag's article count, the tag cloud) is cached until an
article is published, unpublished, moved or deleted, so tag pages stay fast at any size.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Count, Exists, Max, OuterRef, Prefetch
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from .conf import get_setting

if TYPE_CHECKING:
    from wagtail.models import Page

LISTING_IMAGE_SIZES = "fill-{480x270,960x540}"
"""The sizes of the listing image: as shown, and for screens of twice the pixel density."""
LISTING_IMAGE_FILTER = "fill-480x270|format-jpeg"
"""The listing image's fallback rendition: the ``<img>`` of its ``<picture>``, and the feeds'
enclosure. One of :func:`listing_image_filters`."""

GENERATION_KEY = "wagtail_tagfeed:generation"
PENDING_ATTR = "_tagfeed_invalidation_pending"
"""Where a connection keeps the commit callbacks list that holds its invalidation."""
CACHE_TIMEOUT = 60 * 60


def generation() -> int:
    """A number that changes whenever the set of listed articles may have changed."""
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = 1
        cache.add(GENERATION_KEY, value, None)
    return value


def invalidate() -> None:
    """Forget every cached count and tag cloud."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)


def invalidate_on_commit() -> None:
    """:func:`invalidate` once the current transaction commits (at once outside of one).

    Invalidating earlier would let a request in between cache the old counts under the new
    generation. However many articles a transaction changes, it invalidates once: Django
    starts a new list of commit callbacks when a transaction (or a savepoint) ends, so the
    list the callback was added to tells whether it is still pending, without a search.
    """
    connection = transaction.get_connection()
    pending = connection.run_on_commit
    if connection.in_atomic_block and getattr(connection, PENDING_ATTR, None) is pending:
        return
    setattr(connection, PENDING_ATTR, pending)
    transaction.on_commit(invalidate)


def cached(key: str, compute):
    """``compute()``, cached under ``key`` until the listed articles change."""
    full_key = f"wagtail_tagfeed:{generation()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, CACHE_TIMEOUT)
    return value


class CachedCountPaginator(Paginator):
    """A paginator whose count, the one query that grows with a tag, is cached."""

    def __init__(self, object_list, per_page, *, cache_key: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cache_key = cache_key

    @property
    def count(self) -> int:
        if not hasattr(self, "_cached_count"):
            self._cached_count = cached(
                f"count:{self.cache_key}", lambda: Paginator.count.func(self)
            )
        return self._cached_count


MODERN_IMAGE_FORMATS = ("avif", "webp")
"""The formats a listing image's ``<picture>`` may offer besides JPEG, best first."""


def listing_image_formats() -> tuple[str, ...]:
    """The formats of the listing image: those of ``TAGFEED_LISTING_IMAGE_FORMATS`` that
    Pillow can write, then JPEG, which every browser shows.

    Wagtail renders ``format-avif`` and ``format-webp`` through Pillow, whose AVIF support
    depends on how it was built; a format it cannot write would fail the page.
    """
    from PIL import Image

    Image.init()
    wanted = get_setting("TAGFEED_LISTING_IMAGE_FORMATS")
    return (
        *(name for name in MODERN_IMAGE_FORMATS if name in wanted and name.upper() in Image.SAVE),
        "jpeg",
    )


def listing_image_filters() -> list[str]:
    """Every rendition of the listing image's ``<picture>``, prefetched with the articles."""
    formats = ",".join(listing_image_formats())
    return Filter.expand_spec(f"{LISTING_IMAGE_SIZES} format-{{{formats}}}")


def resolve_model(model: type[models.Model] | str) -> type[models.Model]:
    return apps.get_model(model) if isinstance(model, str) else model


def through_model(article_model: type[models.Model]) -> type[models.Model]:
    return article_model.tags.through


def articles(
    article_model: type[models.Model], index: Page | None = None, tag: Tag | None = None
) -> models.QuerySet:
    """Live, public articles (below ``index`` when given), newest first.

    A tag matches case-insensitively: "Turkey" and "turkey" list the same articles.
    """
    queryset = article_model.objects.live().public()
    if index is not None:
        queryset = queryset.descendant_of(index)
    if tag is not None:
        queryset = queryset.filter(tagged_with(article_model, name__iexact=tag.name))
    images = get_image_model().objects.prefetch_renditions(*listing_image_filters())
    return queryset.prefetch_related(Prefetch("listing_image", queryset=images)).order_by(
        *ORDERING
    )


def tagged_with(article_model: type[models.Model], *args, **tag_lookups) -> Exists:
    """``EXISTS`` a tag row for the article with a tag matching the lookups.

    A correlated ``EXISTS`` rather than ``pk IN (...)``: the database then reads articles
    in the order of the listing and stops at the page size, instead of collecting every
    article of the tag and sorting them.
    """
    tags = Tag.objects.filter(*args, **tag_lookups)
    return Exists(
        through_model(article_model).objects.filter(content_object=OuterRef("pk"), tag__in=tags)
    )


ORDERING = (models.F("date").desc(nulls_last=True), models.F("pk").desc())
"""Newest first: by publication date, then by creation. An index on the article table
(``tagfeed_article_order_idx``) serves it, so a page of a large tag needs no sort."""


def attach_tags(pages: Iterable[Page]) -> list[Page]:
    """Give each page a ``listing_tags`` list in one query, and return the pages as a list."""
    pages = list(pages)
    if not pages:
        return pages
    by_page: dict[int, list[Tag]] = {page.pk: [] for page in pages}
    through = through_model(type(pages[0]))
    rows = (
        through.objects.filter(content_object_id__in=by_page)
        .select_related("tag")
        .order_by("tag__name")
    )
    for row in rows:
        by_page[row.content_object_id].append(row.tag)
    for page in pages:
        page.listing_tags = by_page[page.pk]
    return pages


def find_tag(article_model: type[models.Model], index: Page | None, slug: str) -> Tag | None:
    """The tag with this slug (or name), case-insensitively, if a listed article uses it.

    Looks the few matching tags up first, then asks whether a listed article has one:
    an ``EXISTS`` that stops at the first match, however many articles the tag has.
    """
    candidates = Tag.objects.filter(models.Q(slug__iexact=slug) | models.Q(name__iexact=slug))
    for tag in candidates.order_by("pk")[:10]:
        if articles(article_model, index, tag).exists():
            return tag
    return None


def tag_counts(
    article_queryset: models.QuerySet, *, limit: int | None = None, with_lastmod: bool = False
) -> list[dict]:
    """Tags used by these articles with their counts, most used first, in one query."""
    through = through_model(article_queryset.model)
    rows = (
        through.objects.filter(content_object__in=article_queryset.order_by().values("pk"))
        .values("tag__name", "tag__slug")
        .annotate(count=Count("pk"))
    )
    if with_lastmod:
        rows = rows.annotate(lastmod=Max("content_object__last_published_at"))
    rows = rows.order_by("-count", "tag__name")
    if limit:
        rows = rows[:limit]
    return [
        {
            "name": row["tag__name"],
            "slug": row["tag__slug"],
            "count": row["count"],
            "lastmod": row.get("lastmod"),
        }
        for row in rows
    ]


def latest_articles(
    article_model: type[models.Model], tags: Iterable[str] = (), limit: int = 5
) -> list[Page]:
    """The newest live articles having any of these tags (all articles without tags)."""
    queryset = articles(article_model)
    names = [name for name in tags if name]
    if names:
        match = models.Q()
        for name in names:
            match |= models.Q(name__iexact=name) | models.Q(slug__iexact=name)
        queryset = queryset.filter(tagged_with(article_model, match))
    return attach_tags(queryset[:limit])
