"""Conditional GET on article pages: an ETag on the page, a 304 while it is current."""

import pytest
from django.contrib.auth.models import User

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
