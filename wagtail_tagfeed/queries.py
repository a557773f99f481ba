"""The listing queries, in a constant number of SQL queries whatever the page size."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import apps
from django.db import models
from django.db.models import Count, Max, Prefetch
from taggit.models import Tag
from wagtail.images import get_image_model

if TYPE_CHECKING:
    from wagtail.models import Page

LISTING_IMAGE_FILTER = "fill-480x270"
"""The rendition the listing templates show; prefetched with the articles."""


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
        tagged = through_model(article_model).objects.filter(
            tag__in=Tag.objects.filter(name__iexact=tag.name)
        )
        queryset = queryset.filter(pk__in=tagged.values("content_object_id"))
    images = get_image_model().objects.prefetch_renditions(LISTING_IMAGE_FILTER)
    return queryset.prefetch_related(Prefetch("listing_image", queryset=images)).order_by(
        models.F("date").desc(nulls_last=True), "-first_published_at", "-pk"
    )


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
    """The tag with this slug (or name), case-insensitively, if a listed article uses it."""
    tagged = through_model(article_model).objects.filter(
        content_object__in=articles(article_model, index).order_by().values("pk")
    )
    match = models.Q(tag__slug__iexact=slug) | models.Q(tag__name__iexact=slug)
    row = tagged.filter(match).select_related("tag").order_by("tag__pk").first()
    return row.tag if row else None


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
            match |= models.Q(tag__name__iexact=name) | models.Q(tag__slug__iexact=name)
        tagged = through_model(article_model).objects.filter(match)
        queryset = queryset.filter(pk__in=tagged.values("content_object_id"))
    return attach_tags(queryset[:limit])
