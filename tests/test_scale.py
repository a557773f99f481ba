"""A tag with 1,000 articles costs the same queries as a tag with 20: no per-item queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DraftFactory, TagIndexPageFactory
from wagtail_tagfeed.options import ImportOptions
from wagtail_tagfeed.syncing import sync

pytestmark = pytest.mark.django_db

ROUTES = ["", "tag/turkey/", "tag/turkey/?page=2", "feed/rss/", "tag/turkey/feed/atom/"]
JSON_ROUTES = {
    "": "json/",
    "tag/turkey/": "tag/turkey/json/",
    "tag/turkey/?page=2": "tag/turkey/json/?page=2",
}
"""The listings' JSON, for the HTML route it gives as data."""


def fill(index, count: int, site: str) -> None:
    sync(
        index,
        [
            DraftFactory(
                title=f"Story {n}",
                listing_url=f"https://{site}/story-{n}",
                summary=f"<p>Teaser {n}.</p>",
                published=datetime.date(2020, 1, 1) + datetime.timedelta(days=n % 900),
                tags=("turkey", f"topic {n % 7}"),
            )
            for n in range(count)
        ],
        options=ImportOptions(),
    )


def queries(client, url: str) -> int:
    client.get(url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_the_archive(client):
    # Ten per page, so that the small tag has a page 2 too: a page past the last is a 404.
    small = TagIndexPageFactory(slug="small", per_page=10)
    large = TagIndexPageFactory(slug="large", per_page=10)
    fill(small, 20, "small.example")
    fill(large, 1000, "large.example")
    for route in [*ROUTES, *JSON_ROUTES.values()]:
        counts = [queries(client, f"{index.url}{route}") for index in (small, large)]
        assert counts[0] == counts[1], route
    for html, data in JSON_ROUTES.items():
        # The JSON reads what the HTML page reads, less the site's sidebar and templates.
        assert queries(client, f"{large.url}{data}") <= queries(client, f"{large.url}{html}")
    assert [row["count"] for row in large.get_tags_in_use()][:2] == [1000, 143]
