"""``{% load tagfeed %}``: truncated listings in any template."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from ..queries import latest_articles as query_latest_articles
from ..queries import listing_image_filters, resolve_model
from ..truncation import truncate_html

register = template.Library()

DEFAULT_ARTICLE_MODEL = "wagtail_tagfeed.ArticlePage"
LISTING_PICTURE_ATTRS = {
    "loading": "lazy",
    "decoding": "async",
    "sizes": "(min-width: 40rem) 16rem, 100vw",
}
"""The listing image's attributes; ``sizes`` follows the package's stylesheet: beside the
teaser, 16rem wide, on wide screens, across the column on narrow ones."""


def _limit(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@register.filter(is_safe=True)
def truncatehtml_words(html: str, words) -> SafeString:
    """Cut HTML after ``words`` words, keeping it well-formed: ``|truncatehtml_words:40``.

    Text not marked safe is escaped first, so plain strings cannot inject markup.
    """
    return mark_safe(truncate_html(conditional_escape(html), words=_limit(words)))


@register.filter(is_safe=True)
def truncatehtml_chars(html: str, chars) -> SafeString:
    """Cut HTML after ``chars`` visible characters, at a word boundary where there is one."""
    return mark_safe(truncate_html(conditional_escape(html), chars=_limit(chars)))


@register.inclusion_tag("wagtail_tagfeed/includes/article_listing.html", takes_context=True)
def article_listing(context, articles, summary_words: int = 40) -> dict:
    """Render articles as a truncated listing, the same include the tag index uses."""
    return {
        "request": context.get("request"),
        "articles": articles,
        "summary_words": summary_words,
    }


@register.simple_tag
def latest_articles(*tags: str, limit: int = 5, model: str = DEFAULT_ARTICLE_MODEL) -> list:
    """The newest live articles with any of ``tags`` (all when none), in two queries.

    ``{% latest_articles "turkey" "nato" limit=3 as articles %}``
    """
    return query_latest_articles(resolve_model(model), tags, limit=limit)


@register.inclusion_tag("wagtail_tagfeed/includes/article_tags.html", takes_context=True)
def article_tags(context, article) -> dict:
    """An article's tags as links to its tag index's tag pages, without extra queries.

    The index URL is derived from the article's own URL (its parent is the index).
    """
    request = context.get("request")
    tags = getattr(article, "listing_tags", None)
    if tags is None:
        tags = list(article.tags.all())
    return {"tags": tags, "index_url": article.get_index_url(request)}


@register.simple_tag
def listing_picture(image, **attrs) -> SafeString:
    """A listing image as a responsive ``<picture>``, lazily loaded, its size set.

    ``{% listing_picture article.listing_image class="tagfeed-item__image" %}``: AVIF and
    WebP sources where Pillow can write them, a JPEG ``<img>`` with ``width`` and ``height``,
    two sizes each. These are the renditions the listing queries prefetch: no query per item.
    """
    if not image:
        return mark_safe("")
    renditions = get_renditions_or_not_found(image, listing_image_filters())
    return mark_safe(Picture(renditions, {**LISTING_PICTURE_ATTRS, **attrs}).__html__())
