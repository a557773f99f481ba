"""``{% load tagfeed %}``: truncated listings in any template."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from ..queries import latest_articles as query_latest_articles
from ..queries import resolve_model
from ..truncation import truncate_html

register = template.Library()

DEFAULT_ARTICLE_MODEL = "wagtail_tagfeed.ArticlePage"


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
    url = article.get_url(request) or ""
    index_url = url[: -len(article.slug) - 1] if url.endswith(f"{article.slug}/") else ""
    return {"tags": tags, "index_url": index_url}
