"""RSS 2.0 and Atom feeds for a tag index and for each of its tags."""

from __future__ import annotations

import datetime
import mimetypes
from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import feedgenerator, timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.rich_text import expand_db_html

from . import queries

if TYPE_CHECKING:
    from .models import AbstractArticlePage, AbstractTagIndexPage

FEED_TYPES = {"rss": feedgenerator.Rss201rev2Feed, "atom": feedgenerator.Atom1Feed}
FEED_LENGTH = 20


class ArticleFeed(Feed):
    """A feed of the newest articles of a tag index, optionally for one tag."""

    def __init__(
        self, index: AbstractTagIndexPage, request: HttpRequest, kind: str, tag: Tag | None
    ):
        super().__init__()
        self.index = index
        self.request = request
        self.tag = tag
        self.feed_type = FEED_TYPES[kind]
        self.kind = kind

    def get_object(self, request, *args, **kwargs):
        return self.index

    def title(self) -> str:
        if self.tag:
            return _("Contents tagged with %(tag)s") % {"tag": self.tag.name}
        return self.index.title

    def link(self) -> str:
        if self.tag:
            return self.index.get_full_url(self.request) + self.index.reverse_subpage(
                "tag", kwargs={"tag": self.tag.slug}
            )
        return self.index.get_full_url(self.request)

    def feed_url(self) -> str:
        return self.link() + f"feed/{self.kind}/"

    def description(self) -> str:
        return strip_tags(self.index.intro) or self.title()

    def items(self) -> list[AbstractArticlePage]:
        return queries.attach_tags(self.index.get_articles(self.tag)[:FEED_LENGTH])

    def item_title(self, item: AbstractArticlePage) -> str:
        return item.title

    def item_description(self, item: AbstractArticlePage) -> str:
        return expand_db_html(item.summary)

    def item_link(self, item: AbstractArticlePage) -> str:
        return item.get_full_url(self.request)

    def item_guid(self, item: AbstractArticlePage) -> str:
        return item.get_full_url(self.request)

    def item_pubdate(self, item: AbstractArticlePage) -> datetime.datetime | None:
        if item.date:
            return datetime.datetime.combine(item.date, datetime.time(), datetime.UTC)
        return item.first_published_at

    def item_updateddate(self, item: AbstractArticlePage) -> datetime.datetime | None:
        return item.last_published_at or timezone.now()

    def item_categories(self, item: AbstractArticlePage) -> list[str]:
        return [tag.name for tag in item.listing_tags]

    def item_enclosures(self, item: AbstractArticlePage) -> list[feedgenerator.Enclosure]:
        """The listing image, as the listing shows it (its rendition is prefetched).

        The length is 0, "unknown" by the RSS profile: a rendition's size is not stored, and
        asking the storage for it would cost a request per item on remote storage.
        """
        if item.listing_image is None:
            return []
        rendition = item.listing_image.get_rendition(queries.LISTING_IMAGE_FILTER)
        kind = mimetypes.guess_type(rendition.file.name)[0] or "application/octet-stream"
        url = rendition.url
        if url.startswith("/"):
            url = self.root_url + url
        return [feedgenerator.Enclosure(url, "0", kind)]

    @cached_property
    def root_url(self) -> str:
        """The site's root URL, which the items' links start with too."""
        return self.index.get_url_parts(self.request)[1]


def render_feed(
    index: AbstractTagIndexPage, request: HttpRequest, kind: str, tag: Tag | None = None
) -> HttpResponse:
    if kind not in FEED_TYPES:
        raise Http404(_("Unknown feed type."))
    return ArticleFeed(index, request, kind, tag)(request)
