"""Wagtail's API exposes the article fields."""

import pytest
from django.utils import timezone

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


def test_the_api_gives_the_teaser_as_shown_and_the_date_to_show(client, make_articles):
    [article] = make_articles(
        1, date=None, summary="<p>this partnership is strategic,</p>", summary_truncated=True
    )
    response = client.get(
        "/api/v2/pages/",
        {
            "type": "wagtail_tagfeed.ArticlePage",
            "fields": "date,published_date,summary,summary_truncated,teaser",
        },
    )
    [item] = response.json()["items"]
    assert item["date"] is None
    assert item["published_date"] == timezone.localdate(article.first_published_at).isoformat()
    assert item["summary"] == "<p>this partnership is strategic,</p>"
    assert item["summary_truncated"] is True
    assert item["teaser"] == "<p>this partnership is strategic,…</p>"
