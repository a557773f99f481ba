"""Readers get stored article pages and listings by URL, before Wagtail's routing, until any
page changes."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("committed_db", "real_cache")]


def queries_of(client, url: str, **kwargs) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **kwargs)
    return len(captured), response


def test_a_readers_second_request_asks_only_for_view_restrictions(client, make_articles):
    [article] = make_articles(1, title="Ankara and Baku")
    first = client.get(article.url)
    with CaptureQueriesContext(connection) as captured:
        again = client.get(article.url)
    [query] = captured
    assert "wagtailcore_pageviewrestriction" in query["sql"]
    assert again.status_code == 200
    assert again.content == first.content
    assert "Ankara and Baku" in again.content.decode()
    assert again["ETag"] == first["ETag"]
    count, not_modified = queries_of(client, article.url, headers={"If-None-Match": first["ETag"]})
    assert (count, not_modified.status_code) == (1, 304)


def test_publishing_the_article_serves_the_new_version(client, make_articles):
    [article] = make_articles(1, title="The first title")
    client.get(article.url)
    article.title = "The second title"
    article.save_revision().publish()
    assert "The second title" in client.get(article.url).content.decode()


def test_renaming_a_page_above_drops_the_old_url(client, tag_index, make_articles):
    """A URL finds another page (or none) when a page above the article changes its slug."""
    [article] = make_articles(1)
    old_url, old_slug = article.url, tag_index.slug
    assert client.get(old_url).status_code == 200
    tag_index.slug = "archive"
    tag_index.save_revision().publish()
    assert client.get(old_url).status_code == 404
    assert client.get(old_url.replace(f"/{old_slug}/", "/archive/")).status_code == 200


def test_a_new_view_restriction_applies_at_once(client, tag_index, make_articles):
    [article] = make_articles(1)
    assert client.get(article.url).status_code == 200
    PageViewRestriction.objects.create(page=tag_index, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(article.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_signed_in_users_get_the_page_rendered_for_them(client, make_articles):
    """A site's templates may show them the user bar; a session sends every request to
    the page, which an editor gets without a stored page's ETag."""
    [article] = make_articles(1)
    client.get(article.url)
    client.force_login(User.objects.create_superuser("editor", "editor@example.com", "pw"))
    count, response = queries_of(client, article.url)
    assert count > 1
    assert response.status_code == 200
    assert not response.has_header("ETag")


@pytest.mark.parametrize("kwargs", [{"QUERY_STRING": "utm_source=feed"}, {"HTTP_HOST": "other"}])
def test_another_query_or_host_is_another_url(client, make_articles, settings, kwargs):
    settings.ALLOWED_HOSTS = ["*"]
    [article] = make_articles(1)
    client.get(article.url)
    count, response = queries_of(client, article.url, **kwargs)
    assert count > 1
    assert response.status_code == 200


@pytest.mark.parametrize("route", ["tag/turkey/", "tag/turkey/?page=2", "json/", "feed/rss/"])
def test_listings_are_stored_with_their_validators(client, tag_index, make_articles, route):
    tag_index.per_page = 1
    tag_index.save_revision().publish()
    make_articles(2)
    url = f"{tag_index.url}{route}"
    first = client.get(url)
    count, again = queries_of(client, url)
    assert count == 1
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert (again["ETag"], again["Last-Modified"]) == (first["ETag"], first["Last-Modified"])
    count, not_modified = queries_of(
        client, url, headers={"If-Modified-Since": first["Last-Modified"]}
    )
    assert (count, not_modified.status_code) == (1, 304)


def test_a_new_article_shows_on_the_stored_listing(client, tag_index, make_articles):
    make_articles(1)
    url = f"{tag_index.url}tag/turkey/"
    client.get(url)
    [new] = make_articles(1, title="News from Baku")
    assert new.title in client.get(url).content.decode()


def test_a_404_is_not_stored(client, tag_index, make_articles):
    make_articles(1)
    for url in (f"{tag_index.url}no-such-article/", f"{tag_index.url}tag/turkey/?page=9"):
        client.get(url)
        count, response = queries_of(client, url)
        assert response.status_code == 404
        assert count > 1
