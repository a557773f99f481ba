"""Wagtail's API exposes the article fields."""

import pytest

pytestmark = pytest.mark.django_db


def test_article_fields_in_the_pages_api(client, make_articles):
    [article] = make_articles(1, tags=["turkey", "nato"])
    response = client.get(
        "/api/v2/pages/",
        {"type": "wagtail_tagfeed.ArticlePage", "fields": "date,author,source_url,summary,tags"},
    )
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["id"] == article.pk
    assert item["date"] == article.date.isoformat()
    assert item["source_url"] == article.source_url
    assert item["summary"] == article.summary
    assert sorted(item["tags"]) == ["nato", "turkey"]


def test_search_finds_articles_by_summary_and_tag(make_articles):
    from wagtail_tagfeed.models import ArticlePage

    [article] = make_articles(1, tags=["drones"], summary="<p>Bayraktar assembly line</p>")
    make_articles(1, tags=["gas"])
    assert list(ArticlePage.objects.live().search("Bayraktar")) == [article]
