"""Reading sources with the validators of an earlier reading: unchanged ones are not read."""

import pytest

from tests.admin.conftest import seed_body
from wagtail_tagfeed.fetching import Validators
from wagtail_tagfeed.importer import import_listings, read_listings
from wagtail_tagfeed.models import ArticlePage
from wagtail_tagfeed.options import ImportOptions

OPTIONS = ImportOptions(allow_private=True, pages=2)


def versioned(server, path: str, body: bytes) -> str:
    """``path`` with the ETag "v1", answering 304 to a request that holds it."""

    def answer(request) -> None:
        unchanged = request.headers.get("If-None-Match") == '"v1"'
        request.send_response(304 if unchanged else 200)
        request.send_header("ETag", '"v1"')
        request.send_header("Content-Length", "0" if unchanged else str(len(body)))
        request.end_headers()
        if not unchanged:
            request.wfile.write(body)

    return server.handler(path, answer)


@pytest.fixture
def sources(http_server):
    http_server.route(
        "/news/tag/turkey?page=1", seed_body(http_server, "tag-listing-turkey-page2.html")
    )
    first = versioned(http_server, "/news/tag/turkey", seed_body(http_server))
    nato = seed_body(http_server).replace(b"tagged with turkey", b"tagged with nato")
    second = versioned(http_server, "/news/tag/nato", nato)
    return first, second


def test_a_reading_keeps_each_sources_validators(sources):
    reading = read_listings(sources, OPTIONS)
    assert reading.validators == {url: Validators('"v1"') for url in sources}
    assert reading.not_modified == ()
    assert len(reading.listings) == 4


def test_an_unchanged_source_is_not_read_and_the_others_are(sources, http_server, db):
    unchanged, _changed = sources
    http_server.requests.clear()

    reading = read_listings(sources, OPTIONS, validators={unchanged: Validators('"v1"')})

    assert reading.not_modified == (unchanged,)
    assert [listing.tag for listing in reading.listings] == ["nato", "turkey"]
    assert [r.path for r in http_server.requests] == [
        "/news/tag/turkey",
        "/news/tag/nato",
        "/news/tag/turkey?page=1",
    ]
    assert reading.validators == {url: Validators('"v1"') for url in sources}
    report = import_listings(reading, options=OPTIONS)
    assert report.not_modified == (unchanged,)
    assert report.count("created") == 13
    assert ArticlePage.objects.count() == 13


def test_a_reading_of_unchanged_sources_only_writes_nothing(sources, db):
    known = dict.fromkeys(sources, Validators('"v1"'))
    reading = read_listings(sources, OPTIONS, validators=known)
    assert (reading.listings, reading.not_modified) == ((), sources)
    report = import_listings(reading, options=OPTIONS)
    assert (report.results, report.not_modified) == ((), sources)
    assert report.summary_line() == "import: not modified"
    assert not ArticlePage.objects.exists()
