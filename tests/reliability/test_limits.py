"""Every limit in ``conf.py`` is enforced end to end, and its setting changes it."""

from __future__ import annotations

import contextlib

import pytest

from wagtail_tagfeed.errors import FetchError, TagfeedError
from wagtail_tagfeed.importer import import_tagpage
from wagtail_tagfeed.models import ArticlePage
from wagtail_tagfeed.options import ImportOptions

from .pages import item, tag_page

pytestmark = pytest.mark.django_db


def chain(server, pages: int, per_page: int = 2) -> str:
    for number in range(pages):
        following = server.url(f"/p{number + 1}") if number + 1 < pages else None
        entries = [item(number * per_page + n) for n in range(per_page)]
        server.route(f"/p{number}", body=tag_page(entries, next_url=following))
    return server.url("/p0")


def test_max_bytes(tag_index, tmp_path, settings):
    path = tmp_path / "page.html"
    path.write_text(tag_page([item(n) for n in range(50)]))
    settings.TAGFEED_MAX_BYTES = 20_000
    with pytest.raises(FetchError, match="larger than 20,000 bytes"):
        import_tagpage([str(path)])
    settings.TAGFEED_MAX_BYTES = 200_000
    assert import_tagpage([str(path)]).count("created") == 50


def test_max_pages(tag_index, http_server, settings):
    url = chain(http_server, pages=6)
    settings.TAGFEED_MAX_PAGES = 3
    report = import_tagpage(
        [url], options=ImportOptions.from_settings(pages=3, allow_private=True)
    )
    assert len(report.pages_read) == 3
    assert ArticlePage.objects.count() == 6
    assert len(http_server.requests) == 3
    report = import_tagpage(
        [url], options=ImportOptions.from_settings(pages=99, allow_private=True)
    )
    assert len(report.pages_read) == 3


def test_max_items(tag_index, tmp_path, settings):
    path = tmp_path / "page.html"
    path.write_text(tag_page([item(n) for n in range(30)]))
    settings.TAGFEED_MAX_ITEMS = 7
    assert import_tagpage([str(path)]).count("created") == 7
    assert ArticlePage.objects.count() == 7


def test_max_depth(tag_index, tmp_path, settings):
    """Items nested far beyond the limit are not looked into, and the nesting is no crash."""
    deep = "".join(
        f'<div class="views-row"><h3><a href="https://news.example/deep-{n}">Deep {n}</a></h3>'
        "<p>Teaser words.</p></div>"
        for n in range(4)
    )
    path = tmp_path / "page.html"
    path.write_text(tag_page([]).replace('<div class="view-content">', "<div>" * 100_000 + deep))
    settings.TAGFEED_MAX_DEPTH = 100
    with contextlib.suppress(TagfeedError):
        import_tagpage([str(path)])
    assert not ArticlePage.objects.filter(source_url__contains="/deep-").exists()


def test_timeout(tag_index, http_server, settings):
    def slow(request):
        http_server.sleep(3)

    url = http_server.handler("/slow", slow)
    settings.TAGFEED_TIMEOUT = 0.5
    with pytest.raises(FetchError, match=r"timed out.*0\.5 s"):
        import_tagpage([url], options=ImportOptions.from_settings(allow_private=True))
    assert not ArticlePage.objects.exists()


def test_run_timeout_stops_the_whole_import(tag_index, http_server, settings):
    """One deadline for all the fetches of an import: the article pages, which would take
    3 s each, are cut off at the run's 1 s and imported from their teasers."""
    articles = [f"/slow/{n}" for n in range(6)]
    for path in articles:
        http_server.handler(path, lambda request: http_server.sleep(3))
    body = tag_page([item(n, url=http_server.url(path)) for n, path in enumerate(articles)])
    url = http_server.route("/tag/turkey", body=body)
    settings.TAGFEED_RUN_TIMEOUT = 1
    options = ImportOptions.from_settings(fetch_articles=True, allow_private=True)
    report = import_tagpage([url], options=options)
    assert report.count("created") == 6
    assert len(report.messages) == 6
    assert all("the run's time limit of 1 s was reached" in line for line in report.messages)
