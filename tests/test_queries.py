"""The listing cache: what a warm request costs, and what makes the cache forget."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from wagtail.models import Locale, PageViewRestriction

from tests.factories import ArticlePageFactory, DraftFactory, ImageFactory, TagIndexPageFactory
from wagtail_tagfeed.models import ArticlePage
from wagtail_tagfeed.options import ImportOptions
from wagtail_tagfeed.queries import by_source_key
from wagtail_tagfeed.syncing import sync

pytestmark = pytest.mark.django_db


ROUTES = {
    "tag page": "tag/turkey/",
    "page 3": "tag/turkey/?page=3",
    "feed": "tag/turkey/feed/rss/",
}


@pytest.fixture
def routed(settings):
    """Every request goes through Wagtail: without the reader cache middleware, which
    answers readers' repeated requests before all of the queries counted here."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if "tagfeed" not in name]


def warm_queries(client, url: str) -> list[str]:
    """The queries of ``url`` once the caches hold what it needs."""
    for _ in range(2):
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


@pytest.mark.usefixtures("real_cache", "routed")
@pytest.mark.parametrize("route", ROUTES)
def test_a_warm_listing_asks_only_for_the_page_itself(client, tag_index, make_articles, route):
    """Wagtail finds the site and the page, one query the view restrictions; the tag, the
    articles, their images and renditions and the counts come from the cache."""
    tag_index.per_page = 2
    tag_index.save_revision().publish()
    make_articles(6, tags=["turkey", "nato"], listing_image=ImageFactory())
    sql = warm_queries(client, f"{tag_index.url}{ROUTES[route]}")
    tables = " ".join(sql)
    for table in ("taggit_tag", "wagtailimages"):
        assert table not in tables
    assert len([query for query in sql if "wagtailcore_pageviewrestriction" in query]) == 1
    assert len(sql) == 4


@pytest.mark.usefixtures("real_cache", "routed")
def test_a_warm_article_page_asks_only_for_the_page_itself(client, make_articles):
    """Wagtail finds the site and the pages above the article, the index the article in
    one query, one query the view restrictions; the page's HTML is stored under its ETag."""
    [article] = make_articles(1, tags=["turkey"], listing_image=ImageFactory())
    sql = warm_queries(client, article.url)
    assert len([query for query in sql if "wagtailcore_pageviewrestriction" in query]) == 1
    assert len([query for query in sql if "wagtail_tagfeed_articlepage" in query]) == 1
    assert len(sql) == 5


def listed(client, url: str) -> str:
    """The listing of a page (without the site's sidebars) or a feed."""
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")] if "<main" in html else html


@pytest.mark.usefixtures("committed_db", "real_cache")
def test_the_cached_listing_and_feed_follow_publishing_moving_and_deleting(
    client, tag_index, make_articles
):
    [first] = make_articles(1, tags=["turkey"])
    urls = [f"{tag_index.url}tag/turkey/", f"{tag_index.url}tag/turkey/feed/rss/"]
    for url in urls:
        assert first.title in listed(client, url)
    [second] = make_articles(1, tags=["turkey"])
    for url in urls:
        assert second.title in listed(client, url)
    second.unpublish()
    for url in urls:
        assert second.title not in listed(client, url)
    second.save_revision().publish()
    for url in urls:
        assert second.title in listed(client, url)
    other = TagIndexPageFactory()
    second.move(other, pos="last-child")
    for url in urls:
        assert second.title not in listed(client, url)
    first.delete()
    for url in urls:
        assert client.get(url).status_code == 404


@pytest.mark.usefixtures("committed_db", "real_cache")
def test_a_view_restriction_hides_the_cached_articles_and_guards_them(
    client, tag_index, make_articles
):
    [article] = make_articles(1, tags=["turkey", "nato"])
    assert article.title in listed(client, f"{tag_index.url}tag/nato/")
    assert client.get(article.url).status_code == 200
    PageViewRestriction.objects.create(page=article, restriction_type="login")
    assert client.get(f"{tag_index.url}tag/nato/").status_code == 404
    assert client.get(article.url).status_code == 302  # to the login page
    PageViewRestriction.objects.all().delete()
    assert client.get(article.url).status_code == 200


@pytest.mark.usefixtures("real_cache")
def test_the_restrictions_of_ancestors_and_of_an_aliass_source_apply(
    client, tag_index, make_articles
):
    [article] = make_articles(1)
    other = TagIndexPageFactory()
    alias = tag_index.create_alias(
        parent=other.get_parent(), update_slug="news-alias", recursive=True
    )
    alias_article = alias.get_children().get()
    assert client.get(alias_article.url).status_code == 200
    restriction = PageViewRestriction.objects.create(page=tag_index, restriction_type="login")
    for page in (tag_index, article, alias, alias_article):
        assert {r.pk for r in page.specific.get_view_restrictions()} == {restriction.pk}
        assert client.get(page.url).status_code == 302
    assert list(other.get_view_restrictions()) == []


@pytest.mark.usefixtures("committed_db", "real_cache")
def test_renaming_a_tag_changes_the_cached_listings(client, tag_index, make_articles):
    make_articles(1, tags=["turkey"])
    assert client.get(f"{tag_index.url}tag/turkey/").status_code == 200
    tag = Tag.objects.get(name="turkey")
    tag.name, tag.slug = "Türkiye", "turkiye"
    tag.save()
    assert client.get(f"{tag_index.url}tag/turkey/").status_code == 404
    assert "Türkiye" in listed(client, f"{tag_index.url}tag/turkiye/")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the plan is PostgreSQL's")
def test_a_deep_page_of_a_large_tag_is_planned_for_the_tags_size(tag_index):
    """The tag is resolved to its id first: the planner knows from its statistics how many
    articles the tag has (a name subquery made it guess from the average tag), and so
    chooses between walking the order index and sorting the tag's articles knowingly."""
    drafts = [
        DraftFactory(tags=("turkey",) if n % 4 == 0 else (f"topic {n % 40}",)) for n in range(4400)
    ]
    sync(tag_index, drafts, options=ImportOptions())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    tag = Tag.objects.get(name="turkey")
    page = tag_index.get_articles(tag)[49 * 20 : 50 * 20]
    plan = page.explain()
    assert f"tag_id = {tag.pk})" in plan
    assert "taggit_tag" not in plan
    estimate = re.search(r"on wagtail_tagfeed_articlepagetag[^(]*\(cost=\S+ rows=(\d+)", plan)
    assert 1100 / 2 <= int(estimate[1]) <= 1100 * 2, plan
    assert len(list(page)) == 20


def test_articles_are_found_by_source_key_in_their_locale_only():
    index = TagIndexPageFactory()
    first, second = (
        ArticlePageFactory(parent=index, source_url=f"https://www.news.example/{name}/")
        for name in ("a", "b")
    )
    ArticlePageFactory(parent=index, source_url="https://news.example/c")
    found = by_source_key(
        ArticlePage.objects,
        ["news.example/b", "news.example/a", "news.example/x"],
        index.locale_id,
        "pk",
    )
    assert [(row["pk"], row["source_key"]) for row in found] == [
        (first.pk, "news.example/a"),
        (second.pk, "news.example/b"),
    ]
    other = Locale.objects.create(language_code="fr")
    assert by_source_key(ArticlePage.objects, ["news.example/a"], other.pk, "pk") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner")
def test_sqlite_finds_articles_by_source_key_without_reading_the_locale():
    """Given the locale and the keys in SQL, SQLite reads every page of the locale."""
    index = TagIndexPageFactory()
    ArticlePageFactory.create_batch(3, parent=index)
    with CaptureQueriesContext(connection) as captured:
        keys = [f"news.example/article-{n}" for n in range(20)]
        by_source_key(ArticlePage.objects, keys, index.locale_id, "pk")
    [query] = captured
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
        plan = " ".join(row[-1] for row in cursor.fetchall())
    assert "source_key" in plan and "locale" not in plan
