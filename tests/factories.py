"""Factories for the page tree: pages are added the Wagtail way, below a parent."""

import datetime
import io

import factory
from django.core.files.images import ImageFile
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from tests.support.images import image_bytes
from wagtail_tagfeed.listing import ArticleDraft
from wagtail_tagfeed.models import ArticlePage, TagIndexPage


def site_root() -> Page:
    return Site.objects.get(is_default_site=True).root_page


class PageFactory(factory.django.DjangoModelFactory):
    """Adds the page below ``parent`` (default: the site root) and publishes it."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, tags=(), **kwargs):
        page = model_class(**kwargs)
        if tags:
            page.tags.add(*tags)
        (parent or site_root()).add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        else:
            model_class.objects.filter(pk=page.pk).update(live=False)
        page.refresh_from_db()
        return page


class TagIndexPageFactory(PageFactory):
    class Meta:
        model = TagIndexPage

    title = "News"
    slug = factory.Sequence(lambda n: f"news-{n}" if n else "news")


class ArticlePageFactory(PageFactory):
    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    date = factory.Sequence(lambda n: datetime.date(2024, 1, 1) + datetime.timedelta(days=n))
    source_url = factory.Sequence(lambda n: f"https://news.example/article-{n}")
    summary = factory.Sequence(
        lambda n: f"<p>Summary of article {n}, <b>with</b> a few words.</p>"
    )


class ImageFactory(factory.django.DjangoModelFactory):
    """An image in Wagtail's library, a small PNG file."""

    class Meta:
        model = get_image_model()

    title = factory.Sequence(lambda n: f"Image {n}")
    file = factory.LazyFunction(
        lambda: ImageFile(io.BytesIO(image_bytes("PNG", size=(64, 48))), name="photo.png")
    )


class DraftFactory(factory.Factory):
    """An article as an import would write it (``syncing.sync``'s input)."""

    class Meta:
        model = ArticleDraft

    listing_url = factory.Sequence(lambda n: f"https://news.example/story-{n}")
    source_url = factory.SelfAttribute("listing_url")
    title = factory.Sequence(lambda n: f"Story {n}")
    tags = ("turkey",)
    summary = factory.Sequence(lambda n: f"<p>Teaser {n}.</p>")
    published = factory.Sequence(lambda n: datetime.date(2020, 10, 1) + datetime.timedelta(days=n))
