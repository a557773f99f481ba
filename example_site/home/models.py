from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The example site's home page: an introduction and the latest articles."""

    intro = RichTextField(blank=True)
    latest_tag = models.CharField(
        max_length=100, blank=True, help_text="Show only the latest articles with this tag."
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("latest_tag")]
    subpage_types = ["wagtail_tagfeed.TagIndexPage"]
    max_count = 1
