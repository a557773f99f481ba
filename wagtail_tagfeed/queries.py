"""The listing queries, in a constant number of SQL queries whatever the page size.

What grows with the archive (a tag's article count, the tag cloud) and what every request
would ask again (the tag of a URL, a page of articles, the private sections) is cached until
a page is published, unpublished, moved or deleted, a tag, a view restriction or a site
changes: the listing generation, one number in the cache, says which cached values are
current. Imports find the articles they already wrote with :func:`by_source_key`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.apps import apps
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import models, transaction
from django.db.models import Count, Exists, Max, OuterRef, Prefetch
from django.http import HttpRequest
from django.utils.translation import get_language
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Page, PageViewRestriction, Site

from .conf import get_setting

LISTING_IMAGE_SIZES = "fill-{480x270,960x540}"
"""The sizes of the listing image: as shown, and for screens of twice the pixel density."""
LISTING_IMAGE_FILTER = "fill-480x270|format-jpeg"
"""The listing image's fallback rendition: the ``<img>`` of its ``<picture>``, and the feeds'
enclosure. One of :func:`listing_image_filters`."""

GENERATION_KEY = "wagtail_tagfeed:generation"
PENDING_ATTR = "_tagfeed_invalidation_pending"
"""Where a connection keeps the commit callbacks list that holds its invalidation."""
CACHE_TIMEOUT = 60 * 60
MISSING = object()


def generation() -> int:
    """A number that changes whenever the listed articles, or the pages around them, may
    have changed."""
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
    if not connection.in_atomic_block:
        # Recording the list here would hold the list the next transaction starts with.
        invalidate()
        return
    pending = connection.run_on_commit
    if getattr(connection, PENDING_ATTR, None) is pending:
        return
    setattr(connection, PENDING_ATTR, pending)
    transaction.on_commit(invalidate)


def cached(key: str, compute):
    """``compute()``, cached under ``key`` until the listed articles change (``None`` too).

    The key is hashed: tag slugs come from URLs, and some caches take only short ASCII keys.
    """
    digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    full_key = f"wagtail_tagfeed:{generation()}:{digest}"
    value = cache.get(full_key, MISSING)
    if value is MISSING:
        value = compute()
        cache.set(full_key, value, CACHE_TIMEOUT)
    return value


def restricted_paths() -> tuple[str, ...]:
    """The tree paths of the pages with a view restriction (cached): private sections.

    Wagtail's ``public()`` and its view-restriction check ask the database for these on
    every call; saving or deleting a restriction changes the listing generation.
    """
    return cached(
        "restricted",
        lambda: tuple(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )


def public(queryset: models.QuerySet) -> models.QuerySet:
    """``queryset.public()`` without a query: pages outside every private section."""
    private = models.Q()
    for path in restricted_paths():
        private |= models.Q(path__startswith=path)
    return queryset.exclude(private) if private else queryset


def view_restrictions(page: Page) -> models.QuerySet:
    """The view restrictions that apply to ``page``, as Wagtail finds them, in one query.

    Those of the page and its ancestors, an alias's being its source page's. Wagtail asks
    for the ancestors first, then for their restrictions; the ancestors' paths are the
    page path's prefixes. Not cached: a restriction applies at once, in every process.
    """
    return restrictions_at(page.path)


def restrictions_at(path: str) -> models.QuerySet:
    """The view restrictions of the page at tree ``path`` (see :func:`view_restrictions`)."""
    step = Page.steplen
    paths = [path[:end] for end in range(step, len(path) + 1, step)]
    return PageViewRestriction.objects.filter(
        models.Q(page__path__in=paths, page__alias_of__isnull=True)
        | models.Q(page__aliases__path__in=paths)
    ).distinct()


def fragment_key(request: HttpRequest, index: Page, tag: Tag | None, number: int) -> str:
    """The key of a listing's cached HTML (``{% cache %}``): what the HTML depends on.

    The listing generation, the site and language links and dates are made for, the
    index, its tag, page size and page number.
    """
    site = Site.find_for_request(request)
    return ":".join(
        str(part)
        for part in (
            generation(),
            site.pk if site else "",
            get_language(),
            index.pk,
            tag.pk if tag else index.pinned_tag_id or "",
            index.per_page,
            number,
        )
    )


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


def by_source_key(
    queryset: models.QuerySet, keys: Iterable[str], locale_id: int, *fields: str
) -> list[dict]:
    """The values of ``fields`` (and ``source_key``) of the articles in ``queryset`` with one
    of ``keys`` in the locale, in primary key order.

    The locale is compared here, not in SQL: given both, SQLite's planner, which has no
    statistics unless a site runs ``ANALYZE``, walks the locale's index and reads every page
    of the locale for each look-up, instead of the handful of rows the source key index finds.
    """
    names = dict.fromkeys((*fields, "source_key", "locale_id"))
    rows = queryset.filter(source_key__in=keys).values(*names)
    return [row for row in rows.order_by("pk") if row["locale_id"] == locale_id]


def articles(
    article_model: type[models.Model], index: Page | None = None, tag: Tag | None = None
) -> models.QuerySet:
    """Live, public articles (below ``index`` when given), newest first.

    A tag matches case-insensitively: "Turkey" and "turkey" list the same articles.
    """
    queryset = public(article_model.objects.live())
    if index is not None:
        queryset = queryset.descendant_of(index)
    if tag is not None:
        queryset = queryset.filter(tagged_with(article_model, pk__in=same_tags(tag)))
    images = get_image_model().objects.prefetch_renditions(*listing_image_filters())
    return queryset.prefetch_related(Prefetch("listing_image", queryset=images)).order_by(
        *ORDERING
    )


def same_tags(tag: Tag) -> list[int]:
    """The ids of the tags named as ``tag``, whatever the case (cached).

    A listing filters on these ids, not on a name subquery: PostgreSQL then knows from
    its statistics how many articles the tag has, and reads a large tag's articles in
    the order of the listing's index rather than sorting them all for a deep page.
    """
    return cached(
        f"same-tags:{tag.pk}",
        lambda: sorted(Tag.objects.filter(name__iexact=tag.name).values_list("pk", flat=True)),
    )


def tagged_with(article_model: type[models.Model], *args, **tag_lookups) -> Exists:
    """``EXISTS`` a tag row for the article with a tag matching the lookups.

    A correlated ``EXISTS`` rather than ``pk IN (...)``: the database then reads articles
    in the order of the listing and stops at the page size, instead of collecting every
    article of the tag and sorting them. Lookups on ``pk`` alone filter on the tag ids.
    """
    through = through_model(article_model).objects.filter(content_object=OuterRef("pk"))
    if not args and set(tag_lookups) == {"pk__in"}:
        return Exists(through.filter(tag_id__in=tag_lookups["pk__in"]))
    return Exists(through.filter(tag__in=Tag.objects.filter(*args, **tag_lookups)))


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
    The answer, a tag or none, is cached.
    """

    def find() -> Tag | None:
        candidates = Tag.objects.filter(models.Q(slug__iexact=slug) | models.Q(name__iexact=slug))
        for tag in candidates.order_by("pk")[:10]:
            if articles(article_model, index, tag).exists():
                return tag
        return None

    label = article_model._meta.label_lower
    return cached(f"tag:{label}:{index.pk if index else ''}:{slug.lower()}", find)


def cached_articles(key: str, articles: Iterable[Page]) -> list[Page]:
    """``articles`` with their tags, listing images and renditions, cached under ``key``.

    A page of a listing or a feed then costs no query until the listing generation changes.
    The renditions the listing shows are made before caching, so that the cached images
    hold them all: a rendition made while rendering would be looked up on every request.
    """

    def load() -> list[Page]:
        pages = attach_tags(articles)
        filters = listing_image_filters()
        for page in pages:
            if page.listing_image is not None:
                page.listing_image.get_renditions(*filters)
        return pages

    return cached(f"articles:{key}", load)


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
    label = article_model._meta.label_lower
    key = f"latest:{label}:{limit}:" + ",".join(sorted(name.lower() for name in names))
    return cached_articles(key, queryset[:limit])
