"""``kill -9`` of an import in the middle of its transaction leaves no trace and no damage.

The import runs as ``manage.py import_tagpage`` in a child process on the PostgreSQL test
database; it is killed once its backend is inside the import's transaction, writing the
first chunk of pages, then the same import is run again to completion.
"""

from __future__ import annotations

import signal

import pytest
from taggit.models import Tag
from wagtail.models import PageLogEntry, Revision

from tests.factories import TagIndexPageFactory
from wagtail_tagfeed.models import ArticlePage

from .processes import (
    assert_complete,
    assert_tree_sound,
    backend,
    children_count,
    finish,
    needs_postgresql,
    start_import,
    wait_gone,
    wait_until,
    write_listing,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    needs_postgresql,
]

ITEMS = 3000
# Pages and their tags of the first chunk are written; its revisions are being inserted.
WRITING = """backend_xid IS NOT NULL AND query LIKE 'INSERT INTO "wagtailcore_revision"%%'"""


def test_kill_during_import_leaves_nothing_half_written(tmp_path):
    parent = TagIndexPageFactory()
    revisions, log_entries = Revision.objects.count(), PageLogEntry.objects.count()
    files = write_listing(tmp_path, ITEMS, per_page=750)
    name = "tagfeed-crash"
    args = (*files, "--parent", str(parent.pk), "--tag", "crash")

    process = start_import(name, *args, "-v", "0")
    seen = wait_until(lambda: backend(name, WRITING), "the import to write", process)
    process.send_signal(signal.SIGKILL)
    status, _out, _err = finish(process)
    wait_gone(name)

    assert_tree_sound(parent)
    killed = bool(seen) and status == -signal.SIGKILL
    if killed:
        assert ArticlePage.objects.count() == 0
        assert Revision.objects.count() == revisions
        assert PageLogEntry.objects.count() == log_entries
        assert not Tag.objects.filter(name="crash").exists()
        assert children_count(parent) == 0
    else:
        # It committed before the signal arrived: then it is whole, and is redone unchanged.
        assert len(assert_complete(parent, "crash")) == ITEMS

    status, out, err = finish(start_import(name, *args))
    assert status == 0, err
    created, unchanged = (ITEMS, 0) if killed else (0, ITEMS)
    assert f"crash: {created} created, 0 updated, {unchanged} unchanged, 0 failed" in out
    assert assert_complete(parent, "crash") == {
        f"https://news.example/story-{n}" for n in range(ITEMS)
    }
    assert_tree_sound(parent)
