"""Search values and index entries of imported pages equal what Wagtail's own calls give."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import example, given, settings
from hypothesis import strategies as st
from wagtail.rich_text import get_text_for_indexing
from wagtail.search.backends import get_search_backend

from tests.factories import ArticlePageFactory
from wagtail_tagfeed import indexing
from wagtail_tagfeed.cleaning import clean_summary
from wagtail_tagfeed.models import ArticlePage

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the shaped SQL is PostgreSQL's backend's"
)


def entries(backend, pages) -> list[tuple]:
    """Every column of the pages' entries but the key, as text."""
    entry = indexing.ShapedEntries.of(backend.get_index_for_model(ArticlePage)).entry
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


@on_postgresql
def test_title_norms_are_set_once_for_all_batches(pages):
    """As one ``add_items`` of all pages sets them; each would read the whole index."""
    backend = get_search_backend()
    entry = indexing.ShapedEntries.of(backend.get_index_for_model(ArticlePage)).entry
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


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's backend")
def test_other_backends_write_their_own_entries(tag_index):
    backend = get_search_backend()
    assert indexing.ShapedEntries.of(backend.get_index_for_model(ArticlePage)) is None
    page = ArticlePageFactory(parent=tag_index, title="Quokka sightings")
    page.index_entries.all().delete()
    assert not ArticlePage.objects.search("quokka")
    indexing.add_bulk(backend, ArticlePage, [page])
    assert [found.pk for found in ArticlePage.objects.search("quokka")] == [page.pk]


PLAIN = [
    "<p>",
    "</p>",
    "<H2 >",
    "</h2>",
    "<ul>",
    "<li>",
    "</li>",
    "</blockquote>",
    "<br/>",
    "<hr />",
    '<a href="https://a.example/?x=1&amp;y=2" rel="nofollow">',
    "</a>",
    "&amp;",
    "&#39;",
    "&#X27;",
    "&hellip;",
    "&lt;p&gt;",
]
"""Pieces of the markup the importer's cleaning writes."""
UNUSUAL = [
    "<P>",
    "<hr>",
    "<a href='x'>",
    '<img alt="a > b">',
    '<b\nclass="x">',
    "&amp",
    "<!-- c -->",
    "<script>a<b</script>",
    "<title>x</title>",
    "<![CDATA[x]]>",
    "<",
    ">",
]
"""Pieces a parser reads otherwise than as tags and text."""
PLAIN_TEXT = st.text(alphabet=st.sampled_from([*"ab ;#x'\"=/\n\t", "é", "\xa0"]), max_size=8)
TEXT = st.text(alphabet=st.sampled_from([*"ab <>&;#x'\"=/\n", "é"]), max_size=8)


@given(st.lists(st.one_of(st.sampled_from(PLAIN + UNUSUAL), TEXT), max_size=20).map("".join))
@settings(max_examples=500, deadline=None)
@example('<h2>A &amp; B</h2><p>One<br/>two <a href="/x">&#39;three&#x27;</a></p>')
def test_text_for_indexing_is_wagtails(html):
    assert indexing.text_for_indexing(html) == get_text_for_indexing(html)


def test_cleaned_summaries_are_read_without_the_parser(monkeypatch):
    html, _ = clean_summary(
        '<p onclick="x()">Tom &amp; <b>Jerry</b> <a href="/a?b=1&c=2">run</a></p>',
        "https://news.example/tag/turkey",
    )
    monkeypatch.setattr(indexing, "get_text_for_indexing", None)
    assert indexing.text_for_indexing(html) == "Tom & Jerry run"


@given(st.lists(st.one_of(st.sampled_from(PLAIN), PLAIN_TEXT), max_size=30).map("".join))
@settings(max_examples=300, deadline=None)
def test_plain_markup_is_read_without_the_parser_as_wagtail_reads_it(html):
    assert indexing.PLAIN_MARKUP.fullmatch(html)
    assert indexing.text_for_indexing(html) == get_text_for_indexing(html)
