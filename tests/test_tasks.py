"""The import task: it runs a queued ImportRun and records its outcome."""

from pathlib import Path

import pytest

from tests.admin.conftest import make_editor
from tests.factories import TagIndexPageFactory
from wagtail_tagfeed.extract import listing
from wagtail_tagfeed.models import ArticlePage, ImportRun
from wagtail_tagfeed.options import ImportOptions
from wagtail_tagfeed.tasks import run_import

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
