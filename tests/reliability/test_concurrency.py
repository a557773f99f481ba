"""Imports running at the same time, and an editor saving while an import runs.

Imports are ``manage.py import_tagpage`` child processes on the PostgreSQL test database; the
editor is this test process. Syncing locks the tag index's row, so two imports into it take
turns, and an article's row before updating it, so an editor's revision saved meanwhile is
kept, not overwritten.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from taggit.models import Tag
from wagtail.models import Locale, Page

from tests.factories import TagIndexPageFactory
from wagtail_tagfeed.importer import import_tagpage
from wagtail_tagfeed.models import ArticlePage
from wagtail_tagfeed.options import ImportOptions

from .processes import (
    assert_complete,
    assert_tree_sound,
    finish,
    needs_postgresql,
    start_import,
    wait_for_lock,
    write_listing,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_postgresql,
]

SUMMARY = re.compile(r"(\d+) created, (\d+) updated, (\d+) unchanged, (\d+) failed")


def counts(output: str) -> tuple[int, ...]:
    return tuple(int(number) for number in SUMMARY.search(output).groups())


def test_two_imports_of_one_source_create_each_article_once(tmp_path):
    items = 400
    parent = TagIndexPageFactory()
    files = write_listing(tmp_path, items)
    args = (*files, "--parent", str(parent.pk), "--tag", "race")

    names = ("tagfeed-race-1", "tagfeed-race-2")
    with transaction.atomic():
        # Hold the index until both imports have read their sources and wait for its lock.
        Page.objects.select_for_update().get(pk=parent.pk)
        processes = [start_import(name, *args) for name in names]
        for name, process in zip(names, processes, strict=True):
            wait_for_lock(name, process)
    results = [finish(process) for process in processes]

    for status, _out, err in results:
        assert status == 0, err
    assert assert_complete(parent, "race") == {
        f"https://news.example/story-{n}" for n in range(items)
    }
    assert_tree_sound(parent)
    first, second = sorted((counts(out) for _status, out, _err in results), reverse=True)
    assert first == (items, 0, 0, 0)
    assert second == (0, 0, items, 0)


def test_an_editors_revision_saved_during_a_reimport_is_kept(tmp_path):
    parent = TagIndexPageFactory()
    editor = get_user_model().objects.create_superuser("editor", password="x")
    files = write_listing(tmp_path / "before", 30)
    import_tagpage(files, parent=parent.pk, options=ImportOptions(tags=("edits",)))
    url = "https://news.example/story-7"
    imported = ArticlePage.objects.get(source_url=url)
    changed = write_listing(
        tmp_path / "after", 30, teaser="<p>A teaser rewritten at the source since then.</p>"
    )
    name = "tagfeed-editor-race"

    with transaction.atomic():
        article = ArticlePage.objects.select_for_update().get(pk=imported.pk)
        process = start_import(
            name, *changed, "--parent", str(parent.pk), "--tag", "edits", "-v", "2"
        )
        # The import has read its plan and now waits for the article's row.
        wait_for_lock(name, process)
        article.title = "Rewritten by the editor"
        revision = article.save_revision(user=editor)
        revision.publish(user=editor)
    status, out, err = finish(process)

    assert status == 0, err
    assert f"kept local edits: Story number 7 about Turkey <{url}>" in out
    assert "edits: 0 created, 29 updated, 0 unchanged, 0 failed, 1 kept local edits" in out
    article = ArticlePage.objects.get(pk=imported.pk)
    assert article.latest_revision_id == revision.pk
    assert article.live_revision_id == revision.pk
    assert article.title == "Rewritten by the editor"
    assert article.get_latest_revision_as_object().title == "Rewritten by the editor"
    assert article.imported_revision_id == imported.imported_revision_id
    others = ArticlePage.objects.exclude(pk=imported.pk)
    assert all("rewritten at the source" in other.summary for other in others)
    assert_tree_sound(parent)


def test_imports_into_two_indexes_that_create_one_new_tag_both_succeed(tmp_path):
    """Imports into one language take turns; the tag the first creates, the second finds."""
    indexes = [TagIndexPageFactory(), TagIndexPageFactory(title="Other")]
    names = ("tagfeed-tag-1", "tagfeed-tag-2")
    processes = []
    with transaction.atomic():
        Locale.objects.select_for_update().get(pk=indexes[0].locale_id)
        for n, (name, index) in enumerate(zip(names, indexes, strict=True)):
            files = write_listing(tmp_path / name, 50, prefix=f"site{n}-story")
            processes.append(
                start_import(name, *files, "--parent", str(index.pk), "--tag", "Brand New")
            )
            wait_for_lock(name, processes[-1])
    results = [finish(process) for process in processes]
    for status, _out, err in results:
        assert status == 0, err
    assert Tag.objects.filter(name__iexact="brand new").count() == 1
    for index in indexes:
        assert ArticlePage.objects.child_of(index).count() == 50
    assert all(not problems for problems in Page.find_problems())
