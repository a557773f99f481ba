"""What a separate front end reads: Wagtail's API fields and the listings' JSON."""

import json
import re

import pytest
from django.utils import timezone

from tests.factories import ImageFactory, TagIndexPageFactory

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
    assert item["tags"] == [
        {"name": "nato", "slug": "nato", "url": f"{article.get_parent().url}tag/nato/"},
        {"name": "turkey", "slug": "turkey", "url": f"{article.get_parent().url}tag/turkey/"},
    ]


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


def api_item(client, page, fields="*") -> dict:
    response = client.get(f"/api/v2/pages/{page.pk}/", {"fields": fields})
    assert response.status_code == 200
    return response.json()


def test_rich_text_comes_with_links_resolved_to_urls(client, make_articles):
    [linked] = make_articles(1)
    link = f'<a linktype="page" id="{linked.pk}">the other story</a>'
    [article] = make_articles(
        1,
        summary=f"<p>As {link} said,</p>",
        summary_truncated=True,
        body=json.dumps([{"type": "paragraph", "value": f"<p>Read {link}.</p>"}]),
    )
    item = api_item(client, article)
    expected = f'<a href="{linked.url}">the other story</a>'
    assert item["summary"] == f"<p>As {expected} said,</p>"
    assert item["teaser"] == f"<p>As {expected} said,…</p>"
    assert item["body"][0]["type"] == "paragraph"
    assert item["body"][0]["value"] == f"<p>Read {expected}.</p>"
    assert "linktype" not in json.dumps(item)


def test_images_come_as_renditions_with_their_size_format_and_alt(client, make_articles):
    image = ImageFactory(title="A teal square")
    body_image = {"image": image.pk, "alt_text": "The square, in context", "decorative": False}
    [article] = make_articles(
        1, listing_image=image, body=json.dumps([{"type": "image", "value": body_image}])
    )
    item = api_item(client, article)
    listing = item["listing_image"]
    assert listing["alt"] == "A teal square"
    formats = {rendition["format"] for rendition in listing["renditions"]}
    assert {"webp", "jpeg"} <= formats
    for rendition in listing["renditions"]:
        assert (
            rendition["full_url"].startswith("http://")
            and rendition["url"] in rendition["full_url"]
        )
        assert (rendition["width"], rendition["height"]) == (64, 36)  # 16:9 from 64 x 48
        assert rendition["media_type"] == f"image/{rendition['format']}"
    [block] = item["body"]
    assert block["value"]["alt"] == "The square, in context"
    assert block["value"]["decorative"] is False
    assert [r["filter"] for r in block["value"]["renditions"]] == [
        "width-800",
        "width-1600",
        "width-800|format-webp",
        "width-1600|format-webp",
    ]
    assert item["social_image"]["url"].endswith(".png")


def test_the_date_to_show_and_the_reading_time(client, make_articles):
    words = " ".join(["word"] * 500)
    [undated] = make_articles(
        1, date=None, body=json.dumps([{"type": "paragraph", "value": f"<p>{words}</p>"}])
    )
    item = api_item(client, undated, "date,published_date,reading_time")
    assert item["date"] is None
    assert item["published_date"] == timezone.localdate(undated.first_published_at).isoformat()
    assert item["reading_time"] == 3  # 500 words at 230 a minute


def test_a_tag_index_gives_its_pinned_tag_tag_counts_and_feeds(client, make_articles):
    from taggit.models import Tag

    make_articles(2, tags=["turkey", "nato"])
    make_articles(1, tags=["gas"])
    index = TagIndexPageFactory(slug="pinned", pinned_tag=Tag.objects.get(name="nato"))
    make_articles(1, tags=["nato", "drones"], parent=index)
    item = api_item(client, index)
    assert item["pinned_tag"] == {"name": "nato", "slug": "nato", "url": f"{index.url}tag/nato/"}
    assert item["tags_in_use"] == [
        {"name": "drones", "slug": "drones", "count": 1, "url": f"{index.url}tag/drones/"},
        {"name": "nato", "slug": "nato", "count": 1, "url": f"{index.url}tag/nato/"},
    ]
    assert [feed["url"] for feed in item["feeds"]] == [
        f"{index.full_url}feed/rss/",
        f"{index.full_url}feed/atom/",
    ]
    assert item["listing_json_url"] == f"{index.full_url}json/"


# The listing's JSON ---------------------------------------------------------------


def html_titles(client, url: str) -> list[str]:
    html = client.get(url).content.decode()
    return re.findall(r'class="tagfeed-item__title"><a href="[^"]*">([^<]*)</a>', html)


def test_the_json_lists_what_the_html_page_lists(client, tag_index, make_articles):
    tag_index.per_page = 3
    tag_index.save_revision().publish()
    make_articles(4, tags=["turkey", "nato"])
    make_articles(2, tags=["gas"], date=None)
    make_articles(1, tags=["turkey"])
    for route in ("", "?page=2", "?page=3", "tag/turkey/", "tag/turkey/?page=2"):
        path, _, query = route.partition("?")
        data = client.get(f"{tag_index.url}{path}json/{'?' + query if query else ''}").json()
        assert [item["title"] for item in data["items"]] == html_titles(
            client, f"{tag_index.url}{route}"
        ), route
    data = client.get(f"{tag_index.url}tag/turkey/json/", {"page": 2}).json()
    assert data["title"] == "Contents tagged with turkey"
    assert data["tag"] == {
        "name": "turkey",
        "slug": "turkey",
        "url": f"{tag_index.url}tag/turkey/",
    }
    assert data["canonical_url"] == f"{tag_index.full_url}tag/turkey/?page=2"
    assert data["pagination"] == {
        "page": 2,
        "num_pages": 2,
        "per_page": 3,
        "count": 5,
        "previous_page": 1,
        "next_page": None,
        "previous_url": f"{tag_index.full_url}tag/turkey/json/",
        "next_url": None,
    }
    assert [(row["name"], row["count"]) for row in data["tags"]] == [
        ("turkey", 5),
        ("nato", 4),
        ("gas", 2),
    ]
    assert data["feeds"][0]["url"] == f"{tag_index.full_url}tag/turkey/feed/rss/"


def test_the_json_items_carry_what_the_html_items_show(client, tag_index, make_articles):
    long_summary = "<p>" + " ".join(f"w{n}" for n in range(150)) + "</p>"
    [article] = make_articles(
        1, tags=["Turkey"], summary=long_summary, date=None, listing_image=ImageFactory()
    )
    [item] = client.get(f"{tag_index.url}json/").json()["items"]
    assert item["url"] == article.url and item["full_url"] == article.full_url
    assert item["published_date"] == timezone.localdate(article.first_published_at).isoformat()
    assert item["teaser"].endswith(" w99…</p>")  # cut as the HTML page cuts it
    assert item["tags"] == [
        {"name": "Turkey", "slug": "turkey", "url": f"{tag_index.url}tag/turkey/"}
    ]
    assert {r["format"] for r in item["listing_image"]["renditions"]} >= {"webp", "jpeg"}


def test_a_page_or_tag_that_does_not_exist_is_a_json_404(client, tag_index, make_articles):
    make_articles(1)
    for url in ("tag/nowhere/json/", "json/?page=2", "json/?page=x"):
        response = client.get(f"{tag_index.url}{url}")
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/json"
        assert response.json()["message"]
