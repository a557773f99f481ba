"""GraphQL through wagtail-grapple: the fields of the REST API, queried at /graphql/."""

import json

import pytest

from tests.factories import ImageFactory, TagIndexPageFactory

pytestmark = pytest.mark.django_db


def query(client, text: str) -> dict:
    response = client.post("/graphql/", {"query": text}, content_type="application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert "errors" not in data, data["errors"]
    return data["data"]


def test_an_article_in_graphql(client, tag_index, make_articles):
    [linked] = make_articles(1)
    link = f'<a linktype="page" id="{linked.pk}">the other story</a>'
    [article] = make_articles(
        1,
        tags=["turkey", "nato"],
        date=None,
        summary=f"<p>As {link} said,</p>",
        summary_truncated=True,
        listing_image=ImageFactory(),
        body=json.dumps([{"type": "paragraph", "value": f"<p>Read {link}.</p>"}]),
    )
    data = query(
        client,
        """{ page(id: ID) { title ... on ArticlePage {
            publishedDate summary teaser summaryTruncated readingTime tagLinks
            body { blockType ... on RichTextBlock { value } }
            listingImage { rendition(fill: "480x270", format: "webp") { url width height alt } }
        } } }""".replace("ID", str(article.pk)),
    )["page"]
    expected = f'<a href="{linked.url}">the other story</a>'
    assert data["title"] == article.title
    assert data["publishedDate"] == article.published_date.isoformat()
    assert data["summary"] == f"<p>As {expected} said,</p>"
    assert data["teaser"] == f"<p>As {expected} said,…</p>"
    assert data["summaryTruncated"] is True and data["readingTime"] == 1
    assert data["tagLinks"] == [
        {"name": "nato", "slug": "nato", "url": f"{tag_index.url}tag/nato/"},
        {"name": "turkey", "slug": "turkey", "url": f"{tag_index.url}tag/turkey/"},
    ]
    assert data["body"][0]["blockType"] == "RichTextBlock"
    assert "linktype" not in json.dumps(data)
    rendition = data["listingImage"]["rendition"]
    assert rendition["alt"] == article.listing_image.title
    assert rendition["url"].endswith(".webp") and (rendition["width"], rendition["height"]) == (
        64,
        36,
    )


def test_a_tag_index_in_graphql(client, make_articles):
    from taggit.models import Tag

    make_articles(1, tags=["nato"])
    index = TagIndexPageFactory(slug="pinned", pinned_tag=Tag.objects.get(name="nato"))
    make_articles(2, tags=["nato", "drones"], parent=index)
    data = query(
        client,
        """{ page(id: ID) { ... on TagIndexPage {
            perPage pinnedTagLink tagCounts feedUrls listingJsonUrl } } }""".replace(
            "ID", str(index.pk)
        ),
    )["page"]
    assert data["pinnedTagLink"] == {
        "name": "nato",
        "slug": "nato",
        "url": f"{index.url}tag/nato/",
    }
    assert [(row["name"], row["count"]) for row in data["tagCounts"]] == [
        ("drones", 2),
        ("nato", 2),
    ]
    assert [feed["url"] for feed in data["feedUrls"]] == [
        f"{index.full_url}feed/rss/",
        f"{index.full_url}feed/atom/",
    ]
    assert data["listingJsonUrl"] == f"{index.full_url}json/"
