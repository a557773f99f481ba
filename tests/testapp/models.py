"""A site's own page models, built on the package's abstract pages."""

from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail_headless_preview.models import HeadlessPreviewMixin

from wagtail_tagfeed.models import AbstractArticlePage, AbstractTagIndexPage


class StoryTag(TaggedItemBase):
    content_object = ParentalKey(
        "testapp.Story", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Story(HeadlessPreviewMixin, AbstractArticlePage):
    """An article with a field of the site's own, previewed by a separate front end."""

    kicker = models.CharField(max_length=100, blank=True)
    tags = ClusterTaggableManager(through=StoryTag, blank=True)

    parent_page_types = ["testapp.Newsroom"]


class Newsroom(AbstractTagIndexPage):
    """A tag index listing the site's own articles."""

    article_model = "testapp.Story"
    subpage_types = ["testapp.Story"]
