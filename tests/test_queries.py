"""The listing cache: what a warm request costs, and what makes the cache forget."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from tests.factories import ImageFactory, TagIndexPageFactory
from wagtail_tagfeed import queries
from wagtail_tagfeed.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


ROUTES = {
    "tag page": "tag/turkey/",
    "page 3": "tag/turkey/?page=3",
    "feed": "tag/turkey/feed/rss/",
}


def warm_queries(client, url: str) -> list[str]:
    """The queries of ``url`` once the caches hold what it needs."""
    for _ in range(2):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


@pytest.mark.usefixtures("real_cache")
@pytest.mark.parametrize("route", ROUTES)
def test_a_warm_listing_asks_only_for_the_page_itself(client, tag_index, make_articles, route):
    """Wagtail finds the site and the page; the tag, the articles, their images and
    renditions, the counts and the view restrictions all come from the cache."""
    tag_index.per_page = 2
    tag_index.save_revision().publish()
    make_articles(6, tags=["turkey", "nato"], listing_image=ImageFactory())
    sql = warm_queries(client, f"{tag_index.url}{ROUTES[route]}")
    print(len(sql), *sql, sep="\n")
    tables = " ".join(sql)
    for table in ("wagtailcore_pageviewrestriction", "taggit_tag", "wagtailimages"):
        assert table not in tables
    assert len(sql) == 3


@pytest.mark.usefixtures("real_cache")
def test_a_warm_article_page_asks_only_for_the_page_itself(client, make_articles):
    [article] = make_articles(1, tags=["turkey"], listing_image=ImageFactory())
    sql = warm_queries(client, article.url)
    print(len(sql), *sql, sep="\n")
    assert "wagtailcore_pageviewrestriction" not in " ".join(sql)
    assert len(sql) == 7
