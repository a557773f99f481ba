"""RSS 2.0 and Atom feeds for a tag index and for each of its tags."""

from __future__ import annotations

import datetime
import mimetypes
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import feedgenerator, timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.rich_text import expand_db_html

from . import queries

if TYPE_CHECKING:
    from wagtail.models import Page

FEED_TYPES = {"rss": feedgenerator.Rss201rev2Feed, "atom": feedgenerator.Atom1Feed}
FEED_LENGTH = 20
ONE_SECOND = datetime.timedelta(seconds=1)


def published_at(article: Page) -> datetime.datetime | None:
    """When the article was published: its ``date`` (at midnight UTC), else its first publication.

    To the second, the precision of RSS dates.
    """
    if article.date:
        return datetime.datetime.combine(article.date, datetime.time(), datetime.UTC)
    published = article.first_published_at
    return published.replace(microsecond=0) if published else None


def distinct_times(
    times: Sequence[datetime.datetime | None],
) -> list[datetime.datetime | None]:
    """``times`` (newest first, the listing's order) made distinct, keeping that order.

    Articles of one day share its midnight, articles imported together their first
    publication, and feed readers order items by date: of the items sharing a time, the last
    listed keeps it and each one listed before it gets a second more.
    """
    taken: set[datetime.datetime] = set()
    distinct: list[datetime.datetime | None] = []
    for time in reversed(times):
        while time is not None and time in taken:
            time += ONE_SECOND
        if time is not None:
            taken.add(time)
        distinct.append(time)
    return distinct[::-1]


class ArticleFeed(Feed):
    """A feed of the newest articles of a tag index, optionally for one tag."""

    def __init__(self, index: Page, request: HttpRequest, kind: str, tag: Tag | None):
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

    def items(self) -> list[Page]:
        items = queries.attach_tags(self.index.get_articles(self.tag)[:FEED_LENGTH])
        times = distinct_times([published_at(item) for item in items])
        self.pubdates = {item.pk: time for item, time in zip(items, times, strict=True)}
        return items

    def item_title(self, item: Page) -> str:
        return item.title

    def item_description(self, item: Page) -> str:
        return expand_db_html(item.teaser)

    def item_link(self, item: Page) -> str:
        return item.get_full_url(self.request)

    def item_guid(self, item: Page) -> str:
        return item.get_full_url(self.request)

    def item_pubdate(self, item: Page) -> datetime.datetime | None:
        return self.pubdates[item.pk]

    def item_updateddate(self, item: Page) -> datetime.datetime | None:
        return item.last_published_at or timezone.now()

    def item_categories(self, item: Page) -> list[str]:
        return [tag.name for tag in item.listing_tags]

    def item_enclosures(self, item: Page) -> list[feedgenerator.Enclosure]:
        """The listing image, as the listing shows it (its rendition is prefetched).

        The length is 0, "unknown" by the RSS profile: a rendition's size is not stored, and
        asking the storage for it would cost a request per item on remote storage.
        """
        if item.listing_image is None:
            return []
        rendition = item.listing_image.get_rendition(queries.LISTING_IMAGE_FILTER)
        kind = mimetypes.guess_type(rendition.file.name)[0] or "application/octet-stream"
        url = urljoin(self.item_link(item), rendition.url)
        return [feedgenerator.Enclosure(url, "0", kind)]


def render_feed(
    index: Page, request: HttpRequest, kind: str, tag: Tag | None = None
) -> HttpResponse:
    if kind not in FEED_TYPES:
        raise Http404(_("Unknown feed type."))
    return ArticleFeed(index, request, kind, tag)(request)
