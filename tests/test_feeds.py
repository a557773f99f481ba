"""RSS and Atom feeds: valid XML, absolute links, dates and categories."""

import datetime
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from tests.factories import ImageFactory
from wagtail_tagfeed.feeds import distinct_times
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
    expected = {"url": f"http://localhost{rendition.url}", "length": "0", "type": "image/jpeg"}

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


def rss_items(client, url: str) -> list:
    return ElementTree.fromstring(client.get(url).content).find("channel").findall("item")


def test_a_teaser_cut_at_the_source_ends_with_an_ellipsis(client, tag_index, make_articles):
    make_articles(1, summary="<p>this partnership is strategic,</p>", summary_truncated=True)
    [item] = rss_items(client, f"{tag_index.url}feed/rss/")
    assert item.findtext("description") == "<p>this partnership is strategic,…</p>"
    atom = ElementTree.fromstring(client.get(f"{tag_index.url}tag/turkey/feed/atom/").content)
    summary = atom.find(f"{ATOM}entry").findtext(f"{ATOM}summary")
    assert summary == "<p>this partnership is strategic,…</p>"


def test_undated_items_are_dated_by_their_first_publication(client, tag_index, make_articles):
    [article] = make_articles(1, date=None)
    [item] = rss_items(client, f"{tag_index.url}feed/rss/")
    published = article.first_published_at.replace(microsecond=0)
    assert parsedate_to_datetime(item.findtext("pubDate")) == published


def test_items_published_together_get_distinct_dates_in_listing_order(
    client, tag_index, make_articles
):
    """Imported in one go, articles share their first publication, to the microsecond."""
    articles = make_articles(3, date=None) + make_articles(2, date=datetime.date(2020, 10, 1))
    moment = articles[0].first_published_at
    Page.objects.filter(pk__in=[a.pk for a in articles]).update(first_published_at=moment)
    items = rss_items(client, f"{tag_index.url}feed/rss/")
    titles = [item.findtext("title") for item in items]
    dates = [parsedate_to_datetime(item.findtext("pubDate")) for item in items]
    assert titles == [a.title for a in reversed(articles[3:])] + [
        a.title for a in reversed(articles[:3])
    ]
    second = datetime.timedelta(seconds=1)
    midnight = datetime.datetime(2020, 10, 1, tzinfo=datetime.UTC)
    assert dates[:2] == [midnight + second, midnight]
    moment = moment.replace(microsecond=0)
    assert dates[2:] == [moment + 2 * second, moment + second, moment]


def test_distinct_times_only_move_ties():
    one = datetime.datetime(2020, 10, 1, tzinfo=datetime.UTC)
    two = one + datetime.timedelta(days=1)
    second = datetime.timedelta(seconds=1)
    times = [two, two, one, None, one]
    assert distinct_times(times) == [two + second, two, one + second, None, one]


def test_feeds_are_not_paginated(client, tag_index, make_articles):
    make_articles(1)
    assert len(rss_items(client, f"{tag_index.url}feed/rss/?page=9")) == 1
