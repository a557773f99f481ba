"""RSS and Atom feeds: valid XML, absolute links, dates and categories."""

import datetime
from xml.etree import ElementTree

import pytest

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
