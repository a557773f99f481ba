"""The import task: it runs a queued ImportRun and records its outcome."""

from pathlib import Path

import pytest
from taggit.models import Tag
from wagtail.models import Page, PageLogEntry, Revision

from tests.admin.conftest import make_editor
from tests.factories import TagIndexPageFactory
from wagtail_tagfeed.extract import listing
from wagtail_tagfeed.models import ArticlePage, ImportRun, TagSource
from wagtail_tagfeed.options import ImportOptions
from wagtail_tagfeed.tasks import queue_sync, run_import

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent / "data" / "seed" / "tag-listing-turkey.html"


def queued_run(parent, leave_out=(), **options) -> ImportRun:
    """A run of the seed listing as previewed, without the items at ``leave_out``."""
    seed = listing(SEED.read_bytes(), "https://news.example/news/tag/turkey")
    data = seed.as_json()
    data["items"] = [item for item in data["items"] if item["url"] not in leave_out]
    return ImportRun.objects.create(
        parent=parent, options=ImportOptions(**options).as_json(), listings=[data]
    )


def test_a_run_imports_exactly_the_previewed_items(tag_index):
    run = queued_run(
        tag_index, leave_out=["https://news.example/turkey-rejects-truce-in-nagorno-karabakh"]
    )
    assert run_import.call(run.pk) == ImportRun.Status.SUCCEEDED
    run.refresh_from_db()
    assert (run.status, run.created, run.unchanged, run.failed) == ("succeeded", 9, 0, 0)
    assert run.started_at <= run.finished_at
    assert len(run.report["results"]) == 9 and run.report["tags"] == ["turkey"]
    assert ArticlePage.objects.child_of(tag_index).count() == 9


def test_a_failing_run_records_the_error_and_writes_nothing(tag_index):
    run = ImportRun.objects.create(
        parent=tag_index,
        urls=["https://news.example/tag/turkey"],
        options=ImportOptions(selectors={"item": "div[["}).as_json(),
    )
    assert run_import.call(run.pk) == ImportRun.Status.FAILED
    run.refresh_from_db()
    assert run.error and "\n" not in run.error
    assert run.finished_at is not None
    assert not ArticlePage.objects.exists()


def test_a_run_whose_index_was_deleted_fails(tag_index):
    run = queued_run(tag_index)
    ImportRun.objects.filter(pk=run.pk).update(parent=None)
    assert run_import.call(run.pk) == ImportRun.Status.FAILED
    assert "no longer exists" in ImportRun.objects.get(pk=run.pk).error
    assert not ArticlePage.objects.exists()


def test_a_run_checks_its_user_may_still_add_pages(tag_index):
    run = queued_run(tag_index)
    run.user = make_editor(TagIndexPageFactory(title="Elsewhere"))
    run.save()
    assert run_import.call(run.pk) == ImportRun.Status.FAILED
    assert "may not add pages" in ImportRun.objects.get(pk=run.pk).error
    assert not ArticlePage.objects.exists()


# Conditional syncs: a tag source keeps its first page's validators between syncs.

MODIFIED = "Wed, 21 Oct 2015 07:28:00 GMT"


class VersionedListing:
    """The seed listing (and its second page) on the test server, with an ETag and a
    Last-Modified: a request that sends the current version back is answered 304."""

    def __init__(self, server, *, etag: bool = True):
        from tests.admin.conftest import seed_body

        self.server = server
        self.version = 1
        self.etag = etag
        self.body = seed_body(server)
        server.route("/news/tag/turkey?page=1", seed_body(server, "tag-listing-turkey-page2.html"))
        self.url = server.handler("/news/tag/turkey", self.answer)

    @property
    def tag(self) -> str:
        return f'"v{self.version}"'

    def answer(self, request) -> None:
        if self.etag:
            unchanged = request.headers.get("If-None-Match") == self.tag
        else:
            unchanged = request.headers.get("If-Modified-Since") == MODIFIED
        request.send_response(304 if unchanged else 200)
        if self.etag:
            request.send_header("ETag", self.tag)
        else:
            request.send_header("Last-Modified", MODIFIED)
        request.send_header("Connection", "close")
        if unchanged:
            request.end_headers()
            return
        request.send_header("Content-Type", "text/html; charset=utf-8")
        request.send_header("Content-Length", str(len(self.body)))
        request.end_headers()
        request.wfile.write(self.body)

    def requests(self) -> list:
        """The requests for the listing's pages so far, and forget them."""
        seen = [r for r in self.server.requests if r.path.startswith("/news/tag/turkey")]
        self.server.requests.clear()
        return seen


@pytest.fixture
def conditional(http_server, settings):
    settings.TAGFEED_ALLOW_PRIVATE_HOSTS = True
    return VersionedListing(http_server)


@pytest.fixture
def source(tag_index, conditional):
    return TagSource.objects.create(
        name="Turkey", url=conditional.url, parent=tag_index, owner=make_editor(tag_index), pages=2
    )


def written() -> dict[str, int]:
    """How many rows the tables an import writes to hold."""
    return {
        model.__name__: model.objects.count()
        for model in (Page, Revision, PageLogEntry, ArticlePage.tags.through, Tag)
    }


def test_a_sync_of_an_unchanged_listing_costs_one_304_and_writes_nothing(source, conditional):
    first = queue_sync(source)
    assert (first.status, first.created, first.not_modified) == ("succeeded", 13, False)
    assert [r.headers.get("If-None-Match") for r in conditional.requests()] == [None, None]
    source.refresh_from_db()
    validators = source.listing_validators
    assert list(validators) == [conditional.url]
    assert validators[conditional.url]["etag"] == '"v1"'
    before = written()

    again = queue_sync(source)

    requests = conditional.requests()
    assert [(r.path, r.headers.get("If-None-Match")) for r in requests] == [
        ("/news/tag/turkey", '"v1"')
    ]
    assert again.status == ImportRun.Status.SUCCEEDED
    assert again.not_modified
    assert (again.created, again.updated, again.unchanged, again.failed) == (0, 0, 0, 0)
    assert again.report["not_modified"] == [conditional.url]
    assert again.report["results"] == []
    assert written() == before
    source.refresh_from_db()
    assert source.listing_validators == validators


def test_a_changed_listing_is_read_in_full_and_its_new_version_kept(source, conditional):
    queue_sync(source)
    conditional.version = 2
    conditional.requests()

    run = queue_sync(source)

    assert [r.headers.get("If-None-Match") for r in conditional.requests()] == ['"v1"', None]
    assert (run.status, run.not_modified, run.unchanged) == ("succeeded", False, 13)
    source.refresh_from_db()
    assert source.listing_validators[conditional.url]["etag"] == '"v2"'
    assert queue_sync(source).not_modified


def test_last_modified_alone_makes_a_conditional_sync(source, conditional):
    conditional.etag = False
    queue_sync(source)
    conditional.requests()
    run = queue_sync(source)
    (request,) = conditional.requests()
    assert request.headers.get("If-Modified-Since") == MODIFIED
    assert "If-None-Match" not in request.headers
    assert run.not_modified


def test_validators_serve_only_a_sync_of_the_same_kind(source, conditional, tag_index):
    """Other options, another user or another tag index could import an unchanged listing
    differently: such a sync reads it in full."""
    queue_sync(source)
    source.tags = "bird"
    source.save()
    conditional.requests()
    changed = queue_sync(source)
    assert [r.headers.get("If-None-Match") for r in conditional.requests()] == [None, None]
    assert (changed.not_modified, changed.updated) == (False, 13)
    editor = make_editor(tag_index)
    by_editor = queue_sync(source, user=editor)
    assert [r.headers.get("If-None-Match") for r in conditional.requests()] == [None, None]
    assert not by_editor.not_modified
    assert queue_sync(source, user=editor).not_modified


def test_a_failed_sync_keeps_the_validators_of_the_last_good_one(source, conditional):
    queue_sync(source)
    conditional.version = 2
    conditional.body = b"<!DOCTYPE html><html><body><p>Nothing to list.</p></body></html>"
    failed = queue_sync(source)
    assert failed.status == ImportRun.Status.FAILED
    source.refresh_from_db()
    assert source.listing_validators[conditional.url]["etag"] == '"v1"'
