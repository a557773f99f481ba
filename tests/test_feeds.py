"""RSS and Atom feeds: valid XML, absolute links, dates and categories."""

import datetime
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ImageFactory
from wagtail_tagfeed.queries import LISTING_IMAGE_FILTER

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_rss_feed_of_a_tag(client, tag_index, make_articles):
    [article] = make_articles(1, tags=["turkey", "nato"], date=datetime.date(2020, 10, 1))
    response = client.get(f"{tag_index.url}tag/turkey/feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "Contents tagged with turkey"
    assert channel.findtext("link") == f"http://localhost{tag_index.url}tag/turkey/"
    [item] = channel.findall("item")
    assert item.findtext("link") == f"http://localhost{article.url}"
    assert item.findtext("pubDate") == "Thu, 01 Oct 2020 00:00:00 +0000"
    assert sorted(c.text for c in item.findall("category")) == ["nato", "turkey"]
    assert "<b>with</b>" in item.findtext("description")


def test_atom_feed_of_the_index(client, tag_index, make_articles):
    articles = make_articles(3)
    response = client.get(f"{tag_index.url}feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [a.title for a in reversed(articles)]
    for entry in entries:
        assert entry.find(f"{ATOM}link").get("href").startswith("http://localhost/")
        assert entry.findtext(f"{ATOM}published")
        assert entry.find(f"{ATOM}category").get("term") == "turkey"


def test_unknown_feed_kind_and_unknown_tag_are_404(client, tag_index, make_articles):
    make_articles(1)
    assert client.get(f"{tag_index.url}feed/json/").status_code == 404
    assert client.get(f"{tag_index.url}tag/unknown/feed/rss/").status_code == 404


def test_listing_images_are_enclosures(client, tag_index, make_articles):
    image = ImageFactory()
    [pictured] = make_articles(1, listing_image=image)
    [plain] = make_articles(1)
    rendition = image.get_rendition(LISTING_IMAGE_FILTER)
    expected = {"url": f"http://localhost{rendition.url}", "length": "0", "type": "image/png"}

    rss = ElementTree.fromstring(client.get(f"{tag_index.url}feed/rss/").content)
    items = {item.findtext("title"): item for item in rss.find("channel").findall("item")}
    assert items[pictured.title].find("enclosure").attrib == expected
    assert items[plain.title].find("enclosure") is None

    atom = ElementTree.fromstring(client.get(f"{tag_index.url}tag/turkey/feed/atom/").content)
    entries = {entry.findtext(f"{ATOM}title"): entry for entry in atom.findall(f"{ATOM}entry")}
    [link] = [
        link
        for link in entries[pictured.title].findall(f"{ATOM}link")
        if link.get("rel") == "enclosure"
    ]
    assert (link.get("href"), link.get("type")) == (expected["url"], expected["type"])


def test_enclosures_cost_no_query_per_item(client, tag_index, make_articles):
    def queries_of_feed() -> int:
        client.get(url)  # the first request makes the renditions of new images
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        return len(captured)

    url = f"{tag_index.url}feed/rss/"
    make_articles(2, listing_image=ImageFactory())
    with_two = queries_of_feed()
    for _ in range(5):
        make_articles(1, listing_image=ImageFactory())
    assert queries_of_feed() == with_two
