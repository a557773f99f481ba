"""Search index entries of imported pages equal what Wagtail's own calls give."""

import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend

from tests.factories import ArticlePageFactory
from wagtail_tagfeed import indexing
from wagtail_tagfeed.models import ArticlePage

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the shaped SQL is PostgreSQL's backend's"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backend")


def entry_model(backend):
    """The model of the database search backend's entries."""
    return sys.modules[type(backend.get_index_for_model(ArticlePage)).__module__].IndexEntry


def entries(backend, pages) -> list[tuple]:
    """Every column of the pages' entries but the key, as text."""
    entry = entry_model(backend)
    columns = [
        field.attname
        for field in entry._meta.concrete_fields
        if not field.primary_key and field.attname != "title_norm"
    ]
    rows = entry.objects.filter(object_id__in=[str(page.pk) for page in pages])
    return sorted(tuple(str(value) for value in row) for row in rows.values_list(*columns))


@pytest.fixture
def pages(tag_index):
    """Articles whose entries have different shapes: an empty body, author and tags or not,
    texts that are only spaces."""
    return [
        ArticlePageFactory(parent=tag_index, tags=["turkey", "ferries"], author="Ann Lee"),
        ArticlePageFactory(parent=tag_index, summary="", author=""),
        ArticlePageFactory(parent=tag_index, summary="<p>  </p>", title="Zebra  crossing "),
        ArticlePageFactory(parent=tag_index, tags=["turkey"]),
        ArticlePageFactory(parent=tag_index, tags=["turkey"]),
    ]


@on_postgresql
def test_shaped_entries_equal_the_backends_own(pages):
    backend = get_search_backend()
    own = entries(backend, pages)
    assert len(own) == len(pages)
    indexing.ShapedEntries.of(
        backend.get_index_for_model(ArticlePage)
    ).entry.objects.all().delete()
    pages = [ArticlePage.objects.get(pk=page.pk) for page in pages]
    with CaptureQueriesContext(connection) as captured:
        indexing.add_bulk(backend, ArticlePage, pages)
    assert entries(backend, pages) == own
    inserts = [query["sql"] for query in captured if "INSERT INTO" in query["sql"]]
    # One statement for each shape: the first page's, the next two's (nothing but a title),
    # the last two's.
    assert len(inserts) == 3, inserts


@on_postgresql
def test_entries_are_found_by_search(pages):
    backend = get_search_backend()
    index = indexing.ShapedEntries.of(backend.get_index_for_model(ArticlePage))
    index.entry.objects.all().delete()
    indexing.add_bulk(backend, ArticlePage, list(ArticlePage.objects.all()))
    found = ArticlePage.objects.search("ferries")
    assert [page.pk for page in found] == [pages[0].pk]
    assert [p.pk for p in ArticlePage.objects.autocomplete("zebr")] == [pages[2].pk]


@on_postgresql
def test_a_disagreeing_shape_leaves_the_writing_to_the_backend(pages, monkeypatch, caplog):
    backend = get_search_backend()
    own = entries(backend, pages)
    indexing.ShapedEntries.of(
        backend.get_index_for_model(ArticlePage)
    ).entry.objects.all().delete()
    monkeypatch.setattr(indexing.ShapedEntries, "compiled", lambda self, part, indexer: ("x", ()))
    with CaptureQueriesContext(connection) as captured:
        indexing.add_bulk(backend, ArticlePage, list(ArticlePage.objects.all()))
    assert "the shaped SQL disagreed" in caplog.text
    assert entries(backend, pages) == own
    inserts = [query["sql"] for query in captured if "INSERT INTO" in query["sql"]]
    assert len(inserts) == 1


def test_title_norms_are_set_once_for_all_batches(pages):
    """As one ``add_items`` of all pages sets them; each would read the whole index."""
    backend = get_search_backend()
    entry = entry_model(backend)
    pages = list(ArticlePage.objects.order_by("pk"))
    pages[0].title = "Ferries across the Bosphorus on a windy morning"
    entry.objects.all().delete()
    backend.add_bulk(ArticlePage, pages)
    own = dict(entry.objects.values_list("object_id", "title_norm"))
    assert len(set(own.values())) > 1
    entry.objects.all().delete()
    indexing.add_bulk(backend, ArticlePage, pages[:2])
    indexing.add_bulk(backend, ArticlePage, pages[2:])
    assert set(entry.objects.values_list("title_norm", flat=True)) == {1.0}
    indexing.finish_bulk(backend, ArticlePage)
    assert dict(entry.objects.values_list("object_id", "title_norm")) == own


@on_sqlite
def test_plain_entries_equal_the_backends_own(pages):
    backend = get_search_backend()
    own = entries(backend, pages)
    assert len(own) == len(pages)
    entry_model(backend).objects.all().delete()
    pages = [ArticlePage.objects.get(pk=page.pk) for page in pages]
    with CaptureQueriesContext(connection) as captured:
        indexing.add_bulk(backend, ArticlePage, pages)
    assert entries(backend, pages) == own
    inserts = [query["sql"] for query in captured if "INSERT INTO" in query["sql"]]
    assert len(inserts) == 1 and inserts[0].startswith("5 times: "), inserts
    assert [page.pk for page in ArticlePage.objects.search("ferries")] == [pages[0].pk]
    assert [p.pk for p in ArticlePage.objects.autocomplete("zebr")] == [pages[2].pk]


@on_sqlite
def test_pages_with_entries_leave_the_writing_to_the_backend(pages):
    backend = get_search_backend()
    own = entries(backend, pages)
    entry_model(backend).objects.filter(object_id=str(pages[0].pk)).delete()
    indexing.add_bulk(backend, ArticlePage, [ArticlePage.objects.get(pk=p.pk) for p in pages])
    assert entries(backend, pages) == own
