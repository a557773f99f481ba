"""Conditional GET on article pages: an ETag on the page, a 304 while it is current."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


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
