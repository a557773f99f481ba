"""Page models: articles and the tag index that lists them.

The abstract classes carry all behaviour so a site can build its own concrete pages on
them; :class:`ArticlePage` and :class:`TagIndexPage` are the ready-made defaults.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from urllib.parse import urljoin

from django.conf import settings
from django.core.paginator import InvalidPage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Max, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images.api.fields import ImageRenditionField
from wagtail.models import Page
from wagtail.search import index

from . import api, caching, graphql, queries, teasers
from .blocks import ArticleBodyBlock
from .feeds import render_feed
from .listing import Selectors
from .options import ImportOptions
from .parsing.urls import source_key

SUMMARY_FEATURES = ["bold", "italic", "link", "ol", "ul"]
"""The rich-text features of an article summary; cleaning reduces imported HTML to these."""
OPEN_GRAPH_IMAGE_FILTER = "fill-1200x630"


class AbstractArticlePage(Page):
    """An article, typically imported from a tag-listing page.

    A concrete subclass must define ``tags`` as a ``ClusterTaggableManager``.
    """

    date = models.DateField(_("publication date"), null=True, blank=True, db_index=True)
    author = models.CharField(_("author"), max_length=255, blank=True)
    source_url = models.URLField(
        _("source URL"),
        max_length=2048,
        null=True,
        blank=True,
        help_text=_("Where the article was imported from; re-imports match on it."),
    )
    source_key = models.CharField(max_length=2048, blank=True, db_index=True, editable=False)
    """The source URL as imports compare it (see ``parsing.urls.source_key``)."""
    summary = RichTextField(_("summary"), features=SUMMARY_FEATURES, blank=True)
    summary_truncated = models.BooleanField(
        _("summary cut short"),
        default=False,
        help_text=_("The source showed only the start of the summary; it is shown ending in “…”."),
    )
    body = StreamField(ArticleBodyBlock(), verbose_name=_("body"), blank=True)
    listing_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("listing image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    import_fingerprint = models.JSONField(default=dict, blank=True, editable=False)
    """A hash of each field the last import wrote; an unchanged source leaves the page alone."""
    imported_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    """The revision the last import wrote; a later revision means an editor changed the page."""

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("date"),
                FieldPanel("author"),
                FieldPanel("tags"),
                FieldPanel("source_url"),
            ],
            heading=_("Article"),
        ),
        FieldPanel("summary"),
        FieldPanel("summary_truncated"),
        FieldPanel("listing_image"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name"), index.FilterField("slug")]),
        index.SearchField("author"),
        index.FilterField("date"),
    ]

    api_fields = [
        APIField("date"),
        APIField("author"),
        APIField("source_url"),
        APIField("published_date"),
        APIField("summary", serializer=api.RichTextSerializer()),
        APIField("summary_truncated"),
        APIField("teaser", serializer=api.RichTextSerializer()),
        APIField("teaser_text"),
        APIField("has_standfirst"),
        APIField("body", serializer=api.StreamSerializer()),
        APIField("reading_time"),
        APIField("tags", serializer=api.ArticleTagsSerializer()),
        APIField("listing_image", serializer=api.ListingImageSerializer()),
        APIField(
            "social_image",
            serializer=ImageRenditionField(OPEN_GRAPH_IMAGE_FILTER, source="listing_image"),
        ),
    ]
    """What Wagtail's API gives: front-end HTML, renditions, tags with their listing's URL."""
    graphql_fields = graphql.article_fields()
    """What wagtail-grapple's GraphQL gives, when it is installed."""

    parent_page_types = ["wagtail_tagfeed.TagIndexPage"]
    subpage_types: list[str] = []
    exclude_fields_in_copy = [
        "source_url",
        "source_key",
        "import_fingerprint",
        "imported_revision",
    ]
    """A copy (a translation, say) is an article of its own, not the imported one."""

    class Meta:
        abstract = True

    @property
    def published_date(self) -> datetime.date | None:
        """The date to show: the source's ``date``, else the day the page was first published.

        Both are columns of the page's own row, so a listing costs no query more. Listings
        are still ordered by ``date`` (undated articles last), which an index serves.
        """
        if self.date:
            return self.date
        published = self.first_published_at
        if published is None:
            return None
        return timezone.localdate(published) if timezone.is_aware(published) else published.date()

    @property
    def teaser(self) -> str:
        """The summary as readers see it: ending in "…" when the source cut it short."""
        if self.summary_truncated:
            return teasers.with_ellipsis(self.summary)
        return self.summary

    @property
    def teaser_text(self) -> str:
        """The teaser as plain text, for descriptions in ``<meta>`` tags."""
        return teasers.plain_text(self.teaser)

    @cached_property
    def has_standfirst(self) -> bool:
        """Whether the article page shows the summary above the body.

        Not when the summary is only the start of the body, as when a news site makes its
        teasers from an article's first paragraphs: the reader would read them twice.
        """
        summary = teasers.paragraphs(self.summary)
        return bool(summary) and not teasers.starts_body(summary, self.body_paragraphs())

    def body_paragraphs(self) -> Iterator[str]:
        """The comparable text of the body's paragraphs, quotes and headings, in order."""
        for block in self.body:
            value = block.value
            if hasattr(value, "source"):
                yield from teasers.paragraphs(value.source)
            elif block.block_type in ("heading", "quote"):
                key = teasers.comparable(value["text"])
                if key:
                    yield key

    @property
    def reading_time(self) -> int:
        """Minutes to read the article, at least one."""
        return api.reading_minutes(self)

    @property
    def tag_links(self) -> list[dict]:
        return self.get_tag_links()

    def get_tag_links(self, request: HttpRequest | None = None) -> list[dict]:
        """The article's tags, by name, each with its listing's URL on the article's index."""
        tags = getattr(self, "listing_tags", None)
        if tags is None:
            tags = sorted(self.tags.all(), key=lambda tag: tag.name)
        index_url = self.get_index_url(request)
        return [api.tag_data(tag, index_url) for tag in tags]

    def get_index_url(self, request: HttpRequest | None = None) -> str:
        """The URL of the tag index the article is listed on, from its own URL (no query)."""
        url = self.get_url(request) or ""
        return url[: -len(self.slug) - 1] if url.endswith(f"{self.slug}/") else ""

    def get_view_restrictions(self) -> models.QuerySet:
        return queries.view_restrictions(self)

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        """The page, or "304 Not Modified" when the reader's copy is current (see ``caching``)."""
        serve = super().serve
        return caching.serve_conditionally(request, self, lambda: serve(request, *args, **kwargs))

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        queries.attach_tags([self])  # for the head's tags and the tag links, in one query
        if self.listing_image:
            rendition = self.listing_image.get_rendition(OPEN_GRAPH_IMAGE_FILTER)
            context["og_image_url"] = urljoin(self.get_full_url(request), rendition.url)
        return context

    def clean(self) -> None:
        super().clean()
        if not self.source_url:
            self.source_url = None

    def save(self, *args, **kwargs):
        if not self.source_url:
            self.source_url = None
        self.source_key = source_key(self.source_url) if self.source_url else ""
        return super().save(*args, **kwargs)


class AbstractTagIndexPage(RoutablePageMixin, Page):
    """Lists the live articles below it, one sub-page per tag, with RSS and Atom feeds."""

    intro = RichTextField(_("introduction"), blank=True)
    pinned_tag = models.ForeignKey(
        Tag,
        verbose_name=_("pinned tag"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("List only articles with this tag."),
    )
    per_page = models.PositiveSmallIntegerField(
        _("articles per page"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("pinned_tag"), FieldPanel("per_page")], heading=_("Listing")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    api_fields = [
        APIField("intro", serializer=api.RichTextSerializer()),
        APIField("per_page"),
        APIField("pinned_tag", serializer=api.PinnedTagSerializer()),
        APIField("tags_in_use", serializer=api.TagCountsSerializer()),
        APIField("feeds", serializer=api.FeedsSerializer()),
        APIField("listing_json_url"),
    ]
    graphql_fields = graphql.tag_index_fields()

    summary_words = 100
    """Where the listing pages cut each teaser, in words."""
    tag_cloud_size = 50
    """How many of the tags in use, the most used, a listing shows with their counts."""

    article_model: type[AbstractArticlePage] | str = "wagtail_tagfeed.ArticlePage"
    """The article model this index lists; a site with its own article page sets it."""

    subpage_types = ["wagtail_tagfeed.ArticlePage"]

    class Meta:
        abstract = True

    # Queries -----------------------------------------------------------------

    def get_view_restrictions(self) -> models.QuerySet:
        return queries.view_restrictions(self)

    def get_article_model(self) -> type[AbstractArticlePage]:
        return queries.resolve_model(self.article_model)

    def route(self, request: HttpRequest, path_components: list[str]):
        """This index's own routes, or the page below it with that slug, an article found in
        one query (Wagtail asks for the page, then for its specific type)."""
        if len(path_components) == 1 and self.live and not self.is_route(path_components[0]):
            article = (
                self.get_article_model()
                .objects.child_of(self)
                .filter(slug=path_components[0])
                .first()
            )
            if article is not None:
                article._cached_parent_obj = self
                return article.route(request, [])
        return super().route(request, path_components)

    def is_route(self, component: str) -> bool:
        """Whether one path component is a route of this index (``json``), not a slug."""
        try:
            self.resolve_subpage(f"/{component}/")
        except Http404:
            return False
        return True

    def get_articles(self, tag: Tag | None = None) -> models.QuerySet:
        """Live, public articles below this index, newest first."""
        return queries.articles(self.get_article_model(), self, tag or self.pinned_tag)

    def get_tag(self, slug: str) -> Tag:
        """The tag with this slug used by an article here, case-insensitively, or 404."""
        tag = queries.find_tag(self.get_article_model(), self, slug)
        if tag is None:
            raise Http404(_("No articles are tagged with “%(tag)s”.") % {"tag": slug})
        return tag

    def get_tags_in_use(self, limit: int | None = None) -> list[dict]:
        """Tags of the articles listed here, with their counts, most used first (cached)."""
        return queries.cached(
            f"tags:{self.pk}:{limit}",
            lambda: queries.tag_counts(self.get_articles(), limit=limit),
        )

    def paginate(self, request: HttpRequest, articles: models.QuerySet, tag: Tag | None = None):
        """The page of articles ``?page=`` asks for (the first without it), or 404.

        A number past the last page, or anything but a number, is a page that does not
        exist, like an unknown tag: search engines and readers get a 404, not another page.
        """
        tag = tag or self.pinned_tag
        key = f"{self.pk}:{tag.pk if tag else ''}"
        paginator = queries.CachedCountPaginator(articles, self.per_page, cache_key=key)
        number = request.GET.get("page") or 1
        try:
            page = paginator.page(number)
        except InvalidPage as error:
            raise Http404(_("There is no page “%(page)s” here.") % {"page": number}) from error
        articles = page.object_list
        # Lazily: a listing whose HTML is cached (``listing_cache_key``) never reads them.
        page.object_list = SimpleLazyObject(
            lambda: queries.cached_articles(f"page:{key}:{self.per_page}:{page.number}", articles)
        )
        return page

    # Routes ------------------------------------------------------------------

    def listing_context(self, request: HttpRequest, tag: Tag | None = None) -> dict:
        articles = self.paginate(request, self.get_articles(tag), tag)
        context = self.get_context(request)
        context.update(
            {
                "listing_cache_key": queries.fragment_key(request, self, tag, articles.number),
                "articles": articles,
                "tag": tag,
                "tags_in_use": self.get_tags_in_use(limit=self.tag_cloud_size),
                "feeds": self.feed_links(request, tag),
            }
        )
        return context

    @property
    def pinned_tag_link(self) -> dict | None:
        return api.tag_data(self.pinned_tag, self.get_url()) if self.pinned_tag else None

    @property
    def tag_counts(self) -> list[dict]:
        return self.get_tag_counts()

    def get_tag_counts(self, request: HttpRequest | None = None) -> list[dict]:
        """The listing's tag cloud: the tags in use, most used first, with their counts."""
        rows = self.get_tags_in_use(limit=self.tag_cloud_size)
        return api.tag_counts_data(rows, self.get_url(request))

    @property
    def feed_urls(self) -> list[dict]:
        return self.feed_links(None)

    @property
    def listing_json_url(self) -> str:
        """Where the listing is served as JSON; a tag's is at ``tag/<slug>/json/``."""
        return f"{self.get_full_url()}json/"

    def feed_links(self, request: HttpRequest | None, tag: Tag | None = None) -> list[dict]:
        prefix = f"tag/{tag.slug}/" if tag else ""
        base = self.get_full_url(request)
        return [
            {"kind": kind, "type": content_type, "url": f"{base}{prefix}feed/{kind}/"}
            for kind, content_type in (
                ("rss", "application/rss+xml"),
                ("atom", "application/atom+xml"),
            )
        ]

    @path("", name="index")
    @caching.conditional
    def index_route(self, request: HttpRequest) -> HttpResponse:
        return self.render(request, context_overrides=self.listing_context(request))

    @path("tag/<str:tag>/", name="tag")
    @caching.conditional
    def tag_route(self, request: HttpRequest, tag: str) -> HttpResponse:
        tag_obj = self.get_tag(tag)
        return self.render(
            request,
            template="wagtail_tagfeed/tag_listing_page.html",
            context_overrides=self.listing_context(request, tag_obj),
        )

    @path("json/", name="index_json")
    @caching.conditional
    @api.json_errors
    def index_json_route(self, request: HttpRequest) -> HttpResponse:
        """The listing as JSON for a separate front end: see ``api.listing_data``."""
        return api.listing_response(self, request)

    @path("tag/<str:tag>/json/", name="tag_json")
    @caching.conditional
    @api.json_errors
    def tag_json_route(self, request: HttpRequest, tag: str) -> HttpResponse:
        return api.listing_response(self, request, self.get_tag(tag))

    @path("feed/<str:kind>/", name="feed")
    @caching.conditional
    def feed_route(self, request: HttpRequest, kind: str) -> HttpResponse:
        return render_feed(self, request, kind)

    @path("tag/<str:tag>/feed/<str:kind>/", name="tag_feed")
    @caching.conditional
    def tag_feed_route(self, request: HttpRequest, tag: str, kind: str) -> HttpResponse:
        return render_feed(self, request, kind, self.get_tag(tag))

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list[dict]:
        urls = super().get_sitemap_urls(request)
        if not urls:
            return urls
        base = self.get_full_url(request)
        for row in queries.tag_counts(self.get_articles(), with_lastmod=True):
            location = base + self.reverse_subpage("tag", kwargs={"tag": row["slug"]})
            urls.append({"location": location, "lastmod": row["lastmod"]})
        return urls


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "wagtail_tagfeed.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")
        indexes = [models.Index(fields=["tag", "content_object"], name="tagfeed_tag_article_idx")]


class ArticlePage(AbstractArticlePage):
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True, verbose_name=_("tags"))

    template = "wagtail_tagfeed/article_page.html"

    class Meta:
        verbose_name = _("article page")
        verbose_name_plural = _("article pages")


class TagIndexPage(AbstractTagIndexPage):
    template = "wagtail_tagfeed/tag_index_page.html"

    class Meta:
        verbose_name = _("tag index page")
        verbose_name_plural = _("tag index pages")


class TagSourceQuerySet(models.QuerySet):
    def due(self, now: datetime.datetime) -> TagSourceQuerySet:
        """The enabled sources with a sync interval whose last run was queued at least that
        long before ``now`` (or never), and that have no run queued or running."""
        return (
            self.filter(enabled=True, sync_interval__isnull=False)
            .exclude(runs__status__in=ImportRun.ACTIVE)
            .annotate(last_queued=Max("runs__created_at"))
            .filter(Q(last_queued__isnull=True) | Q(last_queued__lte=now - F("sync_interval")))
        )


class TagSource(models.Model):
    """A tag-listing page to import from again and again ("Sync now", or on a schedule)."""

    SYNC_INTERVALS = [
        (datetime.timedelta(minutes=15), _("every 15 minutes")),
        (datetime.timedelta(minutes=30), _("every 30 minutes")),
        (datetime.timedelta(hours=1), _("every hour")),
        (datetime.timedelta(hours=3), _("every 3 hours")),
        (datetime.timedelta(hours=6), _("every 6 hours")),
        (datetime.timedelta(hours=12), _("every 12 hours")),
        (datetime.timedelta(days=1), _("every day")),
        (datetime.timedelta(days=7), _("every week")),
    ]

    name = models.CharField(_("name"), max_length=255)
    url = models.URLField(_("URL"), max_length=2048)
    parent = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("tag index"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("The tag index page the articles are imported into."),
    )
    tags = models.CharField(
        _("tags"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated; empty: the tag detected on the page."),
    )
    pages = models.PositiveSmallIntegerField(_("pages to follow"), default=1)
    selectors = models.JSONField(
        _("CSS selectors"),
        default=dict,
        blank=True,
        help_text=_("Override detection: item, title, summary, date, image, next."),
    )
    fetch_articles = models.BooleanField(_("fetch full articles"), default=False)
    download_images = models.BooleanField(_("download images"), default=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    sync_interval = models.DurationField(
        _("sync"),
        null=True,
        blank=True,
        choices=SYNC_INTERVALS,
        help_text=_("How often scheduled syncs import this source; empty: only “Sync now”."),
    )
    listing_validators = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text=_(
            "What the first listing page's server said of its version at the last sync "
            "(ETag, Last-Modified), by page URL: the next sync asks whether it changed."
        ),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Scheduled syncs act with this user's rights."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TagSourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag source")
        verbose_name_plural = _("tag sources")
        ordering = ["name"]
        permissions = [("import_tagpage", _("Can import tag-listing pages"))]

    def __str__(self) -> str:
        return self.name

    @property
    def tag_list(self) -> list[str]:
        return [name.strip() for name in self.tags.split(",") if name.strip()]

    def import_options(self) -> ImportOptions:
        """How this source is imported, under the site's settings."""
        return ImportOptions.from_settings(
            pages=self.pages,
            tags=tuple(self.tag_list),
            selectors=Selectors.from_json(self.selectors or {}),
            fetch_articles=self.fetch_articles,
            images=self.download_images,
        )


class ImportRun(models.Model):
    """One import, from the admin, a tag source or the command line: when, who, what."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    """The statuses of a run not finished yet: a tag source has at most one such run."""

    source = models.ForeignKey(
        TagSource,
        verbose_name=_("tag source"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    parent = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("tag index"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    urls = models.JSONField(_("sources"), default=list, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    kept = models.PositiveIntegerField(_("kept local edits"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    not_modified = models.BooleanField(
        _("not modified"),
        default=False,
        help_text=_("The source had not changed since its last sync: nothing was read further."),
    )
    listings = models.JSONField(
        _("previewed listings"),
        default=list,
        blank=True,
        help_text=_(
            "The listing pages, with the items ticked in the preview, this run "
            "imports; empty: the run reads its sources."
        ),
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["source", "created_at"], name="tagfeed_run_source_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(status__in=["queued", "running"]),
                name="tagfeed_one_active_run_per_source",
                violation_error_message=_("This tag source is already queued or running."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.source or ', '.join(self.urls)} ({self.get_status_display()})"


class ImportPreview(models.Model):
    """What an editor's preview read: the listings the import will write, exactly.

    Kept on the server, for the editor who made it, until imported or expired; the import
    never reads the source again, so what was reviewed is what gets imported.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=2048)
    options = models.JSONField(default=dict)
    listings = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    """What the preview screen shows of each item, with its planned outcome."""
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("import preview")
        verbose_name_plural = _("import previews")

    def __str__(self) -> str:
        return self.label
