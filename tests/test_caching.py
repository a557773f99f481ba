"""Listings, their JSON and the feeds answer 304 Not Modified until what they list changes."""

import pytest
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
