"""Listings, their JSON, the feeds and article pages answer 304 Not Modified until what they
show changes; readers get article pages stored in the cache."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

pytestmark = pytest.mark.django_db

ROUTES = [
    "",
    "?page=2",
    "json/",
    "tag/turkey/",
    "tag/turkey/json/",
    "feed/rss/",
    "tag/turkey/feed/atom/",
]


@pytest.fixture
def listed(tag_index, make_articles):
    tag_index.per_page = 2
    tag_index.save_revision().publish()
    return make_articles(3)


@pytest.mark.parametrize("route", ROUTES)
def test_a_client_revalidates_with_the_etag(client, tag_index, listed, route):
    url = f"{tag_index.url}{route}"
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('W/"')
    assert first["Last-Modified"] == http_date(listed[-1].last_published_at.timestamp())
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_a_client_revalidates_with_the_date(client, tag_index, listed):
    url = f"{tag_index.url}json/"
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304


def test_each_route_has_its_own_etag(client, tag_index, listed):
    etags = {client.get(f"{tag_index.url}{route}")["ETag"] for route in ROUTES}
    assert len(etags) == len(ROUTES)


def test_publishing_an_article_changes_the_etag(client, tag_index, listed, make_articles):
    urls = [f"{tag_index.url}{route}" for route in ("", "tag/turkey/json/", "feed/rss/")]
    etags = [client.get(url)["ETag"] for url in urls]
    [new] = make_articles(1)
    for url, etag in zip(urls, etags, strict=True):
        response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 200, url
        assert response["ETag"] != etag
        assert response["Last-Modified"] == http_date(new.last_published_at.timestamp())


def test_unpublishing_an_article_changes_the_etag(client, tag_index, listed):
    url = f"{tag_index.url}json/"
    etag = client.get(url)["ETag"]
    listed[0].unpublish()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert len(response.json()["items"]) == 2


def test_republishing_the_index_changes_the_etag(client, tag_index, listed):
    url = f"{tag_index.url}json/"
    etag = client.get(url)["ETag"]
    tag_index.intro = "<p>New introduction</p>"
    tag_index.save_revision().publish()
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["index"]["intro"] == "<p>New introduction</p>"


def test_a_404_has_no_validators(client, tag_index, listed):
    response = client.get(f"{tag_index.url}tag/nowhere/")
    assert response.status_code == 404
    assert "ETag" not in response and "Last-Modified" not in response


def test_an_article_answers_304_to_its_own_etag(client, make_articles):
    [article] = make_articles(1)
    response = client.get(article.url)
    assert response.status_code == 200
    etag = response["ETag"]
    again = client.get(article.url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(article.url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_publishing_the_article_changes_its_etag(client, make_articles):
    [article] = make_articles(1)
    etag = client.get(article.url)["ETag"]
    article.title = "A new title"
    article.save_revision().publish()
    response = client.get(article.url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "A new title" in response.content.decode()
    assert response["ETag"] != etag


@pytest.mark.usefixtures("committed_db", "real_cache")
def test_publishing_another_article_changes_the_etag(client, tag_index, make_articles):
    """The page shows the latest articles around the article: they are in the tag."""
    [article] = make_articles(1)
    etag = client.get(article.url)["ETag"]
    assert client.get(article.url, headers={"If-None-Match": etag}).status_code == 304
    make_articles(1)
    assert client.get(article.url, headers={"If-None-Match": etag}).status_code == 200


def test_editors_always_get_the_page(client, make_articles):
    """Their page has the user bar, which the tag does not cover."""
    [article] = make_articles(1)
    etag = client.get(article.url)["ETag"]
    client.force_login(User.objects.create_superuser("editor", "editor@example.com", "pw"))
    response = client.get(article.url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert not response.has_header("ETag")


@pytest.mark.usefixtures("committed_db", "real_cache")
def test_readers_get_the_stored_page_until_it_changes(client, tag_index, make_articles):
    [article] = make_articles(1, title="The first title")
    first = client.get(article.url)
    assert "The first title" in first.content.decode()
    with CaptureQueriesContext(connection) as captured:
        again = client.get(article.url)
    assert again.content == first.content
    assert not [query for query in captured if "taggit_tag" in query["sql"]]
    article.title = "The second title"
    article.save_revision().publish()
    assert "The second title" in client.get(article.url).content.decode()


@pytest.mark.usefixtures("real_cache")
def test_a_page_with_a_form_is_not_stored(make_articles, settings, tmp_path):
    """Its CSRF token is the reader's own."""
    template = tmp_path / "wagtail_tagfeed" / "article_page.html"
    template.parent.mkdir()
    template.write_text("<form>{% csrf_token %}</form>{{ page.title }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    [article] = make_articles(1)
    first = Client().get(article.url).content
    second = Client().get(article.url).content
    assert b"csrfmiddlewaretoken" in first
    assert first != second
